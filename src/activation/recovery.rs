//! Recovery: from the order and activation state, the device state the partner observed,
//! whether the materials were used, and current eligibility, the approved recovery path.
//! The rules live in one table (`RULES`, first match wins); deleting a profile is advised
//! only by the rule whose path requires it.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::MaterialStatus;
use crate::services::state::ServiceState;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DeviceState {
    /// Installation started but did not finish.
    InstallInterrupted,
    /// The profile is on the device but it gets no network.
    InstalledNoNetwork,
    /// The customer deleted the profile.
    ProfileDeleted,
    /// The customer wants the service on another device.
    NewDevice,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RecoveryAction {
    /// Nothing to do but wait for Onyx.
    Wait,
    /// Install again with the current activation materials.
    ReinstallWithCurrentMaterials,
    /// Create a `swap_sim` order for new activation materials.
    OrderSimSwap,
    /// Follow the network troubleshooting steps.
    TroubleshootNetwork,
    /// Remove the old profile, then install the current materials.
    ReplaceOldProfile,
    /// Top up the subscription to continue.
    TopUp,
    /// The subscription cannot be recovered; order a new one.
    NewOrder,
    /// Open a support case with Onyx.
    ContactSupport,
}

/// What the recovery rules look at.
#[derive(Debug, Clone, Copy)]
pub struct Facts {
    pub service_state: ServiceState,
    /// Status of the current materials (none before ready_to_install).
    pub materials: Option<MaterialStatus>,
    /// An earlier, now revoked, set of materials was installed (a swap happened since).
    pub earlier_set_installed: bool,
    pub expired: bool,
    /// The subscription's package is still approved and in the partner's markets.
    pub eligible: bool,
    pub device: DeviceState,
}

impl Facts {
    fn current_used(&self) -> bool {
        self.materials == Some(MaterialStatus::Installed)
    }
    fn reinstall_case(&self) -> bool {
        matches!(
            self.device,
            DeviceState::InstallInterrupted | DeviceState::ProfileDeleted | DeviceState::NewDevice
        )
    }
}

pub struct Rule {
    pub id: &'static str,
    pub when: fn(&Facts) -> bool,
    pub action: RecoveryAction,
    pub summary: &'static str,
    pub steps: &'static [&'static str],
    pub delete_profile: bool,
}

pub const RULES: &[Rule] = &[
    Rule {
        id: "service_not_provisioned",
        when: |f| matches!(f.service_state, ServiceState::Preparing | ServiceState::Delayed),
        action: RecoveryAction::Wait,
        summary: "The service is still being prepared; there is nothing to install yet.",
        steps: &["Tell the customer the service is being prepared.", "Wait for the service.ready_to_install event, then guide the installation."],
        delete_profile: false,
    },
    Rule {
        id: "service_ended",
        when: |f| matches!(f.service_state, ServiceState::Cancelled | ServiceState::Failed | ServiceState::Unavailable),
        action: RecoveryAction::NewOrder,
        summary: "The service was cancelled or could not be provisioned; it cannot be recovered.",
        steps: &["Show the customer the order's failure reason or the cancellation.", "Offer a new activation order if they still need connectivity."],
        delete_profile: false,
    },
    Rule {
        id: "service_expired",
        when: |f| f.expired,
        action: RecoveryAction::TopUp,
        summary: "The service's validity has ended.",
        steps: &["Offer the customer a top-up to extend the service."],
        delete_profile: false,
    },
    Rule {
        id: "replace_profile_after_swap",
        when: |f| f.device == DeviceState::InstalledNoNetwork && !f.current_used() && f.earlier_set_installed,
        action: RecoveryAction::ReplaceOldProfile,
        summary: "The device still holds the profile replaced by a SIM swap; that profile no longer works.",
        steps: &[
            "On the device, remove the old eSIM profile of this service (the one installed before the SIM swap).",
            "Install the current activation materials (fetch them again if needed).",
            "Follow the install guidance from 'Select the active line' on.",
        ],
        delete_profile: true,
    },
    Rule {
        id: "reinstall_unused_materials",
        when: |f| f.reinstall_case() && !f.current_used(),
        action: RecoveryAction::ReinstallWithCurrentMaterials,
        summary: "The current activation materials were not used yet; install again with them.",
        steps: &["Fetch the activation materials again.", "Follow the install guidance from the first step, on Wi-Fi."],
        delete_profile: false,
    },
    Rule {
        id: "swap_not_eligible",
        when: |f| f.reinstall_case() && f.current_used() && !f.eligible,
        action: RecoveryAction::ContactSupport,
        summary: "The materials were used and the service's package is no longer available to you, so a SIM swap cannot be ordered.",
        steps: &["Open a support case with the order id and service id; do not ask the customer to change anything on the device."],
        delete_profile: false,
    },
    Rule {
        id: "materials_used_order_swap",
        when: |f| f.reinstall_case() && f.current_used(),
        action: RecoveryAction::OrderSimSwap,
        summary: "The activation materials were already used; a profile can be installed only once. New materials need a SIM swap.",
        steps: &["Create a swap_sim order for this service.", "When the service is ready_to_install again, guide the installation with the new materials."],
        delete_profile: false,
    },
    Rule {
        id: "network_troubleshooting",
        when: |f| f.device == DeviceState::InstalledNoNetwork && f.current_used(),
        action: RecoveryAction::TroubleshootNetwork,
        summary: "The profile is installed; the device needs the right line and network settings.",
        steps: &[
            "Check that the eSIM line is turned on and selected for mobile data.",
            "Turn data roaming on for the eSIM line.",
            "Make sure the customer is in the covered area and wait up to 10 minutes.",
            "Restart the device once if there is still no signal.",
            "If nothing helps, open a support case; do not remove the profile.",
        ],
        delete_profile: false,
    },
    Rule {
        id: "install_not_confirmed",
        when: |f| f.device == DeviceState::InstalledNoNetwork && !f.current_used(),
        action: RecoveryAction::ReinstallWithCurrentMaterials,
        summary: "Onyx has not seen the profile installed; the installation most likely did not finish.",
        steps: &["Check in the device settings whether the eSIM profile appears.", "If it does not, install again with the current activation materials on Wi-Fi."],
        delete_profile: false,
    },
];

/// The first rule that matches (there is always one for a ready or active service).
pub fn decide(facts: &Facts) -> Option<&'static Rule> {
    RULES.iter().find(|r| (r.when)(facts))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct RecoveryPath {
    pub service_id: String,
    /// The rule that decided: stable, for your own analytics.
    #[schema(example = "materials_used_order_swap")]
    pub rule: String,
    pub action: RecoveryAction,
    pub summary: String,
    pub steps: Vec<String>,
    /// True only when the approved path needs a profile removed from the device.
    pub delete_profile_advised: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"device_state": "profile_deleted"}))]
pub struct RecoveryRequest {
    /// What you observed on the customer's device.
    pub device_state: DeviceState,
}

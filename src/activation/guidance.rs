//! Install guidance: Onyx's approved, ordered steps for a platform and a service, as data
//! a partner can render.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::catalogue::CoverageType;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Platform {
    Ios,
    Android,
    Other,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GuidanceQuery {
    /// The customer's device platform.
    pub platform: Platform,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepKind {
    InstallProfile,
    SelectActiveLine,
    EnableRoaming,
    WaitForNetworkRegistration,
    RestartDevice,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GuidanceStep {
    /// 1-based order.
    pub position: u32,
    pub kind: StepKind,
    #[schema(example = "Install the eSIM profile")]
    pub title: String,
    pub instructions: String,
    /// False for steps only needed in the situation `condition` describes.
    pub required: bool,
    pub condition: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InstallGuidance {
    pub service_id: String,
    pub platform: Platform,
    pub steps: Vec<GuidanceStep>,
}

/// The approved steps for `platform` and a service of `coverage`.
pub fn steps(
    platform: Platform,
    coverage: CoverageType,
    confirmation_code: bool,
) -> Vec<GuidanceStep> {
    let install = match platform {
        Platform::Ios => "Open the install link on the iPhone, or go to Settings > Cellular > Add eSIM > Use QR Code and scan the code. Keep Wi-Fi on until the profile is added.",
        Platform::Android => "Go to Settings > Network & internet > SIMs > Add eSIM (or Download a SIM) and scan the QR code, or enter the activation code manually. Keep Wi-Fi on until the profile is added.",
        Platform::Other => "Open the device's mobile network settings, choose to add an eSIM and scan the QR code or enter the activation code. Keep Wi-Fi on until the profile is added.",
    };
    let install = if confirmation_code {
        format!("{install} When asked, enter the confirmation code.")
    } else {
        install.to_string()
    };
    let select = match platform {
        Platform::Ios => "In Settings > Cellular, label the new line, turn it on, and choose it for Cellular Data.",
        Platform::Android => "In Settings > Network & internet > SIMs, turn the new eSIM on and choose it for mobile data.",
        Platform::Other => "Turn the new eSIM line on and choose it for mobile data.",
    };
    let roaming = match platform {
        Platform::Ios => "In Settings > Cellular > (the new line), turn Data Roaming on.",
        Platform::Android => "In the new eSIM's settings, turn Roaming on.",
        Platform::Other => "Turn data roaming on for the new eSIM line.",
    };
    let roaming_required = coverage != CoverageType::Local;
    let step =
        |position, kind, title: &str, instructions: String, required, condition: Option<&str>| {
            GuidanceStep {
                position,
                kind,
                title: title.into(),
                instructions,
                required,
                condition: condition.map(str::to_string),
            }
        };
    vec![
        step(1, StepKind::InstallProfile, "Install the eSIM profile", install, true, None),
        step(2, StepKind::SelectActiveLine, "Select the active line", select.into(), true, None),
        step(
            3,
            StepKind::EnableRoaming,
            "Enable data roaming",
            roaming.into(),
            roaming_required,
            (!roaming_required).then_some("Only if there is no data after the device registers on the network."),
        ),
        step(
            4,
            StepKind::WaitForNetworkRegistration,
            "Wait for network registration",
            "Once in the covered area, wait up to 10 minutes for the device to register on the network; the line shows signal bars.".into(),
            true,
            None,
        ),
        step(
            5,
            StepKind::RestartDevice,
            "Restart the device",
            "Restart the device once and check the signal again.".into(),
            false,
            Some("If the line still shows no signal after 10 minutes in the covered area."),
        ),
    ]
}

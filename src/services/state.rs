//! The service state machine: every state change of a service goes through
//! `ServiceState::can_become`, and every state carries the `next_step` text Onyx gives
//! partners (they never invent one).

crate::stored_enum! {
    pub enum ServiceState {
        /// Onyx is preparing the service.
        Preparing = "preparing",
        /// Activation materials are ready; the user can install the profile.
        ReadyToInstall = "ready_to_install",
        /// Installed and usable.
        Active = "active",
        /// Taking longer than usual; Onyx continues automatically.
        Delayed = "delayed",
        /// Provisioning failed.
        Failed = "failed",
        /// The network cannot provide the service right now.
        Unavailable = "unavailable",
        /// Its validity ended (`expires_at` passed on the tenant's clock); a top-up renews it.
        Expired = "expired",
        /// Ended.
        Cancelled = "cancelled",
    }
}

impl ServiceState {
    pub fn can_become(self, next: ServiceState) -> bool {
        use ServiceState::*;
        matches!(
            (self, next),
            (
                Preparing,
                Preparing | Delayed | ReadyToInstall | Failed | Unavailable | Cancelled
            ) | (
                Delayed,
                Preparing | Delayed | ReadyToInstall | Failed | Unavailable | Cancelled
            ) | (ReadyToInstall, ReadyToInstall | Active | Cancelled)
                | (Active, ReadyToInstall | Expired | Cancelled)
                | (Expired, Active | Cancelled)
                | (Failed | Unavailable, Preparing | Cancelled)
        )
    }

    /// Onyx's guidance for the partner in this state.
    pub fn next_step(self) -> &'static str {
        match self {
            ServiceState::Preparing => "Onyx is preparing the service. No action is needed; you will receive service.ready_to_install when the activation materials are ready.",
            ServiceState::Delayed => "Preparation is taking longer than usual. Keep the order open and tell the customer it is on its way; Onyx continues automatically and will notify you.",
            ServiceState::ReadyToInstall => "Fetch the activation materials and guide the customer through installing the eSIM profile on their device.",
            ServiceState::Active => "The service is installed and active. No action is needed.",
            ServiceState::Failed => "Provisioning failed. Show the customer the failure reason; retry only if the order says it is retryable or Onyx reports a change.",
            ServiceState::Unavailable => "The network cannot provide this service right now. Do not retry until Onyx reports a change; offer the customer another package.",
            ServiceState::Expired => "The service's validity has ended and it carries no more traffic. Order a top-up (POST /v1/orders, top_up_subscription) to renew it, or cancel it.",
            ServiceState::Cancelled => "The service is cancelled. Nothing more can be done with it; order a new subscription if the customer needs one.",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_state_has_a_next_step() {
        for v in ServiceState::ALL {
            assert!(!v.next_step().is_empty());
        }
    }

    #[test]
    fn cancelled_stays_cancelled() {
        for next in ServiceState::ALL {
            assert!(!ServiceState::Cancelled.can_become(*next));
        }
    }
}

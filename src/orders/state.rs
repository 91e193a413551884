//! The state machines of orders and services, in one place: every state change of the
//! service goes through `OrderState::can_become` / `ServiceState::can_become`, and every
//! state carries the `next_step` text Onyx gives partners (they never invent one).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

macro_rules! text_enum {
    ($name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
            pub fn parse(s: &str) -> Option<$name> {
                match s { $($text => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

/// The four order types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderType {
    /// A new subscription: exactly one plan, optional add-ons.
    ActivateSubscription,
    /// More for an active subscription: at most one plan, optional add-ons.
    TopUpSubscription,
    /// End a subscription: no items.
    CancelSubscription,
    /// New activation materials for a subscription (the old ones are revoked): no items.
    SwapSim,
}
text_enum!(OrderType {
    ActivateSubscription = "activate_subscription",
    TopUpSubscription = "top_up_subscription",
    CancelSubscription = "cancel_subscription",
    SwapSim = "swap_sim",
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrderState {
    /// Accepted; funds reserved; provisioning not started.
    Pending,
    /// Provisioning is under way.
    Processing,
    /// Done; funds captured.
    Completed,
    /// Provisioning failed; funds released. See `failure_code` and `next_step`.
    Failed,
    /// Cancelled on request; funds released.
    Cancelled,
}
text_enum!(OrderState {
    Pending = "pending",
    Processing = "processing",
    Completed = "completed",
    Failed = "failed",
    Cancelled = "cancelled",
});

impl OrderState {
    pub fn can_become(self, next: OrderState) -> bool {
        use OrderState::*;
        matches!(
            (self, next),
            (Pending, Processing | Completed | Failed | Cancelled)
                | (Processing, Processing | Completed | Failed | Cancelled)
                | (Failed, Pending)
        )
    }

    pub fn is_open(self) -> bool {
        matches!(self, OrderState::Pending | OrderState::Processing)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ServiceState {
    /// Onyx is preparing the service.
    Preparing,
    /// Activation materials are ready; the user can install the profile.
    ReadyToInstall,
    /// Installed and usable.
    Active,
    /// Taking longer than usual; Onyx continues automatically.
    Delayed,
    /// Provisioning failed.
    Failed,
    /// The network cannot provide the service right now.
    Unavailable,
    /// Ended.
    Cancelled,
}
text_enum!(ServiceState {
    Preparing = "preparing",
    ReadyToInstall = "ready_to_install",
    Active = "active",
    Delayed = "delayed",
    Failed = "failed",
    Unavailable = "unavailable",
    Cancelled = "cancelled",
});

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
                | (Active, ReadyToInstall | Cancelled)
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
            ServiceState::Cancelled => "The service is cancelled. Nothing more can be done with it; order a new subscription if the customer needs one.",
        }
    }
}

/// Onyx's guidance for an order in this state.
pub fn order_next_step(state: OrderState, retry_allowed: bool) -> &'static str {
    match state {
        OrderState::Pending => "The order is accepted and the funds are reserved. No action is needed; provisioning starts shortly.",
        OrderState::Processing => "Onyx is provisioning the order. No action is needed; follow the service state or wait for the order.completed event.",
        OrderState::Completed => "The order is complete. Follow the service's next step.",
        OrderState::Failed if retry_allowed => "The order failed and Onyx marked it retryable: you may retry it once with POST /v1/orders/{order_id}/retry.",
        OrderState::Failed => "The order failed and must not be retried as it is. Show the customer the failure reason; Onyx will report a change if one makes a retry possible.",
        OrderState::Cancelled => "The order was cancelled and its funds released. Nothing more is needed.",
    }
}

/// Sandbox scenarios: how the simulator provisions a sandbox order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SandboxScenario {
    /// preparing → ready (order completed).
    Success,
    /// preparing → delayed → ready.
    Delayed,
    /// preparing → failed (`network_rejected`, not retryable).
    Failed,
    /// preparing → failed (`upstream_timeout`, retryable); a retry succeeds.
    FailedRetryable,
    /// preparing → unavailable (`service_unavailable`, not retryable).
    Unavailable,
    /// Stays preparing until an operator reports a state (or the order is cancelled).
    Manual,
}
text_enum!(SandboxScenario {
    Success = "success",
    Delayed = "delayed",
    Failed = "failed",
    FailedRetryable = "failed_retryable",
    Unavailable = "unavailable",
    Manual = "manual",
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_match_serde() {
        for v in OrderType::ALL {
            assert_eq!(
                serde_json::to_value(v).unwrap(),
                serde_json::json!(v.as_str())
            );
        }
        for v in OrderState::ALL {
            assert_eq!(
                serde_json::to_value(v).unwrap(),
                serde_json::json!(v.as_str())
            );
        }
        for v in ServiceState::ALL {
            assert_eq!(
                serde_json::to_value(v).unwrap(),
                serde_json::json!(v.as_str())
            );
            assert!(!v.next_step().is_empty());
        }
        for v in SandboxScenario::ALL {
            assert_eq!(
                serde_json::to_value(v).unwrap(),
                serde_json::json!(v.as_str())
            );
        }
    }

    #[test]
    fn terminal_states_stay_terminal() {
        for next in OrderState::ALL {
            assert!(!OrderState::Completed.can_become(*next));
            assert!(!OrderState::Cancelled.can_become(*next));
        }
        for next in ServiceState::ALL {
            assert!(!ServiceState::Cancelled.can_become(*next));
        }
        assert!(OrderState::Failed.can_become(OrderState::Pending));
        assert!(!OrderState::Failed.can_become(OrderState::Completed));
    }
}

//! The order state machine: every state change of an order goes through
//! `OrderState::can_become`, and every state carries the `next_step` text Onyx gives partners
//! (they never invent one). The service state machine is `services::state`.

crate::stored_enum! {
    /// The four order types.
    pub enum OrderType {
        /// A new subscription: exactly one plan, optional add-ons.
        ActivateSubscription = "activate_subscription",
        /// More for an active subscription: at most one plan, optional add-ons.
        TopUpSubscription = "top_up_subscription",
        /// End a subscription: no items.
        CancelSubscription = "cancel_subscription",
        /// New activation materials for a subscription (the old ones are revoked): no items.
        SwapSim = "swap_sim",
    }
}

crate::stored_enum! {
    pub enum OrderState {
        /// Accepted; funds reserved; provisioning not started.
        Pending = "pending",
        /// Provisioning is under way.
        Processing = "processing",
        /// Done; funds captured.
        Completed = "completed",
        /// Provisioning failed; funds released. See `failure_code` and `next_step`.
        Failed = "failed",
        /// Cancelled on request; funds released.
        Cancelled = "cancelled",
    }
}

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

crate::stored_enum! {
    /// Sandbox scenarios: how the simulator provisions a sandbox order.
    pub enum SandboxScenario {
        /// preparing → ready (order completed).
        Success = "success",
        /// preparing → delayed → ready.
        Delayed = "delayed",
        /// preparing → failed (`network_rejected`, not retryable).
        Failed = "failed",
        /// preparing → failed (`upstream_timeout`, retryable); a retry succeeds.
        FailedRetryable = "failed_retryable",
        /// preparing → unavailable (`service_unavailable`, not retryable).
        Unavailable = "unavailable",
        /// Stays preparing until an operator reports a state (or the order is cancelled).
        Manual = "manual",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn terminal_states_stay_terminal() {
        for next in OrderState::ALL {
            assert!(!OrderState::Completed.can_become(*next));
            assert!(!OrderState::Cancelled.can_become(*next));
        }
        assert!(OrderState::Failed.can_become(OrderState::Pending));
        assert!(!OrderState::Failed.can_become(OrderState::Completed));
    }
}

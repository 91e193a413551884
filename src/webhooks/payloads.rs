//! Event `data` is a typed payload: each area declares the payload types of its events next
//! to the code that emits them (`orders::OrderEventData`, ...), serialised here by
//! [`value`]; the OpenAPI document's `webhooks` section describes each event type with the
//! same type (`event_catalogue`). This module holds the webhook area's own payloads.

use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;

/// The JSON value of a payload, as `outbox::emit` stores it.
pub fn value(payload: &impl Serialize) -> Result<serde_json::Value, ApiError> {
    serde_json::to_value(payload).map_err(ApiError::internal)
}

/// `webhook_endpoint.disabled`: Onyx disabled an endpoint (sent to your other endpoints).
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookEndpointDisabledData {
    #[schema(example = "we_0mhx2k9q1002a7f3kq9zt0bw")]
    pub endpoint_id: String,
    #[schema(example = "https://hooks.wanderlust.example/onyx")]
    pub url: String,
    #[schema(example = "failing for 3 days")]
    pub reason: String,
}

/// `webhook.test`: sent by `POST /v1/webhook-endpoints/{endpoint_id}/test` to that endpoint.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookTestData {
    #[schema(example = "we_0mhx2k9q1002a7f3kq9zt0bw")]
    pub endpoint_id: String,
    #[schema(example = "A test event from Onyx; reply with any 2xx status.")]
    pub message: String,
}

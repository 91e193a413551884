//! The event catalogue of the OpenAPI document: every event type of `webhooks::EVENT_TYPES`
//! with the payload type its emitter serialises as `data` (each area declares its payload
//! types next to the code that emits them), added to the document as OpenAPI 3.1 `webhooks`.
//! It composes every area, so it sits at the top with `app` (no area names it).

use utoipa::openapi::{RefOr, Schema};
use utoipa::{PartialSchema, ToSchema};

use crate::activation::ActivationReadyData;
use crate::billing::invoices::InvoiceEventData;
use crate::credentials::CredentialEventData;
use crate::orders::OrderEventData;
use crate::readiness::LiveAccessEventData;
use crate::refunds::RefundEventData;
use crate::services::alerts::{ServiceDepletedData, ServiceExpiringData, ServiceFirstUseData};
use crate::services::usage::UsageThresholdData;
use crate::services::ServiceEventData;
use crate::support::SupportCaseEventData;
use crate::wallet::LowBalanceData;
use crate::webhooks::payloads::{WebhookEndpointDisabledData, WebhookTestData};

/// One event type of the catalogue: its `data` component and a summary.
pub struct EventDoc {
    pub event_type: &'static str,
    pub summary: &'static str,
    pub data: &'static str,
}

fn named<T: ToSchema>() -> (String, RefOr<Schema>) {
    (T::name().into_owned(), T::schema())
}

/// The data components of the catalogue (name, schema), including the types they refer to.
pub fn data_schemas() -> Vec<(String, RefOr<Schema>)> {
    let mut all = vec![
        named::<OrderEventData>(),
        named::<ServiceEventData>(),
        named::<RefundEventData>(),
        named::<InvoiceEventData>(),
        named::<ActivationReadyData>(),
        named::<UsageThresholdData>(),
        named::<ServiceExpiringData>(),
        named::<ServiceFirstUseData>(),
        named::<ServiceDepletedData>(),
        named::<CredentialEventData>(),
        named::<LiveAccessEventData>(),
        named::<LowBalanceData>(),
        named::<SupportCaseEventData>(),
        named::<WebhookEndpointDisabledData>(),
        named::<WebhookTestData>(),
    ];
    let mut nested = Vec::new();
    OrderEventData::schemas(&mut nested);
    ServiceEventData::schemas(&mut nested);
    ServiceExpiringData::schemas(&mut nested);
    RefundEventData::schemas(&mut nested);
    InvoiceEventData::schemas(&mut nested);
    CredentialEventData::schemas(&mut nested);
    LowBalanceData::schemas(&mut nested);
    SupportCaseEventData::schemas(&mut nested);
    all.extend(nested);
    all
}

/// Every event type with the component that describes its `data`.
pub const CATALOGUE: &[EventDoc] = &[
    ev(
        "order.created",
        "An order was accepted (its amount is reserved).",
        "OrderEventData",
    ),
    ev(
        "order.processing",
        "Provisioning of the order started.",
        "OrderEventData",
    ),
    ev("order.completed", "The order completed.", "OrderEventData"),
    ev(
        "order.failed",
        "The order failed; `failure` says why and what to do next.",
        "OrderEventData",
    ),
    ev(
        "order.cancelled",
        "The order was cancelled (its reservation released).",
        "OrderEventData",
    ),
    ev(
        "order.retried",
        "A failed order was retried.",
        "OrderEventData",
    ),
    ev(
        "order.retryable",
        "Onyx marked a failed order retryable.",
        "OrderEventData",
    ),
    ev(
        "service.preparing",
        "The service is being prepared.",
        "ServiceEventData",
    ),
    ev(
        "service.delayed",
        "Preparing the service takes longer than usual.",
        "ServiceEventData",
    ),
    ev(
        "service.ready_to_install",
        "The service can be installed: fetch its activation materials.",
        "ServiceEventData",
    ),
    ev(
        "service.active",
        "The eSIM was installed and the service is active.",
        "ServiceEventData",
    ),
    ev(
        "service.failed",
        "The service could not be prepared.",
        "ServiceEventData",
    ),
    ev(
        "service.unavailable",
        "The service is temporarily unavailable.",
        "ServiceEventData",
    ),
    ev(
        "service.cancelled",
        "The subscription ended.",
        "ServiceEventData",
    ),
    ev(
        "service.topped_up",
        "A top-up added data or time to the service.",
        "ServiceEventData",
    ),
    ev(
        "service.expired",
        "The service's validity ended (judged on the environment's clock).",
        "ServiceEventData",
    ),
    ev(
        "service.expiring",
        "The service's validity ends within one of the partner's lead times (default 3 days and 1 day).",
        "ServiceExpiringData",
    ),
    ev(
        "service.first_use",
        "The first data use was reported for the service.",
        "ServiceFirstUseData",
    ),
    ev(
        "service.depleted",
        "The service used up its data allowance.",
        "ServiceDepletedData",
    ),
    ev(
        "activation.ready",
        "Activation materials were issued (the event never carries them).",
        "ActivationReadyData",
    ),
    ev(
        "usage.threshold_reached",
        "Measured use reached one of the partner's usage thresholds (default 80 % and 100 %) of the data allowance.",
        "UsageThresholdData",
    ),
    ev(
        "credential.created",
        "A machine credential was created.",
        "CredentialEventData",
    ),
    ev(
        "credential.rotated",
        "A machine credential was rotated.",
        "CredentialEventData",
    ),
    ev(
        "credential.revoked",
        "A machine credential was revoked.",
        "CredentialEventData",
    ),
    ev(
        "webhook_endpoint.disabled",
        "Onyx disabled one of your webhook endpoints.",
        "WebhookEndpointDisabledData",
    ),
    ev(
        "support_case.updated",
        "A support case got a comment, a reply or a new status.",
        "SupportCaseEventData",
    ),
    ev(
        "live_access.requested",
        "Live access was requested.",
        "LiveAccessEventData",
    ),
    ev(
        "live_access.approved",
        "Onyx approved live access.",
        "LiveAccessEventData",
    ),
    ev(
        "live_access.declined",
        "Onyx declined live access, with a reason.",
        "LiveAccessEventData",
    ),
    ev(
        "wallet.low_balance",
        "The wallet's available balance fell below its alert threshold.",
        "LowBalanceData",
    ),
    ev(
        "refund.created",
        "A refund was requested.",
        "RefundEventData",
    ),
    ev(
        "refund.approved",
        "A refund was approved and credited.",
        "RefundEventData",
    ),
    ev(
        "refund.declined",
        "A refund was declined.",
        "RefundEventData",
    ),
    ev(
        "invoice.issued",
        "An invoice was issued.",
        "InvoiceEventData",
    ),
    ev(
        "invoice.paid",
        "An invoice was marked paid.",
        "InvoiceEventData",
    ),
    ev(
        "invoice.voided",
        "An invoice was voided.",
        "InvoiceEventData",
    ),
    ev(
        "webhook.test",
        "A test event you asked for.",
        "WebhookTestData",
    ),
];

const fn ev(event_type: &'static str, summary: &'static str, data: &'static str) -> EventDoc {
    EventDoc {
        event_type,
        summary,
        data,
    }
}

/// `order.created` → `orderCreatedWebhook`.
fn operation_id(event_type: &str) -> String {
    let mut id = String::new();
    let mut upper = false;
    for ch in event_type.chars() {
        if ch == '.' || ch == '_' {
            upper = true;
        } else if upper {
            id.extend(ch.to_uppercase());
            upper = false;
        } else {
            id.push(ch);
        }
    }
    id + "Webhook"
}

/// An example value of `schema`, from the examples the schemas state (or the first value of a
/// list, or a value of its type), following references into `schemas`.
fn example_of(
    schema: &serde_json::Value,
    schemas: &serde_json::Map<String, serde_json::Value>,
    depth: usize,
) -> serde_json::Value {
    use serde_json::{json, Value};
    if depth > 10 {
        return Value::Null;
    }
    if let Some(name) = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
    {
        return schemas
            .get(name)
            .map(|s| example_of(s, schemas, depth + 1))
            .unwrap_or(Value::Null);
    }
    if let Some(example) = schema.get("example") {
        return example.clone();
    }
    if let Some(first) = schema.get("enum").and_then(|e| e.get(0)) {
        return first.clone();
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(items) = schema.get(key).and_then(Value::as_array) {
            let pick = items
                .iter()
                .find(|i| i.get("type").and_then(Value::as_str) != Some("null"))
                .or(items.first());
            return pick.map_or(Value::Null, |s| example_of(s, schemas, depth + 1));
        }
    }
    if let Some(items) = schema.get("allOf").and_then(Value::as_array) {
        let mut merged = serde_json::Map::new();
        for item in items {
            if let Value::Object(o) = example_of(item, schemas, depth + 1) {
                merged.extend(o);
            }
        }
        return Value::Object(merged);
    }
    let kind = match schema.get("type") {
        Some(Value::String(t)) => t.as_str(),
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(Value::as_str)
            .find(|t| *t != "null")
            .unwrap_or("null"),
        _ if schema.get("properties").is_some() => "object",
        _ => "null",
    };
    match kind {
        "object" => {
            let mut out = serde_json::Map::new();
            if let Some(props) = schema.get("properties").and_then(Value::as_object) {
                for (name, prop) in props {
                    out.insert(name.clone(), example_of(prop, schemas, depth + 1));
                }
            }
            Value::Object(out)
        }
        "array" => match schema.get("items") {
            Some(items) => json!([example_of(items, schemas, depth + 1)]),
            None => json!([]),
        },
        "string" => match schema.get("format").and_then(Value::as_str) {
            Some("date-time") => json!("2026-11-29T10:15:00Z"),
            Some("date") => json!("2026-11-29"),
            _ => json!("string"),
        },
        "integer" | "number" => schema.get("minimum").cloned().unwrap_or(json!(0)),
        "boolean" => json!(false),
        _ => Value::Null,
    }
}

/// Adds the event catalogue to `doc`: the `data` components, `Event.type` as the list of
/// event types, and an OpenAPI 3.1 `webhooks` entry per event type (what Onyx POSTs to your
/// endpoint: the signed event with that type's `data`, and an example).
///
/// Panics when an event type of `EVENT_TYPES` has no catalogue entry (or the other way round):
/// the document is built at start and by the tests, so that cannot ship.
pub fn document(doc: &mut utoipa::openapi::OpenApi) {
    use serde_json::json;
    use utoipa::openapi::Ref;
    let components = doc.components.get_or_insert_with(Default::default);
    for (name, schema) in data_schemas() {
        components.schemas.entry(name).or_insert(schema);
    }
    components
        .schemas
        .insert("EventType".into(), crate::webhooks::EventType::schema());
    if let Some(RefOr::T(Schema::Object(event))) = components.schemas.get_mut("Event") {
        event.properties.insert(
            "type".into(),
            RefOr::Ref(Ref::from_schema_name("EventType")),
        );
        // Any object here; the `webhooks` section names each type's own `data` schema.
        event.properties.insert(
            "data".into(),
            RefOr::T(Schema::Object(
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::Object)
                    .additional_properties(Some(
                        utoipa::openapi::schema::AdditionalProperties::FreeForm(true),
                    ))
                    .description(Some(
                        "The event's data: its schema per event type is in this document's \
                         `webhooks` section (`OrderEventData`, `ServiceEventData`, ...).",
                    ))
                    .build(),
            )),
        );
    }
    let schemas = match serde_json::to_value(&components.schemas) {
        Ok(serde_json::Value::Object(map)) => map,
        _ => panic!("component schemas render as a JSON object"),
    };
    for doc_entry in CATALOGUE {
        assert!(
            crate::webhooks::EVENT_TYPES.contains(&doc_entry.event_type),
            "the event catalogue names `{}`, which is not in EVENT_TYPES",
            doc_entry.event_type
        );
    }
    let header = |name: &str, description: &str, example: &str| {
        json!({
            "name": name, "in": "header", "required": true, "description": description,
            "schema": {"type": "string"}, "example": example,
        })
    };
    let mut webhooks = serde_json::Map::new();
    for event_type in crate::webhooks::EVENT_TYPES {
        let entry = CATALOGUE
            .iter()
            .find(|e| e.event_type == *event_type)
            .unwrap_or_else(|| {
                panic!("event type `{event_type}` has no entry in event_catalogue::CATALOGUE")
            });
        let data_ref = json!({"$ref": format!("#/components/schemas/{}", entry.data)});
        let example = json!({
            "id": "evt_0mhx2k9q1002a7f3kq9zt0bw",
            "type": event_type,
            "api_version": crate::events::API_VERSION,
            "environment": "sandbox",
            "created_at": "2026-11-29T10:15:00Z",
            "data": example_of(&data_ref, &schemas, 0),
        });
        webhooks.insert(
            event_type.to_string(),
            json!({"post": {
                "operationId": operation_id(event_type),
                "summary": format!("{event_type}: {}", entry.summary),
                "description": format!(
                    "{} Onyx POSTs the event to each enabled endpoint subscribed to \
                     `{event_type}` (or to every type), signed with the endpoint's secret \
                     (Standard Webhooks: verify `webhook-signature` over \
                     `{{webhook-id}}.{{webhook-timestamp}}.{{body}}` before trusting the body). \
                     The same event reads at `GET /v1/events/{{event_id}}`. A `data` larger \
                     than 16 KiB is replaced by `{{\"object_id\", \"truncated\": true}}`.",
                    entry.summary
                ),
                "tags": ["webhooks"],
                "security": [],
                "parameters": [
                    header("webhook-id", "The event id; the same on every retry of it (deduplicate on it).", "evt_0mhx2k9q1002a7f3kq9zt0bw"),
                    header("webhook-timestamp", "Unix seconds when this attempt was signed; refuse values far from your clock.", "1796033700"),
                    header("webhook-signature", "`v1,<base64 HMAC-SHA256>` per valid secret, space separated (two while a rotated secret is in its grace period).", "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="),
                ],
                "requestBody": {
                    "required": true,
                    "content": {"application/json": {
                        "schema": {"allOf": [
                            {"$ref": "#/components/schemas/Event"},
                            {"type": "object", "properties": {
                                "type": {"const": event_type},
                                "data": data_ref,
                            }},
                        ]},
                        "example": example,
                    }},
                },
                "responses": {
                    "200": {"description": "Any 2xx status acknowledges the delivery. Another status, or no answer within the timeout, is retried with backoff."},
                },
            }}),
        );
    }
    doc.extensions
        .get_or_insert_with(Default::default)
        .insert("webhooks".into(), serde_json::Value::Object(webhooks));
}

//! Webhook endpoints, events, replays and deliveries.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::delivery::{Delivery, DeliveryFilter};
use super::{CreateEndpoint, EndpointWithSecret, UpdateEndpoint, WebhookEndpoint};
use crate::auth::{Caller, Permission};
use crate::error::{ApiError, Problem};
use crate::events::{Event, EventFilter};
use crate::http::json::OptionalJson;
use crate::http::Json;
use crate::pagination::{Page, PageQuery};
use crate::state::AppState;

/// Create an endpoint. Live endpoints need https to a public address; sandbox also accepts
/// http to loopback (not the service's own port; only the status code of a loopback answer is
/// recorded). The signing secret (`whsec_…`) is shown once. An environment has at most 10
/// endpoints (409 `endpoint_limit_reached`).
#[utoipa::path(
    operation_id = "createWebhookEndpoint",
    tag = "webhooks",
    request_body = CreateEndpoint,
    security(("partner_jwt" = [])),
    responses((status = 201, description = "Created, with its signing secret.", body = EndpointWithSecret))
)]
#[post("/webhook-endpoints")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<CreateEndpoint>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ManageWebhooks)?.clone();
    let req = body.into_inner();
    let now = state.now();
    let st = state.clone();
    let policy = super::UrlPolicy::of(&state);
    let created = state
        .db
        .write(move |c| super::create(c, &st.vault, &tenant, req, &st.config, &policy, now))
        .await?;
    Ok(HttpResponse::Created().json(created))
}

/// List endpoints of your token's environment.
#[utoipa::path(
    operation_id = "listWebhookEndpoints",
    tag = "webhooks",
    params(PageQuery),
    security(("partner_jwt" = [])),
    responses((status = 200, description = "A page of endpoints.", body = Page<WebhookEndpoint>))
)]
#[get("/webhook-endpoints")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ManageWebhooks)?.clone();
    let page = page.parse()?;
    Ok(HttpResponse::Ok().json(
        state
            .db
            .read(move |c| super::list(c, &tenant, &page))
            .await?,
    ))
}

/// Read an endpoint (never its secret).
#[utoipa::path(
    operation_id = "getWebhookEndpoint",
    tag = "webhooks",
    params(("endpoint_id" = String, Path, description = "Endpoint id (`we_…`).")),
    security(("partner_jwt" = [])),
    responses(
        (status = 200, description = "The endpoint.", body = WebhookEndpoint),
        (status = 404, description = "No such endpoint in this environment.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/webhook-endpoints/{endpoint_id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ManageWebhooks)?.clone();
    let id = path.into_inner();
    Ok(HttpResponse::Ok().json(state.db.read(move |c| super::get(c, &tenant, &id)).await?))
}

/// Change the URL, event types, description, or enable/disable the endpoint. Disabling stops
/// its queued deliveries and retries.
#[utoipa::path(
    operation_id = "updateWebhookEndpoint",
    tag = "webhooks",
    params(("endpoint_id" = String, Path, description = "Endpoint id (`we_…`).")),
    request_body = UpdateEndpoint,
    security(("partner_jwt" = [])),
    responses(
        (status = 200, description = "Updated.", body = WebhookEndpoint),
        (status = 404, description = "No such endpoint in this environment.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/webhook-endpoints/{endpoint_id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: Json<UpdateEndpoint>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ManageWebhooks)?.clone();
    let id = path.into_inner();
    let req = body.into_inner();
    let now = state.now();
    let policy = super::UrlPolicy::of(&state);
    Ok(HttpResponse::Ok().json(
        state
            .db
            .write(move |c| super::update(c, &tenant, &id, req, &policy, now))
            .await?,
    ))
}

/// Delete an endpoint; its pending deliveries stop (history stays readable).
#[utoipa::path(
    operation_id = "deleteWebhookEndpoint",
    tag = "webhooks",
    params(("endpoint_id" = String, Path, description = "Endpoint id (`we_…`).")),
    security(("partner_jwt" = [])),
    responses(
        (status = 204, description = "Deleted."),
        (status = 404, description = "No such endpoint in this environment.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/webhook-endpoints/{endpoint_id}")]
pub async fn remove(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ManageWebhooks)?.clone();
    let id = path.into_inner();
    let now = state.now();
    state
        .db
        .write(move |c| super::delete(c, &tenant, &id, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"grace_period_seconds": 3600}))]
pub struct RotateSecret {
    /// How long the old secret keeps signing (a second signature), 0 to 604800 s; default 86400.
    #[schema(minimum = 0, maximum = 604800, example = 86400)]
    pub grace_period_seconds: Option<i64>,
}

/// Rotate the signing secret; both secrets sign during the grace period. Of two rotations
/// at the same moment one wins; the other answers 409 `concurrent_change` (its secret was
/// never stored), so a secret you are shown is always the one that signs.
#[utoipa::path(
    operation_id = "rotateWebhookEndpointSecret",
    tag = "webhooks",
    params(("endpoint_id" = String, Path, description = "Endpoint id (`we_…`).")),
    request_body(content = Option<RotateSecret>, description = "Optional; an empty body uses a 24-hour grace period."),
    security(("partner_jwt" = [])),
    responses(
        (status = 200, description = "The endpoint with its new secret (shown once).", body = EndpointWithSecret),
        (status = 404, description = "No such endpoint in this environment.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "`concurrent_change`: another rotation of this endpoint won at the same moment; read the endpoint and rotate again if needed.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/webhook-endpoints/{endpoint_id}/rotate-secret")]
pub async fn rotate_secret(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: OptionalJson<RotateSecret>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ManageWebhooks)?.clone();
    let grace = body
        .0
        .unwrap_or_default()
        .grace_period_seconds
        .unwrap_or(86_400);
    if !(0..=604_800).contains(&grace) {
        return Err(ApiError::validation(vec![crate::error::FieldError::new(
            "grace_period_seconds",
            "out_of_range",
            "must be between 0 and 604800",
        )]));
    }
    let id = path.into_inner();
    let now = state.now();
    let st = state.clone();
    let rotated = state
        .db
        .write(move |c| {
            super::rotate_secret(
                c,
                &st.vault,
                &tenant,
                &id,
                chrono::Duration::seconds(grace),
                now,
            )
        })
        .await?;
    Ok(HttpResponse::Ok().json(rotated))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TestSent {
    pub event_id: String,
    pub delivery_id: String,
}

/// Send a `webhook.test` event to this endpoint (an enabled one; a disabled endpoint is
/// refused and nothing is written).
#[utoipa::path(
    operation_id = "testWebhookEndpoint",
    tag = "webhooks",
    params(("endpoint_id" = String, Path, description = "Endpoint id (`we_…`).")),
    security(("partner_jwt" = [])),
    responses(
        (status = 202, description = "Queued; follow it in /v1/webhook-deliveries.", body = TestSent),
        (status = 404, description = "No such endpoint in this environment.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/webhook-endpoints/{endpoint_id}/test")]
pub async fn test(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ManageWebhooks)?.clone();
    let id = path.into_inner();
    let now = state.now();
    let (event_id, delivery_id) = state
        .db
        .write(move |c| super::delivery::send_test(c, &tenant, &id, now))
        .await?;
    Ok(HttpResponse::Accepted().json(TestSent {
        event_id,
        delivery_id,
    }))
}

/// List events (kept at least 30 days), newest first.
#[utoipa::path(
    operation_id = "listEvents",
    tag = "webhooks",
    params(PageQuery, EventFilter),
    security(("partner_jwt" = [])),
    responses((status = 200, description = "A page of events.", body = Page<Event>))
)]
#[get("/events")]
pub async fn list_events(
    state: web::Data<AppState>,
    caller: Caller,
    page: web::Query<PageQuery>,
    filter: web::Query<EventFilter>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ManageWebhooks)?.clone();
    let page = page.parse()?;
    let filter = filter.into_inner();
    Ok(HttpResponse::Ok().json(
        state
            .db
            .read(move |c| crate::events::list(c, &tenant, &filter, &page))
            .await?,
    ))
}

/// Read an event: the exact body its webhooks carry.
#[utoipa::path(
    operation_id = "getEvent",
    tag = "webhooks",
    params(("event_id" = String, Path, description = "Event id (`evt_…`).")),
    security(("partner_jwt" = [])),
    responses(
        (status = 200, description = "The event.", body = Event),
        (status = 404, description = "No such event in this environment.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/events/{event_id}")]
pub async fn get_event(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ManageWebhooks)?.clone();
    let id = path.into_inner();
    Ok(HttpResponse::Ok().json(
        state
            .db
            .read(move |c| crate::events::get(c, &tenant, &id))
            .await?,
    ))
}

#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"endpoint_id": "we_0mhx2k9q1002a7f3kq9zt0bw"}))]
pub struct ReplayRequest {
    /// Only to this endpoint; default: every enabled endpoint subscribed to the type.
    pub endpoint_id: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Replayed {
    pub delivery_ids: Vec<String>,
}

/// Replay an event (up to 30 days old) to one or all subscribed endpoints.
#[utoipa::path(
    operation_id = "replayEvent",
    tag = "webhooks",
    params(("event_id" = String, Path, description = "Event id (`evt_…`).")),
    request_body(content = Option<ReplayRequest>, description = "Optional."),
    security(("partner_jwt" = [])),
    responses(
        (status = 202, description = "Queued deliveries.", body = Replayed),
        (status = 404, description = "No such event or endpoint in this environment.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not replayable: too old (`event_not_replayable`), endpoint disabled (`endpoint_disabled`), or no endpoint subscribed (`no_endpoint_to_replay`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/events/{event_id}/replay")]
pub async fn replay(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: OptionalJson<ReplayRequest>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ManageWebhooks)?.clone();
    let id = path.into_inner();
    let endpoint = body.0.unwrap_or_default().endpoint_id;
    let now = state.now();
    let delivery_ids = state
        .db
        .write(move |c| super::delivery::replay(c, &tenant, &id, endpoint.as_deref(), now))
        .await?;
    Ok(HttpResponse::Accepted().json(Replayed { delivery_ids }))
}

/// Deliveries with every attempt (status, latency, error, response excerpt).
#[utoipa::path(
    operation_id = "listWebhookDeliveries",
    tag = "webhooks",
    params(PageQuery, DeliveryFilter),
    security(("partner_jwt" = [])),
    responses((status = 200, description = "A page of deliveries, newest first.", body = Page<Delivery>))
)]
#[get("/webhook-deliveries")]
pub async fn deliveries(
    state: web::Data<AppState>,
    caller: Caller,
    page: web::Query<PageQuery>,
    filter: web::Query<DeliveryFilter>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ManageWebhooks)?.clone();
    let page = page.parse()?;
    let filter = filter.into_inner();
    Ok(HttpResponse::Ok().json(
        state
            .db
            .read(move |c| super::delivery::list(c, &tenant, &filter, &page))
            .await?,
    ))
}

pub fn register(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create)
        .service(list)
        .service(get)
        .service(update)
        .service(remove)
        .service(rotate_secret)
        .service(test)
        .service(list_events)
        .service(get_event)
        .service(replay)
        .service(deliveries);
}

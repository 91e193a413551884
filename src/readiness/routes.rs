//! Partner readiness routes: the checklist (owners, admins, developers, viewers) and the
//! live-access request (owners and admins).

use actix_web::http::header::{self, ContentType};
use actix_web::{get, post, web, HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use super::{LiveReadiness, LiveRequest, Requested};
use crate::audit::AuditActor;
use crate::auth::{Caller, Permission};
use crate::error::{ApiError, Problem, PROBLEM_CONTENT_TYPE};
use crate::state::AppState;

/// Your readiness for live: a checklist computed from your sandbox, each item with `done`,
/// its evidence (ids and times) and how to complete it, plus your latest live request.
#[utoipa::path(
    operation_id = "getReadinessChecklist",
    tag = "readiness",
    security(("partner_jwt" = [])),
    responses(
        (status = 200, description = "The checklist.", body = LiveReadiness),
        (status = 403, description = "Your role may not view readiness.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/readiness")]
pub async fn get(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ViewReadiness)?.clone();
    let readiness = state.db.read(move |c| super::get(c, &tenant)).await?;
    Ok(HttpResponse::Ok()
        .content_type(ContentType::json())
        .json(readiness))
}

/// 422 `readiness_incomplete`: a problem whose `missing` lists the checklist items not done.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:onyx:problem:readiness_incomplete",
    "title": "Unprocessable Entity",
    "status": 422,
    "detail": "Live access can be requested once every readiness item is done; `missing` lists the items still open (see GET /v1/readiness for how to complete each).",
    "code": "readiness_incomplete",
    "request_id": "req_9f2c1d0b7a6e4c3f",
    "missing": ["webhook_delivery_succeeded", "billing_member"]
}))]
pub struct ReadinessIncomplete {
    #[serde(flatten)]
    pub problem: Problem,
    /// Keys of the checklist items not done yet.
    pub missing: Vec<String>,
}

/// Request live access. Refused with the missing items until every checklist item is done;
/// then an Onyx operator approves (the live environment opens: live sign-in, live
/// credentials, live wallet) or declines with a reason. You receive `live_access.requested`,
/// then `live_access.approved` or `live_access.declined` (sandbox events).
#[utoipa::path(
    operation_id = "requestLiveAccess",
    tag = "readiness",
    security(("partner_jwt" = [])),
    responses(
        (status = 201, description = "Requested; waiting for Onyx.", body = LiveRequest),
        (status = 403, description = "Only owners and admins may request live access.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "A request is already waiting (`live_request_pending`), or live access is already enabled (`live_access_already_enabled`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Checklist items are not done (`readiness_incomplete`); `missing` lists them.", body = ReadinessIncomplete, content_type = "application/problem+json"),
    )
)]
#[post("/readiness/live-request")]
pub async fn request_live(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::RequestLive)?.clone();
    let actor = AuditActor::of(&caller);
    let now = state.now();
    let outcome = state
        .db
        .write(move |c| super::request_live(c, &tenant, actor, now))
        .await?;
    Ok(match outcome {
        Requested::Created(request) => HttpResponse::Created().json(request),
        Requested::Incomplete(missing) => {
            let refusal = super::readiness_incomplete();
            tracing::info!(
                code = refusal.code(),
                status = refusal.status_code().as_u16(),
                "request refused"
            );
            HttpResponse::build(refusal.status_code())
                .insert_header((header::CONTENT_TYPE, PROBLEM_CONTENT_TYPE))
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .json(ReadinessIncomplete {
                    problem: refusal.problem(),
                    missing,
                })
        }
    })
}

pub fn register(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get).service(request_live);
}

//! Operator routes for live-access requests (`/v1/admin/live-requests…`).

use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::{Decision, LiveRequest, LiveRequestFilter};
use crate::auth::Operator;
use crate::error::{ApiError, Problem};
use crate::http::json::OptionalJson;
use crate::http::Json;
use crate::pagination::{Page, PageQuery};
use crate::state::AppState;
use crate::validation::check;

/// List live-access requests of every partner, newest first.
#[utoipa::path(
    operation_id = "adminListLiveRequests",
    tag = "operator",
    params(PageQuery, LiveRequestFilter),
    security(("operator_token" = [])),
    responses((status = 200, description = "A page of live-access requests.", body = Page<LiveRequest>))
)]
#[get("/live-requests")]
pub async fn list(
    state: web::Data<AppState>,
    _op: Operator,
    page: web::Query<PageQuery>,
    filter: web::Query<LiveRequestFilter>,
) -> Result<HttpResponse, ApiError> {
    let page = page.parse()?;
    let filter = filter.into_inner();
    let result = state
        .db
        .read(move |c| super::list(c, &filter, &page))
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Checklist verified; welcome to live."}))]
pub struct Approve {
    /// Optional note for the partner.
    #[validate(length(min = 1, max = 500))]
    #[schema(min_length = 1, max_length = 500)]
    pub reason: Option<String>,
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"reason": "Your webhook handler does not verify signatures yet."}))]
pub struct Decline {
    /// Why; the partner sees it (request and `live_access.declined`).
    #[validate(length(min = 1, max = 500))]
    #[schema(min_length = 1, max_length = 500)]
    pub reason: String,
}

/// Approve a pending request: the partner's live environment opens (the same switch as
/// `POST /v1/admin/partners/{id}/live-access`).
#[utoipa::path(
    operation_id = "adminApproveLiveRequest",
    tag = "operator",
    params(("live_request_id" = String, Path, description = "Live-access request id (`lvr_…`).")),
    request_body(content = Option<Approve>, description = "Optional; a note for the partner."),
    security(("operator_token" = [])),
    responses(
        (status = 200, description = "Approved; live access is enabled.", body = LiveRequest),
        (status = 404, description = "No such request.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The request was already decided (`live_request_not_pending`), or the partner is not approved (`invalid_partner_state`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/live-requests/{live_request_id}/approve")]
pub async fn approve(
    state: web::Data<AppState>,
    op: Operator,
    path: web::Path<String>,
    body: OptionalJson<Approve>,
) -> Result<HttpResponse, ApiError> {
    let req = body.0.unwrap_or_default();
    if let Some(reason) = &req.reason {
        crate::secrets::refuse_secrets([("reason".to_string(), reason.as_str())])?;
    }
    check(&req)?;
    let id = path.into_inner();
    let now = state.now();
    let decision = Decision::Approve {
        note: req.reason.map(|r| r.trim().to_string()),
    };
    let result = state
        .db
        .write(move |c| super::decide(c, &op, &id, decision, now))
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Decline a pending request with a reason; the partner can fix it and request again.
#[utoipa::path(
    operation_id = "adminDeclineLiveRequest",
    tag = "operator",
    params(("live_request_id" = String, Path, description = "Live-access request id (`lvr_…`).")),
    request_body = Decline,
    security(("operator_token" = [])),
    responses(
        (status = 200, description = "Declined.", body = LiveRequest),
        (status = 404, description = "No such request.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The request was already decided (`live_request_not_pending`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The reason is missing, too long or holds a secret.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/live-requests/{live_request_id}/decline")]
pub async fn decline(
    state: web::Data<AppState>,
    op: Operator,
    path: web::Path<String>,
    body: Json<Decline>,
) -> Result<HttpResponse, ApiError> {
    let req = body.into_inner();
    crate::secrets::refuse_secrets([("reason".to_string(), req.reason.as_str())])?;
    check(&req)?;
    let id = path.into_inner();
    let now = state.now();
    let decision = Decision::Decline {
        reason: req.reason.trim().to_string(),
    };
    let result = state
        .db
        .write(move |c| super::decide(c, &op, &id, decision, now))
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

pub fn register(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list).service(approve).service(decline);
}

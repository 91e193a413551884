//! `POST /v1/refunds`, `GET /v1/refunds`, `GET /v1/refunds/{refund_id}`, and the operator's
//! decisions under `/v1/admin/refunds`.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::{CreateRefund, Refund, RefundFilter};
use crate::auth::{Caller, Operator, Permission};
use crate::error::{ApiError, FieldError, Problem};
use crate::http::Json;
use crate::idempotency;
use crate::pagination::{Page, PageQuery};
use crate::state::AppState;

/// Ask for a refund of a completed order (owner, admin, billing, support and machine
/// credentials). Policy: up to what the order captured less earlier refunds, one pending
/// request per order; sandbox requests are decided at once by rule (approved unless
/// `sandbox_decision` says `decline` or `manual`), live ones by an Onyx operator with a reason.
/// An approved refund returns the amount to the wallet (a `refund` ledger entry). Events:
/// `refund.created`, then `refund.approved` or `refund.declined`. Send `Idempotency-Key` to
/// retry safely.
#[utoipa::path(
    operation_id = "createRefund",
    tag = "money",
    request_body = CreateRefund,
    params(("Idempotency-Key" = Option<String>, Header, max_length = 255, min_length = 1, pattern = "^[!-~]+$", description = "Makes retries safe: the same key and body return the original response (with `Idempotent-Replayed: true`) for 24 hours.")),
    security(("partner_jwt" = [])),
    responses(
        (status = 201, description = "The request (in sandbox already decided unless `manual`).", body = Refund),
        (status = 409, description = "The order is not completed or has nothing left to refund (`order_not_refundable`), or a request is already pending (`refund_already_open`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No such order (`order_not_found`), more than refundable (`refund_exceeds_captured`), or invalid fields.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/refunds")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    body: Json<CreateRefund>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::RequestRefunds)?.clone();
    let request = body.into_inner();
    // The request as read (whole-number floats read as integers) keys the idempotency record.
    let body: Value = serde_json::to_value(&request).map_err(ApiError::internal)?;
    let now = state.now();
    let t = tenant.clone();
    let by = format!("{}:{}", caller.actor_type(), caller.actor_id());
    idempotency::created(&state, &tenant, &req, &body, move |c| {
        super::create(c, &t, &by, request, now)
    })
    .await
}

/// Your refund requests, newest first.
#[utoipa::path(
    operation_id = "listRefunds",
    tag = "money",
    params(PageQuery, RefundFilter),
    security(("partner_jwt" = [])),
    responses((status = 200, description = "A page of refund requests.", body = Page<Refund>))
)]
#[get("/refunds")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    page: web::Query<PageQuery>,
    filter: web::Query<RefundFilter>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::RequestRefunds)?.clone();
    let page = page.parse()?;
    let filter = filter.into_inner();
    let result = state
        .db
        .read(move |c| super::list(c, Some(&tenant), &filter, &page))
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

/// One refund request.
#[utoipa::path(
    operation_id = "getRefund",
    tag = "money",
    params(("refund_id" = String, Path, description = "Refund id (`rfd_…`).")),
    security(("partner_jwt" = [])),
    responses(
        (status = 200, description = "The request.", body = Refund),
        (status = 404, description = "No such refund in this environment.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/refunds/{refund_id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::RequestRefunds)?.clone();
    let id = path.into_inner();
    let refund = state.db.read(move |c| super::get(c, &tenant, &id)).await?;
    Ok(HttpResponse::Ok().json(refund))
}

/// Every partner's refund requests, newest first (`status=pending`: the ones to decide).
#[utoipa::path(
    operation_id = "adminListRefunds",
    tag = "operator",
    params(PageQuery, RefundFilter),
    security(("operator_token" = [])),
    responses((status = 200, description = "A page of refund requests.", body = Page<Refund>))
)]
#[get("/refunds")]
pub async fn admin_list(
    state: web::Data<AppState>,
    _operator: Operator,
    page: web::Query<PageQuery>,
    filter: web::Query<RefundFilter>,
) -> Result<HttpResponse, ApiError> {
    let page = page.parse()?;
    let filter = filter.into_inner();
    let result = state
        .db
        .read(move |c| super::list(c, None, &filter, &page))
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

/// An operator's decision.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefundDecision {
    /// Why, shown to the partner: 1 to 500 characters.
    #[schema(
        example = "Confirmed outage on the visited network.",
        min_length = 1,
        max_length = 500
    )]
    pub reason: String,
}

async fn decide(
    state: web::Data<AppState>,
    id: String,
    body: RefundDecision,
    approving: bool,
) -> Result<HttpResponse, ApiError> {
    if !(1..=500).contains(&body.reason.chars().count()) {
        return Err(ApiError::validation(vec![FieldError::new(
            "reason",
            "length",
            "must be 1 to 500 characters long",
        )]));
    }
    let now = state.now();
    let refund = state
        .db
        .write(move |c| super::decide(c, &id, approving, "operator", &body.reason, now))
        .await?;
    Ok(HttpResponse::Ok().json(refund))
}

/// Approve a pending refund request with a reason: the amount returns to the partner's wallet
/// (a `refund` ledger entry) and `refund.approved` is sent.
#[utoipa::path(
    operation_id = "adminApproveRefund",
    tag = "operator",
    params(("refund_id" = String, Path, description = "Refund id (`rfd_…`).")),
    request_body = RefundDecision,
    security(("operator_token" = [])),
    responses(
        (status = 200, description = "Approved.", body = Refund),
        (status = 404, description = "No such refund.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Decided already (`refund_not_pending`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "More than the order has left to refund (`refund_exceeds_captured`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/refunds/{refund_id}/approve")]
pub async fn approve(
    state: web::Data<AppState>,
    _operator: Operator,
    path: web::Path<String>,
    body: Json<RefundDecision>,
) -> Result<HttpResponse, ApiError> {
    decide(state, path.into_inner(), body.into_inner(), true).await
}

/// Decline a pending refund request with a reason; `refund.declined` is sent.
#[utoipa::path(
    operation_id = "adminDeclineRefund",
    tag = "operator",
    params(("refund_id" = String, Path, description = "Refund id (`rfd_…`).")),
    request_body = RefundDecision,
    security(("operator_token" = [])),
    responses(
        (status = 200, description = "Declined.", body = Refund),
        (status = 404, description = "No such refund.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Decided already (`refund_not_pending`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/refunds/{refund_id}/decline")]
pub async fn decline(
    state: web::Data<AppState>,
    _operator: Operator,
    path: web::Path<String>,
    body: Json<RefundDecision>,
) -> Result<HttpResponse, ApiError> {
    decide(state, path.into_inner(), body.into_inner(), false).await
}

pub fn register(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create).service(list).service(get);
}

pub fn register_admin(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(admin_list).service(approve).service(decline);
}

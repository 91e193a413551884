//! Operator routes for partners (`/v1/admin/partners…`).

use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::{CreatePartner, Partner, PartnerCreated, Transition};
use crate::auth::Operator;
use crate::error::ApiError;
use crate::http::Json;
use crate::pagination::{Page, PageQuery};
use crate::state::AppState;
use crate::validation::check;

/// Create a partner and its owner invitation (the invitation token is shown once).
#[utoipa::path(
    operation_id = "adminCreatePartner",
    tag = "operator",
    request_body = CreatePartner,
    security(("operator_token" = [])),
    responses(
        (status = 201, description = "Partner created.", body = PartnerCreated),
    )
)]
#[post("/partners")]
pub async fn create(
    state: web::Data<AppState>,
    _op: Operator,
    body: Json<CreatePartner>,
) -> Result<HttpResponse, ApiError> {
    let req = body.into_inner();
    check(&req)?;
    let now = state.now();
    let ttl = chrono::Duration::hours(state.config.invitation_ttl_hours);
    let created = state
        .db
        .write(move |c| super::create(c, req, now, ttl))
        .await?;
    Ok(HttpResponse::Created().json(created))
}

/// List partners, newest first.
#[utoipa::path(
    operation_id = "adminListPartners",
    tag = "operator",
    params(PageQuery),
    security(("operator_token" = [])),
    responses((status = 200, description = "A page of partners.", body = Page<Partner>))
)]
#[get("/partners")]
pub async fn list(
    state: web::Data<AppState>,
    _op: Operator,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = page.parse()?;
    let result = state.db.read(move |c| super::list(c, &page)).await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Read one partner.
#[utoipa::path(
    operation_id = "adminGetPartner",
    tag = "operator",
    params(("partner_id" = String, Path, description = "Partner id (`ptr_…`).")),
    security(("operator_token" = [])),
    responses(
        (status = 200, description = "The partner.", body = Partner),
        (status = 404, description = "No such partner.", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/partners/{partner_id}")]
pub async fn get(
    state: web::Data<AppState>,
    _op: Operator,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let partner = state.db.read(move |c| super::get(c, &id)).await?;
    Ok(HttpResponse::Ok().json(partner))
}

async fn apply(
    state: web::Data<AppState>,
    id: String,
    t: Transition,
) -> Result<HttpResponse, ApiError> {
    let now = state.now();
    let partner = state
        .db
        .write(move |c| super::transition(c, &id, t, now))
        .await?;
    Ok(HttpResponse::Ok().json(partner))
}

/// Approve a pending partner.
#[utoipa::path(
    operation_id = "adminApprovePartner",
    tag = "operator",
    params(("partner_id" = String, Path, description = "Partner id (`ptr_…`).")),
    security(("operator_token" = [])),
    responses(
        (status = 200, description = "Approved.", body = Partner),
        (status = 404, description = "No such partner.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The partner is not pending (`invalid_partner_state`).", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/partners/{partner_id}/approve")]
pub async fn approve(
    state: web::Data<AppState>,
    _op: Operator,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    apply(state, path.into_inner(), Transition::Approve).await
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SuspendPartner {
    /// Why; shown to the partner's team.
    #[validate(length(min = 1, max = 500))]
    #[schema(
        example = "Unpaid invoice inv_2026_10",
        min_length = 1,
        max_length = 500
    )]
    pub reason: String,
}

/// Suspend a partner: every call of its team and credentials is refused until reinstated.
#[utoipa::path(
    operation_id = "adminSuspendPartner",
    tag = "operator",
    params(("partner_id" = String, Path, description = "Partner id (`ptr_…`).")),
    request_body = SuspendPartner,
    security(("operator_token" = [])),
    responses(
        (status = 200, description = "Suspended.", body = Partner),
        (status = 404, description = "No such partner.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already suspended (`invalid_partner_state`).", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/partners/{partner_id}/suspend")]
pub async fn suspend(
    state: web::Data<AppState>,
    _op: Operator,
    path: web::Path<String>,
    body: Json<SuspendPartner>,
) -> Result<HttpResponse, ApiError> {
    let req = body.into_inner();
    check(&req)?;
    let reason = req.reason.trim().to_string();
    apply(state, path.into_inner(), Transition::Suspend { reason }).await
}

/// Reinstate a suspended partner (back to approved, or pending if never approved).
#[utoipa::path(
    operation_id = "adminReinstatePartner",
    tag = "operator",
    params(("partner_id" = String, Path, description = "Partner id (`ptr_…`).")),
    security(("operator_token" = [])),
    responses(
        (status = 200, description = "Reinstated.", body = Partner),
        (status = 404, description = "No such partner.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not suspended (`invalid_partner_state`).", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/partners/{partner_id}/reinstate")]
pub async fn reinstate(
    state: web::Data<AppState>,
    _op: Operator,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    apply(state, path.into_inner(), Transition::Reinstate).await
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"enabled": true}))]
pub struct LiveAccess {
    /// True to allow live credentials and live calls.
    pub enabled: bool,
}

/// Enable or disable live access (only an approved partner can be enabled).
#[utoipa::path(
    operation_id = "adminSetLiveAccess",
    tag = "operator",
    params(("partner_id" = String, Path, description = "Partner id (`ptr_…`).")),
    request_body = LiveAccess,
    security(("operator_token" = [])),
    responses(
        (status = 200, description = "Updated.", body = Partner),
        (status = 404, description = "No such partner.", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 409, description = "The partner is not approved (`invalid_partner_state`).", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[post("/partners/{partner_id}/live-access")]
pub async fn live_access(
    state: web::Data<AppState>,
    _op: Operator,
    path: web::Path<String>,
    body: Json<LiveAccess>,
) -> Result<HttpResponse, ApiError> {
    let enabled = body.into_inner().enabled;
    apply(
        state,
        path.into_inner(),
        Transition::SetLiveAccess { enabled },
    )
    .await
}

pub fn register(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create)
        .service(list)
        .service(get)
        .service(approve)
        .service(suspend)
        .service(reinstate)
        .service(live_access);
}

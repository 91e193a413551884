//! Operator support routes (`/v1/admin/support-cases…`): list across partners, read, reply,
//! change status. Replies are scanned for secrets like partner texts.

use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::{AdminCaseFilter, AdminSupportCase, AdminSupportCaseDetail, CaseStatus};
use crate::auth::Operator;
use crate::error::{ApiError, Problem};
use crate::http::Json;
use crate::pagination::{Page, PageQuery};
use crate::state::AppState;
use crate::validation::check;

/// List support cases of every partner, newest first.
#[utoipa::path(
    operation_id = "adminListSupportCases",
    tag = "operator",
    params(PageQuery, AdminCaseFilter),
    security(("operator_token" = [])),
    responses(
        (status = 200, description = "A page of support cases.", body = Page<AdminSupportCase>),
        (status = 422, description = "`older_than_hours` is out of range.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/support-cases")]
pub async fn list(
    state: web::Data<AppState>,
    _op: Operator,
    page: web::Query<PageQuery>,
    filter: web::Query<AdminCaseFilter>,
) -> Result<HttpResponse, ApiError> {
    let page = page.parse()?;
    let filter = filter.into_inner();
    let now = state.now();
    let result = state
        .db
        .read(move |c| super::admin_list(c, &filter, &page, now))
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Read a support case with its comments.
#[utoipa::path(
    operation_id = "adminGetSupportCase",
    tag = "operator",
    params(("case_id" = String, Path, description = "Support case id (`case_…`).")),
    security(("operator_token" = [])),
    responses(
        (status = 200, description = "The case.", body = AdminSupportCaseDetail),
        (status = 404, description = "No such case.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/support-cases/{case_id}")]
pub async fn get(
    state: web::Data<AppState>,
    _op: Operator,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let now = state.now();
    let case = state
        .db
        .read(move |c| super::admin_get(c, &id, now))
        .await?;
    Ok(HttpResponse::Ok().json(case))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"body": "Please ask the customer to enable data roaming and restart the phone.", "status": "awaiting_partner"}))]
pub struct Reply {
    /// The answer the partner sees. Never include secrets.
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000)]
    pub body: String,
    /// The status after the reply. Default: `awaiting_partner` when the case was `open` or
    /// `awaiting_onyx`, else unchanged.
    pub status: Option<CaseStatus>,
}

/// Reply to a support case (the partner receives `support_case.updated`).
#[utoipa::path(
    operation_id = "adminReplySupportCase",
    tag = "operator",
    params(("case_id" = String, Path, description = "Support case id (`case_…`).")),
    request_body = Reply,
    security(("operator_token" = [])),
    responses(
        (status = 201, description = "Reply added; the case.", body = AdminSupportCaseDetail),
        (status = 404, description = "No such case.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is closed (`case_closed`), the status move is not allowed (`invalid_case_state`), or it changed at the same moment (`concurrent_change`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The body is invalid or holds a secret (`errors[].code` `secret_in_text`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/support-cases/{case_id}/replies")]
pub async fn reply(
    state: web::Data<AppState>,
    _op: Operator,
    path: web::Path<String>,
    body: Json<Reply>,
) -> Result<HttpResponse, ApiError> {
    let req = body.into_inner();
    crate::secrets::refuse_secrets([("body".to_string(), req.body.as_str())])?;
    check(&req)?;
    let id = path.into_inner();
    let now = state.now();
    let case = state
        .db
        .write(move |c| super::reply(c, &id, &req.body, req.status, now))
        .await?;
    Ok(HttpResponse::Created().json(case))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "resolved", "reason": "Roaming enabled; customer confirmed data works."}))]
pub struct SetStatus {
    pub status: CaseStatus,
    /// Why (kept in the audit log). Never include secrets.
    #[validate(length(min = 1, max = 500))]
    #[schema(min_length = 1, max_length = 500)]
    pub reason: Option<String>,
}

/// Change a support case's status: `open → awaiting_onyx | awaiting_partner → resolved →
/// closed`; a resolved case can also go back to `awaiting_onyx`.
#[utoipa::path(
    operation_id = "adminSetSupportCaseStatus",
    tag = "operator",
    params(("case_id" = String, Path, description = "Support case id (`case_…`).")),
    request_body = SetStatus,
    security(("operator_token" = [])),
    responses(
        (status = 200, description = "Status changed; the case.", body = AdminSupportCaseDetail),
        (status = 404, description = "No such case.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is closed (`case_closed`), the move is not allowed (`invalid_case_state`), or it changed at the same moment (`concurrent_change`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The body is invalid or the reason holds a secret.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/support-cases/{case_id}/status")]
pub async fn set_status(
    state: web::Data<AppState>,
    _op: Operator,
    path: web::Path<String>,
    body: Json<SetStatus>,
) -> Result<HttpResponse, ApiError> {
    let req = body.into_inner();
    if let Some(reason) = &req.reason {
        crate::secrets::refuse_secrets([("reason".to_string(), reason.as_str())])?;
    }
    check(&req)?;
    let id = path.into_inner();
    let now = state.now();
    let case = state
        .db
        .write(move |c| super::set_status(c, &id, req.status, req.reason.as_deref(), now))
        .await?;
    Ok(HttpResponse::Ok().json(case))
}

pub fn register(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list)
        .service(get)
        .service(reply)
        .service(set_status);
}

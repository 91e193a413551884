//! Partner support routes: open, list, read and comment on support cases. Opening and
//! commenting take owners, admins, support members and machine credentials; every role reads.
//! Both POSTs accept `Idempotency-Key`.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde_json::Value;

use super::{CaseFilter, CreateCase, CreateComment, SupportCase, SupportCaseDetail};
use crate::audit::AuditActor;
use crate::auth::{Caller, Permission};
use crate::error::{ApiError, Problem};
use crate::http::json::from_value;
use crate::http::Json;
use crate::idempotency;
use crate::pagination::{Page, PageQuery};
use crate::state::AppState;
use crate::validation::check;

/// Open a support case about an order, a service or a package.
///
/// The state of the referenced order and service is filled in by Onyx. Every text is checked
/// for secrets first: text that looks like an activation code or matching id, a credential
/// secret, a webhook secret, a token, a card number, an IBAN or an identity document number is
/// refused with 422 (`errors[].code` `secret_in_text`, the message names the kind) and nothing
/// of it is stored or logged.
#[utoipa::path(
    operation_id = "createSupportCase",
    tag = "support",
    request_body = CreateCase,
    params(("Idempotency-Key" = Option<String>, Header, max_length = 255, min_length = 1, pattern = "^[!-~]+$", description = "Makes retries safe: the same key and body return the original response (with `Idempotent-Replayed: true`) for 24 hours.")),
    security(("partner_jwt" = [])),
    responses(
        (status = 201, description = "Case opened.", body = SupportCaseDetail),
        (status = 403, description = "Your role may not open support cases.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "The order, service or package is not one of yours (`not_found`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is invalid, holds a secret (`errors[].code` `secret_in_text`), or `service_id` is not the order's service (`reference_mismatch`).", body = Problem, content_type = "application/problem+json",
            example = json!({
                "type": "urn:onyx:problem:validation_failed",
                "title": "Unprocessable Entity",
                "status": 422,
                "detail": "Field `issue` is invalid: looks like it contains a payment card number (`card_number`); remove it: support texts must never hold secrets, activation materials, payment data or identity documents.",
                "code": "validation_failed",
                "request_id": "req_9f2c1d0b7a6e4c3f",
                "errors": [{"field": "issue", "code": "secret_in_text", "message": "looks like it contains a payment card number (`card_number`); remove it: support texts must never hold secrets, activation materials, payment data or identity documents"}]
            })),
    )
)]
#[post("/support-cases")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    body: Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::SupportCases)?.clone();
    let body = body.into_inner();
    let case: CreateCase = from_value(body.clone())?;
    crate::secrets::refuse_secrets(case.texts())?;
    check(&case)?;
    case.check_references()?;
    let actor = AuditActor::of(&caller);
    let now = state.now();
    let t = tenant.clone();
    idempotency::created(&state, &tenant, &req, &body, move |c| {
        super::open(c, &t, actor, case, now)
    })
    .await
}

/// List support cases of your environment, newest first.
#[utoipa::path(
    operation_id = "listSupportCases",
    tag = "support",
    params(PageQuery, CaseFilter),
    security(("partner_jwt" = [])),
    responses((status = 200, description = "A page of support cases (without comments).", body = Page<SupportCase>))
)]
#[get("/support-cases")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    page: web::Query<PageQuery>,
    filter: web::Query<CaseFilter>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ReadOperations)?.clone();
    let page = page.parse()?;
    let filter = filter.into_inner();
    let now = state.now();
    let result = state
        .db
        .read(move |c| super::list(c, &tenant, &filter, &page, now))
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Read a support case with its comments and the current state of what it references.
#[utoipa::path(
    operation_id = "getSupportCase",
    tag = "support",
    params(("case_id" = String, Path, description = "Support case id (`case_…`).")),
    security(("partner_jwt" = [])),
    responses(
        (status = 200, description = "The case.", body = SupportCaseDetail),
        (status = 404, description = "No such case in this environment.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/support-cases/{case_id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ReadOperations)?.clone();
    let id = path.into_inner();
    let now = state.now();
    let case = state
        .db
        .read(move |c| super::get(c, &tenant, &id, now))
        .await?;
    Ok(HttpResponse::Ok().json(case))
}

/// Comment on a support case. A comment on a case waiting for you hands it back to Onyx
/// (`awaiting_onyx`); on a resolved case it reopens the case within 14 days of resolution.
#[utoipa::path(
    operation_id = "addSupportCaseComment",
    tag = "support",
    params(
        ("case_id" = String, Path, description = "Support case id (`case_…`)."),
        ("Idempotency-Key" = Option<String>, Header, max_length = 255, min_length = 1, pattern = "^[!-~]+$", description = "Makes retries safe: the same key and body return the original response (with `Idempotent-Replayed: true`) for 24 hours."),
    ),
    request_body = CreateComment,
    security(("partner_jwt" = [])),
    responses(
        (status = 201, description = "Comment added; the case with its comments.", body = SupportCaseDetail),
        (status = 403, description = "Your role may not comment on support cases.", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such case in this environment.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The case is closed (`case_closed`), was resolved too long ago to reopen (`case_not_reopenable`), or changed at the same moment (`concurrent_change`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The body is invalid or holds a secret (`errors[].code` `secret_in_text`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/support-cases/{case_id}/comments")]
pub async fn comment(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
    body: Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::SupportCases)?.clone();
    let body = body.into_inner();
    let comment: CreateComment = from_value(body.clone())?;
    crate::secrets::refuse_secrets([("body".to_string(), comment.body.as_str())])?;
    check(&comment)?;
    let actor = AuditActor::of(&caller);
    let id = path.into_inner();
    let now = state.now();
    let t = tenant.clone();
    idempotency::created(&state, &tenant, &req, &body, move |c| {
        super::comment(c, &t, &id, actor, &comment.body, now)
    })
    .await
}

pub fn register(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create)
        .service(list)
        .service(get)
        .service(comment);
}

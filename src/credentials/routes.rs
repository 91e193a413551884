//! Credential routes (owners, admins, developers; in the environment of the caller's token).

use actix_web::{get, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::{CreatedCredential, Credential};
use crate::audit::AuditActor;
use crate::auth::{Caller, Permission};
use crate::error::{ApiError, Problem};
use crate::http::json::OptionalJson;
use crate::http::Json;
use crate::pagination::{Page, PageQuery};
use crate::state::AppState;
use crate::validation::check;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateCredential {
    /// What uses it, e.g. the system it is deployed to.
    #[validate(length(min = 1, max = 100))]
    #[schema(example = "Booking backend", min_length = 1, max_length = 100)]
    pub name: String,
}

/// Create a credential in the environment of your token; the secret is returned once.
#[utoipa::path(
    operation_id = "createCredential",
    tag = "credentials",
    request_body = CreateCredential,
    security(("partner_jwt" = [])),
    responses((status = 201, description = "Created; store `client_secret` now, it is not shown again.", body = CreatedCredential))
)]
#[post("/credentials")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<CreateCredential>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ManageCredentials)?.clone();
    let req = body.into_inner();
    check(&req)?;
    let actor = AuditActor::of(&caller);
    let now = state.now();
    let created = state
        .db
        .write(move |c| super::create(c, &tenant, &req.name, actor, now))
        .await?;
    Ok(HttpResponse::Created().json(created))
}

/// List credentials of your token's environment (secrets are never shown again).
#[utoipa::path(
    operation_id = "listCredentials",
    tag = "credentials",
    params(PageQuery),
    security(("partner_jwt" = [])),
    responses((status = 200, description = "A page of credentials, newest first.", body = Page<Credential>))
)]
#[get("/credentials")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ManageCredentials)?.clone();
    let page = page.parse()?;
    let result = state
        .db
        .read(move |c| super::list(c, &tenant, &page))
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

#[derive(Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"grace_period_seconds": 3600}))]
pub struct RotateCredential {
    /// How long the old secret keeps working, 0 to 604800 seconds (7 days). Default: the
    /// service's configured grace period (24 hours unless changed).
    #[validate(range(min = 0, max = 604800))]
    #[schema(example = 86400, minimum = 0, maximum = 604800)]
    pub grace_period_seconds: Option<i64>,
}

/// Rotate: issue a replacement credential; the old one works until the grace period ends.
#[utoipa::path(
    operation_id = "rotateCredential",
    tag = "credentials",
    params(("credential_id" = String, Path, description = "Credential id (`cred_…`).")),
    request_body(content = Option<RotateCredential>, description = "Optional; an empty body uses the default grace period."),
    security(("partner_jwt" = [])),
    responses(
        (status = 201, description = "The replacement credential with its secret (shown once).", body = CreatedCredential),
        (status = 404, description = "No such credential in this environment.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The credential is not active (`invalid_credential_state`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/credentials/{credential_id}/rotate")]
pub async fn rotate(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: OptionalJson<RotateCredential>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ManageCredentials)?.clone();
    let req = body.0.unwrap_or_default();
    check(&req)?;
    let grace = chrono::Duration::seconds(
        req.grace_period_seconds
            .unwrap_or(state.config.credential_grace_secs),
    );
    let id = path.into_inner();
    let actor = AuditActor::of(&caller);
    let now = state.now();
    let created = state
        .db
        .write(move |c| super::rotate(c, &tenant, &id, grace, actor, now))
        .await?;
    Ok(HttpResponse::Created().json(created))
}

/// Revoke: the credential and every access token issued from it stop working at once.
#[utoipa::path(
    operation_id = "revokeCredential",
    tag = "credentials",
    params(("credential_id" = String, Path, description = "Credential id (`cred_…`).")),
    security(("partner_jwt" = [])),
    responses(
        (status = 200, description = "Revoked.", body = Credential),
        (status = 404, description = "No such credential in this environment.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already revoked (`credential_already_revoked`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/credentials/{credential_id}/revoke")]
pub async fn revoke(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ManageCredentials)?.clone();
    let id = path.into_inner();
    let actor = AuditActor::of(&caller);
    let now = state.now();
    let cred = state
        .db
        .write(move |c| super::revoke(c, &tenant, &id, actor, now))
        .await?;
    Ok(HttpResponse::Ok().json(cred))
}

pub fn register(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create)
        .service(list)
        .service(rotate)
        .service(revoke);
}

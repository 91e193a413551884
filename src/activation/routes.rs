//! Activation materials (secret; own endpoints, no-store, audited), install guidance and
//! recovery.

use actix_web::http::header;
use actix_web::{get, post, web, HttpRequest, HttpResponse};

use super::guidance::{self, GuidanceQuery, InstallGuidance};
use super::recovery::{self, Facts, RecoveryPath, RecoveryRequest};
use super::{ActivationMaterials, MaterialStatus};
use crate::audit::{self, AuditActor};
use crate::auth::{Caller, Permission, Tenant};
use crate::catalogue;
use crate::error::{ApiError, Problem};
use crate::http::Json;
use crate::services::state::ServiceState;
use crate::state::AppState;

/// Reads the materials and writes the audit entry, in one transaction.
pub(crate) async fn read_audited(
    state: &web::Data<AppState>,
    caller: &Caller,
    tenant: Tenant,
    id: String,
    what: &'static str,
) -> Result<ActivationMaterials, ApiError> {
    let now = state.now();
    let actor = AuditActor::of(caller);
    let st = state.clone();
    state
        .db
        .write(move |c| {
            let materials = super::read(c, &st.vault, &tenant, &id, now)?;
            audit::record(
                c,
                audit::Entry {
                    partner_id: Some(tenant.partner_id()),
                    environment: Some(tenant.environment().as_str()),
                    actor,
                    action: "activation.read",
                    target: Some(("service", &id)),
                    details: serde_json::json!({ "materials_id": materials.id, "format": what }),
                },
                now,
            )?;
            Ok(materials)
        })
        .await
}

/// Activation materials of a service. Secret: answered with `Cache-Control: no-store`, and
/// every read is written to the audit log.
#[utoipa::path(
    operation_id = "getActivation",
    tag = "activation",
    params(("service_id" = String, Path, description = "Service id (`svc_…`).")),
    security(("partner_jwt" = [])),
    responses(
        (status = 200, description = "The materials.", body = ActivationMaterials),
        (status = 404, description = "No such service in this environment.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not issued yet (`activation_not_ready`) or revoked (`activation_materials_revoked`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/services/{service_id}/activation")]
pub async fn activation(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ReadActivation)?.clone();
    let materials = read_audited(&state, &caller, tenant, path.into_inner(), "json").await?;
    Ok(HttpResponse::Ok()
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::PRAGMA, "no-cache"))
        .json(materials))
}

/// The activation code as a QR code: `image/png` (default) or `image/svg+xml` by `Accept`.
#[utoipa::path(
    operation_id = "getActivationQr",
    tag = "activation",
    params(("service_id" = String, Path, description = "Service id (`svc_…`).")),
    security(("partner_jwt" = [])),
    responses(
        (status = 200, description = "The QR code.", content(
            (Vec<u8> = "image/png"),
            (String = "image/svg+xml"),
        )),
        (status = 404, description = "No such service in this environment.", body = Problem, content_type = "application/problem+json"),
        (status = 406, description = "Only image/png and image/svg+xml can be produced (`not_acceptable`).", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not issued yet (`activation_not_ready`) or revoked (`activation_materials_revoked`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/services/{service_id}/activation/qr")]
pub async fn qr(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ReadActivation)?.clone();
    let accept = req
        .headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("*/*")
        .to_ascii_lowercase();
    let wants = |m: &str| {
        accept
            .split(',')
            .any(|part| part.split(';').next().unwrap_or("").trim() == m)
    };
    let svg = wants("image/svg+xml") && !wants("image/png");
    if !(svg || wants("image/png") || wants("image/*") || wants("*/*")) {
        return Err(ApiError::NotAcceptable {
            detail: "The QR code is available as image/png or image/svg+xml; send one of them in Accept.".into(),
        });
    }
    let materials = read_audited(
        &state,
        &caller,
        tenant,
        path.into_inner(),
        if svg { "svg" } else { "png" },
    )
    .await?;
    let mut resp = HttpResponse::Ok();
    resp.insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::PRAGMA, "no-cache"))
        .insert_header((header::VARY, "Accept"));
    Ok(if svg {
        resp.content_type("image/svg+xml")
            .body(super::qr::svg(&materials.activation_code)?)
    } else {
        resp.content_type("image/png")
            .body(super::qr::png(&materials.activation_code)?)
    })
}

/// Onyx's install steps for the customer's platform and this service.
#[utoipa::path(
    operation_id = "getInstallGuidance",
    tag = "activation",
    params(("service_id" = String, Path, description = "Service id (`svc_…`)."), GuidanceQuery),
    security(("partner_jwt" = [])),
    responses(
        (status = 200, description = "Ordered steps.", body = InstallGuidance),
        (status = 404, description = "No such service in this environment.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The service is not ready to install or active (`service_not_ready`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/services/{service_id}/install-guidance")]
pub async fn install_guidance(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    query: web::Query<GuidanceQuery>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ReadOperations)?.clone();
    let id = path.into_inner();
    let platform = query.into_inner().platform;
    let result = state
        .db
        .read(move |c| {
            let service = crate::services::get(c, &tenant, &id)?;
            if !matches!(
                service.state,
                ServiceState::ReadyToInstall | ServiceState::Active
            ) {
                return Err(ApiError::Conflict {
                    code: "service_not_ready",
                    detail: format!(
                        "Install guidance applies once the service is ready_to_install; it is {}.",
                        service.state.as_str()
                    ),
                });
            }
            let package = catalogue::get(c, &service.package_id)?;
            let confirmation =
                super::latest(c, &tenant, &id)?.is_some_and(|m| m.confirmation_required);
            Ok(InstallGuidance {
                steps: guidance::steps(platform, package.coverage_type, confirmation),
                service_id: id,
                platform,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

/// The approved recovery path for what the customer's device shows.
#[utoipa::path(
    operation_id = "recoverService",
    tag = "activation",
    params(("service_id" = String, Path, description = "Service id (`svc_…`).")),
    request_body = RecoveryRequest,
    security(("partner_jwt" = [])),
    responses(
        (status = 200, description = "The recovery path.", body = RecoveryPath),
        (status = 404, description = "No such service in this environment.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/services/{service_id}/recovery")]
pub async fn recover(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: Json<RecoveryRequest>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ReadOperations)?.clone();
    let id = path.into_inner();
    let device = body.into_inner().device_state;
    let now = state.now();
    let result = state
        .db
        .read(move |c| {
            let service = crate::services::get(c, &tenant, &id)?;
            let today = tenant.time(c, now)?.now();
            let current = super::latest(c, &tenant, &id)?;
            let current_used = current.as_ref().is_some_and(|m| m.installed_at.is_some());
            let package = catalogue::get(c, &service.package_id)?;
            let eligible = package.status == catalogue::PackageStatus::Available
                && catalogue::eligibility(c, tenant.partner_id(), &package)?.is_none();
            let facts = Facts {
                service_state: service.state,
                materials: current
                    .as_ref()
                    .map(|m| MaterialStatus::from_stored(&m.status, "activation_materials.status"))
                    .transpose()?,
                earlier_set_installed: !current_used && super::ever_installed(c, &id)?,
                expired: service.state == crate::services::state::ServiceState::Expired
                    || service.expires_at.is_some_and(|e| e <= today),
                eligible,
                device,
            };
            let rule = recovery::decide(&facts)
                .ok_or_else(|| ApiError::internal("no recovery rule matched"))?;
            Ok(RecoveryPath {
                service_id: id,
                rule: rule.id.into(),
                action: rule.action,
                summary: rule.summary.into(),
                steps: rule.steps.iter().map(|s| s.to_string()).collect(),
                delete_profile_advised: rule.delete_profile,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Sandbox only: act as the customer's device installing the profile (ready_to_install → active).
#[utoipa::path(
    operation_id = "sandboxInstallService",
    tag = "sandbox",
    params(("service_id" = String, Path, description = "Service id (`svc_…`).")),
    security(("partner_jwt" = [])),
    responses(
        (status = 200, description = "The service, now active.", body = crate::services::Service),
        (status = 404, description = "No such sandbox service (always 404 with live credentials).", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The service is not ready to install (`service_not_ready`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/sandbox/services/{service_id}/install")]
pub async fn sandbox_install(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::WriteOrders)?.clone();
    tenant.require_sandbox()?;
    let id = path.into_inner();
    let now = state.now();
    let service = state
        .db
        .write(move |c| {
            crate::db::lock_partner(c, tenant.partner_id())?;
            super::install(c, &tenant, &id, now)
        })
        .await?;
    Ok(HttpResponse::Ok().json(service))
}

pub fn register(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    // Registered first: it stood right after the services routes in the contract.
    cfg.service(sandbox_install)
        .service(activation)
        .service(qr)
        .service(install_guidance)
        .service(recover);
}

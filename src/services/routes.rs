//! Service routes and the sandbox install helper.

use actix_web::{get, post, web, HttpResponse};

use super::{Service, ServiceFilter};
use crate::auth::{Caller, Permission};
use crate::error::{ApiError, Problem};
use crate::pagination::{Page, PageQuery};
use crate::state::AppState;

/// List services (subscriptions).
#[utoipa::path(
    tag = "services",
    params(PageQuery, ServiceFilter),
    security(("partner_jwt" = [])),
    responses((status = 200, description = "A page of services, newest first.", body = Page<Service>))
)]
#[get("/services")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    page: web::Query<PageQuery>,
    filter: web::Query<ServiceFilter>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ReadOperations)?.clone();
    let page = page.parse()?;
    let filter = filter.into_inner();
    let result = state
        .db
        .read(move |c| super::list(c, &tenant, &filter, &page))
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Read a service: state, next step, install state, ICCID, package, activation and expiry.
#[utoipa::path(
    tag = "services",
    params(("service_id" = String, Path, description = "Service id (`svc_…`).")),
    security(("partner_jwt" = [])),
    responses(
        (status = 200, description = "The service.", body = Service),
        (status = 404, description = "No such service in this environment.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/services/{service_id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ReadOperations)?.clone();
    let id = path.into_inner();
    let service = state.db.read(move |c| super::get(c, &tenant, &id)).await?;
    Ok(HttpResponse::Ok().json(service))
}

/// Sandbox only: act as the customer's device installing the profile (ready_to_install → active).
#[utoipa::path(
    tag = "sandbox",
    params(("service_id" = String, Path, description = "Service id (`svc_…`).")),
    security(("partner_jwt" = [])),
    responses(
        (status = 200, description = "The service, now active.", body = Service),
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
            crate::db::lock_partner(c, &tenant.partner_id)?;
            super::install(c, &tenant, &id, now)
        })
        .await?;
    Ok(HttpResponse::Ok().json(service))
}

pub fn register(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list).service(get).service(sandbox_install);
}

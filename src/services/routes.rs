//! Service routes and the sandbox install helper.

use actix_web::{get, web, HttpResponse};

use super::{Service, ServiceFilter};
use crate::auth::{Caller, Permission};
use crate::error::{ApiError, Problem};
use crate::pagination::{Page, PageQuery};
use crate::state::AppState;

/// List services (subscriptions).
#[utoipa::path(
    operation_id = "listServices",
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
    let now = state.now();
    let result = state
        .db
        .read(move |c| {
            let today = tenant.time(c, now)?.now();
            let mut page = super::list(c, &tenant, &filter, &page)?;
            page.data.iter_mut().for_each(|s| s.judge(today));
            Ok(page)
        })
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Read a service: state, next step, install state, ICCID, package, activation and expiry.
#[utoipa::path(
    operation_id = "getService",
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
    let now = state.now();
    let service = state
        .db
        .read(move |c| {
            let today = tenant.time(c, now)?.now();
            let mut service = super::get(c, &tenant, &id)?;
            service.judge(today);
            Ok(service)
        })
        .await?;
    Ok(HttpResponse::Ok().json(service))
}

pub fn register(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list).service(get);
}

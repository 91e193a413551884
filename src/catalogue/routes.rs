//! Partner catalogue routes: only approved packages within the partner's markets.

use actix_web::{get, web, HttpResponse};

use super::{Package, PackageFilter, Viewer};
use crate::auth::{Caller, Permission};
use crate::error::{ApiError, Problem};
use crate::pagination::{Page, PageQuery};
use crate::state::AppState;

/// List the packages you may sell (approved for you, covering only your markets).
#[utoipa::path(
    tag = "catalogue",
    params(PageQuery, PackageFilter),
    security(("partner_jwt" = [])),
    responses((status = 200, description = "A page of packages, newest first.", body = Page<Package>))
)]
#[get("/packages")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    page: web::Query<PageQuery>,
    filter: web::Query<PackageFilter>,
) -> Result<HttpResponse, ApiError> {
    let partner_id = caller
        .require(Permission::ReadOperations)?
        .partner_id()
        .to_string();
    let page = page.parse()?;
    let filter = filter.into_inner();
    filter.check()?;
    let result = state
        .db
        .read(move |c| super::list(c, Viewer::Partner(&partner_id), &filter, &page))
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Read one package (also retired ones, which old orders refer to).
#[utoipa::path(
    tag = "catalogue",
    params(("package_id" = String, Path, description = "Package id, e.g. `eu-10gb-30d`.")),
    security(("partner_jwt" = [])),
    responses(
        (status = 200, description = "The package.", body = Package),
        (status = 404, description = "No such package available to you.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/packages/{package_id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let partner_id = caller
        .require(Permission::ReadOperations)?
        .partner_id()
        .to_string();
    let id = path.into_inner();
    let package = state
        .db
        .read(move |c| super::get_for_partner(c, &partner_id, &id))
        .await?;
    Ok(HttpResponse::Ok().json(package))
}

pub fn register(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list).service(get);
}

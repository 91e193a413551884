//! Partner catalogue routes: only approved packages within the partner's markets.

use actix_web::{get, web, HttpRequest, HttpResponse};

use super::{Package, PackageFilter, Viewer};
use crate::auth::{Caller, Permission};
use crate::db::Change;
use crate::error::{ApiError, Problem};
use crate::memo::JsonPages;
use crate::pagination::{Page, PageQuery};
use crate::state::AppState;

/// List the packages you may sell (approved for you, covering only your markets).
#[utoipa::path(
    operation_id = "listPackages",
    tag = "catalogue",
    params(PageQuery, PackageFilter),
    security(("partner_jwt" = [])),
    responses((status = 200, description = "A page of packages, newest first.", body = Page<Package>))
)]
#[get("/packages")]
pub async fn list(
    state: web::Data<AppState>,
    views: Option<web::Data<CatalogueViews>>,
    req: HttpRequest,
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
    // The same page for the same partner and query is answered from memory until the
    // catalogue changes (any package, country, approval or market write).
    let key = (partner_id.clone(), "", req.query_string().to_string());
    let db = state.db.clone();
    crate::memo::json_page(
        &state.db,
        views.as_ref().map(|v| &v.0),
        Change::Catalogue,
        key,
        async move {
            db.read(move |c| super::list(c, Viewer::Partner(&partner_id), &filter, &page))
                .await
        },
    )
    .await
}

/// Partners' catalogue pages as last answered (by partner and query string; the catalogue is
/// the same in both environments), kept while the catalogue does not change and for at most
/// 10 s; 512 pages at most.
pub struct CatalogueViews(JsonPages);

/// One per server (shared by its worker threads).
pub fn new_views() -> CatalogueViews {
    CatalogueViews(crate::memo::json_pages())
}

/// Read one package (also retired ones, which old orders refer to).
#[utoipa::path(
    operation_id = "getPackage",
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

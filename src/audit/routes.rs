use actix_web::{get, web, HttpResponse};

use crate::auth::{Caller, Permission};
use crate::error::ApiError;
use crate::pagination::PageQuery;
use crate::state::AppState;

/// List the audit log (owners and admins): credential changes, team changes, sign-ins,
/// support cases, live-access requests. Filter by actor (`actor_type`, `actor_id`), `action`
/// and time (`created_from`, `created_to`); filters combine.
#[utoipa::path(
    operation_id = "listAuditLog",
    tag = "audit",
    params(PageQuery, super::AuditFilter),
    security(("partner_jwt" = [])),
    responses(
        (status = 200, description = "Audit entries, newest first.", body = crate::pagination::Page<super::AuditEntry>),
        (status = 422, description = "A time is out of range.", body = crate::error::Problem, content_type = "application/problem+json"),
    )
)]
#[get("/audit-log")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    page: web::Query<PageQuery>,
    filter: web::Query<super::AuditFilter>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ReadAudit)?.clone();
    let page = page.parse()?;
    let filter = filter.into_inner();
    let result = state
        .db
        .read(move |c| super::list(c, &tenant, &filter, &page))
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

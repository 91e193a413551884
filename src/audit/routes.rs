use actix_web::{get, web, HttpResponse};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::{Caller, Permission};
use crate::error::ApiError;
use crate::pagination::PageQuery;
use crate::state::AppState;

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    /// Only entries with this action, e.g. `credential.rotated`.
    pub action: Option<String>,
}

/// List the audit log: credential changes, team changes, sign-ins (owners and admins).
#[utoipa::path(
    tag = "audit",
    params(PageQuery, AuditFilter),
    security(("partner_jwt" = [])),
    responses((status = 200, description = "Audit entries, newest first.", body = crate::pagination::Page<super::AuditEntry>))
)]
#[get("/audit-log")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    page: web::Query<PageQuery>,
    filter: web::Query<AuditFilter>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ReadAudit)?.clone();
    let page = page.parse()?;
    let action = filter.into_inner().action;
    let result = state
        .db
        .read(move |c| super::list(c, &tenant, action.as_deref(), &page))
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

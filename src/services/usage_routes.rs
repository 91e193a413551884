//! Usage routes: read history; report through the sandbox helper or as an operator.

use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use super::usage::{self, UsageReport, UsageSnapshot, UsageSource};
use crate::auth::{Caller, Operator, Permission, Tenant};
use crate::db::schema::services;
use crate::error::{ApiError, Problem};
use crate::http::Json;
use crate::pagination::{Page, PageQuery};
use crate::state::AppState;

#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceUsage {
    pub service_id: String,
    /// Null when unlimited.
    pub data_allowance_bytes: Option<i64>,
    pub data_unlimited: bool,
    pub expires_at: Option<DateTime<Utc>>,
    /// The newest measurement, if any.
    pub latest: Option<UsageSnapshot>,
    /// Every snapshot received, newest first.
    pub history: Page<UsageSnapshot>,
    /// The environment's time the freshness (`stale`) was judged at: the real time, or in a
    /// sandbox whose test clock was moved, the test time.
    pub judged_at: DateTime<Utc>,
}

/// Usage of a service: allowance, expiry, the latest snapshot and the history.
#[utoipa::path(
    operation_id = "getServiceUsage",
    tag = "services",
    params(("service_id" = String, Path, description = "Service id (`svc_…`)."), PageQuery),
    security(("partner_jwt" = [])),
    responses(
        (status = 200, description = "Usage.", body = ServiceUsage),
        (status = 404, description = "No such service in this environment.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/services/{service_id}/usage")]
pub async fn get_usage(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ReadOperations)?.clone();
    let id = path.into_inner();
    let page = page.parse()?;
    let now = state.now();
    let usage = state
        .db
        .read(move |c| {
            let today = tenant.time(c, now)?.now();
            let mut service = super::get(c, &tenant, &id)?;
            service.judge(today);
            let mut history = usage::history(c, &tenant, &id, &page)?;
            history.data.iter_mut().for_each(|u| u.judge(today));
            Ok(ServiceUsage {
                data_allowance_bytes: service.data_allowance_bytes,
                data_unlimited: service.data_unlimited,
                expires_at: service.expires_at,
                latest: service.usage.clone(),
                history,
                service_id: id,
                judged_at: today,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(usage))
}

async fn record(
    state: web::Data<AppState>,
    tenant: Tenant,
    id: String,
    report: UsageReport,
    source: UsageSource,
) -> Result<HttpResponse, ApiError> {
    let now = state.now();
    let snapshot = state
        .db
        .write(move |c| {
            crate::db::lock_partner(c, tenant.partner_id())?;
            usage::record(c, &tenant, &id, report, source, now)
        })
        .await?;
    Ok(HttpResponse::Created().json(snapshot))
}

/// Sandbox only: report usage as the network would (drives threshold events).
#[utoipa::path(
    operation_id = "sandboxRecordUsage",
    tag = "sandbox",
    params(("service_id" = String, Path, description = "Service id (`svc_…`).")),
    request_body = UsageReport,
    security(("partner_jwt" = [])),
    responses(
        (status = 201, description = "Recorded; the latest snapshot.", body = UsageSnapshot),
        (status = 404, description = "No such sandbox service (always 404 with live credentials).", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The service is not active (`service_not_active`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/sandbox/services/{service_id}/usage")]
pub async fn sandbox_usage(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: Json<UsageReport>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::WriteOrders)?.clone();
    tenant.require_sandbox()?;
    record(
        state,
        tenant,
        path.into_inner(),
        body.into_inner(),
        UsageSource::Sandbox,
    )
    .await
}

/// Report usage for any service (operators).
#[utoipa::path(
    operation_id = "adminRecordUsage",
    tag = "operator",
    params(("service_id" = String, Path, description = "Service id (`svc_…`).")),
    request_body = UsageReport,
    security(("operator_token" = [])),
    responses(
        (status = 201, description = "Recorded; the latest snapshot.", body = UsageSnapshot),
        (status = 404, description = "No such service.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The service is not active (`service_not_active`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/services/{service_id}/usage")]
pub async fn operator_usage(
    state: web::Data<AppState>,
    operator: Operator,
    path: web::Path<String>,
    body: Json<UsageReport>,
) -> Result<HttpResponse, ApiError> {
    use diesel::prelude::*;
    let id = path.into_inner();
    let lookup = id.clone();
    let tenant = state
        .db
        .read(move |c| {
            let owner: Option<(String, String)> = services::table
                .find(&lookup)
                .select((services::partner_id, services::environment))
                .first(c)
                .optional()?;
            let (partner_id, env) = owner.ok_or_else(|| ApiError::not_found("service"))?;
            let owner = Tenant::of_row(&partner_id, &env, "services.environment")?;
            Ok(operator.acting_for(owner.partner_id(), owner.environment()))
        })
        .await?;
    record(state, tenant, id, body.into_inner(), UsageSource::Operator).await
}

pub fn register(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_usage).service(sandbox_usage);
}

pub fn register_admin(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(operator_usage);
}

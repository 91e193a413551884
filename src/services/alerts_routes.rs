//! Alert settings routes: the usage thresholds and expiry lead times of the caller's
//! environment.

use actix_web::{get, put, web, HttpResponse};

use super::alerts::{self, AlertSettings, AlertSettingsUpdate};
use crate::audit::{self, AuditActor};
use crate::auth::{Caller, Permission};
use crate::error::{ApiError, Problem};
use crate::http::Json;
use crate::state::AppState;

/// The alert settings of this environment: usage thresholds (percent of the data allowance)
/// and how long before expiry `service.expiring` fires. Every role reads them.
#[utoipa::path(
    operation_id = "getAlertSettings",
    tag = "services",
    security(("partner_jwt" = [])),
    responses((status = 200, description = "The settings (the defaults until set).", body = AlertSettings))
)]
#[get("/settings/alerts")]
pub async fn get_settings(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ReadOperations)?.clone();
    let settings = state.db.read(move |c| alerts::settings(c, &tenant)).await?;
    Ok(HttpResponse::Ok().json(settings))
}

/// Replace the alert settings of this environment (owner, admin, developer, machine
/// credentials). They apply at once to existing services: each threshold fires once per
/// allowance, each lead time once per expiry (a top-up re-arms both).
#[utoipa::path(
    operation_id = "updateAlertSettings",
    tag = "services",
    request_body = AlertSettingsUpdate,
    security(("partner_jwt" = [])),
    responses(
        (status = 200, description = "The new settings.", body = AlertSettings),
        (status = 422, description = "A list is empty or too long, or a value is out of range or duplicated (`validation_failed`, per field in `errors`); nothing changed.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/settings/alerts")]
pub async fn put_settings(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<AlertSettingsUpdate>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ManageTime)?.clone();
    let rules = alerts::check(&body.into_inner())?;
    let actor = AuditActor::of(&caller);
    let now = state.now();
    let settings = state
        .db
        .write(move |c| {
            let settings = alerts::put(c, &tenant, &rules, now)?;
            audit::record(
                c,
                audit::Entry {
                    partner_id: Some(tenant.partner_id()),
                    environment: Some(tenant.environment().as_str()),
                    actor,
                    action: "alert_settings.updated",
                    target: None,
                    details: serde_json::json!({
                        "usage_thresholds": settings.usage_thresholds,
                        "expiry_lead_hours": settings.expiry_lead_hours,
                    }),
                },
                now,
            )?;
            Ok(settings)
        })
        .await?;
    Ok(HttpResponse::Ok().json(settings))
}

pub fn register(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_settings).service(put_settings);
}

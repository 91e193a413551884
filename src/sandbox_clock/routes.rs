//! Sandbox clock routes: read it, move it forward.

use actix_web::{get, post, web, HttpResponse};

use super::{AdvanceClock, ClockAdvanced, SandboxClock};
use crate::audit::{self, AuditActor};
use crate::auth::{Caller, Permission};
use crate::error::{ApiError, Problem};
use crate::http::Json;
use crate::state::AppState;

/// Sandbox only: the sandbox environment's test clock (its time, the real time, the offset).
#[utoipa::path(
    operation_id = "getSandboxClock",
    tag = "sandbox",
    security(("partner_jwt" = [])),
    responses(
        (status = 200, description = "The clock.", body = SandboxClock),
        (status = 404, description = "Always with live credentials (`route_not_found`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/sandbox/clock")]
pub async fn get_clock(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ReadOperations)?.clone();
    tenant.require_sandbox()?;
    let now = state.now();
    let clock = state.db.read(move |c| super::get(c, &tenant, now)).await?;
    Ok(HttpResponse::Ok().json(clock))
}

/// Sandbox only: move this partner's sandbox clock forward, `{"to": "<RFC 3339>"}` or
/// `{"by": "P3D"}` (at most 400 days per move, never back). Every time-based rule of this
/// partner's sandbox follows it: service validity and `service.expiring` /
/// `service.expired` (run at once for the services the move made due), usage freshness,
/// usage reported through the sandbox helper, rotated credentials' grace end, invitations
/// sent from sandbox, webhook retry schedules, idempotency key expiry and the sandbox
/// billing close. Live and other partners never follow it; access tokens stay on real time.
/// Events emitted while the clock is moved carry `test_clock_time` next to `created_at`.
#[utoipa::path(
    operation_id = "advanceSandboxClock",
    tag = "sandbox",
    request_body = AdvanceClock,
    security(("partner_jwt" = [])),
    responses(
        (status = 200, description = "Moved; the clock and what the move set off.", body = ClockAdvanced),
        (status = 404, description = "Always with live credentials (`route_not_found`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Neither or both of `to` and `by`, or `by` is not a duration (`validation_failed`); a target not after the current test time (`clock_not_forward`); more than 400 days at once (`clock_jump_too_large`). Nothing moved.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/sandbox/clock/advance")]
pub async fn advance(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<AdvanceClock>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ManageTime)?.clone();
    tenant.require_sandbox()?;
    let req = body.into_inner();
    let actor = AuditActor::of(&caller);
    let now = state.now();
    let t = tenant.clone();
    let (by, moved, invoices) = state
        .db
        .write(move |c| {
            let today = t.time(c, now)?.now();
            let by = super::target(&req, today)?;
            let moved = super::advance(c, &t, by, now)?;
            let invoices = super::close_passed_month(c, &t, today, today + by, now)?;
            audit::record(
                c,
                audit::Entry {
                    partner_id: Some(t.partner_id()),
                    environment: Some(t.environment().as_str()),
                    actor,
                    action: "sandbox_clock.advanced",
                    target: None,
                    details: serde_json::json!({
                        "by": crate::time::iso_duration(by),
                        "test_time": today + by,
                    }),
                },
                now,
            )?;
            Ok((by, moved, invoices))
        })
        .await?;
    // What the move made due, at once (the scheduled scan would find it too; the alert rows
    // keep it to one event either way).
    let service_events =
        crate::services::alerts::run_due(&state, Some(tenant.partner_id().to_string())).await?;
    let clock = state.db.read(move |c| super::get(c, &tenant, now)).await?;
    Ok(HttpResponse::Ok().json(ClockAdvanced {
        clock,
        moved_by: crate::time::iso_duration(by),
        service_events,
        webhook_retries_moved: moved,
        invoices_issued: invoices,
    }))
}

pub fn register(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_clock).service(advance);
}

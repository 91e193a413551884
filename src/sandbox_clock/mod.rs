//! The sandbox test clock: each partner may move its sandbox environment's time forward
//! (never back) to test time-based behaviour without waiting. The clock is an offset per
//! partner in `sandbox_clocks` (so every instance agrees); `Tenant::time` adds it to
//! the real time for the partner's sandbox and nothing else. Moving it:
//!
//! - writes the new offset (the access cache reloads: a rotated credential's grace ends on
//!   the new time);
//! - brings the partner's pending sandbox webhook retries forward by the same amount (a retry
//!   due in 5 minutes is due at once after moving 5 minutes), never earlier than now;
//! - closes the sandbox billing period when the move passes a month's end (on the test
//!   clock): the invoices of the month that ended, as the monthly close would make them;
//! - then runs the expiry scan for that partner's sandbox at once (`services::alerts`),
//!   with the same exactly-once rows as the scheduled scan.

pub mod routes;

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Tenant;
use crate::clock::TenantTime;
use crate::db::schema::{sandbox_clocks as sc, webhook_deliveries as wd};
use crate::db::DbConnection;
use crate::error::{ApiError, FieldError};
use crate::time::{iso_duration, parse_iso_duration};

/// The longest single move (a yearly plan plus a month).
pub const MAX_ADVANCE: Duration = Duration::days(400);

/// The sandbox clock of the caller's partner.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SandboxClock {
    /// The sandbox environment's time: every time-based rule of this partner's sandbox
    /// follows it.
    pub test_time: DateTime<Utc>,
    /// The real time (access tokens, leases and `created_at` of records follow it).
    pub real_time: DateTime<Utc>,
    /// How far the sandbox clock is ahead, as an ISO-8601 duration (`PT0S` until moved).
    #[schema(example = "P27D")]
    pub offset: String,
    /// When the clock was last moved (real time); null when never.
    pub moved_at: Option<DateTime<Utc>>,
}

/// Where to move the clock: exactly one of `to` and `by`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"by": "P27D"}))]
pub struct AdvanceClock {
    /// The new test time (RFC 3339); after the current test time.
    pub to: Option<DateTime<Utc>>,
    /// How far to move (ISO-8601 duration of weeks, days, hours, minutes, seconds: `P3D`,
    /// `PT36H`, `P1DT12H`), more than zero.
    #[schema(example = "P3D")]
    pub by: Option<String>,
}

/// The durations `by` accepts (what `time::parse_iso_duration` reads, up to 6 digits a part).
pub const DURATION_PATTERN: &str = "^P([0-9]{1,6}W([0-9]{1,6}D)?(T([0-9]{1,6}H([0-9]{1,6}M)?([0-9]{1,6}S)?|[0-9]{1,6}M([0-9]{1,6}S)?|[0-9]{1,6}S))?|[0-9]{1,6}D(T([0-9]{1,6}H([0-9]{1,6}M)?([0-9]{1,6}S)?|[0-9]{1,6}M([0-9]{1,6}S)?|[0-9]{1,6}S))?|T([0-9]{1,6}H([0-9]{1,6}M)?([0-9]{1,6}S)?|[0-9]{1,6}M([0-9]{1,6}S)?|[0-9]{1,6}S))$";

impl AdvanceClock {
    /// Exactly one of `to` and `by` (JSON Schema `oneOf` of the two `required`), and the
    /// durations `by` accepts, for the OpenAPI document; [`target`] refuses the rest.
    pub fn schema_rules() -> serde_json::Value {
        serde_json::json!([{"properties": {"by": {"pattern": DURATION_PATTERN}}}, {"oneOf": [
            {"required": ["to"], "properties": {"to": {"not": {"type": "null"}}}},
            {"required": ["by"], "properties": {"by": {"not": {"type": "null"}}}}
        ]}])
    }
}

/// The clock after a move, and what the move set off.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClockAdvanced {
    pub clock: SandboxClock,
    /// How far it moved this time (ISO-8601).
    #[schema(example = "P3D")]
    pub moved_by: String,
    /// Service events (`service.expiring`, `service.expired`) the move made due and emitted.
    pub service_events: usize,
    /// Pending webhook retries brought forward.
    pub webhook_retries_moved: usize,
    /// Sandbox invoices issued because the move passed a month's end (the billing period
    /// close on the sandbox clock).
    pub invoices_issued: usize,
}

pub fn get(
    conn: &mut DbConnection,
    tenant: &Tenant,
    real: DateTime<Utc>,
) -> Result<SandboxClock, ApiError> {
    tenant.require_sandbox()?;
    let row: Option<(i64, chrono::NaiveDateTime)> = sc::table
        .find(tenant.partner_id())
        .select((sc::offset_seconds, sc::updated_at))
        .first(conn)
        .optional()?;
    let offset = Duration::seconds(row.map_or(0, |r| r.0));
    let time = TenantTime { real, offset };
    Ok(SandboxClock {
        test_time: time.now(),
        real_time: real,
        offset: iso_duration(offset),
        moved_at: row.map(|r| crate::time::utc(r.1)),
    })
}

/// The move a request asks for, from the current test time `today`.
pub fn target(req: &AdvanceClock, today: DateTime<Utc>) -> Result<Duration, ApiError> {
    let by = match (req.to, req.by.as_deref()) {
        (Some(_), Some(_)) | (None, None) => {
            return Err(ApiError::validation(vec![FieldError::new(
                "",
                "one_of",
                "send exactly one of `to` (an RFC 3339 time) and `by` (an ISO-8601 duration such as P3D)",
            )]))
        }
        (Some(to), None) => to - today,
        (None, Some(text)) => parse_iso_duration(text).ok_or_else(|| {
            ApiError::validation(vec![FieldError::new(
                "by",
                "invalid_duration",
                "must be an ISO-8601 duration of weeks, days, hours, minutes and seconds such as P3D or PT36H",
            )])
        })?,
    };
    if by <= Duration::zero() {
        return Err(ApiError::Unprocessable {
            code: "clock_not_forward",
            detail: format!(
                "The sandbox clock only moves forward: the target must be after the current test time {}.",
                today.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
            ),
        });
    }
    if by > MAX_ADVANCE {
        return Err(ApiError::Unprocessable {
            code: "clock_jump_too_large",
            detail: format!(
                "One move may take the sandbox clock at most {} days forward; move it in several steps.",
                MAX_ADVANCE.num_days()
            ),
        });
    }
    // Whole seconds (the offset's unit), rounded up so the clock reaches `to`.
    let whole = by.num_seconds() + i64::from(by.subsec_nanos() > 0);
    Ok(Duration::seconds(whole))
}

/// Moves the partner's sandbox clock forward by `by` (checked by [`target`]); returns how many
/// webhook retries it brought forward.
pub fn advance(
    conn: &mut DbConnection,
    tenant: &Tenant,
    by: Duration,
    real: DateTime<Utc>,
) -> Result<usize, ApiError> {
    tenant.require_sandbox()?;
    crate::db::lock_partner(conn, tenant.partner_id())?;
    let current = crate::clock::sandbox_offset(conn, tenant.partner_id())?;
    let offset = (current + by).num_seconds();
    let at = real.naive_utc();
    let changed = diesel::update(sc::table.find(tenant.partner_id()))
        .set((sc::offset_seconds.eq(offset), sc::updated_at.eq(at)))
        .execute(conn)?;
    if changed == 0 {
        diesel::insert_into(sc::table)
            .values((
                sc::partner_id.eq(tenant.partner_id()),
                sc::offset_seconds.eq(offset),
                sc::updated_at.eq(at),
            ))
            .execute(conn)?;
    }
    // Cached access records hold the offset (credential grace).
    crate::db::mark_changed(conn, crate::db::Change::Access)?;
    // Pending retries are scheduled in real time: bring them forward by the move.
    let pending: Vec<(String, Option<chrono::NaiveDateTime>)> = wd::table
        .filter(wd::partner_id.eq(tenant.partner_id()))
        .filter(wd::environment.eq(tenant.environment().as_str()))
        .filter(wd::status.eq("pending"))
        .filter(wd::next_attempt_at.gt(at))
        .select((wd::id, wd::next_attempt_at))
        .load(conn)?;
    let mut moved = 0;
    for (id, next) in pending {
        let Some(next) = next else { continue };
        let sooner = (next - by).max(at);
        moved += diesel::update(
            wd::table
                .find(&id)
                .filter(wd::status.eq("pending"))
                .filter(wd::next_attempt_at.eq(next)),
        )
        .set(wd::next_attempt_at.eq(Some(sooner)))
        .execute(conn)?;
    }
    if moved > 0 {
        crate::db::mark_work_queued(conn, crate::db::Work::Webhooks)?;
    }
    Ok(moved)
}

/// The billing period close on the sandbox clock: when a move from `before` to `after` passes
/// the end of a month, the partner's sandbox invoices of the last month that ended are made
/// (up to its end, issued at once, with `invoice.issued`). Returns how many.
pub fn close_passed_month(
    conn: &mut DbConnection,
    tenant: &Tenant,
    before: DateTime<Utc>,
    after: DateTime<Utc>,
    real: DateTime<Utc>,
) -> Result<usize, ApiError> {
    use crate::billing::Period;
    let current = Period::of(after);
    if Period::of(before) == current {
        return Ok(0);
    }
    let ended = current.previous();
    let closed =
        crate::billing::routes::close_sandbox_window(conn, tenant, ended, ended.end(), real)?;
    Ok(closed.data.len())
}

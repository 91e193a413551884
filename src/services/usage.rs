//! Usage snapshots per service, with history and freshness. Crossing a threshold of the
//! tenant's alert settings (default 80 % and 100 % of the data allowance) emits
//! `usage.threshold_reached` once per threshold and allowance (a top-up re-arms them); see
//! `alerts::usage_alerts` for those and `service.first_use` / `service.depleted`.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::state::ServiceState;
use crate::auth::Tenant;
use crate::db::schema::{services, usage_snapshots as us};
use crate::db::DbConnection;
use crate::error::{ApiError, FieldError};
use crate::paginate;
use crate::pagination::{Page, PageRequest};
use crate::time::utc;

/// How long a snapshot counts as current after the network measured it.
pub const FRESH_FOR: chrono::Duration = chrono::Duration::hours(6);

crate::stored_enum! {
    pub enum UsageSource {
        /// Reported by the network.
        Network = "network",
        /// Reported by an Onyx operator.
        Operator = "operator",
        /// Reported through the sandbox helper.
        Sandbox = "sandbox",
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct UsageSnapshot {
    #[schema(example = 4294967296_i64)]
    pub bytes_used: i64,
    /// Null for unlimited data.
    #[schema(example = 6442450944_i64)]
    pub bytes_remaining: Option<i64>,
    pub minutes_used: Option<i32>,
    /// When the network measured it.
    pub as_of: DateTime<Utc>,
    pub source: UsageSource,
    /// When this snapshot stops being current (`as_of` + 6 hours): after it, usage may have
    /// moved on without a newer report.
    pub stale_after: DateTime<Utc>,
    /// Whether `stale_after` had passed, on the environment's clock (a moved sandbox clock
    /// included), when this answer was made.
    pub stale: bool,
}

impl UsageSnapshot {
    /// Judges the freshness against the tenant's time `today`.
    pub fn judge(&mut self, today: DateTime<Utc>) {
        self.stale = today > self.stale_after;
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = us)]
struct Row {
    id: String,
    bytes_used: i64,
    bytes_remaining: Option<i64>,
    minutes_used: Option<i32>,
    as_of: chrono::NaiveDateTime,
    source: String,
    created_at: chrono::NaiveDateTime,
}

impl TryFrom<Row> for UsageSnapshot {
    type Error = ApiError;

    fn try_from(r: Row) -> Result<UsageSnapshot, ApiError> {
        Ok(UsageSnapshot {
            bytes_used: r.bytes_used,
            bytes_remaining: r.bytes_remaining,
            minutes_used: r.minutes_used,
            as_of: utc(r.as_of),
            source: UsageSource::from_stored(&r.source, "usage_snapshots.source")?,
            stale_after: utc(r.as_of) + FRESH_FOR,
            // Judged by whoever presents it (`judge`); a snapshot just read is current.
            stale: false,
        })
    }
}

/// The newest measurement (by `as_of`) of a service.
pub fn latest(
    conn: &mut DbConnection,
    service_id: &str,
) -> Result<Option<UsageSnapshot>, ApiError> {
    crate::db::native!(conn, |c| us::table
        .filter(us::service_id.eq(service_id))
        .order((us::as_of.desc(), us::id.desc()))
        .select(Row::as_select())
        .first(c)
        .optional())?
    .map(UsageSnapshot::try_from)
    .transpose()
}

/// The newest snapshot of each of several services, in one query (a snapshot for which no
/// newer one of the same service exists), by service id.
pub fn latest_of_many(
    conn: &mut DbConnection,
    service_ids: &[String],
) -> Result<std::collections::HashMap<String, UsageSnapshot>, ApiError> {
    let newer = diesel::alias!(us as newer);
    let rows: Vec<(String, Row)> = us::table
        .filter(us::service_id.eq_any(service_ids))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            newer
                .filter(newer.field(us::service_id).eq(us::service_id))
                .filter(
                    newer.field(us::as_of).gt(us::as_of).or(newer
                        .field(us::as_of)
                        .eq(us::as_of)
                        .and(newer.field(us::id).gt(us::id))),
                ),
        )))
        .select((us::service_id, Row::as_select()))
        .load(conn)?;
    rows.into_iter()
        .map(|(service_id, r)| UsageSnapshot::try_from(r).map(|s| (service_id, s)))
        .collect()
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"bytes_used": 4294967296_i64, "minutes_used": 12}))]
pub struct UsageReport {
    /// Data used since activation, in bytes.
    #[schema(example = 4294967296_i64, minimum = 0)]
    pub bytes_used: i64,
    #[schema(minimum = 0)]
    pub minutes_used: Option<i32>,
    /// When it was measured (default: now); not in the future.
    pub as_of: Option<DateTime<Utc>>,
}

/// Records a snapshot and announces thresholds crossed for the first time.
pub fn record(
    conn: &mut DbConnection,
    tenant: &Tenant,
    service_id: &str,
    report: UsageReport,
    source: UsageSource,
    now: DateTime<Utc>,
) -> Result<UsageSnapshot, ApiError> {
    let mut errors = Vec::new();
    if report.bytes_used < 0 {
        errors.push(FieldError::new(
            "bytes_used",
            "out_of_range",
            "must be 0 or more",
        ));
    }
    if report.minutes_used.is_some_and(|m| m < 0) {
        errors.push(FieldError::new(
            "minutes_used",
            "out_of_range",
            "must be 0 or more",
        ));
    }
    // "Now" of the tenant: a moved sandbox clock lets simulated usage be reported at its time.
    let today = tenant.time(conn, now)?.now();
    if report.as_of.is_some_and(|t| t > today) {
        errors.push(FieldError::new(
            "as_of",
            "in_future",
            "must not be in the future",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let service = super::get(conn, tenant, service_id)?;
    if service.state != ServiceState::Active {
        return Err(ApiError::Conflict {
            code: "service_not_active",
            detail: format!(
                "Usage is recorded for active services; this one is {}.",
                service.state.as_str()
            ),
        });
    }
    let allowance = if service.data_unlimited {
        None
    } else {
        service.data_allowance_bytes
    };
    let as_of = crate::time::db_precision(report.as_of.unwrap_or(today));
    diesel::insert_into(us::table)
        .values((
            us::id.eq(crate::ids::new_id("use")),
            us::service_id.eq(service_id),
            us::partner_id.eq(tenant.partner_id()),
            us::environment.eq(tenant.environment().as_str()),
            us::bytes_used.eq(report.bytes_used),
            us::bytes_remaining.eq(allowance.map(|a| (a - report.bytes_used).max(0))),
            us::minutes_used.eq(report.minutes_used),
            us::as_of.eq(as_of.naive_utc()),
            us::source.eq(source.as_str()),
            us::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    let mut newest =
        latest(conn, service_id)?.ok_or_else(|| ApiError::internal("snapshot just written"))?;
    super::alerts::usage_alerts(conn, tenant, service_id, &newest, allowance, now)?;
    newest.judge(today);
    diesel::update(services::table.find(service_id))
        .set(services::updated_at.eq(now.naive_utc()))
        .execute(conn)?;
    Ok(newest)
}

pub fn history(
    conn: &mut DbConnection,
    tenant: &Tenant,
    service_id: &str,
    page: &PageRequest,
) -> Result<Page<UsageSnapshot>, ApiError> {
    let rows: Vec<Row> = paginate!(
        us::table
            .filter(us::partner_id.eq(tenant.partner_id()))
            .filter(us::environment.eq(tenant.environment().as_str()))
            .filter(us::service_id.eq(service_id)),
        us,
        page
    )
    .select(Row::as_select())
    .load(conn)?;
    Page::try_from_rows(
        rows,
        page,
        |r| (r.created_at, r.id.clone()),
        UsageSnapshot::try_from,
    )
}

/// `usage.threshold_reached`: a service's measured use reached one of the partner's usage
/// thresholds of its data allowance (default 80 % and 100 %; once per threshold and
/// allowance).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct UsageThresholdData {
    #[schema(example = "svc_0mhx2k9q1002a7f3kq9zt0bw")]
    pub service_id: String,
    /// One of the partner's thresholds (`GET /v1/settings/alerts`), 1 to 100.
    #[schema(example = 80)]
    pub threshold_percent: i32,
    #[schema(example = 4_294_967_296_i64)]
    pub bytes_used: i64,
    #[schema(example = 5_368_709_120_i64)]
    pub data_allowance_bytes: i64,
    /// When the measurement was taken.
    pub as_of: DateTime<Utc>,
}

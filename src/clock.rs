//! Time as a dependency: the service asks a `Clock` for "now", so tests can move time
//! (grace periods, expiries, retry schedules) without sleeping.

use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> DateTime<Utc>;
}

/// The real clock.
#[derive(Debug, Default, Clone, Copy)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that only moves when told to (tests).
#[derive(Debug, Clone)]
pub struct ManualClock(Arc<Mutex<DateTime<Utc>>>);

impl ManualClock {
    pub fn new(start: DateTime<Utc>) -> Self {
        ManualClock(Arc::new(Mutex::new(start)))
    }

    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().unwrap_or_else(|p| p.into_inner());
        *now += by;
    }

    pub fn set(&self, to: DateTime<Utc>) {
        *self.0.lock().unwrap_or_else(|p| p.into_inner()) = to;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.0.lock().unwrap_or_else(|p| p.into_inner())
    }
}

pub type SharedClock = Arc<dyn Clock>;

/// Time as one tenant sees it: the real time plus, in a partner's sandbox, the offset of the
/// sandbox test clock the partner moved forward (`POST /v1/sandbox/clock/advance`). Every
/// deadline of a tenant (service validity and alerts, usage freshness, credential grace,
/// invitation expiry, idempotency key expiry, the sandbox billing close) is judged against
/// [`TenantTime::now`], made by `Tenant::time` (the only way to get a tenant's time); leases, access tokens and what Onyx records as having happened
/// (`created_at`) stay on real time. Live always has offset 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TenantTime {
    /// The real time.
    pub real: DateTime<Utc>,
    /// How far the tenant's clock is ahead of the real one (0 unless a sandbox clock moved).
    pub offset: Duration,
}

impl TenantTime {
    /// Real time, no offset (live, and the operator's view).
    pub fn real(real: DateTime<Utc>) -> TenantTime {
        TenantTime {
            real,
            offset: Duration::zero(),
        }
    }

    /// The tenant's "now".
    pub fn now(&self) -> DateTime<Utc> {
        self.real + self.offset
    }

    /// The test time, when it differs from the real time (what events carry next to their
    /// real `created_at`).
    pub fn test_clock_time(&self) -> Option<DateTime<Utc>> {
        (!self.offset.is_zero()).then(|| self.now())
    }
}

/// How far `partner_id`'s sandbox clock is ahead of real time (0 when never moved).
pub fn sandbox_offset(
    conn: &mut crate::db::DbConnection,
    partner_id: &str,
) -> Result<Duration, crate::error::ApiError> {
    use crate::db::schema::sandbox_clocks as sc;
    use diesel::prelude::*;
    // On the hot path (every sandbox event reads it): run on the connection's own backend.
    let seconds: Option<i64> = crate::db::native!(conn, |c| sc::table
        .find(partner_id)
        .select(sc::offset_seconds)
        .first(c)
        .optional())?;
    Ok(Duration::seconds(seconds.unwrap_or(0)))
}

/// How far a tenant's clock is ahead of real time: its partner's sandbox clock when the
/// tenant is the partner's sandbox (`sandbox`), always 0 in live (nothing is read).
pub fn offset_of(
    conn: &mut crate::db::DbConnection,
    partner_id: &str,
    sandbox: bool,
) -> Result<Duration, crate::error::ApiError> {
    if sandbox {
        sandbox_offset(conn, partner_id)
    } else {
        Ok(Duration::zero())
    }
}

/// Every moved sandbox clock: partner id → offset (the scheduled scans read them at once).
pub fn sandbox_offsets(
    conn: &mut crate::db::DbConnection,
) -> Result<std::collections::HashMap<String, Duration>, crate::error::ApiError> {
    use crate::db::schema::sandbox_clocks as sc;
    use diesel::prelude::*;
    let rows: Vec<(String, i64)> = sc::table
        .filter(sc::offset_seconds.ne(0))
        .select((sc::partner_id, sc::offset_seconds))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(p, s)| (p, Duration::seconds(s)))
        .collect())
}

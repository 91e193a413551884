//! Timestamps: UTC everywhere, microsecond precision (what PostgreSQL stores), RFC 3339 out.

use chrono::{DateTime, NaiveDateTime, SubsecRound, TimeZone, Utc};

/// `t` truncated to microseconds, as both databases keep it.
pub fn db_precision(t: DateTime<Utc>) -> DateTime<Utc> {
    t.trunc_subsecs(6)
}

/// A stored (naive, UTC) timestamp as a UTC time.
pub fn utc(t: NaiveDateTime) -> DateTime<Utc> {
    Utc.from_utc_datetime(&t)
}

pub fn utc_opt(t: Option<NaiveDateTime>) -> Option<DateTime<Utc>> {
    t.map(utc)
}

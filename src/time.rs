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

/// The earliest and latest times the API accepts in filters and cursors (both databases store
/// them; PostgreSQL refuses years outside its range).
pub fn accepted_range() -> (NaiveDateTime, NaiveDateTime) {
    let min = DateTime::from_timestamp(0, 0)
        .unwrap_or_default()
        .naive_utc();
    let max =
        NaiveDateTime::parse_from_str("9999-12-31 23:59:59", "%Y-%m-%d %H:%M:%S").unwrap_or(min);
    (min, max)
}

/// Whether `t` lies in [`accepted_range`].
pub fn accepted(t: NaiveDateTime) -> bool {
    let (min, max) = accepted_range();
    (min..=max).contains(&t)
}

/// Refuses filter times outside [`accepted_range`]: 422 naming each field.
pub fn check_filter_times(
    times: &[(&str, Option<DateTime<Utc>>)],
) -> Result<(), crate::error::ApiError> {
    let errors: Vec<crate::error::FieldError> = times
        .iter()
        .filter(|(_, t)| t.is_some_and(|t| !accepted(t.naive_utc())))
        .map(|(field, _)| {
            crate::error::FieldError::new(
                *field,
                "out_of_range",
                "must be between 1970-01-01T00:00:00Z and 9999-12-31T23:59:59Z",
            )
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(crate::error::ApiError::validation(errors))
    }
}

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

/// Reads an optional filter time (`created_from`, `created_to`). Every time RFC 3339 can
/// write (years 0000 to 9999, at any offset) is accepted: one outside [`accepted_range`] is
/// held to its nearest end, which selects the same rows since no row lies beyond it. Other
/// times (such as year -5000) stay as they are, for [`check_filter_times`] to refuse.
pub fn filter_time<'de, D>(deserializer: D) -> Result<Option<DateTime<Utc>>, D::Error>
where
    D: serde::Deserializer<'de>,
{
    use serde::Deserialize;
    let time = Option::<DateTime<Utc>>::deserialize(deserializer)?;
    Ok(time.map(|t| {
        let (min, max) = accepted_range();
        // The extremes RFC 3339 can write: 0000-01-01T00:00:00+23:59 and
        // 9999-12-31T23:59:59.999999999-23:59.
        let offset = chrono::Duration::minutes(23 * 60 + 59);
        let first = chrono::NaiveDate::from_ymd_opt(0, 1, 1).unwrap_or_default();
        let last = chrono::NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or_default();
        let earliest = first.and_hms_opt(0, 0, 0).unwrap_or_default() - offset;
        let latest = last
            .and_hms_nano_opt(23, 59, 59, 999_999_999)
            .unwrap_or_default()
            + offset;
        let naive = t.naive_utc();
        if (earliest..min).contains(&naive) {
            utc(min)
        } else if naive > max && naive <= latest {
            utc(max)
        } else {
            t
        }
    }))
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

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

/// Parses an ISO-8601 duration of weeks, days, hours, minutes and seconds (`P3D`, `PT36H`,
/// `P1DT12H`, `P2W`, `PT90M`); years and months are refused (their length varies). None
/// when the text is not such a duration.
pub fn parse_iso_duration(text: &str) -> Option<chrono::Duration> {
    let rest = text.strip_prefix('P')?;
    if rest.is_empty() {
        return None;
    }
    let (date, time) = match rest.split_once('T') {
        Some((d, t)) if !t.is_empty() => (d, Some(t)),
        Some(_) => return None,
        None => (rest, None),
    };
    let mut total: i64 = 0;
    let mut parse = |part: &str, units: &[(char, i64)]| -> Option<()> {
        let mut number = String::new();
        let mut next_unit = 0;
        for c in part.chars() {
            if c.is_ascii_digit() {
                number.push(c);
                continue;
            }
            let at = units[next_unit..].iter().position(|(u, _)| *u == c)? + next_unit;
            if number.is_empty() || number.len() > 12 {
                return None;
            }
            let n: i64 = number.parse().ok()?;
            total = total.checked_add(n.checked_mul(units[at].1)?)?;
            number.clear();
            next_unit = at + 1;
        }
        number.is_empty().then_some(())
    };
    parse(date, &[('W', 7 * 86_400), ('D', 86_400)])?;
    if let Some(time) = time {
        parse(time, &[('H', 3_600), ('M', 60), ('S', 1)])?;
    }
    chrono::Duration::try_seconds(total)
}

/// The ISO-8601 text of a whole number of seconds: days, then a time part (`P3D`, `PT36H`
/// is written `P1DT12H`).
pub fn iso_duration(d: chrono::Duration) -> String {
    let mut s = d.num_seconds().max(0);
    let days = s / 86_400;
    s %= 86_400;
    let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60);
    let mut out = String::from("P");
    if days > 0 {
        out.push_str(&format!("{days}D"));
    }
    if h > 0 || m > 0 || sec > 0 {
        out.push('T');
        if h > 0 {
            out.push_str(&format!("{h}H"));
        }
        if m > 0 {
            out.push_str(&format!("{m}M"));
        }
        if sec > 0 {
            out.push_str(&format!("{sec}S"));
        }
    }
    if out == "P" {
        out.push_str("T0S");
    }
    out
}

#[cfg(test)]
mod duration_tests {
    use super::*;

    #[test]
    fn iso_durations_parse_and_print() {
        let d = |t| parse_iso_duration(t).map(|d| d.num_seconds());
        assert_eq!(d("P3D"), Some(3 * 86_400));
        assert_eq!(d("PT36H"), Some(36 * 3_600));
        assert_eq!(d("P1DT12H30M"), Some(86_400 + 12 * 3600 + 1800));
        assert_eq!(d("P2W"), Some(14 * 86_400));
        assert_eq!(d("PT90S"), Some(90));
        for bad in [
            "",
            "P",
            "PT",
            "3D",
            "P1M",
            "P1Y",
            "PT1D",
            "P1H",
            "PD",
            "P-1D",
            "P1D2D",
            "P99999999999999D",
        ] {
            assert_eq!(d(bad), None, "{bad}");
        }
        assert_eq!(iso_duration(chrono::Duration::days(3)), "P3D");
        assert_eq!(iso_duration(chrono::Duration::hours(36)), "P1DT12H");
        assert_eq!(iso_duration(chrono::Duration::zero()), "PT0S");
    }
}

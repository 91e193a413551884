//! Bounded guessing: failed logins per email and failed token requests per client id are
//! counted in the database (so every instance sees them). After `max` failures inside the
//! window the key is locked until the window ends: 429 with `Retry-After`, even for the right
//! password. A success clears the counter.

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;

use crate::db::schema::auth_failures as af;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::time::utc;

#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub max_failures: i32,
    pub window: Duration,
}

pub const LOGIN: Limit = Limit {
    max_failures: 5,
    window: Duration::minutes(15),
};

pub const TOKEN: Limit = Limit {
    max_failures: 10,
    window: Duration::minutes(15),
};

/// Refuses with 429 while `key` is locked.
pub fn check(conn: &mut DbConnection, key: &str, now: DateTime<Utc>) -> Result<(), ApiError> {
    let locked: Option<Option<chrono::NaiveDateTime>> = af::table
        .find(key)
        .select(af::locked_until)
        .first(conn)
        .optional()?;
    if let Some(Some(until)) = locked {
        let until = utc(until);
        if until > now {
            let secs = (until - now).num_seconds().max(1) as u64;
            return Err(ApiError::RateLimited {
                retry_after_secs: secs,
            });
        }
    }
    Ok(())
}

/// Counts one failure for `key`; locks it when the limit is reached.
pub fn record_failure(
    conn: &mut DbConnection,
    key: &str,
    limit: Limit,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let current: Option<(i32, chrono::NaiveDateTime)> = af::table
        .find(key)
        .select((af::failures, af::window_started_at))
        .first(conn)
        .optional()?;
    let (failures, started) = match current {
        Some((n, started)) if now - utc(started) < limit.window => (n + 1, utc(started)),
        _ => (1, now),
    };
    let locked_until =
        (failures >= limit.max_failures).then(|| (started + limit.window).naive_utc());
    if current.is_some() {
        diesel::update(af::table.find(key))
            .set((
                af::failures.eq(failures),
                af::window_started_at.eq(started.naive_utc()),
                af::locked_until.eq(locked_until),
            ))
            .execute(conn)?;
    } else {
        diesel::insert_into(af::table)
            .values((
                af::key.eq(key),
                af::failures.eq(failures),
                af::window_started_at.eq(started.naive_utc()),
                af::locked_until.eq(locked_until),
            ))
            .execute(conn)?;
    }
    Ok(())
}

pub fn clear(conn: &mut DbConnection, key: &str) -> Result<(), ApiError> {
    diesel::delete(af::table.find(key)).execute(conn)?;
    Ok(())
}

/// Deletes counters whose window and lock are over (housekeeping worker).
pub fn prune(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    longest_window: Duration,
) -> Result<usize, ApiError> {
    let cutoff = (now - longest_window).naive_utc();
    let now = now.naive_utc();
    Ok(diesel::delete(
        af::table
            .filter(af::window_started_at.lt(cutoff))
            .filter(af::locked_until.is_null().or(af::locked_until.lt(now))),
    )
    .execute(conn)?)
}

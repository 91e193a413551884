//! Bounded guessing: failed logins per email and failed token requests per client id are
//! counted in the database (so every instance sees them). After `max` failures inside the
//! window the key is locked until the window ends: 429 with `Retry-After`, even for the right
//! password. A success clears the counter.
//!
//! The counter's key is a keyed hash ([`key`]) of what was typed, never the text itself: a
//! password typed into the email field, or an operator token sent as a client id, must not be
//! stored.

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

/// The stored counter key for `identifier` of `kind` (`login`, `token`): HMAC-SHA256 under the
/// service's token signing secret, hex.
pub fn key(kind: &str, identifier: &str, secret: &crate::config::Secret) -> String {
    use hmac::{Hmac, Mac};
    let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.expose().as_bytes())
        .expect("HMAC takes any key length");
    mac.update(kind.as_bytes());
    mac.update(b"\n");
    mac.update(identifier.as_bytes());
    let digest = mac.finalize().into_bytes();
    let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
    format!("{kind}:{hex}")
}

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

/// Counts one failure for `key`; locks it when the limit is reached. Safe under concurrency:
/// the first failure inserts inside a savepoint (a concurrent insert of the same key falls
/// back to the update), and the updates lock the row until the transaction ends, so
/// simultaneous failures are all counted.
pub fn record_failure(
    conn: &mut DbConnection,
    key: &str,
    limit: Limit,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    use diesel::result::{DatabaseErrorKind, Error};
    let at = now.naive_utc();
    let inserted = conn.transaction(|c| {
        diesel::insert_into(af::table)
            .values((
                af::key.eq(key),
                af::failures.eq(1),
                af::window_started_at.eq(at),
                af::locked_until.eq(None::<chrono::NaiveDateTime>),
            ))
            .execute(c)
    });
    match inserted {
        Ok(_) => {}
        Err(Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => {
            // A window that is over starts again; otherwise one more failure.
            let expired_before = (now - limit.window).naive_utc();
            let restarted = diesel::update(
                af::table
                    .find(key)
                    .filter(af::window_started_at.le(expired_before)),
            )
            .set((
                af::failures.eq(1),
                af::window_started_at.eq(at),
                af::locked_until.eq(None::<chrono::NaiveDateTime>),
            ))
            .execute(conn)?;
            if restarted == 0 {
                diesel::update(af::table.find(key))
                    .set(af::failures.eq(af::failures + 1))
                    .execute(conn)?;
            }
        }
        Err(e) => return Err(e.into()),
    }
    let (failures, started): (i32, chrono::NaiveDateTime) = af::table
        .find(key)
        .select((af::failures, af::window_started_at))
        .first(conn)?;
    if failures >= limit.max_failures {
        let until = (utc(started) + limit.window).naive_utc();
        diesel::update(af::table.find(key))
            .set(af::locked_until.eq(Some(until)))
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

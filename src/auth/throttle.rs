//! Bounded guessing: attempts at logins per email and at token requests per client id are
//! counted in the database (so every instance sees them). An attempt is counted *before* its
//! secret is checked ([`reserve`]), and stays counted as a failure unless it succeeds: after
//! `max_failures` attempts inside the window the key is locked until the window ends (429 with
//! `Retry-After`, even for the right password), and simultaneous requests cannot check more
//! than `max_failures` secrets between them. A success clears the counter.
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

/// The answer while `key` is locked: 429 until the window that reached the limit ends.
fn locked(started: chrono::NaiveDateTime, limit: Limit, now: DateTime<Utc>) -> ApiError {
    let secs = (utc(started) + limit.window - now).num_seconds().max(1) as u64;
    ApiError::RateLimited {
        retry_after_secs: secs,
    }
}

/// A cheap early refusal (one read, no write) while `key` is locked, so that a locked key
/// costs nothing more. Not a guarantee: only [`reserve`] decides, atomically.
pub fn check(
    conn: &mut DbConnection,
    key: &str,
    limit: Limit,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let row: Option<(i32, chrono::NaiveDateTime)> = af::table
        .find(key)
        .select((af::failures, af::window_started_at))
        .first(conn)
        .optional()?;
    match row {
        Some((attempts, started))
            if attempts >= limit.max_failures && utc(started) + limit.window > now =>
        {
            Err(locked(started, limit, now))
        }
        _ => Ok(()),
    }
}

/// Takes one attempt for `key` before the secret is checked, or refuses with 429 when the
/// window's attempts are used up. The count is taken, not merely read: the attempt is counted
/// as a failure until a success [`clear`]s the key, so however many requests arrive at once,
/// at most `max_failures` of them get to check a secret in one window.
///
/// One conditional update decides (`attempts + 1` only while below the limit): on PostgreSQL
/// concurrent updates of the row wait for each other and re-check the condition, on SQLite
/// write transactions take turns. The first attempt of a key inserts the row inside a
/// savepoint; losing that race falls back to the update. Run it in a write transaction of
/// its own when the check that follows is slow (a password hash), so that the row is not
/// held while hashing.
pub fn reserve(
    conn: &mut DbConnection,
    key: &str,
    limit: Limit,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let at = now.naive_utc();
    // A window that is over starts again.
    let expired_before = (now - limit.window).naive_utc();
    diesel::update(
        af::table
            .find(key)
            .filter(af::window_started_at.le(expired_before)),
    )
    .set((
        af::failures.eq(0),
        af::window_started_at.eq(at),
        af::locked_until.eq(None::<chrono::NaiveDateTime>),
    ))
    .execute(conn)?;
    let take = |c: &mut DbConnection| {
        diesel::update(
            af::table
                .find(key)
                .filter(af::failures.lt(limit.max_failures)),
        )
        .set(af::failures.eq(af::failures + 1))
        .execute(c)
    };
    if take(conn)? == 1 {
        return Ok(());
    }
    let started: Option<chrono::NaiveDateTime> = af::table
        .find(key)
        .select(af::window_started_at)
        .first(conn)
        .optional()?;
    let started = match started {
        Some(started) => started,
        None => {
            let first = crate::db::insert_unless_exists(conn, |c| {
                diesel::insert_into(af::table)
                    .values((
                        af::key.eq(key),
                        af::failures.eq(1),
                        af::window_started_at.eq(at),
                        af::locked_until.eq(None::<chrono::NaiveDateTime>),
                    ))
                    .execute(c)
            })?;
            // Else a concurrent first attempt inserted the row: take from it like the others.
            if first || take(conn)? == 1 {
                return Ok(());
            }
            af::table
                .find(key)
                .select(af::window_started_at)
                .first(conn)?
        }
    };
    Err(locked(started, limit, now))
}

/// After a failed check of an attempt taken with [`reserve`] (already counted): when the
/// window's attempts are used up, records until when the key is locked.
pub fn record_failure(conn: &mut DbConnection, key: &str, limit: Limit) -> Result<(), ApiError> {
    let row: Option<(i32, chrono::NaiveDateTime)> = af::table
        .find(key)
        .select((af::failures, af::window_started_at))
        .first(conn)
        .optional()?;
    if let Some((attempts, started)) = row {
        if attempts >= limit.max_failures {
            let until = (utc(started) + limit.window).naive_utc();
            diesel::update(af::table.find(key))
                .set(af::locked_until.eq(Some(until)))
                .execute(conn)?;
        }
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

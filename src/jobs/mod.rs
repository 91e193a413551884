//! The job runtime: what every kind of background work (provisioning steps, webhook
//! deliveries, housekeeping, and the billing jobs to come) shares.
//!
//! Work is a table (a transactional outbox). A worker claims rows with an [`Owner`] token and
//! a lease (`lease_owner`, `lease_until`): `FOR UPDATE SKIP LOCKED` on PostgreSQL, a guarded
//! `UPDATE` on SQLite. While a claimed job runs, a [`Heartbeat`] renews its lease every third
//! of the lease, so a slow upstream or receiver never lets another instance take the same
//! row; only a dead owner's lease runs out. Every write of a result is conditional on still
//! owning the row (`lease_owner = owner`): a late answer from an owner that lost its claim is
//! dropped and logged, never applied.
//!
//! Each job runs in its own task ([`isolated`]): an error or a panic is recorded on that job
//! (retried with [`backoff`], then a terminal state) and never stops the other jobs of the
//! batch. Idle workers wait for the database's "work queued" signal (`db::mark_work_queued`)
//! and poll only as a fallback.

use std::future::Future;
use std::time::Duration as StdDuration;

use chrono::Duration;

use crate::db::{Db, DbConnection};
use crate::error::ApiError;

/// Who holds a lease: one token per worker context (process), never reused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner(String);

impl Owner {
    pub fn new() -> Owner {
        Owner(crate::ids::new_id("wkr"))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl Default for Owner {
    fn default() -> Self {
        Owner::new()
    }
}

/// How long a claim lasts without renewal, and how often an owner renews it.
#[derive(Debug, Clone, Copy)]
pub struct Lease {
    pub length: Duration,
}

impl Lease {
    pub fn from_std(length: StdDuration) -> Lease {
        Lease {
            length: Duration::from_std(length).unwrap_or(Duration::seconds(30)),
        }
    }

    /// How often a running job renews its lease: a third of its length.
    pub fn renew_every(&self) -> StdDuration {
        (self.length / 3)
            .to_std()
            .unwrap_or(StdDuration::from_secs(10))
            .max(StdDuration::from_millis(20))
    }
}

/// Renews the lease of an in-flight job until dropped. `renew` runs in a write transaction
/// and returns how many rows it extended; 0 means the claim was lost (the job's result will
/// then be dropped by its conditional write).
pub struct Heartbeat {
    handle: tokio::task::JoinHandle<()>,
}

impl Heartbeat {
    pub fn start<F>(db: Db, every: StdDuration, what: String, renew: F) -> Heartbeat
    where
        F: Fn(&mut DbConnection) -> Result<usize, ApiError> + Send + Sync + 'static,
    {
        let renew = std::sync::Arc::new(renew);
        let handle = tokio::spawn(async move {
            loop {
                tokio::time::sleep(every).await;
                let renew = renew.clone();
                match db.write(move |c| renew(c)).await {
                    Ok(0) => {
                        tracing::warn!(job = %what, "lease lost while the job runs; its result will be dropped");
                        return;
                    }
                    Ok(_) => {}
                    Err(e) => tracing::warn!(job = %what, error = %e, "lease renewal failed"),
                }
            }
        });
        Heartbeat { handle }
    }
}

impl Drop for Heartbeat {
    fn drop(&mut self) {
        self.handle.abort();
    }
}

/// Aborts its task when dropped, so that a job stopped from outside (shutdown, a dropped
/// pool) does not run on unowned.
struct AbortOnDrop<T>(tokio::task::JoinHandle<T>);

impl<T> Drop for AbortOnDrop<T> {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Runs one job in its own task: a panic becomes an error of that job only. Dropping the
/// returned future aborts the job.
pub async fn isolated<F, T>(job: F) -> Result<T, ApiError>
where
    F: Future<Output = Result<T, ApiError>> + Send + 'static,
    T: Send + 'static,
{
    let mut task = AbortOnDrop(tokio::spawn(job));
    match (&mut task.0).await {
        Ok(result) => result,
        Err(e) if e.is_panic() => {
            let message = e
                .into_panic()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .unwrap_or_else(|| "a job panicked".into());
            Err(ApiError::internal(format!("job panicked: {message}")))
        }
        Err(e) => Err(ApiError::internal(format!("job task failed: {e}"))),
    }
}

/// One batch: claims with `claim` and runs every claimed job, at most `limit` at once; returns
/// how many were claimed (tests and tools drive the workers this way; `serve` runs pools).
pub async fn run_batch<T, CF, H, HF>(limit: usize, claim: CF, handle: H) -> Result<usize, ApiError>
where
    CF: Future<Output = Result<Vec<T>, ApiError>>,
    H: FnMut(T) -> HF,
    HF: Future<Output = ()>,
{
    use futures_util::StreamExt;
    let items = claim.await?;
    let count = items.len();
    futures_util::stream::iter(items)
        .for_each_concurrent(limit.max(1), handle)
        .await;
    Ok(count)
}

/// Keeps up to `limit` jobs in flight: claims more whenever a slot frees, work is queued
/// (`queued` changes) or `every` passes, and stops claiming when `stop` turns true; then waits
/// up to `drain` for the jobs in flight and aborts the rest (their leases are released by the
/// caller, or run out). A slow job only holds its own slot.
#[allow(clippy::too_many_arguments)]
pub async fn run_pool<T, C, CF, H, HF>(
    name: &'static str,
    limit: usize,
    every: StdDuration,
    mut queued: tokio::sync::watch::Receiver<u64>,
    mut stop: tokio::sync::watch::Receiver<bool>,
    drain: StdDuration,
    claim: C,
    handle: H,
) where
    T: Send + 'static,
    C: Fn(usize) -> CF,
    CF: Future<Output = Result<Vec<T>, ApiError>>,
    H: Fn(T) -> HF,
    HF: Future<Output = ()> + Send + 'static,
{
    let limit = limit.max(1);
    let mut in_flight = tokio::task::JoinSet::new();
    tracing::info!(job = name, limit, "worker pool started");
    loop {
        if *stop.borrow() {
            break;
        }
        let free = limit.saturating_sub(in_flight.len());
        if free > 0 {
            match claim(free).await {
                Ok(items) => {
                    let claimed = items.len();
                    for item in items {
                        in_flight.spawn(handle(item));
                    }
                    // A full claim suggests more is due: claim again at once.
                    if claimed == free {
                        continue;
                    }
                }
                Err(e) => tracing::warn!(job = name, error = %e, "claiming failed; will retry"),
            }
        }
        let finished = tokio::select! {
            Some(_) = in_flight.join_next(), if !in_flight.is_empty() => true,
            Ok(()) = queued.changed() => false,
            _ = tokio::time::sleep(every) => false,
            Ok(()) = stop.changed() => false,
        };
        if finished {
            // Claim in batches: when only a job or two finished and others still run, gather
            // a few more completions (at most 2 ms) so that one claim fills several slots.
            while in_flight.try_join_next().is_some() {}
            let batch = (limit / 4).max(1);
            if limit - in_flight.len() < batch && !in_flight.is_empty() {
                let gather = tokio::time::sleep(StdDuration::from_millis(2));
                tokio::pin!(gather);
                while limit - in_flight.len() < batch && !in_flight.is_empty() {
                    tokio::select! {
                        Some(_) = in_flight.join_next() => {}
                        _ = &mut gather => break,
                    }
                }
            }
        }
    }
    let left = in_flight.len();
    if left > 0 {
        tracing::info!(
            job = name,
            in_flight = left,
            "worker pool stopping; waiting for jobs in flight"
        );
        let _ = tokio::time::timeout(drain, async {
            while in_flight.join_next().await.is_some() {}
        })
        .await;
        in_flight.abort_all();
    }
    tracing::info!(job = name, "worker pool stopped");
}

/// The state of every background queue at `now` (for `/metrics`).
pub fn queue_stats(
    conn: &mut DbConnection,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<Vec<crate::metrics::QueueStat>, ApiError> {
    use crate::db::schema::{provisioning_tasks as pt, webhook_deliveries as wd};
    use diesel::prelude::*;
    let at = now.naive_utc();
    let age = |oldest: Option<chrono::NaiveDateTime>| {
        oldest.map_or(0.0, |t| {
            ((at - t).num_milliseconds().max(0) as f64) / 1000.0
        })
    };
    let unclaimed_pt = pt::lease_until.is_null().or(pt::lease_until.lt(at));
    let due_pt = pt::table
        .filter(pt::dead_at.is_null())
        .filter(pt::due_at.le(at))
        .filter(unclaimed_pt);
    let p_due: i64 = due_pt.count().get_result(conn)?;
    let p_oldest: Option<chrono::NaiveDateTime> =
        due_pt.select(diesel::dsl::min(pt::due_at)).first(conn)?;
    let p_running: i64 = pt::table
        .filter(pt::lease_until.ge(at))
        .count()
        .get_result(conn)?;
    let p_dead: i64 = pt::table
        .filter(pt::dead_at.is_not_null())
        .count()
        .get_result(conn)?;
    let due_wd = wd::table
        .filter(wd::status.eq("pending"))
        .filter(wd::next_attempt_at.le(at))
        .filter(wd::lease_until.is_null().or(wd::lease_until.lt(at)));
    let w_due: i64 = due_wd.count().get_result(conn)?;
    let w_oldest: Option<chrono::NaiveDateTime> = due_wd
        .select(diesel::dsl::min(wd::next_attempt_at))
        .first::<Option<chrono::NaiveDateTime>>(conn)?;
    let w_running: i64 = wd::table
        .filter(wd::status.eq("pending"))
        .filter(wd::lease_until.ge(at))
        .count()
        .get_result(conn)?;
    Ok(vec![
        crate::metrics::QueueStat {
            kind: "provisioning",
            due: p_due,
            running: p_running,
            dead: p_dead,
            oldest_due_age_seconds: age(p_oldest),
        },
        crate::metrics::QueueStat {
            kind: "webhooks",
            due: w_due,
            running: w_running,
            dead: 0,
            oldest_due_age_seconds: age(w_oldest),
        },
    ])
}

/// How many times a job may fail (an error of ours, not an answer of the upstream) before it
/// ends in its terminal state.
pub const MAX_JOB_ERRORS: i32 = 5;

/// Delay before retrying a job after its `errors`-th error: 5 s, 20 s, 80 s, … capped at an hour.
pub fn backoff(errors: i32) -> Duration {
    let exp = errors.clamp(1, 10) as u32 - 1;
    Duration::seconds((5i64 * 4i64.pow(exp)).min(3600))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_capped() {
        assert_eq!(backoff(1), Duration::seconds(5));
        assert_eq!(backoff(2), Duration::seconds(20));
        assert_eq!(backoff(3), Duration::seconds(80));
        assert_eq!(backoff(9), Duration::seconds(3600));
    }

    #[test]
    fn owners_are_unique_and_leases_renew_thrice() {
        assert_ne!(Owner::new(), Owner::new());
        let lease = Lease::from_std(StdDuration::from_millis(900));
        assert_eq!(lease.renew_every(), StdDuration::from_millis(300));
    }

    #[tokio::test]
    async fn a_panicking_job_is_an_error_of_its_own() {
        let r: Result<(), ApiError> = isolated(async { panic!("boom") }).await;
        assert!(r.unwrap_err().to_string().contains("boom"));
        assert_eq!(isolated(async { Ok(7) }).await.unwrap(), 7);
    }
}

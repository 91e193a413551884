//! Background workers that run inside `onyx serve`. Each job is a plain blocking function
//! over the application state, called on an interval on the blocking pool; a job returns how
//! much work it did so it can be drained quickly (tests) and logged. Resource areas add their
//! jobs (provisioning, webhook delivery, housekeeping) to [`jobs`].

use std::time::Duration;

use diesel::connection::SimpleConnection;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::db::{Backend, DbConnection};
use crate::error::ApiError;
use crate::state::AppState;

/// One kind of background work.
pub struct Job {
    pub name: &'static str,
    /// How often to run when idle.
    pub every: Duration,
    /// Does one batch of work; returns how many items it handled.
    pub run: fn(&AppState) -> Result<usize, ApiError>,
}

/// Every background job of the service.
pub fn jobs(state: &AppState) -> Vec<Job> {
    let mut jobs = Vec::new();
    if state.db.backend() == Backend::Sqlite {
        jobs.push(Job {
            name: "sqlite_wal_checkpoint",
            every: Duration::from_secs(60),
            run: checkpoint_wal,
        });
    }
    jobs
}

/// Keeps the SQLite write-ahead log from growing without bound under steady reads.
fn checkpoint_wal(state: &AppState) -> Result<usize, ApiError> {
    let mut conn = state.db.get()?;
    if let DbConnection::Sqlite(c) = &mut *conn {
        c.batch_execute("PRAGMA wal_checkpoint(TRUNCATE);")?;
        return Ok(1);
    }
    Ok(0)
}

/// Runs every job in `jobs` until `shutdown` is called.
pub struct Workers {
    stop: watch::Sender<bool>,
    handles: Vec<JoinHandle<()>>,
}

pub fn spawn(state: AppState) -> Workers {
    let (stop, rx) = watch::channel(false);
    let handles = jobs(&state)
        .into_iter()
        .map(|job| {
            let state = state.clone();
            let mut rx = rx.clone();
            tokio::spawn(async move {
                tracing::info!(job = job.name, "worker started");
                loop {
                    let st = state.clone();
                    let run = job.run;
                    match actix_web::web::block(move || run(&st)).await {
                        Ok(Ok(n)) if n > 0 => tracing::debug!(job = job.name, items = n, "worker ran"),
                        Ok(Ok(_)) => {}
                        Ok(Err(e)) => tracing::warn!(job = job.name, error = %e, "worker failed; will retry"),
                        Err(e) => tracing::error!(job = job.name, error = %e, "worker panicked; will retry"),
                    }
                    tokio::select! {
                        _ = tokio::time::sleep(job.every) => {}
                        _ = rx.changed() => break,
                    }
                }
                tracing::info!(job = job.name, "worker stopped");
            })
        })
        .collect();
    Workers { stop, handles }
}

impl Workers {
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        for h in self.handles {
            let _ = h.await;
        }
    }
}

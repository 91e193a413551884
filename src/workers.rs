//! Background workers that run inside `onyx serve`. Each job is an async function over the
//! worker [`Context`] (the application state plus what only workers need: the provisioning
//! adapters and the webhook HTTP clients) that does one batch of due work and says how much
//! it did; the runner calls it again at once while it finds work, and otherwise every
//! `every`.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use diesel::connection::SimpleConnection;
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::db::{Backend, DbConnection};
use crate::error::ApiError;
use crate::provisioning::Upstreams;
use crate::state::AppState;
use crate::webhooks::delivery::Clients;

/// What background jobs run with.
#[derive(Clone)]
pub struct Context {
    pub state: AppState,
    /// The provisioning adapters (sandbox simulator, live upstream).
    pub upstreams: Arc<Upstreams>,
    /// The webhook worker's SSRF-guarded HTTP clients.
    pub webhook_clients: Arc<Clients>,
}

impl Context {
    pub fn new(state: AppState) -> Context {
        let upstreams = Arc::new(Upstreams::from_config(&state.config));
        let webhook_clients = Arc::new(Clients::new(state.config.webhook_dev_mode));
        Context {
            state,
            upstreams,
            webhook_clients,
        }
    }

    /// One batch of provisioning steps; returns how many were stepped.
    pub async fn run_provisioning(&self) -> Result<usize, ApiError> {
        crate::provisioning::run_due(&self.state, &self.upstreams).await
    }

    /// One batch of webhook deliveries; returns how many attempts were made.
    pub async fn run_webhooks(&self) -> Result<usize, ApiError> {
        crate::webhooks::delivery::run_due(&self.state, &self.webhook_clients).await
    }
}

pub type JobFuture = Pin<Box<dyn Future<Output = Result<usize, ApiError>> + Send>>;

/// One kind of background work.
pub struct Job {
    pub name: &'static str,
    /// How often to look for work when idle.
    pub every: Duration,
    /// Does one batch of due work; returns how many items it handled.
    pub run: fn(Context) -> JobFuture,
}

/// Every background job of the service.
pub fn jobs(state: &AppState) -> Vec<Job> {
    let mut jobs = vec![
        Job {
            name: "provisioning",
            every: state.config.worker_interval,
            run: |c| Box::pin(async move { c.run_provisioning().await }),
        },
        Job {
            name: "housekeeping",
            every: Duration::from_secs(300),
            run: |c| {
                Box::pin(
                    async move { actix_web::web::block(move || housekeeping(&c.state)).await? },
                )
            },
        },
    ];
    if state.config.webhook_delivery {
        jobs.push(Job {
            name: "webhooks",
            every: state.config.worker_interval,
            run: |c| Box::pin(async move { c.run_webhooks().await }),
        });
    }
    if state.db.backend() == Backend::Sqlite {
        jobs.push(Job {
            name: "sqlite_wal_checkpoint",
            every: Duration::from_secs(60),
            run: |c| {
                Box::pin(
                    async move { actix_web::web::block(move || checkpoint_wal(&c.state)).await? },
                )
            },
        });
    }
    jobs
}

/// Deletes expired idempotency keys and finished guessing counters.
fn housekeeping(state: &AppState) -> Result<usize, ApiError> {
    let now = state.now();
    state.db.write_blocking(|conn| {
        let keys = crate::idempotency::prune(conn, now)?;
        let counters = crate::auth::throttle::prune(conn, now, chrono::Duration::minutes(15))?;
        state.rate_limiter.retain_recent();
        Ok(keys + counters)
    })
}

/// Keeps the SQLite write-ahead log from growing without bound under steady reads.
fn checkpoint_wal(state: &AppState) -> Result<usize, ApiError> {
    let mut conn = state.db.get()?;
    if let DbConnection::Sqlite(c) = &mut *conn {
        c.batch_execute("PRAGMA wal_checkpoint(TRUNCATE);")?;
    }
    Ok(0)
}

/// Runs every job until `shutdown` is called.
pub struct Workers {
    stop: watch::Sender<bool>,
    handles: Vec<JoinHandle<()>>,
}

pub fn spawn(state: AppState) -> Workers {
    let context = Context::new(state);
    let (stop, rx) = watch::channel(false);
    let handles = jobs(&context.state)
        .into_iter()
        .map(|job| {
            let context = context.clone();
            let mut rx = rx.clone();
            tokio::spawn(async move {
                tracing::info!(job = job.name, "worker started");
                loop {
                    let busy = match (job.run)(context.clone()).await {
                        Ok(n) if n > 0 => {
                            tracing::debug!(job = job.name, items = n, "worker ran");
                            true
                        }
                        Ok(_) => false,
                        Err(e) => {
                            tracing::warn!(job = job.name, error = %e, "worker failed; will retry");
                            false
                        }
                    };
                    if *rx.borrow() {
                        break;
                    }
                    if busy {
                        continue;
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

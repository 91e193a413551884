//! Background workers that run inside `onyx serve`. Each job is an async function over the
//! worker [`Context`] (the application state plus what only workers need: the provisioning
//! adapters and the webhook HTTP clients) that does one batch of due work and says how much
//! it did; the runner calls it again at once while it finds work, and otherwise every
//! `every`.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::config::Config;
use crate::db::Backend;
use crate::error::ApiError;
use crate::provisioning::{HttpUpstream, OperatorReports, Simulator, Upstream, Upstreams};
use crate::state::AppState;
use crate::webhooks::delivery::Clients;
use crate::webhooks::ssrf::{GuardedResolver, Reach};

/// What background jobs run with.
#[derive(Clone)]
pub struct Context {
    pub state: AppState,
    /// The owner token of this process's claims (see `jobs`).
    pub owner: crate::jobs::Owner,
    /// The provisioning adapters (sandbox simulator, live upstream).
    pub upstreams: Arc<Upstreams>,
    /// The webhook worker's SSRF-guarded HTTP clients.
    pub webhook_clients: Arc<Clients>,
}

/// Destinations that never go through `ONYX_OUTBOUND_PROXY` (a proxy elsewhere cannot reach
/// this machine's loopback). `localhost` covers `*.localhost` too.
const NEVER_PROXIED: &str = "localhost,127.0.0.0/8,::1";

/// The start of every outbound HTTP client of the service: proxy variables of the
/// environment (`HTTP_PROXY`, `HTTPS_PROXY`, `ALL_PROXY`) are ignored, since a proxy resolves
/// names itself and so would bypass the webhook guard; `ONYX_OUTBOUND_PROXY` is used when it
/// is set (loopback destinations excepted). Redirects are not followed.
pub fn outbound_client(config: &Config, timeout: Duration) -> reqwest::ClientBuilder {
    let builder = direct_client(timeout);
    match &config.outbound_proxy {
        None => builder,
        Some(url) => builder.proxy(
            reqwest::Proxy::all(url.expose())
                .expect("ONYX_OUTBOUND_PROXY is checked when the configuration is read")
                .no_proxy(reqwest::NoProxy::from_string(NEVER_PROXIED)),
        ),
    }
}

/// An outbound client that always connects directly (no proxy of any kind).
fn direct_client(timeout: Duration) -> reqwest::ClientBuilder {
    reqwest::Client::builder()
        .no_proxy()
        .timeout(timeout)
        .redirect(reqwest::redirect::Policy::none())
}

/// The webhook worker's clients. Direct sends resolve through the SSRF guard; through a
/// proxy the guard cannot run in the resolver (the proxy resolves), so the worker checks each
/// destination before handing it over (see `webhooks::delivery`). Loopback receivers are
/// always reached directly.
pub fn webhook_clients(config: &Config) -> Clients {
    use crate::webhooks::delivery::TIMEOUT;
    let reach = if config.webhook_dev_mode {
        Reach::Any
    } else {
        Reach::Public
    };
    let proxied = config.outbound_proxy.is_some();
    let mut public = outbound_client(config, TIMEOUT);
    if !proxied {
        public = public.dns_resolver(Arc::new(GuardedResolver { reach }));
    }
    let loopback = direct_client(TIMEOUT).dns_resolver(Arc::new(GuardedResolver {
        reach: Reach::Loopback,
    }));
    Clients {
        recorder: Default::default(),
        public: public.build().expect("webhook HTTP client"),
        reach,
        proxied,
        loopback: loopback.build().expect("webhook HTTP client"),
    }
}

/// How long the live provisioning upstream may take to answer one request.
pub const UPSTREAM_TIMEOUT: Duration = Duration::from_secs(10);

/// The provisioning adapters: the simulator for sandbox; for live the HTTP upstream (its
/// client built by [`outbound_client`]) or, without `ONYX_UPSTREAM_URL`, operator reports.
pub fn upstreams(config: &Config) -> Upstreams {
    let live: Arc<dyn Upstream> = match &config.upstream_url {
        None => Arc::new(OperatorReports),
        Some(url) => {
            let client = outbound_client(config, UPSTREAM_TIMEOUT).build();
            match client {
                Ok(client) => {
                    Arc::new(HttpUpstream::new(url, client, chrono::Duration::seconds(5)))
                }
                Err(e) => {
                    tracing::error!(error = %e, "cannot build the upstream client; live orders wait for operator reports");
                    Arc::new(OperatorReports)
                }
            }
        }
    };
    Upstreams {
        sandbox: Arc::new(Simulator {
            step_delay: chrono::Duration::milliseconds(config.sandbox_step_ms),
        }),
        live,
    }
}

impl Context {
    pub fn new(state: AppState) -> Context {
        let upstreams = Arc::new(upstreams(&state.config));
        let webhook_clients = Arc::new(webhook_clients(&state.config));
        Context {
            state,
            owner: crate::jobs::Owner::new(),
            upstreams,
            webhook_clients,
        }
    }

    /// One batch of provisioning steps; returns how many were stepped.
    pub async fn run_provisioning(&self) -> Result<usize, ApiError> {
        crate::provisioning::run_due(&self.state, &self.upstreams, &self.owner).await
    }

    /// One batch of webhook deliveries; returns how many attempts were made.
    pub async fn run_webhooks(&self) -> Result<usize, ApiError> {
        crate::webhooks::delivery::run_due(&self.state, &self.webhook_clients, &self.owner).await
    }

    /// Gives up every claim this context still holds (at shutdown), so that another instance
    /// takes the work at once instead of after the lease.
    pub fn release_leases(&self) -> Result<usize, ApiError> {
        use crate::db::schema::{provisioning_tasks as pt, webhook_deliveries as wd};
        use diesel::prelude::*;
        let owner = self.owner.as_str();
        self.state.db.write_blocking(|c| {
            let tasks = diesel::update(pt::table.filter(pt::lease_owner.eq(owner)))
                .set((
                    pt::lease_owner.eq(None::<String>),
                    pt::lease_until.eq(None::<chrono::NaiveDateTime>),
                ))
                .execute(c)?;
            let deliveries = diesel::update(wd::table.filter(wd::lease_owner.eq(owner)))
                .set((
                    wd::lease_owner.eq(None::<String>),
                    wd::lease_until.eq(None::<chrono::NaiveDateTime>),
                ))
                .execute(c)?;
            Ok(tasks + deliveries)
        })
    }
}

pub type JobFuture = Pin<Box<dyn Future<Output = Result<usize, ApiError>> + Send>>;

/// A periodic job (housekeeping): one batch every `every`, at once again while it finds work.
pub struct Job {
    pub name: &'static str,
    /// How often to look for work when idle.
    pub every: Duration,
    /// Does one batch of due work; returns how many items it handled.
    pub run: fn(Context) -> JobFuture,
}

/// The periodic jobs of the service. Provisioning and webhook delivery run as pools (see
/// [`spawn`]).
pub fn periodic_jobs(state: &AppState) -> Vec<Job> {
    let mut jobs = vec![Job {
        name: "housekeeping",
        every: Duration::from_secs(300),
        run: |c| {
            Box::pin(async move { actix_web::web::block(move || housekeeping(&c.state)).await? })
        },
    }];
    jobs.push(Job {
        name: "billing_period_close",
        every: Duration::from_secs(60),
        run: |c| Box::pin(async move { crate::billing::close::run_due(&c.state, &c.owner).await }),
    });
    jobs.push(Job {
        name: "service_alerts",
        every: Duration::from_secs(60),
        run: |c| Box::pin(async move { crate::services::alerts::run_due(&c.state, None).await }),
    });
    jobs.push(Job {
        name: "memory_trim",
        every: Duration::from_secs(5),
        run: |_| {
            Box::pin(async move {
                actix_web::web::block(crate::memory::trim).await?;
                Ok(0)
            })
        },
    });
    if state.db.backend() == Backend::Sqlite {
        jobs.push(Job {
            name: "sqlite_wal_checkpoint",
            every: Duration::from_millis(250),
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

/// Keeps the SQLite write-ahead log short: a passive checkpoint four times a second after
/// writes, beside the writers (it never makes a request's write fail or wait).
fn checkpoint_wal(state: &AppState) -> Result<usize, ApiError> {
    state.db.checkpoint_wal()?;
    Ok(0)
}

/// How long shutdown waits for jobs in flight before it aborts them and releases their leases.
pub const SHUTDOWN_DRAIN: Duration = Duration::from_secs(20);

/// Runs every job until `shutdown` is called.
pub struct Workers {
    context: Context,
    /// The PostgreSQL work listener (other instances' queued work wakes this one).
    listener: Option<(
        Arc<std::sync::atomic::AtomicBool>,
        std::thread::JoinHandle<()>,
    )>,
    stop: watch::Sender<bool>,
    handles: Vec<JoinHandle<()>>,
}

pub fn spawn(state: AppState) -> Workers {
    let context = Context::new(state);
    let (stop, rx) = watch::channel(false);
    let mut handles: Vec<JoinHandle<()>> = periodic_jobs(&context.state)
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
    let config = &context.state.config;
    let every = config.worker_interval;
    if config.provisioning {
        let c = context.clone();
        let limit = config.provisioning_concurrency;
        let queued = c.state.db.work_queued(crate::db::Work::Provisioning);
        handles.push(tokio::spawn(crate::jobs::run_pool(
            "provisioning",
            limit,
            every,
            queued,
            rx.clone(),
            SHUTDOWN_DRAIN,
            {
                let c = c.clone();
                move |n| {
                    let c = c.clone();
                    async move { crate::provisioning::claim_due(&c.state, &c.owner, n).await }
                }
            },
            move |item| {
                crate::provisioning::handle(
                    c.state.clone(),
                    Arc::clone(&c.upstreams),
                    c.owner.clone(),
                    item,
                )
            },
        )));
    }
    if config.webhook_delivery {
        let c = context.clone();
        let limit = config.webhook_concurrency;
        let queued = c.state.db.work_queued(crate::db::Work::Webhooks);
        handles.push(tokio::spawn(crate::jobs::run_pool(
            "webhooks",
            limit,
            every,
            queued,
            rx.clone(),
            SHUTDOWN_DRAIN,
            {
                let c = c.clone();
                move |n| {
                    let c = c.clone();
                    async move { crate::webhooks::delivery::claim_due(&c.state, &c.owner, n).await }
                }
            },
            move |item| {
                crate::webhooks::delivery::handle(
                    c.state.clone(),
                    Arc::clone(&c.webhook_clients),
                    c.owner.clone(),
                    item,
                )
            },
        )));
    }
    let stop_listening = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let listener = context
        .state
        .db
        .listen_for_work(Arc::clone(&stop_listening))
        .map(|h| (stop_listening, h));
    Workers {
        context,
        listener,
        stop,
        handles,
    }
}

impl Workers {
    /// Stops claiming, waits for jobs in flight (at most [`SHUTDOWN_DRAIN`]), then releases
    /// every lease this process still holds, so no work stays leased to a dead owner.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        for h in self.handles {
            let _ = h.await;
        }
        if let Some((stop, handle)) = self.listener {
            stop.store(true, std::sync::atomic::Ordering::Relaxed);
            let _ = actix_web::web::block(move || handle.join()).await;
        }
        let context = self.context;
        match actix_web::web::block(move || context.release_leases()).await {
            Ok(Ok(n)) if n > 0 => {
                tracing::info!(released = n, "released the leases of unfinished jobs")
            }
            Ok(Ok(_)) => {}
            Ok(Err(e)) => tracing::warn!(error = %e, "could not release leases at shutdown"),
            Err(e) => tracing::warn!(error = %e, "could not release leases at shutdown"),
        }
    }
}

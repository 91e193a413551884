//! What every handler can reach: the database, the configuration, the clock, the vault and
//! the request rate limiter. Background workers carry their own extra context
//! (`workers::Context`); nothing here names a resource area.

use std::net::SocketAddr;
use std::sync::{Arc, RwLock};

use crate::clock::SharedClock;
use crate::config::Config;
use crate::db::Db;
use crate::metrics::Metrics;
use crate::vault::Vault;

/// Requests per credential or member; a check answers what remains (`RateLimit-*` headers).
pub type RateLimiter =
    governor::DefaultKeyedRateLimiter<String, governor::middleware::StateInformationMiddleware>;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub clock: SharedClock,
    pub metrics: Arc<Metrics>,
    /// Seals and opens activation materials and webhook secrets.
    pub vault: Arc<Vault>,
    /// Requests per credential or member (in this process).
    pub rate_limiter: Arc<RateLimiter>,
    /// Password verifications of this process, whoever asks (each costs a memory-hard hash).
    pub password_checks: Arc<governor::DefaultDirectRateLimiter>,
    /// The addresses this process's HTTP server is bound to, learned when it binds (with
    /// `ONYX_LISTEN` port 0 the port is only known then).
    pub listening: Arc<Listening>,
}

/// The addresses the HTTP server of this process is bound to (see `app::start`).
#[derive(Debug, Default)]
pub struct Listening(RwLock<Vec<SocketAddr>>);

impl Listening {
    /// Records an address the server is now bound to.
    pub fn add(&self, addr: SocketAddr) {
        let mut addrs = self.0.write().unwrap_or_else(|p| p.into_inner());
        if !addrs.contains(&addr) {
            addrs.push(addr);
        }
    }

    pub fn addrs(&self) -> Vec<SocketAddr> {
        self.0.read().unwrap_or_else(|p| p.into_inner()).clone()
    }
}

impl AppState {
    pub fn new(db: Db, config: Config, clock: SharedClock) -> Self {
        let vault = Arc::new(Vault::from_config(&config));
        let per_minute = std::num::NonZeroU32::new(config.rate_limit_per_minute)
            .unwrap_or(std::num::NonZeroU32::MIN);
        let rate_limiter = Arc::new(
            governor::RateLimiter::keyed(governor::Quota::per_minute(per_minute))
                .with_middleware::<governor::middleware::StateInformationMiddleware>(),
        );
        let checks = std::num::NonZeroU32::new(config.password_checks_per_second)
            .unwrap_or(std::num::NonZeroU32::MIN);
        let password_checks = Arc::new(governor::RateLimiter::direct(governor::Quota::per_second(
            checks,
        )));
        AppState {
            password_checks,
            db,
            config: Arc::new(config),
            clock,
            metrics: Arc::new(Metrics::default()),
            rate_limiter,
            vault,
            listening: Arc::default(),
        }
    }

    /// The ports this service answers on: the configured `ONYX_LISTEN` port (unless 0) and
    /// every port the server was actually bound to.
    pub fn listening_ports(&self) -> Vec<u16> {
        let mut ports: Vec<u16> = self.listening.addrs().iter().map(|a| a.port()).collect();
        ports.push(self.config.listen.port());
        ports.retain(|p| *p != 0);
        ports.sort_unstable();
        ports.dedup();
        ports
    }

    /// The current time, at the precision the databases store.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        crate::time::db_precision(self.clock.now())
    }
}

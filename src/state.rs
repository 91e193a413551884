//! What every handler can reach: the database, the configuration, the clock, the vault and
//! the request rate limiter. Background workers carry their own extra context
//! (`workers::Context`); nothing here names a resource area.

use std::sync::Arc;

use crate::clock::SharedClock;
use crate::config::Config;
use crate::db::Db;
use crate::metrics::Metrics;
use crate::vault::Vault;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub clock: SharedClock,
    pub metrics: Arc<Metrics>,
    /// Seals and opens activation materials and webhook secrets.
    pub vault: Arc<Vault>,
    /// Requests per credential or member (in this process).
    pub rate_limiter: Arc<governor::DefaultKeyedRateLimiter<String>>,
    /// Password verifications of this process, whoever asks (each costs a memory-hard hash).
    pub password_checks: Arc<governor::DefaultDirectRateLimiter>,
}

impl AppState {
    pub fn new(db: Db, config: Config, clock: SharedClock) -> Self {
        let vault = Arc::new(Vault::from_config(&config));
        let per_minute = std::num::NonZeroU32::new(config.rate_limit_per_minute)
            .unwrap_or(std::num::NonZeroU32::MIN);
        let rate_limiter = Arc::new(governor::RateLimiter::keyed(governor::Quota::per_minute(
            per_minute,
        )));
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
        }
    }

    /// The current time, at the precision the databases store.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        crate::time::db_precision(self.clock.now())
    }
}

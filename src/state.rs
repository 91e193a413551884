//! What every handler can reach: the database, the configuration and the clock.

use std::sync::Arc;

use crate::activation::Vault;
use crate::clock::SharedClock;
use crate::config::Config;
use crate::db::Db;
use crate::metrics::Metrics;
use crate::provisioning::{Simulator, Upstream};

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub clock: SharedClock,
    pub metrics: Arc<Metrics>,
    /// The sandbox provisioning simulator.
    pub simulator: Arc<dyn Upstream>,
    /// The live provisioning adapter.
    pub live_upstream: Arc<dyn Upstream>,
    /// Seals and opens activation materials and webhook secrets.
    pub vault: Arc<Vault>,
    /// HTTP clients of the webhook worker (SSRF-guarded).
    pub webhook_clients: Arc<crate::webhooks::delivery::Clients>,
    /// Requests per credential or member (in this process).
    pub rate_limiter: Arc<governor::DefaultKeyedRateLimiter<String>>,
}

impl AppState {
    pub fn new(db: Db, config: Config, clock: SharedClock) -> Self {
        let simulator = Arc::new(Simulator {
            step_delay: chrono::Duration::milliseconds(config.sandbox_step_ms),
        });
        let live_upstream = crate::provisioning::live_upstream(&config);
        let vault = Arc::new(Vault::from_config(&config));
        let per_minute = std::num::NonZeroU32::new(config.rate_limit_per_minute)
            .unwrap_or(std::num::NonZeroU32::MIN);
        let rate_limiter = Arc::new(governor::RateLimiter::keyed(governor::Quota::per_minute(
            per_minute,
        )));
        let webhook_clients = Arc::new(crate::webhooks::delivery::Clients::new(
            config.webhook_dev_mode,
        ));
        AppState {
            db,
            config: Arc::new(config),
            clock,
            metrics: Arc::new(Metrics::default()),
            simulator,
            live_upstream,
            webhook_clients,
            rate_limiter,
            vault,
        }
    }
}

impl AppState {
    /// The current time, at the precision the databases store.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        crate::time::db_precision(self.clock.now())
    }
}

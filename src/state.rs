//! What every handler can reach: the database, the configuration and the clock.

use std::sync::Arc;

use crate::clock::SharedClock;
use crate::config::Config;
use crate::db::Db;
use crate::metrics::Metrics;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub config: Arc<Config>,
    pub clock: SharedClock,
    pub metrics: Arc<Metrics>,
}

impl AppState {
    pub fn new(db: Db, config: Config, clock: SharedClock) -> Self {
        AppState {
            db,
            config: Arc::new(config),
            clock,
            metrics: Arc::new(Metrics::default()),
        }
    }
}

impl AppState {
    /// The current time, at the precision the databases store.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        crate::time::db_precision(self.clock.now())
    }
}

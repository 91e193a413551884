//! The access cache: what the database said about a token's subject (its credential or
//! member, and its partner's gate), kept in this process so that most requests authenticate
//! without a database round trip.
//!
//! An entry is used only while the database's access generation (see
//! `db::mark_access_changed`) is the one it was loaded under: every committed revocation,
//! rotation, role change, removal, suspension or live-access change moves the generation on at
//! once in this process and, on PostgreSQL, in every instance that hears the notification
//! (while an instance does not hear them it does not cache at all). Entries also expire after
//! [`TTL`], which bounds the effect of rows changed by hand in the database.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::{AccessRecord, Environment};

/// The longest an entry is used, whatever the generation.
pub const TTL: Duration = Duration::from_secs(10);
/// Entries kept at most (a full cache is emptied: tokens are cheap to load again).
const CAPACITY: usize = 10_000;

/// Identifies a token's subject: what it is, its id, its partner and environment.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub kind: String,
    pub subject: String,
    pub partner_id: String,
    pub environment: Environment,
}

struct Entry {
    generation: u64,
    loaded: Instant,
    record: AccessRecord,
}

#[derive(Default)]
pub struct AccessCache {
    entries: Mutex<HashMap<Key, Entry>>,
}

impl AccessCache {
    /// The record for `key` if it was loaded under `generation` less than [`TTL`] ago.
    pub fn get(&self, key: &Key, generation: u64) -> Option<AccessRecord> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(key)
            .filter(|e| e.generation == generation && e.loaded.elapsed() < TTL)
            .map(|e| e.record.clone())
    }

    /// Keeps `record`, loaded under `generation` (read before the load, so that a change
    /// committed during the load leaves the entry already outdated).
    pub fn put(&self, key: Key, generation: u64, record: AccessRecord) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= CAPACITY {
            entries.clear();
        }
        entries.insert(
            key,
            Entry {
                generation,
                loaded: Instant::now(),
                record,
            },
        );
    }

    /// Notes that the credential's `last_used_at` was just written.
    pub fn used(&self, key: &Key, at: chrono::NaiveDateTime) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(e) = entries.get_mut(key) {
            e.record.used(at);
        }
    }
}

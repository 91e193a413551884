//! The access cache: what the database said about a token's subject (its credential or
//! member, and its partner's gate), kept in this process so that most requests authenticate
//! without a database round trip.
//!
//! An entry is used only while the database's generation of [`crate::db::Change::Access`] is the one it
//! was loaded under: every committed revocation, rotation, role change, removal, suspension or
//! live-access change moves it on at once in this process and, on PostgreSQL, in every
//! instance that hears the notification (while an instance does not hear them it does not
//! cache at all). Entries also expire after [`TTL`], which bounds rows changed by hand.

use std::time::Duration;

use super::{AccessRecord, Environment};
use crate::memo::Memo;

/// The longest an entry is used, whatever the generation.
pub const TTL: Duration = Duration::from_secs(10);

/// Identifies a token's subject: what it is, its id, its partner and environment.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub kind: String,
    pub subject: String,
    pub partner_id: String,
    pub environment: Environment,
}

pub type AccessCache = Memo<Key, AccessRecord>;

/// One cache per server (shared by its worker threads).
pub fn new_cache() -> AccessCache {
    Memo::new(TTL, 10_000)
}

//! An in-process cache whose entries hold only while nothing they depend on has changed: each
//! entry remembers the database generation of a [`crate::db::Change`] it was built under, and
//! is used only while that generation is current (and for at most its time to live, which
//! bounds rows changed by hand in the database). Capacity is bounded: a full memo is emptied.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;
use std::time::{Duration, Instant};

struct Entry<V> {
    generation: u64,
    built: Instant,
    value: V,
}

pub struct Memo<K, V> {
    entries: Mutex<HashMap<K, Entry<V>>>,
    ttl: Duration,
    capacity: usize,
}

impl<K: Eq + Hash, V: Clone> Memo<K, V> {
    pub fn new(ttl: Duration, capacity: usize) -> Self {
        Memo {
            entries: Mutex::new(HashMap::new()),
            ttl,
            capacity,
        }
    }

    /// The value for `key` if it was built under `generation` less than the time to live ago.
    pub fn get(&self, key: &K, generation: u64) -> Option<V> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(key)
            .filter(|e| e.generation == generation && e.built.elapsed() < self.ttl)
            .map(|e| e.value.clone())
    }

    /// Keeps `value`, built under `generation` (read *before* building it, so that a change
    /// committed meanwhile leaves the entry already outdated).
    pub fn put(&self, key: K, generation: u64, value: V) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= self.capacity && !entries.contains_key(&key) {
            entries.clear();
        }
        entries.insert(
            key,
            Entry {
                generation,
                built: Instant::now(),
                value,
            },
        );
    }

    /// Changes the value kept for `key`, if any (keeping its generation and age).
    pub fn update(&self, key: &K, change: impl FnOnce(&mut V)) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(e) = entries.get_mut(key) {
            change(&mut e.value);
        }
    }
}

/// Pages of JSON as answered, by (partner, environment, query string).
pub type JsonPages = Memo<(String, &'static str, String), actix_web::web::Bytes>;

/// A page memo of the size every list uses: 512 pages, each for at most 10 s.
pub fn json_pages() -> JsonPages {
    Memo::new(Duration::from_secs(10), 512)
}

/// The value for `key` from `memo` while the database's generation of `change` holds, else
/// loaded by `load` and kept under the generation read *before* loading. Without a memo, or
/// without a trusted generation (PostgreSQL not listening), it is always loaded.
pub async fn get_or_load<K, V, F>(
    db: &crate::db::Db,
    memo: Option<&Memo<K, V>>,
    change: crate::db::Change,
    key: K,
    load: F,
) -> Result<V, crate::error::ApiError>
where
    K: Eq + Hash,
    V: Clone,
    F: std::future::Future<Output = Result<V, crate::error::ApiError>>,
{
    let Some((memo, generation)) = memo.zip(db.generation(change)) else {
        return load.await;
    };
    if let Some(value) = memo.get(&key, generation) {
        return Ok(value);
    }
    let value = load.await?;
    memo.put(key, generation, value.clone());
    Ok(value)
}

/// A JSON answer kept in `pages` while the database's generation of `change` holds (see
/// [`get_or_load`]), serialized once when it is built.
pub async fn json_page<T, F>(
    db: &crate::db::Db,
    pages: Option<&JsonPages>,
    change: crate::db::Change,
    key: (String, &'static str, String),
    build: F,
) -> Result<actix_web::HttpResponse, crate::error::ApiError>
where
    T: serde::Serialize,
    F: std::future::Future<Output = Result<T, crate::error::ApiError>>,
{
    let body = get_or_load(db, pages, change, key, async move {
        let value = build.await?;
        serde_json::to_vec(&value)
            .map(actix_web::web::Bytes::from)
            .map_err(|e| crate::error::ApiError::internal(format!("json: {e}")))
    })
    .await?;
    Ok(json_answer(body))
}

fn json_answer(body: actix_web::web::Bytes) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Ok()
        .content_type(actix_web::http::header::ContentType::json())
        .body(body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_holds_for_its_generation_and_time_to_live_only() {
        let memo: Memo<&str, i32> = Memo::new(Duration::from_millis(50), 2);
        memo.put("a", 1, 10);
        assert_eq!(memo.get(&"a", 1), Some(10));
        assert_eq!(memo.get(&"a", 2), None, "a newer generation");
        memo.update(&"a", |v| *v += 1);
        assert_eq!(memo.get(&"a", 1), Some(11));
        memo.put("b", 1, 20);
        memo.put("c", 1, 30);
        assert_eq!(memo.get(&"a", 1), None, "full: emptied");
        assert_eq!(memo.get(&"c", 1), Some(30));
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(memo.get(&"c", 1), None, "expired");
    }
}

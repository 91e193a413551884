//! Prefixed, random string ids (`ord_…`, `svc_…`) and random tokens.

use rand::distributions::Alphanumeric;
use rand::Rng;

/// `len` random alphanumeric characters from the operating system's CSPRNG-seeded generator.
pub fn random_token(len: usize) -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(len)
        .map(char::from)
        .collect()
}

const BASE36: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";

fn base36(mut n: u64, width: usize) -> String {
    let mut out = vec![b'0'; width];
    for slot in out.iter_mut().rev() {
        *slot = BASE36[(n % 36) as usize];
        n /= 36;
    }
    String::from_utf8(out).unwrap_or_default()
}

/// A new id such as `ord_0mhx2k9q1002a7f3kq9zt0bw`: the prefix names the resource; then 9
/// characters of wall-clock milliseconds and 3 of a per-process counter (so ids sort in
/// creation order, also within one millisecond and under any collation: digits and lower-case
/// letters only), then 12 random characters.
pub fn new_id(prefix: &str) -> String {
    use std::sync::atomic::{AtomicU64, Ordering};
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let millis = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as u64)
        .unwrap_or_default();
    let n = COUNTER.fetch_add(1, Ordering::Relaxed) % (36 * 36 * 36);
    let random: String = (0..12)
        .map(|_| BASE36[rand::thread_rng().gen_range(0..36)] as char)
        .collect();
    format!("{prefix}_{}{}{random}", base36(millis, 9), base36(n, 3))
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_are_prefixed_and_distinct() {
        let a = super::new_id("ord");
        let b = super::new_id("ord");
        assert!(a.starts_with("ord_") && a.len() == 28);
        assert_ne!(a, b);
        let many: Vec<String> = (0..2000).map(|_| super::new_id("evt")).collect();
        let mut sorted = many.clone();
        sorted.sort();
        assert_eq!(many, sorted, "ids sort in creation order");
    }
}

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

/// A new id such as `ord_3kT9…`: the prefix names the resource, 24 random characters follow.
pub fn new_id(prefix: &str) -> String {
    format!("{prefix}_{}", random_token(24))
}

#[cfg(test)]
mod tests {
    #[test]
    fn ids_are_prefixed_and_distinct() {
        let a = super::new_id("ord");
        let b = super::new_id("ord");
        assert!(a.starts_with("ord_") && a.len() == 28);
        assert_ne!(a, b);
    }
}

//! Hashing of passwords (argon2id, memory-hard) and of random secrets (SHA-256: the
//! credential secrets and invitation tokens are 40 random characters, so a fast hash is
//! enough and lets them be looked up by hash).
//!
//! One email may be a member of several partners, each membership with its own password.
//! The memberships of one email share one salt ([`hash_password_like`]), so that a sign-in
//! computes one hash and compares it with every membership's ([`matching`]): the cost of a
//! sign-in, and the time it takes, do not depend on how many partners a person belongs to.

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::{Algorithm, Argon2, Params, Version};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use crate::error::ApiError;

/// The parameters of new hashes: argon2id with 7 MiB of memory and 5 passes, one lane — the
/// lowest-memory of OWASP's equivalent argon2id settings (the others: 19 MiB × 2 passes,
/// 12 MiB × 3, 9 MiB × 4). Hashes keep the parameters they were made with, so a stored hash
/// made with other parameters still verifies.
fn hasher() -> Argon2<'static> {
    Argon2::new(
        Algorithm::Argon2id,
        Version::V0x13,
        Params::new(7 * 1024, 5, 1, None).expect("valid argon2 parameters"),
    )
}

/// One hash computation at a time in this process: each holds its memory (7 MiB) while it
/// runs, so concurrent sign-ins do not add up in the resident size. Sign-ins are rare and
/// bounded per second (see `throttle`); a computation takes a few milliseconds.
fn one_at_a_time<T>(compute: impl FnOnce() -> T) -> T {
    static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _turn = TURN.lock().unwrap_or_else(|p| p.into_inner());
    compute()
}

pub fn hash_password(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut OsRng);
    one_at_a_time(|| {
        hasher()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(ApiError::internal)
    })
}

/// Hashes `password` for another membership of the email whose existing membership has
/// `existing` as its hash: with the same salt (and the current parameters), so that one hash
/// computation checks a password against all of them. A fresh salt when there is none (or it
/// cannot be read).
pub fn hash_password_like(password: &str, existing: Option<&str>) -> Result<String, ApiError> {
    let parsed = existing.and_then(|h| PasswordHash::new(h).ok());
    match parsed.as_ref().and_then(|p| p.salt) {
        Some(salt) => one_at_a_time(|| {
            hasher()
                .hash_password(password.as_bytes(), salt)
                .map(|h| h.to_string())
                .map_err(ApiError::internal)
        }),
        None => hash_password(password),
    }
}

/// What one hash computation is keyed by: everything in a PHC string but the output
/// (algorithm, version, parameters, salt), and the output's length.
fn computation_of(hash: &str) -> Option<(&str, usize)> {
    let parsed = PasswordHash::new(hash).ok()?;
    let output = parsed.hash?;
    let (input, _) = hash.rsplit_once('$')?;
    Some((input, output.len()))
}

/// How many hash computations [`matching`] makes for these stored hashes: one per distinct
/// salt and parameters, and one (against a dummy hash) when none can be read.
pub fn computations(hashes: &[String]) -> usize {
    let mut seen: Vec<(&str, usize)> = hashes.iter().filter_map(|h| computation_of(h)).collect();
    seen.sort_unstable();
    seen.dedup();
    seen.len().max(1)
}

/// For each stored hash, whether `password` is its password. Computes the hash once per
/// distinct salt and parameters (see [`computations`]) and compares outputs in constant time;
/// with no readable hash it computes against a dummy one, so that an unknown email costs the
/// same time as a wrong password.
pub fn matching(password: &str, hashes: &[String]) -> Vec<bool> {
    let mut computed: Vec<((&str, usize), Option<argon2::password_hash::Output>)> = Vec::new();
    let answer = hashes
        .iter()
        .map(|stored| {
            let (Some(at), Ok(parsed)) = (computation_of(stored), PasswordHash::new(stored)) else {
                return false;
            };
            let output = match computed.iter().find(|(k, _)| *k == at) {
                Some((_, output)) => *output,
                None => {
                    let output = compute(password, &parsed);
                    computed.push((at, output));
                    output
                }
            };
            // `Output`'s equality is constant-time.
            matches!((output, parsed.hash), (Some(a), Some(b)) if a == b)
        })
        .collect();
    if computed.is_empty() {
        verify_password(password, dummy_hash());
    }
    answer
}

/// The output of hashing `password` like `like` (its algorithm, version, parameters, salt).
fn compute(password: &str, like: &PasswordHash<'_>) -> Option<argon2::password_hash::Output> {
    let params = argon2::Params::try_from(like).ok()?;
    one_at_a_time(|| {
        Argon2::default()
            .hash_password_customized(
                password.as_bytes(),
                Some(like.algorithm),
                like.version,
                params,
                like.salt?,
            )
            .ok()?
            .hash
    })
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    PasswordHash::new(hash)
        .map(|parsed| {
            one_at_a_time(|| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &parsed)
                    .is_ok()
            })
        })
        .unwrap_or(false)
}

/// A hash to compare against when the account does not exist, so that a wrong email costs
/// the same time as a wrong password.
pub fn dummy_hash() -> &'static str {
    static H: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    H.get_or_init(|| hash_password("not-a-real-password-at-all").unwrap_or_default())
}

/// Hex SHA-256 of a high-entropy secret.
pub fn hash_secret(secret: &str) -> String {
    let digest = Sha256::digest(secret.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Constant-time comparison of a secret with its stored hash.
pub fn secret_matches(secret: &str, stored_hash: &str) -> bool {
    hash_secret(secret)
        .as_bytes()
        .ct_eq(stored_hash.as_bytes())
        .into()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_round_trip() {
        let h = hash_password("correct horse battery").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery", &h));
        assert!(!verify_password("wrong", &h));
    }

    #[test]
    fn memberships_sharing_a_salt_are_checked_with_one_computation() {
        let first = hash_password("first password").unwrap();
        let second = hash_password_like("second password", Some(&first)).unwrap();
        let other = hash_password("first password").unwrap();
        assert_ne!(first, second);
        assert_eq!(
            first.rsplit_once('$').unwrap().0,
            second.rsplit_once('$').unwrap().0
        );
        let both = vec![first.clone(), second.clone()];
        assert_eq!(computations(&both), 1);
        assert_eq!(matching("first password", &both), vec![true, false]);
        assert_eq!(matching("second password", &both), vec![false, true]);
        assert_eq!(matching("neither", &both), vec![false, false]);
        // Another salt is another computation; still correct.
        let three = vec![first, second, other];
        assert_eq!(computations(&three), 2);
        assert_eq!(matching("first password", &three), vec![true, false, true]);
        // Nothing readable: the dummy computation, no match.
        assert_eq!(computations(&[]), 1);
        assert!(matching("x", &[]).is_empty());
        assert_eq!(matching("x", &["garbage".to_string()]), vec![false]);
        assert_eq!(
            hash_password_like("p", Some("garbage")).unwrap().len(),
            hash_password("p").unwrap().len()
        );
    }

    #[test]
    fn secret_hashes_compare() {
        let h = hash_secret("onyx_sk_test_abc");
        assert!(secret_matches("onyx_sk_test_abc", &h));
        assert!(!secret_matches("onyx_sk_test_abd", &h));
    }
}

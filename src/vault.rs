//! The service's one secret box: ChaCha20-Poly1305 under `ONYX_ENCRYPTION_KEY`, used for
//! activation materials and webhook signing secrets. Callers give associated data (row ids)
//! so a sealed value cannot be moved to another row.

use base64::Engine;
use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{ChaCha20Poly1305, Key, Nonce};

use crate::config::Config;
use crate::error::ApiError;

/// Seals and opens secrets at rest.
pub struct Vault {
    cipher: ChaCha20Poly1305,
    /// The SM-DP+ address written into activation materials (configuration the vault's
    /// main user, activation, needs next to the key).
    pub smdp_address: String,
}

impl Vault {
    pub fn from_config(config: &Config) -> Vault {
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(config.encryption_key.expose())
            .unwrap_or_else(|_| vec![0; 32]);
        Vault {
            cipher: ChaCha20Poly1305::new(Key::from_slice(&bytes)),
            smdp_address: config.smdp_address.clone(),
        }
    }

    /// Seals arbitrary secret bytes (e.g. webhook signing secrets); returns (nonce, sealed).
    pub fn seal_bytes(&self, aad: &str, plain: &[u8]) -> Result<(Vec<u8>, Vec<u8>), ApiError> {
        let nonce: [u8; 12] = rand::random();
        let sealed = self
            .cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plain,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| ApiError::internal("sealing a secret failed"))?;
        Ok((nonce.to_vec(), sealed))
    }

    /// Opens bytes sealed by [`Vault::seal_bytes`] with the same associated data.
    pub fn open_bytes(&self, aad: &str, nonce: &[u8], sealed: &[u8]) -> Result<Vec<u8>, ApiError> {
        if nonce.len() != 12 {
            return Err(ApiError::internal("bad nonce"));
        }
        self.cipher
            .decrypt(
                Nonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: aad.as_bytes(),
                },
            )
            .map_err(|_| {
                ApiError::internal("a sealed secret cannot be opened with the current key")
            })
    }
}

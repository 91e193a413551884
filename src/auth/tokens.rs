//! Access tokens: HS256 JWTs signed with `ONYX_JWT_SECRET`. Only HS256 is accepted (a token
//! announcing `none` or another algorithm is refused), issuer and audience are checked, and
//! expiry is checked against the service clock (so tests can move time).

use chrono::{DateTime, Utc};
use jsonwebtoken::{decode, encode, Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::config::Secret;
use crate::error::ApiError;

pub const ISSUER: &str = "onyx";
pub const AUDIENCE: &str = "onyx-partner-api";

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    /// Credential id (`cred_…`) or member id (`mem_…`).
    pub sub: String,
    /// Partner id.
    pub ptr: String,
    /// `sandbox` or `live`.
    pub env: String,
    /// `credential` or `member`.
    pub kind: String,
    /// The member's role when issued (informational; the current role is read per request).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    pub iat: i64,
    pub exp: i64,
    pub jti: String,
}

pub struct Issued {
    pub token: String,
    pub expires_in: i64,
}

/// Whom a token is issued to.
pub struct Subject<'a> {
    /// Credential id or member id.
    pub id: &'a str,
    pub partner_id: &'a str,
    pub environment: &'a str,
    /// `credential` or `member`.
    pub kind: &'a str,
    pub role: Option<&'a str>,
}

pub fn issue(
    secret: &Secret,
    subject: Subject<'_>,
    now: DateTime<Utc>,
    ttl_secs: i64,
) -> Result<Issued, ApiError> {
    let claims = Claims {
        iss: ISSUER.into(),
        aud: AUDIENCE.into(),
        sub: subject.id.into(),
        ptr: subject.partner_id.into(),
        env: subject.environment.into(),
        kind: subject.kind.into(),
        role: subject.role.map(str::to_string),
        iat: now.timestamp(),
        exp: now.timestamp() + ttl_secs,
        jti: crate::ids::new_id("tok"),
    };
    let token = encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(secret.expose().as_bytes()),
    )
    .map_err(ApiError::internal)?;
    Ok(Issued {
        token,
        expires_in: ttl_secs,
    })
}

fn invalid() -> ApiError {
    ApiError::Unauthenticated {
        code: "invalid_token",
        detail: "The access token is not valid; request a new one.".into(),
    }
}

/// Verifies signature, algorithm, issuer, audience and expiry (against `now`).
pub fn verify(secret: &Secret, token: &str, now: DateTime<Utc>) -> Result<Claims, ApiError> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.set_issuer(&[ISSUER]);
    validation.set_audience(&[AUDIENCE]);
    validation.validate_exp = false;
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    let data = decode::<Claims>(
        token,
        &DecodingKey::from_secret(secret.expose().as_bytes()),
        &validation,
    )
    .map_err(|_| invalid())?;
    if data.claims.exp <= now.timestamp() {
        return Err(ApiError::Unauthenticated {
            code: "token_expired",
            detail: "The access token has expired; request a new one.".into(),
        });
    }
    Ok(data.claims)
}

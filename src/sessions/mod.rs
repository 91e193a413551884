//! Signing in: machine credentials exchanged for an access token (OAuth 2.0 client
//! credentials) and team members' email + password logins. Both are guarded by the guessing
//! limits of `auth::throttle`, check the partner's state (`auth::check_partner_gate`) and
//! issue a JWT with `auth::tokens`; a login is audited. The handlers (`routes`) only parse
//! requests and shape answers.

pub mod routes;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::audit::{self, AuditActor};
use crate::auth::{check_partner_gate, passwords, throttle, tokens, Environment};
use crate::config::Secret;
use crate::db::schema::{members, partners};
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::state::AppState;
use crate::team::MemberRow;
use crate::validation::normalize_email;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[validate(length(min = 1, max = 254))]
    #[schema(
        example = "owner@demo-partner.example",
        min_length = 1,
        max_length = 254
    )]
    pub email: String,
    #[validate(length(min = 1, max = 128))]
    #[schema(
        example = "a long passphrase you keep secret",
        min_length = 1,
        max_length = 128
    )]
    pub password: String,
    /// The environment to act in (default `sandbox`; `live` once Onyx enabled it).
    pub environment: Option<Environment>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct LoginResponse {
    #[schema(example = "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl")]
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: String,
    #[schema(example = 900)]
    pub expires_in: i64,
    pub environment: Environment,
    pub member: crate::team::Member,
    #[schema(example = "ptr_8Jd2kQ0vXn4LmT7sWc1aZp9e")]
    pub partner_id: String,
}

fn invalid_login() -> ApiError {
    ApiError::Unauthenticated {
        code: "invalid_login",
        detail: "The email or password is wrong.".into(),
    }
}

/// What a client-credentials exchange comes to.
pub enum Grant {
    /// A token for the credential's environment.
    Issued(tokens::Issued, Environment),
    /// Unknown client, wrong secret, or an unusable credential (never says which).
    BadClient,
    /// The credential is fine but its partner may not get tokens (suspended, live not enabled).
    Refused(ApiError),
}

/// Exchanges a client id and secret for an access token, counting attempts per client id
/// (`throttle::TOKEN`). Runs inside one write transaction.
pub fn exchange_client_credentials(
    c: &mut DbConnection,
    jwt_secret: &Secret,
    ttl: i64,
    client_id: &str,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<Grant, ApiError> {
    let key = throttle::key("token", client_id, jwt_secret);
    // The attempt is counted before the secret is compared (a fast hash, so the counter's row
    // may stay locked by this transaction meanwhile).
    throttle::reserve(c, &key, throttle::TOKEN, now)?;
    let Some(client) = crate::credentials::verify_client(c, client_id, secret, now)? else {
        throttle::record_failure(c, &key, throttle::TOKEN)?;
        return Ok(Grant::BadClient);
    };
    throttle::clear(c, &key)?;
    let (status, live_enabled): (String, bool) = partners::table
        .find(&client.partner_id)
        .select((partners::status, partners::live_enabled))
        .first(c)?;
    if let Err(e) = check_partner_gate(&status, live_enabled, client.environment) {
        return Ok(Grant::Refused(e));
    }
    let issued = tokens::issue(
        jwt_secret,
        tokens::Subject {
            id: &client.credential_id,
            partner_id: &client.partner_id,
            environment: client.environment.as_str(),
            kind: "credential",
            role: None,
        },
        now,
        ttl,
    )?;
    Ok(Grant::Issued(issued, client.environment))
}

/// Signs a team member in: the attempt is counted per email before the password is checked
/// (`throttle::reserve`, so simultaneous requests check at most the limit between them), the
/// password is checked on the blocking pool (against a dummy hash when the email is unknown,
/// so timing does not tell), a failure is audited, a success clears the count, records the
/// login and returns a token.
pub async fn login(state: &AppState, req: LoginRequest) -> Result<LoginResponse, ApiError> {
    let email = normalize_email(&req.email);
    let environment = req.environment.unwrap_or(Environment::Sandbox);
    let now = state.now();
    let key = throttle::key("login", &email, &state.config.jwt_secret);
    let (k, e) = (key.clone(), email.clone());
    // The member and their partner's state, in one read.
    let found: Option<(MemberRow, (String, bool))> = state
        .db
        .read(move |c| {
            // A locked email is refused here without taking one of the instance's checks.
            throttle::check(c, &k, throttle::LOGIN, now)?;
            Ok(members::table
                .inner_join(partners::table)
                .filter(members::email.eq(&e))
                .select((
                    MemberRow::as_select(),
                    (partners::status, partners::live_enabled),
                ))
                .first(c)
                .optional()?)
        })
        .await?;
    let (member, gate) = match found {
        Some((m, gate)) => (Some(m), Some(gate)),
        None => (None, None),
    };
    // A bound on password verifications for the whole instance, whoever asks: each is a
    // memory-hard hash, so anonymous callers cannot make the service spend unbounded CPU.
    state
        .password_checks
        .check()
        .map_err(crate::auth::rate_limited)?;
    let k = key.clone();
    state
        .db
        .write(move |c| throttle::reserve(c, &k, throttle::LOGIN, now))
        .await?;
    let stored = member.as_ref().map(|m| m.password_hash.clone());
    let password = req.password;
    let ok = actix_web::web::block(move || {
        let hash = stored.as_deref().unwrap_or_else(|| passwords::dummy_hash());
        passwords::verify_password(&password, hash)
    })
    .await?;
    match (member, gate) {
        (Some(m), Some((status, live_enabled))) if ok => {
            if let Err(refused) = check_partner_gate(&status, live_enabled, environment) {
                // The password was right: not a guess, whatever the partner's state.
                state.db.write(move |c| throttle::clear(c, &key)).await?;
                return Err(refused);
            }
            let issued = tokens::issue(
                &state.config.jwt_secret,
                tokens::Subject {
                    id: &m.id,
                    partner_id: &m.partner_id,
                    environment: environment.as_str(),
                    kind: "member",
                    role: Some(&m.role),
                },
                now,
                state.config.token_ttl_secs,
            )?;
            let (mid, pid) = (m.id.clone(), m.partner_id.clone());
            state
                .db
                .write(move |c| {
                    throttle::clear(c, &key)?;
                    diesel::update(members::table.find(&mid))
                        .set(members::last_login_at.eq(Some(now.naive_utc())))
                        .execute(c)?;
                    audit::record(
                        c,
                        audit::Entry {
                            partner_id: Some(&pid),
                            environment: Some(environment.as_str()),
                            actor: AuditActor::member(&mid),
                            action: "auth.login_succeeded",
                            target: Some(("member", &mid)),
                            details: serde_json::json!({}),
                        },
                        now,
                    )
                })
                .await?;
            let partner_id = m.partner_id.clone();
            let mut member = crate::team::Member::try_from(m)?;
            member.last_login_at = Some(now);
            Ok(LoginResponse {
                access_token: issued.token,
                token_type: "Bearer".into(),
                expires_in: issued.expires_in,
                environment,
                member,
                partner_id,
            })
        }
        (member, _) => {
            let target = member.map(|m| (m.partner_id, m.id));
            state
                .db
                .write(move |c| {
                    throttle::record_failure(c, &key, throttle::LOGIN)?;
                    if let Some((pid, mid)) = &target {
                        audit::record(
                            c,
                            audit::Entry {
                                partner_id: Some(pid),
                                environment: None,
                                actor: AuditActor::anonymous(),
                                action: "auth.login_failed",
                                target: Some(("member", mid)),
                                details: serde_json::json!({ "reason": "wrong_password" }),
                            },
                            now,
                        )?;
                    }
                    Ok(())
                })
                .await?;
            Err(invalid_login())
        }
    }
}

//! Signing in: machine credentials exchanged for an access token (OAuth 2.0 client
//! credentials) and team members' email + password logins (one email may belong to the teams
//! of several partners). Both are guarded by the guessing limits of `auth::throttle`, check
//! the partner's state (`auth::check_partner_gate`) and issue a JWT with `auth::tokens`; a
//! login is audited. The handlers (`routes`) only parse requests and shape answers.

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
    /// The partner to sign in to. Needed only when this email and password open the teams of
    /// several partners: without it such a sign-in answers 409 `partner_choice_required`
    /// listing them.
    #[validate(length(min = 1, max = 64))]
    #[schema(
        example = "ptr_8Jd2kQ0vXn4LmT7sWc1aZp9e",
        min_length = 1,
        max_length = 64
    )]
    pub partner_id: Option<String>,
}

/// A partner whose team this email and password sign in to.
#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerChoice {
    #[schema(example = "ptr_8Jd2kQ0vXn4LmT7sWc1aZp9e")]
    pub partner_id: String,
    #[schema(example = "Wanderlust Travel")]
    pub name: String,
}

/// What a sign-in comes to when the password is right.
pub enum Login {
    /// Signed in to the one membership the password opens.
    SignedIn(LoginResponse),
    /// The password opens the memberships of several partners: the caller picks one and sends
    /// its id as `partner_id`.
    ChoosePartner(Vec<PartnerChoice>),
}

/// The refusal that asks which partner to sign in to (the body adds the `partners` list).
pub fn partner_choice_required() -> ApiError {
    ApiError::Conflict {
        code: "partner_choice_required",
        detail: "This email and password sign in to the teams of several partners; send the request again with `partner_id` set to one of `partners`.".into(),
    }
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

/// A membership an email may sign in to: the member row and its partner.
struct Membership {
    member: MemberRow,
    partner_name: String,
    partner_status: String,
    live_enabled: bool,
}

/// The memberships of `email` (of `partner_id` only, when given), oldest first.
fn memberships(
    c: &mut DbConnection,
    email: &str,
    partner_id: Option<&str>,
) -> Result<Vec<Membership>, ApiError> {
    let rows: Vec<(MemberRow, (String, String, bool))> = members::table
        .inner_join(partners::table)
        .filter(members::email.eq(email))
        .order((members::created_at.asc(), members::id.asc()))
        .select((
            MemberRow::as_select(),
            (partners::name, partners::status, partners::live_enabled),
        ))
        .load(c)?;
    Ok(rows
        .into_iter()
        .filter(|(m, _)| partner_id.is_none_or(|p| m.partner_id == p))
        .map(
            |(member, (partner_name, partner_status, live_enabled))| Membership {
                member,
                partner_name,
                partner_status,
                live_enabled,
            },
        )
        .collect())
}

/// Takes `n` of the instance-wide password checks (at most a burst's worth), or refuses.
fn take_password_checks(state: &AppState, n: usize) -> Result<(), ApiError> {
    let burst = state.config.password_checks_per_second.max(1) as usize;
    let n =
        std::num::NonZeroU32::new(n.clamp(1, burst) as u32).unwrap_or(std::num::NonZeroU32::MIN);
    match state.password_checks.check_n(n) {
        Ok(Ok(())) => Ok(()),
        Ok(Err(not_until)) => Err(crate::auth::rate_limited(not_until)),
        Err(_) => Err(ApiError::RateLimited {
            retry_after_secs: 1,
        }),
    }
}

/// Signs a team member in.
///
/// One email may be a member of several partners, each membership with its own password.
/// `partner_id` narrows the sign-in to that partner's membership. Without it the password
/// decides: the membership it opens is signed in; when it opens several, the answer lists
/// them ([`Login::ChoosePartner`]) and the caller sends `partner_id`. Only memberships whose
/// password matched are named, so nothing is told to someone without the password.
///
/// Guessing: the attempt is counted per email before any password is checked
/// (`throttle::reserve`), so simultaneous requests check at most the limit between them; the
/// instance-wide bound on password checks applies first. The password is checked on the
/// blocking pool with one hash computation for all memberships (they share a salt) or against
/// a dummy hash when the email is unknown, so neither the time nor the answer tells whether or
/// where the email is a member. A failure is audited in each partner it was tried against; a
/// success clears the count, records the login and returns a token.
pub async fn login(state: &AppState, req: LoginRequest) -> Result<Login, ApiError> {
    let email = normalize_email(&req.email);
    let environment = req.environment.unwrap_or(Environment::Sandbox);
    let now = state.now();
    let key = throttle::key("login", &email, &state.config.jwt_secret);
    let (k, e, p) = (key.clone(), email.clone(), req.partner_id.clone());
    let found = state
        .db
        .read(move |c| {
            // A locked email is refused here without taking one of the instance's checks.
            throttle::check(c, &k, throttle::LOGIN, now)?;
            memberships(c, &e, p.as_deref())
        })
        .await?;
    let hashes: Vec<String> = found
        .iter()
        .map(|m| m.member.password_hash.clone())
        .collect();
    // A bound on password verifications for the whole instance, whoever asks: each is a
    // memory-hard hash, so anonymous callers cannot make the service spend unbounded CPU.
    take_password_checks(state, passwords::computations(&hashes))?;
    let k = key.clone();
    state
        .db
        .write(move |c| throttle::reserve(c, &k, throttle::LOGIN, now))
        .await?;
    let password = req.password;
    let matched = actix_web::web::block(move || passwords::matching(&password, &hashes)).await?;
    let (opened, tried): (Vec<_>, Vec<_>) = found.into_iter().zip(matched).partition(|(_, ok)| *ok);
    let mut opened: Vec<Membership> = opened.into_iter().map(|(m, _)| m).collect();
    match opened.len() {
        0 => {
            let tried: Vec<(String, String)> = tried
                .into_iter()
                .map(|(m, _)| (m.member.partner_id, m.member.id))
                .collect();
            state
                .db
                .write(move |c| {
                    throttle::record_failure(c, &key, throttle::LOGIN)?;
                    for (pid, mid) in &tried {
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
        1 => {
            let m = opened.remove(0);
            if let Err(refused) = check_partner_gate(&m.partner_status, m.live_enabled, environment)
            {
                // The password was right: not a guess, whatever the partner's state.
                state.db.write(move |c| throttle::clear(c, &key)).await?;
                return Err(refused);
            }
            let m = m.member;
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
            Ok(Login::SignedIn(LoginResponse {
                access_token: issued.token,
                token_type: "Bearer".into(),
                expires_in: issued.expires_in,
                environment,
                member,
                partner_id,
            }))
        }
        _ => {
            // The password is right: the guessing count is cleared as for any success.
            state.db.write(move |c| throttle::clear(c, &key)).await?;
            Ok(Login::ChoosePartner(
                opened
                    .into_iter()
                    .map(|m| PartnerChoice {
                        partner_id: m.member.partner_id,
                        name: m.partner_name,
                    })
                    .collect(),
            ))
        }
    }
}

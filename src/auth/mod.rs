//! Who is calling and what they may do.
//!
//! - [`Caller`] is the extractor every partner route takes: it verifies the bearer JWT, loads
//!   the partner and the member or credential behind it with one statement, or takes them from
//!   the [`cache`] while no access change has committed since (so revocation, removal, role
//!   changes and suspension still take effect on the next request), and carries the
//!   [`Tenant`] that every partner-scoped query requires.
//! - [`Operator`] guards `/v1/admin`.
//! - [`Permission`] and [`allows`] are the role matrix of the spec, in one table.

pub mod cache;
pub mod passwords;
pub mod throttle;
pub mod tokens;

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header::AUTHORIZATION;
use actix_web::{web, FromRequest, HttpRequest};
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use subtle::ConstantTimeEq;

use crate::db::schema::{credentials, members, partners};
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::state::AppState;

crate::stored_enum! {
    /// The two isolated environments of every partner.
    pub enum Environment {
        Sandbox = "sandbox",
        Live = "live",
    }
}

crate::stored_enum! {
    /// Team roles (see the role matrix in the API description).
    pub enum Role {
        Owner = "owner",
        Admin = "admin",
        Developer = "developer",
        Billing = "billing",
        Support = "support",
        Viewer = "viewer",
    }
}

/// What a route needs. One variant per row of the spec's role matrix (plus the audit log).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Permission {
    /// Catalogue, orders, services, usage: read.
    ReadOperations,
    /// Orders: create, cancel, retry.
    WriteOrders,
    /// Activation materials: read.
    ReadActivation,
    /// Wallet: read (machine credentials may read the wallet only).
    ReadWallet,
    /// Ledger and invoices: read.
    ReadBilling,
    /// Webhooks: manage, replay.
    ManageWebhooks,
    /// Credentials: manage.
    ManageCredentials,
    /// Team and invitations: manage.
    ManageTeam,
    /// Support cases: open, comment.
    SupportCases,
    /// Readiness: view.
    ViewReadiness,
    /// Readiness: request live access.
    RequestLive,
    /// Audit log: read.
    ReadAudit,
    /// Refunds: request and read (a billing matter partner backends automate too).
    RequestRefunds,
    /// Billing settings (low-balance alerts) and closing the sandbox period on demand.
    ManageBilling,
    /// Usage and expiry alert settings, and moving the sandbox test clock.
    ManageTime,
}

impl Permission {
    pub fn describe(self) -> &'static str {
        match self {
            Permission::ReadOperations => "read orders and services",
            Permission::WriteOrders => "create, cancel or retry orders",
            Permission::ReadActivation => "read activation materials",
            Permission::ReadWallet => "read the wallet",
            Permission::ReadBilling => "read the ledger and invoices",
            Permission::ManageWebhooks => "manage webhooks",
            Permission::ManageCredentials => "manage credentials",
            Permission::ManageTeam => "manage the team and invitations",
            Permission::SupportCases => "open or comment on support cases",
            Permission::ViewReadiness => "view readiness",
            Permission::RequestLive => "request live access",
            Permission::ReadAudit => "read the audit log",
            Permission::RequestRefunds => "request or read refunds",
            Permission::ManageBilling => "change billing settings or close the sandbox period",
            Permission::ManageTime => "change alert settings or move the sandbox clock",
        }
    }
}

/// The role matrix. `None` is a machine credential.
pub fn allows(role: Option<Role>, permission: Permission) -> bool {
    use Permission::*;
    use Role::*;
    match role {
        None => matches!(
            permission,
            ReadOperations
                | WriteOrders
                | ReadActivation
                | ReadWallet
                | ManageWebhooks
                | SupportCases
                | RequestRefunds
                | ManageTime
        ),
        Some(role) => match permission {
            ReadOperations => true,
            WriteOrders | ReadActivation | SupportCases => matches!(role, Owner | Admin | Support),
            ReadWallet | ReadBilling => matches!(role, Owner | Admin | Billing | Viewer),
            ManageWebhooks | ManageCredentials | ManageTime => {
                matches!(role, Owner | Admin | Developer)
            }
            ManageTeam | RequestLive | ReadAudit => matches!(role, Owner | Admin),
            ViewReadiness => matches!(role, Owner | Admin | Developer | Viewer),
            RequestRefunds => matches!(role, Owner | Admin | Billing | Support),
            ManageBilling => matches!(role, Owner | Admin | Billing),
        },
    }
}

/// One partner in one environment: the scope of every partner query.
///
/// Only three things make one, so a handler cannot scope a query to a tenant it typed in:
/// the [`Caller`] extractor (partner routes), [`Operator::acting_for`] (operator routes, which
/// hold the operator extractor), and [`Tenant::of_row`] (workers, the demo seed and the
/// console's session extractor, for a row they read and that already belongs to the tenant).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tenant {
    partner_id: String,
    environment: Environment,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    Member { id: String, role: Role },
    Credential { id: String },
}

impl Tenant {
    pub fn partner_id(&self) -> &str {
        &self.partner_id
    }

    pub fn environment(&self) -> Environment {
        self.environment
    }

    /// The tenant a stored row belongs to (its `partner_id` and `environment` columns); an
    /// environment text that does not parse is a server fault naming `column`.
    pub fn of_row(
        partner_id: &str,
        environment: &str,
        column: &'static str,
    ) -> Result<Tenant, ApiError> {
        Ok(Tenant {
            partner_id: partner_id.to_string(),
            environment: Environment::from_stored(environment, column)?,
        })
    }

    /// This tenant's time at real time `real`: real time in live; in sandbox, plus the
    /// partner's sandbox test clock offset (one statement). Every deadline of a tenant is
    /// judged against it (see `clock::TenantTime`).
    pub fn time(
        &self,
        conn: &mut DbConnection,
        real: DateTime<Utc>,
    ) -> Result<crate::clock::TenantTime, ApiError> {
        let sandbox = self.environment == Environment::Sandbox;
        Ok(crate::clock::TenantTime {
            real,
            offset: crate::clock::offset_of(conn, &self.partner_id, sandbox)?,
        })
    }

    /// Sandbox helpers do not exist for live credentials: they answer 404 as an unknown route.
    pub fn require_sandbox(&self) -> Result<(), ApiError> {
        if self.environment == Environment::Sandbox {
            return Ok(());
        }
        Err(ApiError::NotFound {
            code: "route_not_found",
            detail: "Sandbox helpers exist only for sandbox credentials.".into(),
        })
    }
}

/// The authenticated caller of a partner route.
#[derive(Debug, Clone)]
pub struct Caller {
    pub tenant: Tenant,
    pub actor: Actor,
}

impl Caller {
    pub fn role(&self) -> Option<Role> {
        match &self.actor {
            Actor::Member { role, .. } => Some(*role),
            Actor::Credential { .. } => None,
        }
    }

    pub fn actor_type(&self) -> &'static str {
        match self.actor {
            Actor::Member { .. } => "member",
            Actor::Credential { .. } => "credential",
        }
    }

    pub fn actor_id(&self) -> &str {
        match &self.actor {
            Actor::Member { id, .. } | Actor::Credential { id } => id,
        }
    }

    /// Refuses the request unless the caller's role has `permission`.
    pub fn require(&self, permission: Permission) -> Result<&Tenant, ApiError> {
        if allows(self.role(), permission) {
            return Ok(&self.tenant);
        }
        let who = match self.role() {
            Some(r) => format!("The {} role", r.as_str()),
            None => "A machine credential".to_string(),
        };
        Err(ApiError::Forbidden {
            code: "forbidden",
            detail: format!(
                "{who} may not {}; ask an owner or admin of your organisation.",
                permission.describe()
            ),
        })
    }
}

/// The caller of a console request: the member of a console session read from the database
/// (`console::session`), with the tenant of that session row. Only the console's session
/// extractor makes one.
pub(crate) fn console_caller(tenant: Tenant, member_id: String, role: Role) -> Caller {
    Caller {
        tenant,
        actor: Actor::Member {
            id: member_id,
            role,
        },
    }
}

/// 429 with `Retry-After` for a refusal of one of the in-process rate limiters.
pub fn rate_limited(not_until: governor::NotUntil<governor::clock::QuantaInstant>) -> ApiError {
    use governor::clock::Clock;
    let wait = not_until.wait_time_from(governor::clock::DefaultClock::default().now());
    ApiError::RateLimited {
        retry_after_secs: wait.as_secs().max(1),
    }
}

fn unauthenticated(code: &'static str, detail: &str) -> ApiError {
    ApiError::Unauthenticated {
        code,
        detail: detail.to_string(),
    }
}

/// The bearer token of the request, if any.
pub fn bearer(req: &HttpRequest) -> Option<&str> {
    let raw = req.headers().get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = raw.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

/// How often `last_used_at` of a credential is written at most.
const LAST_USED_RESOLUTION_SECS: i64 = 60;

#[derive(Debug, Clone, Queryable)]
struct PartnerGate {
    status: String,
    live_enabled: bool,
}

/// What the database says about a token's subject: loaded with one statement, checked on
/// every request against the clock (so a rotated credential's grace period ends on time even
/// while the record is cached).
#[derive(Debug, Clone)]
pub struct AccessRecord {
    gate: PartnerGate,
    subject: Subject,
}

#[derive(Debug, Clone)]
enum Subject {
    Credential {
        id: String,
        status: String,
        expires_at: Option<chrono::NaiveDateTime>,
        last_used_at: Option<chrono::NaiveDateTime>,
        /// How far the environment's clock is ahead of real time (a moved sandbox test
        /// clock): the grace period of a rotated credential ends on that clock.
        clock_offset: Duration,
    },
    Member {
        id: String,
        role: Role,
    },
}

impl AccessRecord {
    /// The caller this record allows at `now`, and whether the credential's `last_used_at`
    /// is due to be written.
    fn check(
        &self,
        environment: Environment,
        now: DateTime<Utc>,
    ) -> Result<(Actor, bool), ApiError> {
        check_partner_gate(&self.gate.status, self.gate.live_enabled, environment)?;
        match &self.subject {
            Subject::Credential {
                id,
                status,
                expires_at,
                last_used_at,
                clock_offset,
            } => {
                credential_usable(
                    status,
                    crate::time::utc_opt(*expires_at),
                    now + *clock_offset,
                )?;
                let stale = last_used_at.is_none_or(|t| {
                    now - crate::time::utc(t) >= Duration::seconds(LAST_USED_RESOLUTION_SECS)
                });
                Ok((Actor::Credential { id: id.clone() }, stale))
            }
            Subject::Member { id, role } => Ok((
                Actor::Member {
                    id: id.clone(),
                    role: *role,
                },
                false,
            )),
        }
    }

    fn used(&mut self, at: chrono::NaiveDateTime) {
        if let Subject::Credential { last_used_at, .. } = &mut self.subject {
            *last_used_at = Some(at);
        }
    }
}

/// Loads the credential or member a token names, with its partner's gate, in one statement.
fn load_access(conn: &mut DbConnection, key: &cache::Key) -> Result<AccessRecord, ApiError> {
    let invalid = || {
        unauthenticated(
            "invalid_token",
            "The access token is not valid; request a new one.",
        )
    };
    let partner_known = |conn: &mut DbConnection| -> Result<bool, ApiError> {
        Ok(
            diesel::select(diesel::dsl::exists(partners::table.find(&key.partner_id)))
                .get_result(conn)?,
        )
    };
    match key.kind.as_str() {
        "credential" => {
            type CredentialRow = (
                String,
                Option<chrono::NaiveDateTime>,
                Option<chrono::NaiveDateTime>,
                PartnerGate,
            );
            let row: Option<CredentialRow> = credentials::table
                .inner_join(partners::table)
                .filter(credentials::id.eq(&key.subject))
                .filter(credentials::partner_id.eq(&key.partner_id))
                .filter(credentials::environment.eq(key.environment.as_str()))
                .select((
                    credentials::status,
                    credentials::expires_at,
                    credentials::last_used_at,
                    (partners::status, partners::live_enabled),
                ))
                .first(conn)
                .optional()?;
            let Some((status, expires_at, last_used_at, gate)) = row else {
                // Rare: tell a vanished partner (invalid token) from a deleted credential.
                return Err(if partner_known(conn)? {
                    unauthenticated(
                        "credential_revoked",
                        "This credential no longer exists; create a new one.",
                    )
                } else {
                    invalid()
                });
            };
            // The sandbox test clock of the partner: the grace of a rotated credential ends
            // on it.
            let sandbox = key.environment == Environment::Sandbox;
            let clock_offset = crate::clock::offset_of(conn, &key.partner_id, sandbox)?;
            Ok(AccessRecord {
                gate,
                subject: Subject::Credential {
                    id: key.subject.clone(),
                    status,
                    expires_at,
                    last_used_at,
                    clock_offset,
                },
            })
        }
        "member" => {
            let row: Option<(String, PartnerGate)> = members::table
                .inner_join(partners::table)
                .filter(members::id.eq(&key.subject))
                .filter(members::partner_id.eq(&key.partner_id))
                .select((members::role, (partners::status, partners::live_enabled)))
                .first(conn)
                .optional()?;
            let Some((role, gate)) = row else {
                return Err(if partner_known(conn)? {
                    unauthenticated("member_removed", "This team member no longer has access; ask an owner or admin to invite you again.")
                } else {
                    invalid()
                });
            };
            Ok(AccessRecord {
                gate,
                subject: Subject::Member {
                    id: key.subject.clone(),
                    role: Role::from_stored(&role, "members.role")?,
                },
            })
        }
        _ => Err(invalid()),
    }
}

/// Refuses a suspended partner, and live access before Onyx enabled it.
pub fn check_partner_gate(
    status: &str,
    live_enabled: bool,
    environment: Environment,
) -> Result<(), ApiError> {
    if status == "suspended" {
        return Err(ApiError::Forbidden {
            code: "partner_suspended",
            detail: "Your partner account is suspended by Onyx; contact Onyx support to have it reinstated.".into(),
        });
    }
    if environment == Environment::Live && !live_enabled {
        return Err(ApiError::Forbidden {
            code: "live_access_not_enabled",
            detail: "Live access is not enabled for your account yet; use sandbox until Onyx approves your production readiness.".into(),
        });
    }
    Ok(())
}

/// Is a credential in this state usable at `now`?
pub fn credential_usable(
    status: &str,
    expires_at: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    match status {
        "active" => Ok(()),
        "rotated" if expires_at.is_some_and(|e| now < e) => Ok(()),
        "rotated" => Err(unauthenticated(
            "credential_expired",
            "This credential was rotated and its grace period has ended; use the new credential.",
        )),
        _ => Err(unauthenticated(
            "credential_revoked",
            "This credential was revoked; create a new one.",
        )),
    }
}

async fn authenticate(req: HttpRequest) -> Result<Caller, ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .ok_or_else(|| ApiError::internal("app state missing"))?
        .clone();
    let token = bearer(&req).ok_or_else(|| {
        unauthenticated(
            "unauthenticated",
            "Send `Authorization: Bearer <access token>`; get one from POST /v1/oauth/token or POST /v1/auth/login.",
        )
    })?;
    let now = state.now();
    let claims = tokens::verify(&state.config.jwt_secret, token, now)?;
    let environment = Environment::parse(&claims.env).ok_or_else(|| {
        unauthenticated(
            "invalid_token",
            "The access token is not valid; request a new one.",
        )
    })?;
    let tenant = Tenant {
        partner_id: claims.ptr.clone(),
        environment,
    };
    let key = cache::Key {
        kind: claims.kind.clone(),
        subject: claims.sub.clone(),
        partner_id: claims.ptr.clone(),
        environment,
    };
    // Who the token's subject is now: from the access cache while nothing that changes
    // access has committed since it was loaded, else from the database (one statement).
    let access_cache = req.app_data::<web::Data<cache::AccessCache>>().cloned();
    let k = key.clone();
    let db = state.db.clone();
    let record = crate::memo::get_or_load(
        &state.db,
        access_cache.as_ref().map(|c| c.get_ref()),
        crate::db::Change::Access,
        key.clone(),
        async move { db.read(move |conn| load_access(conn, &k)).await },
    )
    .await?;
    let (actor, touch) = record.check(environment, now)?;
    // Rate limit per credential or member (429 with Retry-After).
    let limit_key = match &actor {
        Actor::Member { id, .. } | Actor::Credential { id } => id.clone(),
    };
    let limit = state.config.rate_limit_per_minute.max(1);
    match state.rate_limiter.check_key(&limit_key) {
        Ok(snapshot) => {
            actix_web::HttpMessage::extensions_mut(&req).insert(
                crate::http::caching::RateLimitInfo::per_minute(
                    limit,
                    snapshot.remaining_burst_capacity(),
                ),
            );
        }
        Err(not_until) => {
            actix_web::HttpMessage::extensions_mut(&req)
                .insert(crate::http::caching::RateLimitInfo::per_minute(limit, 0));
            return Err(rate_limited(not_until));
        }
    }
    if touch {
        if let Actor::Credential { id } = &actor {
            let id = id.clone();
            let at = now.naive_utc();
            state
                .db
                .write(move |conn| {
                    diesel::update(credentials::table.find(id))
                        .set(credentials::last_used_at.eq(at))
                        .execute(conn)?;
                    Ok(())
                })
                .await?;
            if let Some(cache) = &access_cache {
                cache.update(&key, |record| record.used(at));
            }
        }
    }
    Ok(Caller { tenant, actor })
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Caller, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(authenticate(req.clone()))
    }
}

/// An Onyx operator, authenticated by the configured operator token.
#[derive(Debug, Clone)]
pub struct Operator {
    _proof: (),
}

impl Operator {
    /// The service process itself acting as the operator (the demo seed at start-up); never
    /// made from a request.
    pub fn process() -> Operator {
        Operator { _proof: () }
    }

    /// The operator acting inside one partner's environment (credits, reports).
    pub fn acting_for(&self, partner_id: &str, environment: Environment) -> Tenant {
        Tenant {
            partner_id: partner_id.to_string(),
            environment,
        }
    }
}

impl FromRequest for Operator {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Operator, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let configured = req
            .app_data::<web::Data<AppState>>()
            .and_then(|s| s.config.admin_token.clone());
        let result = match (configured, bearer(req)) {
            (None, _) => Err(unauthenticated(
                "operator_access_disabled",
                "Operator routes are disabled because ONYX_ADMIN_TOKEN is not configured.",
            )),
            (Some(_), None) => Err(unauthenticated(
                "unauthenticated",
                "Send `Authorization: Bearer <operator token>` to use /v1/admin.",
            )),
            (Some(expected), Some(given)) => {
                if bool::from(expected.expose().as_bytes().ct_eq(given.as_bytes())) {
                    Ok(Operator { _proof: () })
                } else {
                    Err(unauthenticated(
                        "unauthenticated",
                        "The operator token is not valid.",
                    ))
                }
            }
        };
        std::future::ready(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matrix_matches_the_spec() {
        use Permission::*;
        // (permission, roles allowed in order owner..viewer, machine)
        let table: &[(Permission, [bool; 6], bool)] = &[
            (ReadOperations, [true, true, true, true, true, true], true),
            (WriteOrders, [true, true, false, false, true, false], true),
            (
                ReadActivation,
                [true, true, false, false, true, false],
                true,
            ),
            (ReadWallet, [true, true, false, true, false, true], true),
            (ReadBilling, [true, true, false, true, false, true], false),
            (
                ManageWebhooks,
                [true, true, true, false, false, false],
                true,
            ),
            (
                ManageCredentials,
                [true, true, true, false, false, false],
                false,
            ),
            (ManageTeam, [true, true, false, false, false, false], false),
            (SupportCases, [true, true, false, false, true, false], true),
            (ViewReadiness, [true, true, true, false, false, true], false),
            (RequestLive, [true, true, false, false, false, false], false),
            (RequestRefunds, [true, true, false, true, true, false], true),
            (
                ManageBilling,
                [true, true, false, true, false, false],
                false,
            ),
        ];
        for (perm, roles, machine) in table {
            for (role, expected) in Role::ALL.iter().zip(roles) {
                assert_eq!(allows(Some(*role), *perm), *expected, "{role:?} {perm:?}");
            }
            assert_eq!(allows(None, *perm), *machine, "machine {perm:?}");
        }
    }
}

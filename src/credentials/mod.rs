//! Machine credentials: a client id and a secret per environment. The secret
//! (`onyx_sk_test_…` / `onyx_sk_live_…`) is shown once and stored only as a hash. Rotating
//! issues a new credential and keeps the old one working for a grace period; revoking stops
//! it at once, including access tokens already issued from it.

pub mod routes;

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use serde::Serialize;
use utoipa::ToSchema;

use crate::audit::{self, AuditActor};
use crate::auth::passwords::{hash_secret, secret_matches};
use crate::auth::{credential_usable, Environment, Tenant};
use crate::db::schema::credentials;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::outbox;
use crate::paginate;
use crate::pagination::{Page, PageRequest};
use crate::time::{utc, utc_opt};

crate::stored_enum! {
    pub enum CredentialStatus {
        /// In use.
        Active = "active",
        /// Replaced by a newer credential; works until `expires_at`.
        Rotated = "rotated",
        /// Stopped.
        Revoked = "revoked",
    }
}

pub fn secret_prefix(env: Environment) -> &'static str {
    match env {
        Environment::Sandbox => "onyx_sk_test_",
        Environment::Live => "onyx_sk_live_",
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Credential {
    #[schema(example = "cred_Zx5Tc7Vb1Mk3Jd9rQ2n8sLw0")]
    pub id: String,
    #[schema(example = "Booking backend")]
    pub name: String,
    pub environment: Environment,
    /// Public identifier for `POST /v1/oauth/token`.
    #[schema(example = "onyx_ci_test_8sLw0Zx5Tc7Vb1Mk3Jd9")]
    pub client_id: String,
    pub status: CredentialStatus,
    /// Last four characters of the secret, to tell credentials apart.
    #[schema(example = "…Jd9r")]
    pub secret_hint: String,
    /// For a rotated credential: the credential that replaced it.
    pub replaced_by: Option<String>,
    /// For a rotated credential: when it stops working.
    pub expires_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// A new credential with its secret (shown only here).
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedCredential {
    #[serde(flatten)]
    pub credential: Credential,
    /// The secret. Shown once; store it in your secret manager. Onyx keeps only a hash.
    #[schema(example = "onyx_sk_test_4fQk9LmZ2xW8cV1bN7rT3sYh6gJd0pAe5uKiWq2R")]
    pub client_secret: String,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = credentials)]
struct Row {
    id: String,
    partner_id: String,
    environment: String,
    name: String,
    client_id: String,
    secret_hash: String,
    secret_hint: String,
    status: String,
    replaced_by: Option<String>,
    expires_at: Option<chrono::NaiveDateTime>,
    revoked_at: Option<chrono::NaiveDateTime>,
    last_used_at: Option<chrono::NaiveDateTime>,
    created_at: chrono::NaiveDateTime,
}

impl TryFrom<Row> for Credential {
    type Error = ApiError;

    fn try_from(r: Row) -> Result<Credential, ApiError> {
        Ok(Credential {
            id: r.id,
            name: r.name,
            environment: Environment::from_stored(&r.environment, "credentials.environment")?,
            client_id: r.client_id,
            status: CredentialStatus::from_stored(&r.status, "credentials.status")?,
            secret_hint: r.secret_hint,
            replaced_by: r.replaced_by,
            expires_at: utc_opt(r.expires_at),
            revoked_at: utc_opt(r.revoked_at),
            last_used_at: utc_opt(r.last_used_at),
            created_at: utc(r.created_at),
        })
    }
}

/// The event data of a credential (`payloads::CredentialEventData`; a rotation adds
/// `replaced_by` and `expires_at`).
fn view(c: &Credential) -> Result<serde_json::Value, ApiError> {
    crate::webhooks::payloads::value(&crate::credentials::CredentialEventData {
        id: c.id.clone(),
        name: c.name.clone(),
        client_id: c.client_id.clone(),
        environment: c.environment,
        status: c.status,
        replaced_by: None,
        expires_at: None,
    })
}

fn insert(
    conn: &mut DbConnection,
    tenant: &Tenant,
    name: &str,
    created_by: &str,
    now: DateTime<Utc>,
) -> Result<CreatedCredential, ApiError> {
    let id = crate::ids::new_id("cred");
    let env_tag = match tenant.environment() {
        Environment::Sandbox => "test",
        Environment::Live => "live",
    };
    let client_id = format!("onyx_ci_{env_tag}_{}", crate::ids::random_token(20));
    let secret = format!(
        "{}{}",
        secret_prefix(tenant.environment()),
        crate::ids::random_token(40)
    );
    let hint = format!("…{}", &secret[secret.len() - 4..]);
    diesel::insert_into(credentials::table)
        .values((
            credentials::id.eq(&id),
            credentials::partner_id.eq(tenant.partner_id()),
            credentials::environment.eq(tenant.environment().as_str()),
            credentials::name.eq(name.trim()),
            credentials::client_id.eq(&client_id),
            credentials::secret_hash.eq(hash_secret(&secret)),
            credentials::secret_hint.eq(&hint),
            credentials::status.eq("active"),
            credentials::created_by.eq(created_by),
            credentials::created_at.eq(now.naive_utc()),
            credentials::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(CreatedCredential {
        credential: get(conn, tenant, &id)?,
        client_secret: secret,
    })
}

fn record(
    conn: &mut DbConnection,
    tenant: &Tenant,
    actor: AuditActor,
    action: &str,
    cred: &Credential,
    extra: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let mut details = view(cred)?;
    if let (Some(d), Some(e)) = (details.as_object_mut(), extra.as_object()) {
        d.extend(e.clone());
    }
    audit::record(
        conn,
        audit::Entry {
            partner_id: Some(tenant.partner_id()),
            environment: Some(tenant.environment().as_str()),
            actor,
            action,
            target: Some(("credential", &cred.id)),
            details: details.clone(),
        },
        now,
    )?;
    outbox::emit(conn, tenant, action, &cred.id, details, now)?;
    Ok(())
}

pub fn create(
    conn: &mut DbConnection,
    tenant: &Tenant,
    name: &str,
    actor: AuditActor,
    now: DateTime<Utc>,
) -> Result<CreatedCredential, ApiError> {
    let created_by = actor.id.clone().unwrap_or_default();
    let created = insert(conn, tenant, name, &created_by, now)?;
    record(
        conn,
        tenant,
        actor,
        "credential.created",
        &created.credential,
        serde_json::json!({}),
        now,
    )?;
    Ok(created)
}

pub fn get(conn: &mut DbConnection, tenant: &Tenant, id: &str) -> Result<Credential, ApiError> {
    credentials::table
        .filter(credentials::partner_id.eq(tenant.partner_id()))
        .filter(credentials::environment.eq(tenant.environment().as_str()))
        .filter(credentials::id.eq(id))
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("credential"))
        .and_then(Credential::try_from)
}

pub fn list(
    conn: &mut DbConnection,
    tenant: &Tenant,
    page: &PageRequest,
) -> Result<Page<Credential>, ApiError> {
    let rows: Vec<Row> = paginate!(
        credentials::table
            .filter(credentials::partner_id.eq(tenant.partner_id()))
            .filter(credentials::environment.eq(tenant.environment().as_str())),
        credentials,
        page
    )
    .select(Row::as_select())
    .load(conn)?;
    Page::try_from_rows(
        rows,
        page,
        |r| (r.created_at, r.id.clone()),
        Credential::try_from,
    )
}

/// Issues a replacement; the old credential keeps working for `grace`, then stops.
pub fn rotate(
    conn: &mut DbConnection,
    tenant: &Tenant,
    id: &str,
    grace: Duration,
    actor: AuditActor,
    now: DateTime<Utc>,
) -> Result<CreatedCredential, ApiError> {
    let old = get(conn, tenant, id)?;
    if old.status != CredentialStatus::Active {
        return Err(ApiError::Conflict {
            code: "invalid_credential_state",
            detail: "Only an active credential can be rotated; rotate its replacement instead."
                .into(),
        });
    }
    let created_by = actor.id.clone().unwrap_or_default();
    let new = insert(conn, tenant, &old.name, &created_by, now)?;
    // The grace period ends on the tenant's clock (a moved sandbox clock ends it sooner).
    let expires_at = tenant.time(conn, now)?.now() + grace;
    // Guarded update: of two concurrent rotations only one finds the credential active.
    crate::db::mark_changed(conn, crate::db::Change::Access)?;
    let changed = diesel::update(
        credentials::table
            .find(id)
            .filter(credentials::status.eq("active")),
    )
    .set((
        credentials::status.eq("rotated"),
        credentials::replaced_by.eq(Some(&new.credential.id)),
        credentials::expires_at.eq(Some(expires_at.naive_utc())),
        credentials::updated_at.eq(now.naive_utc()),
    ))
    .execute(conn)?;
    if changed != 1 {
        return Err(ApiError::Conflict {
            code: "invalid_credential_state",
            detail: "This credential was rotated or revoked meanwhile; list credentials to see the current one.".into(),
        });
    }
    let old = get(conn, tenant, id)?;
    record(
        conn,
        tenant,
        actor,
        "credential.rotated",
        &old,
        serde_json::json!({ "replaced_by": new.credential.id, "expires_at": expires_at }),
        now,
    )?;
    Ok(new)
}

pub fn revoke(
    conn: &mut DbConnection,
    tenant: &Tenant,
    id: &str,
    actor: AuditActor,
    now: DateTime<Utc>,
) -> Result<Credential, ApiError> {
    let cred = get(conn, tenant, id)?;
    if cred.status == CredentialStatus::Revoked {
        return Err(ApiError::Conflict {
            code: "credential_already_revoked",
            detail: "This credential is already revoked.".into(),
        });
    }
    crate::db::mark_changed(conn, crate::db::Change::Access)?;
    diesel::update(credentials::table.find(id))
        .set((
            credentials::status.eq("revoked"),
            credentials::revoked_at.eq(Some(now.naive_utc())),
            credentials::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    let cred = get(conn, tenant, id)?;
    record(
        conn,
        tenant,
        actor,
        "credential.revoked",
        &cred,
        serde_json::json!({}),
        now,
    )?;
    Ok(cred)
}

/// What the token endpoint needs to know about a verified client.
pub struct VerifiedClient {
    pub credential_id: String,
    pub partner_id: String,
    pub environment: Environment,
}

/// Checks a client id and secret. `None` for any mismatch, without saying which part.
pub fn verify_client(
    conn: &mut DbConnection,
    client_id: &str,
    secret: &str,
    now: DateTime<Utc>,
) -> Result<Option<VerifiedClient>, ApiError> {
    let row: Option<Row> = credentials::table
        .filter(credentials::client_id.eq(client_id))
        .select(Row::as_select())
        .first(conn)
        .optional()?;
    let Some(row) = row else {
        // Compare anyway so a wrong client id costs the same as a wrong secret.
        let _ = secret_matches(secret, &hash_secret("onyx-no-such-client"));
        return Ok(None);
    };
    let environment = Environment::from_stored(&row.environment, "credentials.environment")?;
    // A rotated credential's grace ends on its environment's clock (a moved sandbox clock).
    let tenant = Tenant::of_row(&row.partner_id, &row.environment, "credentials.environment")?;
    let today = tenant.time(conn, now)?.now();
    if !secret_matches(secret, &row.secret_hash)
        || credential_usable(&row.status, utc_opt(row.expires_at), today).is_err()
    {
        return Ok(None);
    }
    diesel::update(credentials::table.find(&row.id))
        .set(credentials::last_used_at.eq(Some(now.naive_utc())))
        .execute(conn)?;
    Ok(Some(VerifiedClient {
        credential_id: row.id,
        partner_id: row.partner_id,
        environment,
    }))
}

/// `credential.created`, `credential.rotated`, `credential.revoked`: the credential (never its
/// secret). A rotation also names the replacement and when the old credential stops working.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct CredentialEventData {
    #[schema(example = "cred_Zx5Tc7Vb1Mk3Jd9rQ2n8sLw0")]
    pub id: String,
    #[schema(example = "Booking backend")]
    pub name: String,
    #[schema(example = "onyx_ci_test_8sLw0Zx5Tc7Vb1Mk3Jd9")]
    pub client_id: String,
    pub environment: Environment,
    pub status: CredentialStatus,
    /// `credential.rotated` only: the new credential.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<String>,
    /// `credential.rotated` only: when the old credential stops working.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<DateTime<Utc>>,
}

//! The audit log of security-relevant actions. Entries name who did what to which object;
//! `details` holds non-secret context only (never a secret, token, password or activation
//! material: callers pass only ids, names, roles and reasons).

pub mod routes;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Caller, Tenant};
use crate::db::schema::audit_log;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::paginate;
use crate::pagination::{Page, PageRequest};

/// Who acted.
#[derive(Debug, Clone)]
pub struct AuditActor {
    pub kind: &'static str,
    pub id: Option<String>,
}

impl AuditActor {
    pub fn of(caller: &Caller) -> Self {
        AuditActor {
            kind: caller.actor_type(),
            id: Some(caller.actor_id().to_string()),
        }
    }
    pub fn operator() -> Self {
        AuditActor {
            kind: "operator",
            id: None,
        }
    }
    pub fn anonymous() -> Self {
        AuditActor {
            kind: "anonymous",
            id: None,
        }
    }
    pub fn member(id: &str) -> Self {
        AuditActor {
            kind: "member",
            id: Some(id.to_string()),
        }
    }
    pub fn credential(id: &str) -> Self {
        AuditActor {
            kind: "credential",
            id: Some(id.to_string()),
        }
    }
}

pub struct Entry<'a> {
    pub partner_id: Option<&'a str>,
    pub environment: Option<&'a str>,
    pub actor: AuditActor,
    pub action: &'a str,
    pub target: Option<(&'a str, &'a str)>,
    pub details: serde_json::Value,
}

/// Writes one entry (in the caller's transaction).
pub fn record(conn: &mut DbConnection, e: Entry<'_>, now: DateTime<Utc>) -> Result<(), ApiError> {
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::id.eq(crate::ids::new_id("aud")),
            audit_log::partner_id.eq(e.partner_id),
            audit_log::environment.eq(e.environment),
            audit_log::actor_type.eq(e.actor.kind),
            audit_log::actor_id.eq(e.actor.id),
            audit_log::action.eq(e.action),
            audit_log::target_type.eq(e.target.map(|t| t.0)),
            audit_log::target_id.eq(e.target.map(|t| t.1)),
            audit_log::details.eq(e.details.to_string()),
            audit_log::created_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// One audit entry as partners see it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEntry {
    #[schema(example = "aud_3kT9mQ2xLr8vWc1ZpN0bHs4y")]
    pub id: String,
    /// `sandbox`, `live`, or null for actions not tied to one environment (team changes).
    pub environment: Option<String>,
    /// `member`, `credential`, `operator` or `anonymous`.
    #[schema(example = "member")]
    pub actor_type: String,
    pub actor_id: Option<String>,
    /// What happened, e.g. `credential.created`, `auth.login_failed`.
    #[schema(example = "credential.created")]
    pub action: String,
    pub target_type: Option<String>,
    pub target_id: Option<String>,
    /// Non-secret context.
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
    pub created_at: DateTime<Utc>,
}

#[derive(Queryable)]
struct Row {
    id: String,
    environment: Option<String>,
    actor_type: String,
    actor_id: Option<String>,
    action: String,
    target_type: Option<String>,
    target_id: Option<String>,
    details: String,
    created_at: chrono::NaiveDateTime,
}

/// Filters of the audit log; they combine (all must match).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditFilter {
    /// Only entries with this action, e.g. `credential.rotated`.
    pub action: Option<String>,
    /// Only entries by this kind of actor.
    #[param(inline)]
    pub actor_type: Option<ActorType>,
    /// Only entries by this member or credential (`mem_…`, `cred_…`).
    pub actor_id: Option<String>,
    /// Only entries at or after this time (RFC 3339).
    #[serde(default, deserialize_with = "crate::time::filter_time")]
    pub created_from: Option<DateTime<Utc>>,
    /// Only entries before this time (RFC 3339).
    #[serde(default, deserialize_with = "crate::time::filter_time")]
    pub created_to: Option<DateTime<Utc>>,
}

crate::stored_enum! {
    /// The kinds of actor an audit entry can name.
    pub enum ActorType {
        Member = "member",
        Credential = "credential",
        Operator = "operator",
        Anonymous = "anonymous",
    }
}

/// The partner's audit entries (both environments and partner-wide ones), newest first.
pub fn list(
    conn: &mut DbConnection,
    tenant: &Tenant,
    filter: &AuditFilter,
    page: &PageRequest,
) -> Result<Page<AuditEntry>, ApiError> {
    crate::time::check_filter_times(&[
        ("created_from", filter.created_from),
        ("created_to", filter.created_to),
    ])?;
    let mut q = paginate!(
        audit_log::table.filter(audit_log::partner_id.eq(tenant.partner_id())),
        audit_log,
        page
    );
    if let Some(a) = &filter.action {
        q = q.filter(audit_log::action.eq(a.clone()));
    }
    if let Some(t) = filter.actor_type {
        q = q.filter(audit_log::actor_type.eq(t.as_str()));
    }
    if let Some(id) = &filter.actor_id {
        q = q.filter(audit_log::actor_id.eq(id.clone()));
    }
    if let Some(from) = filter.created_from {
        q = q.filter(audit_log::created_at.ge(from.naive_utc()));
    }
    if let Some(to) = filter.created_to {
        q = q.filter(audit_log::created_at.lt(to.naive_utc()));
    }
    let rows: Vec<Row> = q
        .select((
            audit_log::id,
            audit_log::environment,
            audit_log::actor_type,
            audit_log::actor_id,
            audit_log::action,
            audit_log::target_type,
            audit_log::target_id,
            audit_log::details,
            audit_log::created_at,
        ))
        .load(conn)?;
    Ok(Page::from_rows(
        rows,
        page,
        |r| (r.created_at, r.id.clone()),
        |r| AuditEntry {
            id: r.id,
            environment: r.environment,
            actor_type: r.actor_type,
            actor_id: r.actor_id,
            action: r.action,
            target_type: r.target_type,
            target_id: r.target_id,
            details: serde_json::from_str(&r.details).unwrap_or(serde_json::Value::Null),
            created_at: crate::time::utc(r.created_at),
        },
    ))
}

//! Live readiness: a checklist computed from the partner's real sandbox data, each item with
//! `done`, its evidence (ids and times) and how to complete it; live-access requests that are
//! refused until the checklist is complete; operators approve or decline them with a reason.
//!
//! Approval opens the live environment through the one live-access switch of the partner
//! (`partners::transition` with `SetLiveAccess`), the same one the operator route
//! `POST /v1/admin/partners/{id}/live-access` uses: live logins, live credentials, live wallet.
//!
//! - [`checklist`] is the one place that lists the items;
//! - `routes`: partner routes; `admin`: operator routes.

pub mod admin;
pub mod routes;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::audit::{self, AuditActor};
use crate::auth::{Environment, Operator, Tenant};
use crate::db::schema::{
    billing_profiles, credentials, events, live_requests as lr, members, orders, partners,
    services, webhook_attempts, webhook_deliveries,
};
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::paginate;
use crate::pagination::{Page, PageRequest};
use crate::partners::Transition;
use crate::time::{utc, utc_opt};

const SANDBOX: &str = "sandbox";

/// One piece of evidence: an object of the partner's sandbox and when it counted.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct Evidence {
    /// What the id names: `credential`, `webhook_delivery`, `order`, `service` or `member`.
    #[schema(example = "credential")]
    pub object: String,
    #[schema(example = "cred_Zx5Tc7Vb1Mk3Jd9rQ2n8sLw0")]
    pub id: String,
    /// When it happened (the token request, the delivery, the activation...).
    pub at: DateTime<Utc>,
    /// More about it (non-secret: ids, status codes).
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

/// One item of the checklist.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ChecklistItem {
    /// Stable key of the item.
    #[schema(example = "sandbox_credential_used")]
    pub key: String,
    #[schema(example = "A sandbox credential was used to get an access token")]
    pub title: String,
    pub done: bool,
    /// What proves it (empty while not done).
    pub evidence: Vec<Evidence>,
    /// What to do to complete it.
    pub how_to_complete: String,
}

fn item(key: &str, title: &str, how_to_complete: &str, evidence: Vec<Evidence>) -> ChecklistItem {
    ChecklistItem {
        key: key.into(),
        title: title.into(),
        done: !evidence.is_empty(),
        evidence,
        how_to_complete: how_to_complete.into(),
    }
}

/// THE checklist: every item, in order. This is the one place that lists them.
///
/// Nothing else lists the items: `missing`, live requests and the tests follow this list.
pub fn checklist(
    conn: &mut DbConnection,
    partner_id: &str,
) -> Result<Vec<ChecklistItem>, ApiError> {
    Ok(vec![
        sandbox_credential_used(conn, partner_id)?,
        webhook_delivery_succeeded(conn, partner_id)?,
        sandbox_order_completed(conn, partner_id)?,
        failed_order_handled(conn, partner_id)?,
        billing_member(conn, partner_id)?,
        billing_contact(conn, partner_id)?,
    ])
}

/// A sandbox credential that got an access token (`last_used_at` is written by the token
/// endpoint).
fn sandbox_credential_used(
    conn: &mut DbConnection,
    partner_id: &str,
) -> Result<ChecklistItem, ApiError> {
    let used: Option<(String, Option<chrono::NaiveDateTime>)> = credentials::table
        .filter(credentials::partner_id.eq(partner_id))
        .filter(credentials::environment.eq(SANDBOX))
        .filter(credentials::last_used_at.is_not_null())
        .order((credentials::last_used_at.desc(), credentials::id.desc()))
        .select((credentials::id, credentials::last_used_at))
        .first(conn)
        .optional()?;
    let evidence = used
        .and_then(|(id, at)| {
            at.map(|at| Evidence {
                object: "credential".into(),
                id,
                at: utc(at),
                details: serde_json::json!({}),
            })
        })
        .into_iter()
        .collect();
    Ok(item(
        "sandbox_credential_used",
        "A sandbox credential was used to get an access token",
        "Create a sandbox credential (POST /v1/credentials) and exchange it for an access token at POST /v1/oauth/token from your backend.",
        evidence,
    ))
}

/// A signed delivery to a sandbox endpoint answered with 2xx.
fn webhook_delivery_succeeded(
    conn: &mut DbConnection,
    partner_id: &str,
) -> Result<ChecklistItem, ApiError> {
    type Hit = (String, String, String, Option<i32>, chrono::NaiveDateTime);
    let hit: Option<Hit> = webhook_attempts::table
        .inner_join(webhook_deliveries::table)
        .filter(webhook_deliveries::partner_id.eq(partner_id))
        .filter(webhook_deliveries::environment.eq(SANDBOX))
        .filter(webhook_attempts::status_code.ge(200))
        .filter(webhook_attempts::status_code.le(299))
        .order((
            webhook_attempts::created_at.desc(),
            webhook_attempts::id.desc(),
        ))
        .select((
            webhook_deliveries::id,
            webhook_deliveries::endpoint_id,
            webhook_deliveries::event_id,
            webhook_attempts::status_code,
            webhook_attempts::created_at,
        ))
        .first(conn)
        .optional()?;
    let evidence = hit
        .map(|(id, endpoint_id, event_id, status, at)| Evidence {
            object: "webhook_delivery".into(),
            id,
            at: utc(at),
            details: serde_json::json!({
                "endpoint_id": endpoint_id,
                "event_id": event_id,
                "status_code": status,
            }),
        })
        .into_iter()
        .collect();
    Ok(item(
        "webhook_delivery_succeeded",
        "A webhook endpoint answered a signed delivery with 2xx",
        "Create a sandbox webhook endpoint (POST /v1/webhook-endpoints), verify the signature of what it receives and answer 2xx; POST /v1/webhook-endpoints/{id}/test sends one at once.",
        evidence,
    ))
}

/// A sandbox activation completed and its service became active (installed).
fn sandbox_order_completed(
    conn: &mut DbConnection,
    partner_id: &str,
) -> Result<ChecklistItem, ApiError> {
    // One statement: the earliest activated sandbox service whose activation order completed.
    type Hit = (
        String,
        Option<chrono::NaiveDateTime>,
        String,
        Option<chrono::NaiveDateTime>,
    );
    let hit: Option<Hit> = orders::table
        .inner_join(services::table.on(orders::service_id.eq(services::id.nullable())))
        .filter(orders::partner_id.eq(partner_id))
        .filter(orders::environment.eq(SANDBOX))
        .filter(orders::order_type.eq("activate_subscription"))
        .filter(orders::state.eq("completed"))
        .filter(services::activated_at.is_not_null())
        .order((services::activated_at.asc(), services::id.asc()))
        .select((
            orders::id,
            orders::completed_at,
            services::id,
            services::activated_at,
        ))
        .first(conn)
        .optional()?;
    let mut evidence = Vec::new();
    if let Some((order_id, completed_at, service_id, Some(activated_at))) = hit {
        evidence.push(Evidence {
            object: "order".into(),
            id: order_id,
            at: utc_opt(completed_at).unwrap_or(utc(activated_at)),
            details: serde_json::json!({}),
        });
        evidence.push(Evidence {
            object: "service".into(),
            id: service_id,
            at: utc(activated_at),
            details: serde_json::json!({ "state": "active" }),
        });
    }
    Ok(item(
        "sandbox_order_completed",
        "A sandbox order was completed end to end (service active)",
        "Create a sandbox activation (POST /v1/orders), wait for service.ready_to_install, fetch the activation materials and install them (POST /v1/sandbox/services/{id}/install) so the service becomes active.",
        evidence,
    ))
}

/// A sandbox order that failed and was handled afterwards: retried, cancelled, or its
/// service cancelled.
fn failed_order_handled(
    conn: &mut DbConnection,
    partner_id: &str,
) -> Result<ChecklistItem, ApiError> {
    // Two statements: the failures (with each order's service), then every handling of them.
    let failures: Vec<(Option<String>, Option<String>, chrono::NaiveDateTime)> = events::table
        .left_join(orders::table.on(orders::id.nullable().eq(events::subject_id)))
        .filter(events::partner_id.eq(partner_id))
        .filter(events::environment.eq(SANDBOX))
        .filter(events::event_type.eq("order.failed"))
        .order((events::created_at.asc(), events::id.asc()))
        .select((
            events::subject_id,
            orders::service_id.nullable(),
            events::created_at,
        ))
        .limit(50)
        .load(conn)?;
    let subjects: Vec<&String> = failures
        .iter()
        .flat_map(|(order, service, _)| order.iter().chain(service.iter()))
        .collect();
    let handlings: Vec<(Option<String>, String, chrono::NaiveDateTime)> = events::table
        .filter(events::partner_id.eq(partner_id))
        .filter(events::environment.eq(SANDBOX))
        .filter(events::subject_id.eq_any(subjects))
        .filter(events::event_type.eq_any([
            "order.retried",
            "order.cancelled",
            "service.cancelled",
        ]))
        .order((events::created_at.asc(), events::id.asc()))
        .select((events::subject_id, events::event_type, events::created_at))
        .load(conn)?;
    let evidence = failures
        .iter()
        .find_map(|(order_id, service_id, failed_at)| {
            let order_id = order_id.as_ref()?;
            let (_, how, at) = handlings.iter().find(|(subject, _, at)| {
                at >= failed_at
                    && (subject.as_ref() == Some(order_id)
                        || (subject.is_some() && subject == service_id))
            })?;
            Some(Evidence {
                object: "order".into(),
                id: order_id.clone(),
                at: utc(*at),
                details: serde_json::json!({ "failed_at": utc(*failed_at), "handled_by": how }),
            })
        })
        .into_iter()
        .collect();
    Ok(item(
        "failed_order_handled",
        "A failed sandbox order was handled (retried or cancelled)",
        "Create a sandbox order with `sandbox_scenario: failed_retryable`, react to order.failed and retry it (POST /v1/orders/{id}/retry), or cancel the subscription after a failure.",
        evidence,
    ))
}

/// A team member with the billing role.
fn billing_member(conn: &mut DbConnection, partner_id: &str) -> Result<ChecklistItem, ApiError> {
    let member: Option<(String, chrono::NaiveDateTime)> = members::table
        .filter(members::partner_id.eq(partner_id))
        .filter(members::role.eq("billing"))
        .order((members::created_at.asc(), members::id.asc()))
        .select((members::id, members::created_at))
        .first(conn)
        .optional()?;
    let evidence = member
        .map(|(id, at)| Evidence {
            object: "member".into(),
            id,
            at: utc(at),
            details: serde_json::json!({ "role": "billing" }),
        })
        .into_iter()
        .collect();
    Ok(item(
        "billing_member",
        "A team member has the billing role",
        "Invite the person who handles invoices with the billing role (POST /v1/invitations with `role: billing`) and have them accept.",
        evidence,
    ))
}

fn billing_contact(conn: &mut DbConnection, partner_id: &str) -> Result<ChecklistItem, ApiError> {
    let profile: Option<(Option<String>, chrono::NaiveDateTime)> = billing_profiles::table
        .find(partner_id)
        .select((
            billing_profiles::contact_email,
            billing_profiles::updated_at,
        ))
        .first(conn)
        .optional()?;
    let evidence = profile
        .and_then(|(email, at)| email.filter(|e| !e.is_empty()).map(|e| (e, at)))
        .map(|(email, at)| Evidence {
            object: "billing_profile".into(),
            id: partner_id.to_string(),
            at: utc(at),
            details: serde_json::json!({ "contact_email": email }),
        })
        .into_iter()
        .collect();
    Ok(item(
        "billing_contact",
        "The billing profile names a billing contact",
        "Send Onyx the name and email of the person who receives invoices; Onyx records them on your billing profile (operators: PUT /v1/admin/partners/{id}/billing-profile).",
        evidence,
    ))
}

crate::stored_enum! {
    /// Where a live-access request stands.
    pub enum LiveRequestStatus {
        /// Waiting for an Onyx operator.
        Pending = "pending",
        /// Approved: the live environment is open.
        Approved = "approved",
        /// Declined with a reason; fix it and request again.
        Declined = "declined",
    }
}

/// A request for live access.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LiveRequest {
    #[schema(example = "lvr_0mhx2k9q1002a7f3kq9zt0bw")]
    pub id: String,
    #[schema(example = "ptr_8Jd2kQ0vXn4LmT7sWc1aZp9e")]
    pub partner_id: String,
    pub status: LiveRequestStatus,
    /// `member` (who asked).
    #[schema(example = "member")]
    pub requested_by_type: String,
    pub requested_by_id: Option<String>,
    /// The checklist when the request was made.
    pub checklist: Vec<ChecklistItem>,
    /// The operator's reason (required when declined).
    pub reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = lr)]
struct Row {
    id: String,
    partner_id: String,
    status: String,
    requested_by_type: String,
    requested_by_id: Option<String>,
    checklist: String,
    decision_reason: Option<String>,
    decided_at: Option<chrono::NaiveDateTime>,
    created_at: chrono::NaiveDateTime,
    updated_at: chrono::NaiveDateTime,
}

impl TryFrom<Row> for LiveRequest {
    type Error = ApiError;

    fn try_from(r: Row) -> Result<LiveRequest, ApiError> {
        Ok(LiveRequest {
            id: r.id,
            partner_id: r.partner_id,
            status: LiveRequestStatus::from_stored(&r.status, "live_requests.status")?,
            requested_by_type: r.requested_by_type,
            requested_by_id: r.requested_by_id,
            checklist: serde_json::from_str(&r.checklist)
                .map_err(|e| ApiError::internal(format!("live_requests.checklist: {e}")))?,
            reason: r.decision_reason,
            decided_at: utc_opt(r.decided_at),
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        })
    }
}

/// The partner's readiness.
#[derive(Debug, Serialize, ToSchema)]
pub struct LiveReadiness {
    #[schema(example = "ptr_8Jd2kQ0vXn4LmT7sWc1aZp9e")]
    pub partner_id: String,
    /// Whether live access is enabled.
    pub live_enabled: bool,
    /// Whether every item is done (a live request is then accepted).
    pub ready: bool,
    pub items: Vec<ChecklistItem>,
    /// Keys of the items not done yet.
    #[schema(example = json!(["webhook_delivery_succeeded", "billing_member"]))]
    pub missing: Vec<String>,
    /// The latest live-access request, if any.
    pub live_request: Option<LiveRequest>,
}

fn missing(items: &[ChecklistItem]) -> Vec<String> {
    items
        .iter()
        .filter(|i| !i.done)
        .map(|i| i.key.clone())
        .collect()
}

fn live_enabled(conn: &mut DbConnection, partner_id: &str) -> Result<bool, ApiError> {
    partners::table
        .find(partner_id)
        .select(partners::live_enabled)
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("partner"))
}

fn latest_request(
    conn: &mut DbConnection,
    partner_id: &str,
) -> Result<Option<LiveRequest>, ApiError> {
    lr::table
        .filter(lr::partner_id.eq(partner_id))
        .order((lr::created_at.desc(), lr::id.desc()))
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .map(LiveRequest::try_from)
        .transpose()
}

/// The readiness of the caller's partner (from its sandbox, whichever environment asks).
pub fn get(conn: &mut DbConnection, tenant: &Tenant) -> Result<LiveReadiness, ApiError> {
    let partner_id = tenant.partner_id();
    let items = checklist(conn, partner_id)?;
    let missing = missing(&items);
    Ok(LiveReadiness {
        partner_id: partner_id.to_string(),
        live_enabled: live_enabled(conn, partner_id)?,
        ready: missing.is_empty(),
        items,
        missing,
        live_request: latest_request(conn, partner_id)?,
    })
}

/// What a live request came to.
pub enum Requested {
    Created(LiveRequest),
    /// Refused: these items are not done (the refusal is in the audit log).
    Incomplete(Vec<String>),
}

/// The refusal of a live request while items are missing (the body adds `missing`).
pub fn readiness_incomplete() -> ApiError {
    ApiError::Unprocessable {
        code: "readiness_incomplete",
        detail: "Live access can be requested once every readiness item is done; `missing` lists the items still open (see GET /v1/readiness for how to complete each).".into(),
    }
}

/// Requests live access for the caller's partner.
pub fn request_live(
    conn: &mut DbConnection,
    tenant: &Tenant,
    actor: AuditActor,
    now: DateTime<Utc>,
) -> Result<Requested, ApiError> {
    let partner_id = tenant.partner_id();
    crate::db::lock_partner(conn, partner_id)?;
    if live_enabled(conn, partner_id)? {
        return Err(ApiError::Conflict {
            code: "live_access_already_enabled",
            detail: "Live access is already enabled; sign in or create credentials with environment live.".into(),
        });
    }
    let pending: i64 = lr::table
        .filter(lr::partner_id.eq(partner_id))
        .filter(lr::status.eq(LiveRequestStatus::Pending.as_str()))
        .count()
        .get_result(conn)?;
    if pending > 0 {
        return Err(live_request_pending());
    }
    let items = checklist(conn, partner_id)?;
    let missing = missing(&items);
    if !missing.is_empty() {
        audit::record(
            conn,
            audit::Entry {
                partner_id: Some(partner_id),
                environment: Some(tenant.environment().as_str()),
                actor,
                action: "live_access.request_refused",
                target: Some(("partner", partner_id)),
                details: serde_json::json!({ "missing": missing }),
            },
            now,
        )?;
        return Ok(Requested::Incomplete(missing));
    }
    let id = crate::ids::new_id("lvr");
    let at = now.naive_utc();
    diesel::insert_into(lr::table)
        .values((
            lr::id.eq(&id),
            lr::partner_id.eq(partner_id),
            lr::status.eq(LiveRequestStatus::Pending.as_str()),
            lr::requested_by_type.eq(actor.kind),
            lr::requested_by_id.eq(&actor.id),
            lr::checklist.eq(serde_json::to_string(&items).map_err(ApiError::internal)?),
            lr::created_at.eq(at),
            lr::updated_at.eq(at),
        ))
        .execute(conn)
        .map_err(|e| match e {
            diesel::result::Error::DatabaseError(
                diesel::result::DatabaseErrorKind::UniqueViolation,
                _,
            ) => live_request_pending(),
            other => other.into(),
        })?;
    crate::outbox::emit(
        conn,
        tenant,
        "live_access.requested",
        &id,
        crate::webhooks::payloads::value(&crate::readiness::LiveAccessEventData {
            live_request_id: id.clone(),
            status: "pending".into(),
            reason: None,
        })?,
        now,
    )?;
    audit::record(
        conn,
        audit::Entry {
            partner_id: Some(partner_id),
            environment: Some(tenant.environment().as_str()),
            actor,
            action: "live_access.requested",
            target: Some(("live_request", &id)),
            details: serde_json::json!({}),
        },
        now,
    )?;
    Ok(Requested::Created(by_id(conn, &id)?))
}

fn live_request_pending() -> ApiError {
    ApiError::Conflict {
        code: "live_request_pending",
        detail: "A live-access request is already waiting for Onyx; you will receive live_access.approved or live_access.declined.".into(),
    }
}

fn by_id(conn: &mut DbConnection, id: &str) -> Result<LiveRequest, ApiError> {
    lr::table
        .find(id)
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("live-access request"))
        .and_then(LiveRequest::try_from)
}

/// Filters of the operators' list of live requests.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LiveRequestFilter {
    /// Only requests in this status.
    pub status: Option<LiveRequestStatus>,
    /// Only requests of this partner.
    pub partner_id: Option<String>,
}

pub fn list(
    conn: &mut DbConnection,
    filter: &LiveRequestFilter,
    page: &PageRequest,
) -> Result<Page<LiveRequest>, ApiError> {
    let mut q = paginate!(lr::table, lr, page);
    if let Some(s) = filter.status {
        q = q.filter(lr::status.eq(s.as_str()));
    }
    if let Some(p) = &filter.partner_id {
        q = q.filter(lr::partner_id.eq(p.clone()));
    }
    let rows: Vec<Row> = q.select(Row::as_select()).load(conn)?;
    Page::try_from_rows(
        rows,
        page,
        |r| (r.created_at, r.id.clone()),
        LiveRequest::try_from,
    )
}

/// An operator decision on a pending request.
pub enum Decision {
    Approve { note: Option<String> },
    Decline { reason: String },
}

/// Approves (opening live through the partner's live-access switch) or declines a pending
/// request; the partner's sandbox receives `live_access.approved` / `live_access.declined`.
pub fn decide(
    conn: &mut DbConnection,
    op: &Operator,
    id: &str,
    decision: Decision,
    now: DateTime<Utc>,
) -> Result<LiveRequest, ApiError> {
    let current = by_id(conn, id)?;
    crate::db::lock_partner(conn, &current.partner_id)?;
    if current.status != LiveRequestStatus::Pending {
        return Err(ApiError::Conflict {
            code: "live_request_not_pending",
            detail: format!(
                "The live-access request was already {}; list the partner's requests to see the current one.",
                current.status.as_str()
            ),
        });
    }
    let (status, reason, event, action) = match decision {
        Decision::Approve { note } => {
            // The one live-access switch (also behind POST /v1/admin/partners/{id}/live-access).
            crate::partners::transition(
                conn,
                &current.partner_id,
                Transition::SetLiveAccess { enabled: true },
                now,
            )?;
            (
                LiveRequestStatus::Approved,
                note,
                "live_access.approved",
                "live_access.approved",
            )
        }
        Decision::Decline { reason } => (
            LiveRequestStatus::Declined,
            Some(reason),
            "live_access.declined",
            "live_access.declined",
        ),
    };
    let at = now.naive_utc();
    let changed = diesel::update(
        lr::table
            .filter(lr::id.eq(id))
            .filter(lr::status.eq(LiveRequestStatus::Pending.as_str())),
    )
    .set((
        lr::status.eq(status.as_str()),
        lr::decision_reason.eq(&reason),
        lr::decided_at.eq(Some(at)),
        lr::updated_at.eq(at),
    ))
    .execute(conn)?;
    if changed != 1 {
        return Err(ApiError::Conflict {
            code: "concurrent_change",
            detail: "The live-access request was decided at the same moment; read it again.".into(),
        });
    }
    let sandbox = op.acting_for(&current.partner_id, Environment::Sandbox);
    crate::outbox::emit(
        conn,
        &sandbox,
        event,
        id,
        crate::webhooks::payloads::value(&crate::readiness::LiveAccessEventData {
            live_request_id: id.to_string(),
            status: status.as_str().into(),
            reason: Some(reason.clone()),
        })?,
        now,
    )?;
    audit::record(
        conn,
        audit::Entry {
            partner_id: Some(&current.partner_id),
            environment: None,
            actor: AuditActor::operator(),
            action,
            target: Some(("live_request", id)),
            details: serde_json::json!({ "reason": reason }),
        },
        now,
    )?;
    by_id(conn, id)
}

/// `live_access.requested`, `live_access.approved`, `live_access.declined`.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct LiveAccessEventData {
    #[schema(example = "lr_0mhx2k9q1002a7f3kq9zt0bw")]
    pub live_request_id: String,
    /// `pending`, `approved` or `declined`.
    #[schema(example = "pending")]
    pub status: String,
    /// Decisions only: Onyx's reason (null when none was given).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reason: Option<Option<String>>,
}

//! Support cases: a partner opens a case about an order, a service or a package, Onyx
//! operators answer, and both sides comment until it is resolved and closed.
//!
//! - The current state of the referenced order and service is filled in by the service (at
//!   opening, kept as `state_at_open`, and read fresh as `current_state`), never typed.
//! - References are checked against the caller's tenant: another tenant's order is 404.
//! - Every text is scanned for secrets first (`crate::secrets`); a refused text is neither
//!   stored nor logged nor echoed.
//! - Every change after opening emits `support_case.updated` (ids and statuses only) and every
//!   step is in the audit log.
//! - `state`: the status machine; `routes`: partner routes; `admin`: operator routes.

pub mod admin;
pub mod routes;
pub mod state;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

pub use self::state::CaseStatus;
use crate::audit::{self, AuditActor};
use crate::auth::{Environment, Tenant};
use crate::db::schema::{support_cases as sc, support_comments as cm};
use crate::db::DbConnection;
use crate::error::{ApiError, FieldError};
use crate::orders::state::OrderState;
use crate::paginate;
use crate::pagination::{Page, PageRequest};
use crate::services::state::ServiceState;
use crate::time::{utc, utc_opt};

crate::stored_enum! {
    /// What the case is about.
    pub enum Category {
        /// Installing or activating an eSIM profile.
        Activation = "activation",
        /// No data, slow data, roaming.
        Connectivity = "connectivity",
        /// Creating, failing, cancelling or retrying orders.
        Order = "order",
        /// Usage figures, allowances and thresholds.
        Usage = "usage",
        /// Wallet, ledger, invoices.
        Billing = "billing",
        /// Anything else.
        Other = "other",
    }
}

crate::stored_enum! {
    /// How urgent the case is for the partner.
    pub enum Priority {
        Low = "low",
        Normal = "normal",
        High = "high",
        /// A customer is without service now.
        Urgent = "urgent",
    }
}

/// A new support case.
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "subject": "No data after install",
    "issue": "The customer installed the eSIM in Lisbon but has no data connection; roaming is on.",
    "category": "connectivity",
    "priority": "high",
    "order_id": "ord_3kT9mQ2xLr8vWc1ZpN0bHs4y",
    "customer_reference": "booking-48151623"
}))]
pub struct CreateCase {
    /// A short title.
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub subject: String,
    /// The customer-facing issue: what the customer sees and what you tried. Never include
    /// secrets, activation codes, payment data or identity documents (refused with 422
    /// `secret_in_text`).
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000)]
    pub issue: String,
    pub category: Category,
    /// Default `normal`.
    pub priority: Option<Priority>,
    /// The order concerned (`ord_…`); its service is filled in when `service_id` is left out.
    #[schema(
        min_length = 1,
        max_length = 64,
        example = "ord_3kT9mQ2xLr8vWc1ZpN0bHs4y"
    )]
    pub order_id: Option<String>,
    /// The service (subscription) concerned (`svc_…`).
    #[schema(
        min_length = 1,
        max_length = 64,
        example = "svc_Lw0Zx5Tc7Vb1Mk3Jd9rQ2n8s"
    )]
    pub service_id: Option<String>,
    /// The package concerned; filled in from the service when left out.
    #[schema(min_length = 1, max_length = 64, example = "eu-10gb-30d")]
    pub package_id: Option<String>,
    /// Your customer's reference (1–64 characters of letters, digits and `._:@-`); filled in
    /// from the order or service when left out.
    #[schema(pattern = "^[A-Za-z0-9._:@-]{1,64}$", example = "booking-48151623")]
    pub customer_reference: Option<String>,
}

impl CreateCase {
    /// Every text of the request, by field (all of them are scanned for secrets).
    pub fn texts(&self) -> Vec<(String, &str)> {
        let mut out = vec![
            ("subject".to_string(), self.subject.as_str()),
            ("issue".to_string(), self.issue.as_str()),
        ];
        for (field, value) in [
            ("order_id", &self.order_id),
            ("service_id", &self.service_id),
            ("package_id", &self.package_id),
            ("customer_reference", &self.customer_reference),
        ] {
            if let Some(v) = value {
                out.push((field.to_string(), v.as_str()));
            }
        }
        out
    }

    /// The rules `validator` cannot express.
    pub fn check_references(&self) -> Result<(), ApiError> {
        let mut errors = Vec::new();
        if let Some(r) = &self.customer_reference {
            let ok = (1..=64).contains(&r.len())
                && r.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"._:@-".contains(&b));
            if !ok {
                errors.push(FieldError::new(
                    "customer_reference",
                    "invalid_format",
                    "must be 1 to 64 characters of letters, digits and . _ : @ -",
                ));
            }
        }
        for (field, value) in [
            ("order_id", &self.order_id),
            ("service_id", &self.service_id),
            ("package_id", &self.package_id),
        ] {
            if value.as_ref().is_some_and(|v| v.is_empty() || v.len() > 64) {
                errors.push(FieldError::new(
                    field,
                    "length",
                    "must be 1 to 64 characters long",
                ));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(errors))
        }
    }
}

/// A comment on a case (by the partner or by Onyx).
#[derive(Debug, Clone, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"body": "The customer restarted the phone; still no data."}))]
pub struct CreateComment {
    /// The text. Never include secrets (refused with 422 `secret_in_text`).
    #[validate(length(min = 1, max = 5000))]
    #[schema(min_length = 1, max_length = 5000)]
    pub body: String,
}

/// The state of the referenced order, as Onyx knows it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct OrderSnapshot {
    #[schema(example = "ord_3kT9mQ2xLr8vWc1ZpN0bHs4y")]
    pub id: String,
    pub state: OrderState,
    pub failure_code: Option<String>,
    pub retry_allowed: bool,
    pub next_step: String,
}

/// The state of the referenced service, as Onyx knows it.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct ServiceSnapshot {
    #[schema(example = "svc_Lw0Zx5Tc7Vb1Mk3Jd9rQ2n8s")]
    pub id: String,
    pub state: ServiceState,
    /// `not_installed` or `installed`.
    #[schema(example = "installed")]
    pub install_state: String,
    pub next_step: String,
}

/// The state of what a case references, filled in by the service.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
pub struct CaseState {
    pub order: Option<OrderSnapshot>,
    pub service: Option<ServiceSnapshot>,
    /// When this state was read.
    pub as_of: DateTime<Utc>,
}

/// Who wrote a comment or opened a case.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Author {
    /// `member`, `credential` or `operator` (Onyx).
    #[serde(rename = "type")]
    #[schema(example = "member")]
    pub author_type: String,
    /// The member or credential id; null for Onyx.
    pub id: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Comment {
    #[schema(example = "cmt_0mhx2k9q1002a7f3kq9zt0bw")]
    pub id: String,
    pub author: Author,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// A support case.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SupportCase {
    #[schema(example = "case_0mhx2k9q1002a7f3kq9zt0bw")]
    pub id: String,
    pub environment: Environment,
    pub status: CaseStatus,
    pub subject: String,
    /// The customer-facing issue.
    pub issue: String,
    pub category: Category,
    pub priority: Priority,
    pub order_id: Option<String>,
    pub service_id: Option<String>,
    pub package_id: Option<String>,
    pub customer_reference: Option<String>,
    /// The referenced order and service as they are now (read on every request).
    pub current_state: CaseState,
    /// The referenced order and service when the case was opened.
    pub state_at_open: CaseState,
    pub opened_by: Author,
    pub resolved_at: Option<DateTime<Utc>>,
    /// While resolved: until when a comment reopens the case.
    pub reopen_until: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A support case with its comments, oldest first.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct SupportCaseDetail {
    #[serde(flatten)]
    pub case: SupportCase,
    pub comments: Vec<Comment>,
}

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = sc)]
pub struct Row {
    pub id: String,
    pub partner_id: String,
    pub environment: String,
    pub subject: String,
    pub issue: String,
    pub category: String,
    pub priority: String,
    pub status: String,
    pub order_id: Option<String>,
    pub service_id: Option<String>,
    pub package_id: Option<String>,
    pub customer_reference: Option<String>,
    pub state_at_open: String,
    pub opened_by_type: String,
    pub opened_by_id: Option<String>,
    pub resolved_at: Option<chrono::NaiveDateTime>,
    pub closed_at: Option<chrono::NaiveDateTime>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

impl Row {
    pub fn status(&self) -> Result<CaseStatus, ApiError> {
        CaseStatus::from_stored(&self.status, "support_cases.status")
    }

    pub fn tenant(&self) -> Result<Tenant, ApiError> {
        Tenant::of_row(
            &self.partner_id,
            &self.environment,
            "support_cases.environment",
        )
    }
}

/// Reads the current state of an order and/or a service of `tenant`; a reference that is not
/// the tenant's answers 404.
fn read_state(
    conn: &mut DbConnection,
    tenant: &Tenant,
    order_id: Option<&str>,
    service_id: Option<&str>,
    now: DateTime<Utc>,
) -> Result<CaseState, ApiError> {
    read_states(conn, tenant, &[(order_id, service_id)], now)?
        .pop()
        .ok_or_else(|| ApiError::internal("no state read"))
}

/// [`read_state`] for several (order, service) references of one tenant, in four statements
/// whatever their number (orders and their items, services and their usage).
fn read_states(
    conn: &mut DbConnection,
    tenant: &Tenant,
    refs: &[(Option<&str>, Option<&str>)],
    now: DateTime<Utc>,
) -> Result<Vec<CaseState>, ApiError> {
    let order_ids: Vec<String> = refs
        .iter()
        .filter_map(|(o, _)| o.map(str::to_string))
        .collect();
    let service_ids: Vec<String> = refs
        .iter()
        .filter_map(|(_, s)| s.map(str::to_string))
        .collect();
    let orders = if order_ids.is_empty() {
        HashMap::new()
    } else {
        crate::orders::views_of(conn, tenant, &order_ids)?
    };
    let services = if service_ids.is_empty() {
        HashMap::new()
    } else {
        crate::services::views_of(conn, tenant, &service_ids)?
    };
    refs.iter()
        .map(|(order_id, service_id)| {
            let order = order_id
                .map(|id| {
                    let o = orders.get(id).ok_or_else(|| ApiError::not_found("order"))?;
                    Ok::<_, ApiError>(OrderSnapshot {
                        id: o.id.clone(),
                        state: o.state,
                        failure_code: o.failure_code.clone(),
                        retry_allowed: o.retry_allowed,
                        next_step: o.next_step.clone(),
                    })
                })
                .transpose()?;
            let service = service_id
                .map(|id| {
                    let s = services
                        .get(id)
                        .ok_or_else(|| ApiError::not_found("service"))?;
                    Ok::<_, ApiError>(ServiceSnapshot {
                        id: s.id.clone(),
                        state: s.state,
                        install_state: s.install_state.as_str().to_string(),
                        next_step: s.next_step.clone(),
                    })
                })
                .transpose()?;
            Ok(CaseState {
                order,
                service,
                as_of: now,
            })
        })
        .collect()
}

fn view(conn: &mut DbConnection, r: Row, now: DateTime<Utc>) -> Result<SupportCase, ApiError> {
    let mut states = current_states(conn, std::slice::from_ref(&r), now)?;
    let state = states
        .remove(&r.id)
        .ok_or_else(|| ApiError::internal("a support case without its current state"))?;
    view_with(r, state)
}

/// The current state of the references of several cases (of any tenants), in four statements
/// per tenant whatever their number; by case id.
fn current_states(
    conn: &mut DbConnection,
    rows: &[Row],
    now: DateTime<Utc>,
) -> Result<HashMap<String, CaseState>, ApiError> {
    let mut by_tenant: BTreeMap<(&str, &str), Vec<&Row>> = BTreeMap::new();
    for r in rows {
        by_tenant
            .entry((r.partner_id.as_str(), r.environment.as_str()))
            .or_default()
            .push(r);
    }
    let mut states = HashMap::with_capacity(rows.len());
    for cases in by_tenant.into_values() {
        let tenant = cases[0].tenant()?;
        let refs: Vec<(Option<&str>, Option<&str>)> = cases
            .iter()
            .map(|r| (r.order_id.as_deref(), r.service_id.as_deref()))
            .collect();
        for (r, state) in cases.iter().zip(read_states(conn, &tenant, &refs, now)?) {
            states.insert(r.id.clone(), state);
        }
    }
    Ok(states)
}

fn view_with(r: Row, current_state: CaseState) -> Result<SupportCase, ApiError> {
    let tenant = r.tenant()?;
    let status = r.status()?;
    let state_at_open: CaseState = serde_json::from_str(&r.state_at_open)
        .map_err(|e| ApiError::internal(format!("support_cases.state_at_open: {e}")))?;
    let resolved_at = utc_opt(r.resolved_at);
    Ok(SupportCase {
        id: r.id,
        environment: tenant.environment(),
        status,
        subject: r.subject,
        issue: r.issue,
        category: Category::from_stored(&r.category, "support_cases.category")?,
        priority: Priority::from_stored(&r.priority, "support_cases.priority")?,
        order_id: r.order_id,
        service_id: r.service_id,
        package_id: r.package_id,
        customer_reference: r.customer_reference,
        current_state,
        state_at_open,
        opened_by: Author {
            author_type: r.opened_by_type,
            id: r.opened_by_id,
        },
        resolved_at,
        reopen_until: resolved_at
            .filter(|_| status == CaseStatus::Resolved)
            .map(state::reopen_until),
        closed_at: utc_opt(r.closed_at),
        created_at: utc(r.created_at),
        updated_at: utc(r.updated_at),
    })
}

fn comments(conn: &mut DbConnection, case_id: &str) -> Result<Vec<Comment>, ApiError> {
    type CommentRow = (
        String,
        String,
        Option<String>,
        String,
        chrono::NaiveDateTime,
    );
    let rows: Vec<CommentRow> = cm::table
        .filter(cm::case_id.eq(case_id))
        .order((cm::created_at.asc(), cm::id.asc()))
        .select((
            cm::id,
            cm::author_type,
            cm::author_id,
            cm::body,
            cm::created_at,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, author_type, author_id, body, created_at)| Comment {
            id,
            author: Author {
                author_type,
                id: author_id,
            },
            body,
            created_at: utc(created_at),
        })
        .collect())
}

fn detail_of(
    conn: &mut DbConnection,
    r: Row,
    now: DateTime<Utc>,
) -> Result<SupportCaseDetail, ApiError> {
    let comments = comments(conn, &r.id)?;
    Ok(SupportCaseDetail {
        case: view(conn, r, now)?,
        comments,
    })
}

fn row(conn: &mut DbConnection, tenant: &Tenant, id: &str) -> Result<Row, ApiError> {
    sc::table
        .filter(sc::id.eq(id))
        .filter(sc::partner_id.eq(tenant.partner_id()))
        .filter(sc::environment.eq(tenant.environment().as_str()))
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("support case"))
}

/// A case by id regardless of tenant (operator routes).
pub fn row_by_id(conn: &mut DbConnection, id: &str) -> Result<Row, ApiError> {
    sc::table
        .find(id)
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("support case"))
}

/// Opens a case for `tenant`. The request was scanned for secrets and validated.
pub fn open(
    conn: &mut DbConnection,
    tenant: &Tenant,
    actor: AuditActor,
    req: CreateCase,
    now: DateTime<Utc>,
) -> Result<SupportCaseDetail, ApiError> {
    // The order decides the service (and both the customer reference) unless given.
    let order = match &req.order_id {
        Some(id) => Some(crate::orders::get(conn, tenant, id)?),
        None => None,
    };
    let service_id = match (&req.service_id, order.as_ref().and_then(|o| o.service_id.clone())) {
        (Some(given), Some(of_order)) if *given != of_order => {
            return Err(ApiError::Unprocessable {
                code: "reference_mismatch",
                detail: "`service_id` is not the service of `order_id`; send one of them, or the order's own service.".into(),
            })
        }
        (Some(given), _) => Some(given.clone()),
        (None, of_order) => of_order,
    };
    let service = match &service_id {
        Some(id) => Some(crate::services::get(conn, tenant, id)?),
        None => None,
    };
    let package_id = match &req.package_id {
        Some(id) => {
            Some(crate::catalogue::get_for_partner(conn, tenant.partner_id(), id)?.package_id)
        }
        None => service.as_ref().map(|s| s.package_id.clone()),
    };
    let customer_reference = req
        .customer_reference
        .clone()
        .or_else(|| order.as_ref().map(|o| o.customer_reference.clone()))
        .or_else(|| service.as_ref().map(|s| s.customer_reference.clone()));
    let state_at_open = read_state(
        conn,
        tenant,
        req.order_id.as_deref(),
        service_id.as_deref(),
        now,
    )?;
    let id = crate::ids::new_id("case");
    let at = now.naive_utc();
    diesel::insert_into(sc::table)
        .values((
            sc::id.eq(&id),
            sc::partner_id.eq(tenant.partner_id()),
            sc::environment.eq(tenant.environment().as_str()),
            sc::subject.eq(req.subject.trim()),
            sc::issue.eq(req.issue.trim()),
            sc::category.eq(req.category.as_str()),
            sc::priority.eq(req.priority.unwrap_or(Priority::Normal).as_str()),
            sc::status.eq(CaseStatus::Open.as_str()),
            sc::order_id.eq(&req.order_id),
            sc::service_id.eq(&service_id),
            sc::package_id.eq(&package_id),
            sc::customer_reference.eq(&customer_reference),
            sc::state_at_open
                .eq(serde_json::to_string(&state_at_open).map_err(ApiError::internal)?),
            sc::opened_by_type.eq(actor.kind),
            sc::opened_by_id.eq(&actor.id),
            sc::created_at.eq(at),
            sc::updated_at.eq(at),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        audit::Entry {
            partner_id: Some(tenant.partner_id()),
            environment: Some(tenant.environment().as_str()),
            actor,
            action: "support_case.opened",
            target: Some(("support_case", &id)),
            details: serde_json::json!({
                "category": req.category.as_str(),
                "order_id": req.order_id,
                "service_id": service_id,
            }),
        },
        now,
    )?;
    let r = row(conn, tenant, &id)?;
    detail_of(conn, r, now)
}

pub fn get(
    conn: &mut DbConnection,
    tenant: &Tenant,
    id: &str,
    now: DateTime<Utc>,
) -> Result<SupportCaseDetail, ApiError> {
    let r = row(conn, tenant, id)?;
    detail_of(conn, r, now)
}

/// Filters of the partner's case list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseFilter {
    /// Only cases in this status.
    pub status: Option<CaseStatus>,
    /// Only cases about this order.
    pub order_id: Option<String>,
    /// Only cases about this service.
    pub service_id: Option<String>,
}

pub fn list(
    conn: &mut DbConnection,
    tenant: &Tenant,
    filter: &CaseFilter,
    page: &PageRequest,
    now: DateTime<Utc>,
) -> Result<Page<SupportCase>, ApiError> {
    let mut q = paginate!(
        sc::table
            .filter(sc::partner_id.eq(tenant.partner_id()))
            .filter(sc::environment.eq(tenant.environment().as_str())),
        sc,
        page
    );
    if let Some(s) = filter.status {
        q = q.filter(sc::status.eq(s.as_str()));
    }
    if let Some(o) = &filter.order_id {
        q = q.filter(sc::order_id.eq(o.clone()));
    }
    if let Some(s) = &filter.service_id {
        q = q.filter(sc::service_id.eq(s.clone()));
    }
    let rows: Vec<Row> = q.select(Row::as_select()).load(conn)?;
    let mut states = current_states(conn, &rows, now)?;
    Page::try_from_rows(
        rows,
        page,
        |r| (r.created_at, r.id.clone()),
        |r| {
            let state = states
                .remove(&r.id)
                .ok_or_else(|| ApiError::internal("a support case without its current state"))?;
            view_with(r, state)
        },
    )
}

/// What changed on a case, for its event and audit entry.
#[derive(Debug, Clone, Copy)]
enum Change {
    CommentAdded,
    ReplyAdded,
    StatusChanged,
}

impl Change {
    fn as_str(self) -> &'static str {
        match self {
            Change::CommentAdded => "comment_added",
            Change::ReplyAdded => "reply_added",
            Change::StatusChanged => "status_changed",
        }
    }
}

/// Adds a comment (when `body` is given) and moves the case from `from` to `to`, with a
/// conditional write on the status that was read (409 `concurrent_change` when another change
/// came first), one `support_case.updated` event and an audit entry.
#[allow(clippy::too_many_arguments)]
fn apply(
    conn: &mut DbConnection,
    r: &Row,
    from: CaseStatus,
    to: CaseStatus,
    body: Option<&str>,
    actor: AuditActor,
    change: Change,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let tenant = r.tenant()?;
    let at = now.naive_utc();
    let resolved_at = match to {
        CaseStatus::Resolved if from != CaseStatus::Resolved => Some(at),
        CaseStatus::Resolved | CaseStatus::Closed => r.resolved_at,
        _ => None,
    };
    let closed_at = (to == CaseStatus::Closed).then_some(at);
    let updated = diesel::update(
        sc::table
            .filter(sc::id.eq(&r.id))
            .filter(sc::status.eq(from.as_str())),
    )
    .set((
        sc::status.eq(to.as_str()),
        sc::resolved_at.eq(resolved_at),
        sc::closed_at.eq(closed_at),
        sc::updated_at.eq(at),
    ))
    .execute(conn)?;
    if updated == 0 {
        return Err(ApiError::Conflict {
            code: "concurrent_change",
            detail: "The support case changed at the same moment; read it again and retry.".into(),
        });
    }
    let comment_id = match body {
        Some(text) => {
            let id = crate::ids::new_id("cmt");
            diesel::insert_into(cm::table)
                .values((
                    cm::id.eq(&id),
                    cm::case_id.eq(&r.id),
                    cm::author_type.eq(actor.kind),
                    cm::author_id.eq(&actor.id),
                    cm::body.eq(text.trim()),
                    cm::created_at.eq(at),
                ))
                .execute(conn)?;
            Some(id)
        }
        None => None,
    };
    let reopened = from == CaseStatus::Resolved && to == CaseStatus::AwaitingOnyx;
    crate::outbox::emit(
        conn,
        &tenant,
        "support_case.updated",
        &r.id,
        crate::webhooks::payloads::value(&crate::support::SupportCaseEventData {
            support_case_id: r.id.clone(),
            change: change.as_str().into(),
            status: to,
            previous_status: from,
            reopened,
            comment_id: comment_id.clone(),
            author_type: actor.kind.into(),
        })?,
        now,
    )?;
    let action = match change {
        Change::CommentAdded => "support_case.commented",
        Change::ReplyAdded => "support_case.replied",
        Change::StatusChanged => "support_case.status_changed",
    };
    audit::record(
        conn,
        audit::Entry {
            partner_id: Some(tenant.partner_id()),
            environment: Some(tenant.environment().as_str()),
            actor,
            action,
            target: Some(("support_case", &r.id)),
            details: serde_json::json!({
                "from": from.as_str(),
                "to": to.as_str(),
                "comment_id": comment_id,
                "reason": reason,
                "reopened": reopened,
            }),
        },
        now,
    )?;
    Ok(())
}

/// A partner comment: reopens a resolved case within the window, hands a case waiting for the
/// partner back to Onyx.
pub fn comment(
    conn: &mut DbConnection,
    tenant: &Tenant,
    id: &str,
    actor: AuditActor,
    body: &str,
    now: DateTime<Utc>,
) -> Result<SupportCaseDetail, ApiError> {
    let r = row(conn, tenant, id)?;
    let from = r.status()?;
    let to = state::after_partner_comment(from, utc_opt(r.resolved_at), now)?;
    apply(
        conn,
        &r,
        from,
        to,
        Some(body),
        actor,
        Change::CommentAdded,
        None,
        now,
    )?;
    get(conn, tenant, id, now)
}

/// An operator reply, moving the case to `status` (default: waiting for the partner when Onyx
/// was to answer, else unchanged).
pub fn reply(
    conn: &mut DbConnection,
    id: &str,
    body: &str,
    status: Option<CaseStatus>,
    now: DateTime<Utc>,
) -> Result<AdminSupportCaseDetail, ApiError> {
    let r = row_by_id(conn, id)?;
    let from = r.status()?;
    let to = status.unwrap_or_else(|| state::after_operator_reply(from));
    if to != from || from == CaseStatus::Closed {
        state::check_operator_move(from, to)?;
    }
    apply(
        conn,
        &r,
        from,
        to,
        Some(body),
        AuditActor::operator(),
        Change::ReplyAdded,
        None,
        now,
    )?;
    admin_get(conn, id, now)
}

/// An operator status change, with an optional reason (kept in the audit log).
pub fn set_status(
    conn: &mut DbConnection,
    id: &str,
    to: CaseStatus,
    reason: Option<&str>,
    now: DateTime<Utc>,
) -> Result<AdminSupportCaseDetail, ApiError> {
    let r = row_by_id(conn, id)?;
    let from = r.status()?;
    state::check_operator_move(from, to)?;
    apply(
        conn,
        &r,
        from,
        to,
        None,
        AuditActor::operator(),
        Change::StatusChanged,
        reason,
        now,
    )?;
    admin_get(conn, id, now)
}

/// A case as operators see it: with its partner.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AdminSupportCase {
    #[schema(example = "ptr_8Jd2kQ0vXn4LmT7sWc1aZp9e")]
    pub partner_id: String,
    #[serde(flatten)]
    pub case: SupportCase,
}

/// A case with its comments, as operators see it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AdminSupportCaseDetail {
    #[schema(example = "ptr_8Jd2kQ0vXn4LmT7sWc1aZp9e")]
    pub partner_id: String,
    #[serde(flatten)]
    pub case: SupportCaseDetail,
}

/// Filters of the operators' case list.
#[derive(Debug, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AdminCaseFilter {
    /// Only cases in this status.
    pub status: Option<CaseStatus>,
    /// Only cases of this partner.
    pub partner_id: Option<String>,
    /// Only cases of this environment.
    pub environment: Option<Environment>,
    /// Only cases opened at least this many hours ago (0 to 87600).
    #[param(minimum = 0, maximum = 87600)]
    pub older_than_hours: Option<i64>,
}

pub fn admin_list(
    conn: &mut DbConnection,
    filter: &AdminCaseFilter,
    page: &PageRequest,
    now: DateTime<Utc>,
) -> Result<Page<AdminSupportCase>, ApiError> {
    let mut q = paginate!(sc::table, sc, page);
    if let Some(s) = filter.status {
        q = q.filter(sc::status.eq(s.as_str()));
    }
    if let Some(p) = &filter.partner_id {
        q = q.filter(sc::partner_id.eq(p.clone()));
    }
    if let Some(e) = filter.environment {
        q = q.filter(sc::environment.eq(e.as_str()));
    }
    if let Some(hours) = filter.older_than_hours {
        if !(0..=87_600).contains(&hours) {
            return Err(ApiError::validation(vec![FieldError::new(
                "older_than_hours",
                "out_of_range",
                "must be between 0 and 87600",
            )]));
        }
        q = q.filter(sc::created_at.le((now - chrono::Duration::hours(hours)).naive_utc()));
    }
    let rows: Vec<Row> = q.select(Row::as_select()).load(conn)?;
    let mut states = current_states(conn, &rows, now)?;
    Page::try_from_rows(
        rows,
        page,
        |r| (r.created_at, r.id.clone()),
        |r| {
            let partner_id = r.partner_id.clone();
            let state = states
                .remove(&r.id)
                .ok_or_else(|| ApiError::internal("a support case without its current state"))?;
            Ok(AdminSupportCase {
                partner_id,
                case: view_with(r, state)?,
            })
        },
    )
}

pub fn admin_get(
    conn: &mut DbConnection,
    id: &str,
    now: DateTime<Utc>,
) -> Result<AdminSupportCaseDetail, ApiError> {
    let r = row_by_id(conn, id)?;
    Ok(AdminSupportCaseDetail {
        partner_id: r.partner_id.clone(),
        case: detail_of(conn, r, now)?,
    })
}

/// `support_case.updated`: a comment, an Onyx reply or a status change.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct SupportCaseEventData {
    #[schema(example = "case_0mhx2k9q1002a7f3kq9zt0bw")]
    pub support_case_id: String,
    /// `comment_added`, `reply_added` or `status_changed`.
    #[schema(example = "reply_added")]
    pub change: String,
    pub status: CaseStatus,
    pub previous_status: CaseStatus,
    /// A comment reopened a resolved case.
    pub reopened: bool,
    pub comment_id: Option<String>,
    /// `member`, `credential` or `operator`.
    #[schema(example = "operator")]
    pub author_type: String,
}

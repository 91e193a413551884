//! Refunds: a partner asks for (part of) a completed order's captured amount back, with a
//! reason from a fixed list; Onyx decides.
//!
//! Policy (also in the README and the OpenAPI description):
//! - only a completed order can be refunded, up to what it captured less what was refunded
//!   already; one open (pending) request per order at a time;
//! - sandbox: decided at once by rule: approved, unless the request names
//!   `sandbox_decision` `decline` (declined) or `manual` (stays pending until an operator
//!   decides, as in live);
//! - live: pending until an operator approves or declines it with a reason;
//! - approved: a `refund` ledger entry (naming the order) returns the amount to the wallet
//!   in the same transaction, billed as a negative line on the next invoice;
//! - a subscription cancelled before it was ever used (never installed, not even before a SIM
//!   swap, and no usage reported)
//!   is refunded in full by rule when its cancellation completes: every completed order of
//!   it (activation and top-ups), reason `unused_subscription`; pending requests on those
//!   orders are declined as superseded.
//!
//! Events: `refund.created`, `refund.approved`, `refund.declined`.

pub mod routes;

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Environment, Tenant};
use crate::db::schema::{
    activation_materials, ledger_entries, orders, refunds, services, usage_snapshots,
};
use crate::db::DbConnection;
use crate::error::{ApiError, FieldError};
use crate::outbox;
use crate::paginate;
use crate::pagination::{Page, PageRequest};
use crate::time::{utc, utc_opt};
use crate::wallet::{self, EntryType};

crate::stored_enum! {
    /// Why a refund is asked for.
    pub enum RefundReason {
        /// The service did not work for the customer (no connection, no data).
        ServiceNotWorking = "service_not_working",
        /// The customer could not install the eSIM.
        InstallationFailed = "installation_failed",
        /// The customer's destination or network was not covered as expected.
        CoverageIssue = "coverage_issue",
        /// The same purchase was ordered twice.
        DuplicateOrder = "duplicate_order",
        /// The customer cancelled before travelling.
        CustomerCancelled = "customer_cancelled",
        /// Anything else; say what in `note`.
        Other = "other",
        /// Set by Onyx only: a subscription cancelled before it was ever used.
        UnusedSubscription = "unused_subscription",
    }
}

crate::stored_enum! {
    pub enum RefundStatus {
        /// Waiting for Onyx's decision.
        Pending = "pending",
        /// Approved: the amount is back in the wallet (`ledger_entry_id`).
        Approved = "approved",
        /// Declined; `decision_reason` says why.
        Declined = "declined",
    }
}

crate::stored_enum! {
    /// Sandbox only: how the sandbox rule decides the request.
    pub enum SandboxDecision {
        /// Approved at once (the default).
        Approve = "approve",
        /// Declined at once.
        Decline = "decline",
        /// Left pending for an operator, as in live.
        Manual = "manual",
    }
}

/// A refund request.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Refund {
    #[schema(example = "rfd_0mhx2k9q1002a7f3kq9zt0bw")]
    pub id: String,
    pub environment: Environment,
    #[schema(example = "ord_3kT9mQ2xLr8vWc1ZpN0bHs4y")]
    pub order_id: String,
    #[schema(example = "EUR")]
    pub currency: String,
    #[schema(example = 1300)]
    pub amount_minor: i64,
    pub reason: RefundReason,
    pub note: Option<String>,
    pub status: RefundStatus,
    /// Who decided: `sandbox_rule`, `operator` or `unused_subscription_rule`.
    #[schema(example = "operator")]
    pub decided_by: Option<String>,
    /// Why it was approved or declined.
    pub decision_reason: Option<String>,
    /// The `refund` ledger entry of an approved refund.
    pub ledger_entry_id: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = refunds)]
struct Row {
    id: String,
    partner_id: String,
    environment: String,
    order_id: String,
    currency: String,
    amount_minor: i64,
    reason: String,
    note: Option<String>,
    status: String,
    decided_by: Option<String>,
    decision_reason: Option<String>,
    ledger_entry_id: Option<String>,
    decided_at: Option<NaiveDateTime>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl Row {
    fn into_refund(self) -> Result<Refund, ApiError> {
        Ok(Refund {
            environment: Environment::from_stored(&self.environment, "refunds.environment")?,
            reason: RefundReason::from_stored(&self.reason, "refunds.reason")?,
            status: RefundStatus::from_stored(&self.status, "refunds.status")?,
            id: self.id,
            order_id: self.order_id,
            currency: self.currency,
            amount_minor: self.amount_minor,
            note: self.note,
            decided_by: self.decided_by,
            decision_reason: self.decision_reason,
            ledger_entry_id: self.ledger_entry_id,
            decided_at: utc_opt(self.decided_at),
            created_at: utc(self.created_at),
            updated_at: utc(self.updated_at),
        })
    }

    fn tenant(&self) -> Result<Tenant, ApiError> {
        Tenant::of_row(&self.partner_id, &self.environment, "refunds.environment")
    }
}

/// A refund request as a partner sends it.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "order_id": "ord_3kT9mQ2xLr8vWc1ZpN0bHs4y",
    "amount_minor": 1300,
    "reason": "service_not_working",
    "note": "No data in Lisbon for 2 days; case 4711."
}))]
pub struct CreateRefund {
    /// A completed order of this environment.
    #[schema(min_length = 1, max_length = 64)]
    pub order_id: String,
    /// 1 to 100000000 minor units, at most what the order captured less earlier refunds.
    #[schema(minimum = 1, maximum = 100000000)]
    pub amount_minor: i64,
    /// Why the refund is asked for.
    pub reason: RequestedReason,
    /// What happened, for Onyx's decision: at most 500 characters, no secrets.
    #[schema(max_length = 500)]
    pub note: Option<String>,
    /// Sandbox only (refused in live): how the sandbox rule decides (default `approve`).
    pub sandbox_decision: Option<SandboxDecision>,
}

crate::stored_enum! {
    /// A reason a partner may give: every [`RefundReason`] except Onyx's own
    /// `unused_subscription`.
    pub enum RequestedReason {
        ServiceNotWorking = "service_not_working",
        InstallationFailed = "installation_failed",
        CoverageIssue = "coverage_issue",
        DuplicateOrder = "duplicate_order",
        CustomerCancelled = "customer_cancelled",
        Other = "other",
    }
}

impl RequestedReason {
    pub fn reason(self) -> RefundReason {
        RefundReason::parse(self.as_str()).unwrap_or(RefundReason::Other)
    }
}

/// Refund list filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RefundFilter {
    /// Only this status.
    pub status: Option<RefundStatus>,
    /// Only requests about this order.
    pub order_id: Option<String>,
}

fn row(conn: &mut DbConnection, id: &str) -> Result<Row, ApiError> {
    refunds::table
        .find(id)
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("refund"))
}

pub fn get(conn: &mut DbConnection, tenant: &Tenant, id: &str) -> Result<Refund, ApiError> {
    let r = row(conn, id)?;
    if r.partner_id != tenant.partner_id() || r.environment != tenant.environment().as_str() {
        return Err(ApiError::not_found("refund"));
    }
    r.into_refund()
}

/// Refund requests, newest first; `tenant` None: every partner's (operators).
pub fn list(
    conn: &mut DbConnection,
    tenant: Option<&Tenant>,
    filter: &RefundFilter,
    page: &PageRequest,
) -> Result<Page<Refund>, ApiError> {
    let mut q = paginate!(refunds::table, refunds, page);
    if let Some(t) = tenant {
        q = q
            .filter(refunds::partner_id.eq(t.partner_id().to_string()))
            .filter(refunds::environment.eq(t.environment().as_str()));
    }
    if let Some(s) = filter.status {
        q = q.filter(refunds::status.eq(s.as_str()));
    }
    if let Some(o) = &filter.order_id {
        q = q.filter(refunds::order_id.eq(o.clone()));
    }
    let rows: Vec<Row> = q.select(Row::as_select()).load(conn)?;
    Page::try_from_rows(
        rows,
        page,
        |r| (r.created_at, r.id.clone()),
        Row::into_refund,
    )
}

/// What an order captured less what was refunded of it (both from the ledger).
fn refundable(conn: &mut DbConnection, tenant: &Tenant, order_id: &str) -> Result<i64, ApiError> {
    let sums: Vec<(String, i64)> = ledger_entries::table
        .filter(ledger_entries::partner_id.eq(tenant.partner_id()))
        .filter(ledger_entries::environment.eq(tenant.environment().as_str()))
        .filter(ledger_entries::order_id.eq(order_id))
        .filter(ledger_entries::entry_type.eq_any(["capture", "refund"]))
        .select((ledger_entries::entry_type, ledger_entries::amount))
        .load(conn)?;
    Ok(sums
        .into_iter()
        .map(|(t, a)| if t == "capture" { a } else { -a })
        .sum())
}

fn exceeds(left: i64) -> ApiError {
    ApiError::Unprocessable {
        code: "refund_exceeds_captured",
        detail: format!(
            "The refund is larger than what the order captured less earlier refunds ({left} minor units left); ask for less."
        ),
    }
}

fn emit(
    conn: &mut DbConnection,
    r: &Row,
    event: &str,
    now: DateTime<Utc>,
) -> Result<Refund, ApiError> {
    let tenant = r.tenant()?;
    let refund = row(conn, &r.id)?.into_refund()?;
    outbox::emit(
        conn,
        &tenant,
        event,
        &r.id,
        crate::webhooks::payloads::value(&crate::refunds::RefundEventData {
            refund: refund.clone(),
        })?,
        now,
    )?;
    Ok(refund)
}

/// Files a refund request (and, in sandbox, decides it by rule).
pub fn create(
    conn: &mut DbConnection,
    tenant: &Tenant,
    requested_by: &str,
    req: CreateRefund,
    now: DateTime<Utc>,
) -> Result<Refund, ApiError> {
    let mut errors = Vec::new();
    if !(1..=100_000_000).contains(&req.amount_minor) {
        errors.push(FieldError::new(
            "amount_minor",
            "out_of_range",
            "must be between 1 and 100000000",
        ));
    }
    if req.note.as_ref().is_some_and(|n| n.chars().count() > 500) {
        errors.push(FieldError::new(
            "note",
            "too_long",
            "must be at most 500 characters",
        ));
    }
    if !(1..=64).contains(&req.order_id.chars().count()) {
        errors.push(FieldError::new(
            "order_id",
            "length",
            "must be 1 to 64 characters long",
        ));
    }
    if req.sandbox_decision.is_some() && tenant.environment() == Environment::Live {
        errors.push(FieldError::new(
            "sandbox_decision",
            "not_allowed",
            "exists only in sandbox; leave it out of live requests",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    crate::db::lock_partner(conn, tenant.partner_id())?;
    let order: Option<(String, Option<String>)> = orders::table
        .filter(orders::partner_id.eq(tenant.partner_id()))
        .filter(orders::environment.eq(tenant.environment().as_str()))
        .filter(orders::id.eq(&req.order_id))
        .select((orders::state, orders::currency))
        .first(conn)
        .optional()?;
    let Some((state, currency)) = order else {
        return Err(ApiError::Unprocessable {
            code: "order_not_found",
            detail:
                "The `order_id` names no order in this environment; use one from GET /v1/orders."
                    .into(),
        });
    };
    let left = refundable(conn, tenant, &req.order_id)?;
    let (Some(currency), "completed") = (currency, state.as_str()) else {
        return Err(ApiError::Conflict {
            code: "order_not_refundable",
            detail: format!("Only a completed order that captured funds can be refunded; this one is {state}. An open order is cancelled instead (its funds are released)."),
        });
    };
    if left <= 0 {
        return Err(ApiError::Conflict {
            code: "order_not_refundable",
            detail: "This order captured nothing that is not refunded already.".into(),
        });
    }
    if req.amount_minor > left {
        return Err(exceeds(left));
    }
    let id = crate::ids::new_id("rfd");
    let at = now.naive_utc();
    let inserted = crate::db::insert_unless_exists(conn, |c| {
        diesel::insert_into(refunds::table)
            .values((
                refunds::id.eq(&id),
                refunds::partner_id.eq(tenant.partner_id()),
                refunds::environment.eq(tenant.environment().as_str()),
                refunds::order_id.eq(&req.order_id),
                refunds::currency.eq(&currency),
                refunds::amount_minor.eq(req.amount_minor),
                refunds::reason.eq(req.reason.reason().as_str()),
                refunds::note.eq(&req.note),
                refunds::status.eq(RefundStatus::Pending.as_str()),
                refunds::requested_by.eq(requested_by),
                refunds::created_at.eq(at),
                refunds::updated_at.eq(at),
            ))
            .execute(c)
    })?;
    if !inserted {
        return Err(ApiError::Conflict {
            code: "refund_already_open",
            detail: "This order already has a pending refund request; wait for its decision (GET /v1/refunds?order_id=…) before asking again.".into(),
        });
    }
    let r = row(conn, &id)?;
    let refund = emit(conn, &r, "refund.created", now)?;
    if tenant.environment() == Environment::Live {
        return Ok(refund);
    }
    match req.sandbox_decision.unwrap_or(SandboxDecision::Approve) {
        SandboxDecision::Approve => decide(
            conn,
            &id,
            true,
            "sandbox_rule",
            "Approved by the sandbox rule.",
            now,
        ),
        SandboxDecision::Decline => decide(
            conn,
            &id,
            false,
            "sandbox_rule",
            "Declined by the sandbox rule (sandbox_decision = decline).",
            now,
        ),
        SandboxDecision::Manual => Ok(refund),
    }
}

/// Approves (posting the `refund` ledger entry) or declines a pending request, with a
/// reason; emits `refund.approved` or `refund.declined`.
pub fn decide(
    conn: &mut DbConnection,
    id: &str,
    approve: bool,
    decided_by: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Refund, ApiError> {
    let r = row(conn, id)?;
    crate::db::lock_partner(conn, &r.partner_id)?;
    let r = row(conn, id)?;
    if r.status != RefundStatus::Pending.as_str() {
        return Err(ApiError::Conflict {
            code: "refund_not_pending",
            detail: format!(
                "The refund request is {} already; only a pending request can be decided.",
                r.status
            ),
        });
    }
    let tenant = r.tenant()?;
    let mut entry = None;
    if approve {
        let left = refundable(conn, &tenant, &r.order_id)?;
        if r.amount_minor > left {
            return Err(exceeds(left));
        }
        entry = wallet::post(
            conn,
            wallet::Posting {
                tenant: &tenant,
                currency: &r.currency,
                entry: EntryType::Refund,
                amount: r.amount_minor,
                reference: wallet::Reference {
                    order_id: Some(&r.order_id),
                    order_attempt: None,
                    invoice_id: None,
                },
                description: format!("Refund {} for order {} ({})", r.id, r.order_id, r.reason),
            },
            now,
        )?;
    }
    let status = if approve {
        RefundStatus::Approved
    } else {
        RefundStatus::Declined
    };
    let at = now.naive_utc();
    let changed = diesel::update(
        refunds::table
            .find(id)
            .filter(refunds::status.eq(RefundStatus::Pending.as_str())),
    )
    .set((
        refunds::status.eq(status.as_str()),
        refunds::decided_by.eq(Some(decided_by)),
        refunds::decision_reason.eq(Some(reason)),
        refunds::ledger_entry_id.eq(&entry),
        refunds::decided_at.eq(Some(at)),
        refunds::updated_at.eq(at),
    ))
    .execute(conn)?;
    if changed != 1 {
        return Err(ApiError::Conflict {
            code: "refund_not_pending",
            detail: "The refund request was decided meanwhile; read it again.".into(),
        });
    }
    let event = if approve {
        "refund.approved"
    } else {
        "refund.declined"
    };
    emit(conn, &r, event, now)
}

/// When a subscription's cancellation completes: if it was never used (never installed, no
/// usage reported), refunds every completed order of it in full (reason
/// `unused_subscription`). Returns the refunds made.
pub fn refund_unused_subscription(
    conn: &mut DbConnection,
    tenant: &Tenant,
    service_id: &str,
    now: DateTime<Utc>,
) -> Result<Vec<Refund>, ApiError> {
    // Installed once counts even when a SIM swap reset the install state since: the
    // activation time stays, and so does the installed materials' record.
    let service: Option<(String, Option<NaiveDateTime>)> = services::table
        .filter(services::partner_id.eq(tenant.partner_id()))
        .filter(services::environment.eq(tenant.environment().as_str()))
        .filter(services::id.eq(service_id))
        .select((services::install_state, services::activated_at))
        .first(conn)
        .optional()?;
    let never_installed = matches!(&service, Some((state, None)) if state == "not_installed")
        && !diesel::select(diesel::dsl::exists(
            activation_materials::table
                .filter(activation_materials::service_id.eq(service_id))
                .filter(activation_materials::installed_at.is_not_null()),
        ))
        .get_result::<bool>(conn)?;
    if !never_installed {
        return Ok(Vec::new());
    }
    let used: bool = diesel::select(diesel::dsl::exists(
        usage_snapshots::table
            .filter(usage_snapshots::service_id.eq(service_id))
            .filter(
                usage_snapshots::bytes_used
                    .gt(0)
                    .or(usage_snapshots::minutes_used.gt(0)),
            ),
    ))
    .get_result(conn)?;
    if used {
        return Ok(Vec::new());
    }
    let completed: Vec<(String, Option<String>)> = orders::table
        .filter(orders::partner_id.eq(tenant.partner_id()))
        .filter(orders::environment.eq(tenant.environment().as_str()))
        .filter(orders::service_id.eq(service_id))
        .filter(orders::state.eq("completed"))
        .order((orders::created_at.asc(), orders::id.asc()))
        .select((orders::id, orders::currency))
        .load(conn)?;
    let mut made = Vec::new();
    for (order_id, currency) in completed {
        let Some(currency) = currency else { continue };
        let pending: Vec<String> = refunds::table
            .filter(refunds::order_id.eq(&order_id))
            .filter(refunds::status.eq(RefundStatus::Pending.as_str()))
            .select(refunds::id)
            .load(conn)?;
        for p in pending {
            decide(
                conn,
                &p,
                false,
                "unused_subscription_rule",
                "Superseded: the subscription was cancelled unused and refunded in full.",
                now,
            )?;
        }
        let left = refundable(conn, tenant, &order_id)?;
        if left <= 0 {
            continue;
        }
        let id = crate::ids::new_id("rfd");
        let at = now.naive_utc();
        diesel::insert_into(refunds::table)
            .values((
                refunds::id.eq(&id),
                refunds::partner_id.eq(tenant.partner_id()),
                refunds::environment.eq(tenant.environment().as_str()),
                refunds::order_id.eq(&order_id),
                refunds::currency.eq(&currency),
                refunds::amount_minor.eq(left),
                refunds::reason.eq(RefundReason::UnusedSubscription.as_str()),
                refunds::status.eq(RefundStatus::Pending.as_str()),
                refunds::requested_by.eq("onyx"),
                refunds::created_at.eq(at),
                refunds::updated_at.eq(at),
            ))
            .execute(conn)?;
        let r = row(conn, &id)?;
        emit(conn, &r, "refund.created", now)?;
        made.push(decide(
            conn,
            &id,
            true,
            "unused_subscription_rule",
            "The subscription was cancelled before it was ever installed or used.",
            now,
        )?);
    }
    Ok(made)
}

/// `refund.*`: the refund after the change.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct RefundEventData {
    pub refund: Refund,
}

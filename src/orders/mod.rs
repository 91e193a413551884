//! Orders: activate, top up, cancel and swap subscriptions, paid from the wallet.
//!
//! Creation checks run in this order, each with its own code, inside one transaction, so a
//! refused order writes nothing (no order, no reservation, no event):
//!
//! 1. the request itself (`validation_failed`, `sandbox_scenario_not_allowed`);
//! 2. account state: the partner is approved (`partner_not_approved`);
//! 3. every package exists (`package_not_found`);
//! 4. the item rules of the order type (`plan_required`, `too_many_plans`,
//!    `too_many_data_addons`, `duplicate_voice_type`, `items_required`);
//! 5. every package is available (`package_unavailable`);
//! 6. every package is approved for the partner (`package_not_approved`);
//! 7. every covered country is one of the partner's markets (`market_not_eligible`);
//! 8. compliance: packages needing identity verification have it attested
//!    (`compliance_requirements_not_met`);
//! 9. the target subscription exists and is in a state the order type allows
//!    (`service_not_found`, `service_not_active`, `service_not_cancellable`,
//!    `service_not_swappable`, `service_busy`);
//! 10. one currency per order (`mixed_currencies`);
//! 11. payment: the wallet can reserve the total (`insufficient_funds`).

pub mod routes;
pub mod state;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};

use self::state::{order_next_step, OrderState, OrderType, SandboxScenario, ServiceState};
use crate::auth::{Environment, Tenant};
use crate::catalogue::{self, ComplianceRequirement, Ineligible, PackageKind, PackageStatus};
use crate::db::schema::{order_items, orders, partners, provisioning_tasks};
use crate::db::{lock_partner, DbConnection};
use crate::error::{ApiError, FieldError};
use crate::events::{self, EventRef};
use crate::paginate;
use crate::pagination::{Page, PageRequest};
use crate::services::{self, NewService};
use crate::time::{utc, utc_opt};
use crate::wallet::{self, EntryType, LedgerEntry};

pub const MAX_DATA_ADDONS: usize = 15;
const MAX_ITEMS: usize = 32;

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemInput {
    #[schema(example = "eu-10gb-30d")]
    pub package_id: String,
}

#[derive(Debug, Clone, Default, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"identity_verified": true}))]
pub struct Compliance {
    /// You verified the end customer's identity (required by some packages).
    #[serde(default)]
    pub identity_verified: bool,
}

/// A new order.
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "type": "activate_subscription",
    "customer_reference": "booking-48151623",
    "items": [{"package_id": "eu-10gb-30d"}, {"package_id": "eu-addon-1gb"}],
    "metadata": {"trip": "Lisbon spring"},
    "sandbox_scenario": "success"
}))]
pub struct CreateOrder {
    #[serde(rename = "type")]
    pub order_type: OrderType,
    /// Your customer's reference: 1–64 characters of letters, digits and `._:@-`.
    #[schema(pattern = "^[A-Za-z0-9._:@-]{1,64}$", example = "booking-48151623")]
    pub customer_reference: String,
    /// Up to 20 string values (keys up to 40 characters, values up to 500).
    #[schema(value_type = Option<Object>)]
    pub metadata: Option<Map<String, Value>>,
    /// Packages: required for activation (exactly one plan), optional for top-ups, absent for
    /// cancel and swap.
    #[serde(default)]
    pub items: Vec<ItemInput>,
    /// The subscription (service) a top-up, cancel or swap applies to.
    pub service_id: Option<String>,
    /// Sandbox only: how the simulator provisions the order (default `success`).
    pub sandbox_scenario: Option<SandboxScenario>,
    pub compliance: Option<Compliance>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct OrderItem {
    pub package_id: String,
    pub kind: PackageKind,
    pub voice_type: Option<String>,
    /// Price at the time of the order, in minor units.
    pub price_minor: i64,
    pub currency: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Order {
    #[schema(example = "ord_3kT9mQ2xLr8vWc1ZpN0bHs4y")]
    pub id: String,
    #[serde(rename = "type")]
    pub order_type: OrderType,
    pub state: OrderState,
    pub environment: Environment,
    #[schema(example = "booking-48151623")]
    pub customer_reference: String,
    #[schema(value_type = Object)]
    pub metadata: Value,
    /// The subscription this order created or applies to.
    pub service_id: Option<String>,
    pub items: Vec<OrderItem>,
    /// Null for orders without items.
    #[schema(example = "EUR")]
    pub currency: Option<String>,
    /// Sum of the item prices, in minor units.
    #[schema(example = 2400)]
    pub total_minor: i64,
    pub sandbox_scenario: Option<SandboxScenario>,
    pub compliance: Compliance,
    /// 1 for the first attempt; each retry adds one.
    pub attempt: i32,
    /// Why the order failed (when `state` is `failed`).
    #[schema(example = json!(null))]
    pub failure_code: Option<String>,
    pub failure_message: Option<String>,
    /// Whether Onyx marked the failure as retryable.
    pub retryable: bool,
    /// Whether `POST /v1/orders/{order_id}/retry` is accepted now.
    pub retry_allowed: bool,
    /// What Onyx asks you to do now.
    pub next_step: String,
    pub completed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An order with its ledger entries and events.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrderDetail {
    #[serde(flatten)]
    pub order: Order,
    pub ledger_entries: Vec<LedgerEntry>,
    /// Events about the order and its service, oldest first.
    pub events: Vec<EventRef>,
}

#[derive(Queryable, Selectable, Clone)]
#[diesel(table_name = orders)]
pub struct Row {
    pub id: String,
    pub partner_id: String,
    pub environment: String,
    pub order_type: String,
    pub state: String,
    pub customer_reference: String,
    pub metadata: String,
    pub service_id: Option<String>,
    pub currency: Option<String>,
    pub total_minor: i64,
    pub sandbox_scenario: Option<String>,
    pub identity_verified: bool,
    pub attempt: i32,
    pub failure_code: Option<String>,
    pub failure_message: Option<String>,
    pub retryable: bool,
    pub retry_allowed: bool,
    pub next_step: String,
    pub completed_at: Option<chrono::NaiveDateTime>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

impl Row {
    pub fn state(&self) -> OrderState {
        OrderState::parse(&self.state).unwrap_or(OrderState::Pending)
    }
    pub fn order_type(&self) -> OrderType {
        OrderType::parse(&self.order_type).unwrap_or(OrderType::ActivateSubscription)
    }
    pub fn tenant(&self) -> Tenant {
        Tenant {
            partner_id: self.partner_id.clone(),
            environment: Environment::parse(&self.environment).unwrap_or(Environment::Sandbox),
        }
    }
    pub fn scenario(&self) -> Option<SandboxScenario> {
        self.sandbox_scenario
            .as_deref()
            .and_then(SandboxScenario::parse)
    }
}

fn items_of(conn: &mut DbConnection, order_id: &str) -> Result<Vec<OrderItem>, ApiError> {
    let rows: Vec<(String, String, Option<String>, i64, String)> = order_items::table
        .filter(order_items::order_id.eq(order_id))
        .order(order_items::position.asc())
        .select((
            order_items::package_id,
            order_items::kind,
            order_items::voice_type,
            order_items::price_minor,
            order_items::currency,
        ))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(
            |(package_id, kind, voice_type, price_minor, currency)| OrderItem {
                package_id,
                kind: PackageKind::parse(&kind).unwrap_or(PackageKind::Plan),
                voice_type,
                price_minor,
                currency,
            },
        )
        .collect())
}

fn view(conn: &mut DbConnection, r: Row) -> Result<Order, ApiError> {
    let items = items_of(conn, &r.id)?;
    let state = r.state();
    let failed = state == OrderState::Failed;
    Ok(Order {
        order_type: r.order_type(),
        environment: r.tenant().environment,
        sandbox_scenario: r.scenario(),
        state,
        metadata: serde_json::from_str(&r.metadata).unwrap_or(Value::Object(Map::new())),
        compliance: Compliance {
            identity_verified: r.identity_verified,
        },
        failure_code: if failed { r.failure_code } else { None },
        failure_message: if failed { r.failure_message } else { None },
        retryable: failed && r.retryable,
        retry_allowed: failed && r.retry_allowed,
        completed_at: utc_opt(r.completed_at),
        created_at: utc(r.created_at),
        updated_at: utc(r.updated_at),
        id: r.id,
        customer_reference: r.customer_reference,
        service_id: r.service_id,
        items,
        currency: r.currency,
        total_minor: r.total_minor,
        attempt: r.attempt,
        next_step: r.next_step,
    })
}

fn row(conn: &mut DbConnection, tenant: &Tenant, id: &str) -> Result<Row, ApiError> {
    orders::table
        .filter(orders::partner_id.eq(&tenant.partner_id))
        .filter(orders::environment.eq(tenant.environment.as_str()))
        .filter(orders::id.eq(id))
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("order"))
}

/// An order by id regardless of tenant (workers and operators).
pub fn row_by_id(conn: &mut DbConnection, id: &str) -> Result<Row, ApiError> {
    orders::table
        .find(id)
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("order"))
}

pub fn get(conn: &mut DbConnection, tenant: &Tenant, id: &str) -> Result<Order, ApiError> {
    let r = row(conn, tenant, id)?;
    view(conn, r)
}

pub fn detail(conn: &mut DbConnection, tenant: &Tenant, id: &str) -> Result<OrderDetail, ApiError> {
    let order = get(conn, tenant, id)?;
    let ledger_entries = wallet::entries_of_order(conn, tenant, id)?;
    let mut subjects = vec![order.id.as_str()];
    if order.order_type == OrderType::ActivateSubscription {
        if let Some(s) = &order.service_id {
            subjects.push(s);
        }
    }
    let events = events::about(conn, tenant, &subjects)?;
    Ok(OrderDetail {
        order,
        ledger_entries,
        events,
    })
}

fn rule(code: &'static str, detail: String) -> ApiError {
    ApiError::Unprocessable { code, detail }
}

fn is_reference(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._:@-".contains(&b))
}

/// Step 1: the request on its own.
fn check_request(req: &CreateOrder, env: Environment) -> Result<(), ApiError> {
    let mut errs = Vec::new();
    if !is_reference(&req.customer_reference) {
        errs.push(FieldError::new(
            "customer_reference",
            "invalid_format",
            "must be 1 to 64 characters of letters, digits and . _ : @ -",
        ));
    }
    if let Some(meta) = &req.metadata {
        if meta.len() > 20 {
            errs.push(FieldError::new(
                "metadata",
                "too_many_keys",
                "may hold at most 20 keys",
            ));
        }
        for (k, v) in meta {
            if k.is_empty() || k.chars().count() > 40 {
                errs.push(FieldError::new(
                    format!("metadata.{k}"),
                    "invalid_key",
                    "keys must be 1 to 40 characters long",
                ));
            }
            match v {
                Value::String(s) if s.chars().count() <= 500 => {}
                Value::String(_) => errs.push(FieldError::new(
                    format!("metadata.{k}"),
                    "too_long",
                    "values must be at most 500 characters long",
                )),
                _ => errs.push(FieldError::new(
                    format!("metadata.{k}"),
                    "invalid_type",
                    "values must be strings",
                )),
            }
        }
    }
    if req.items.len() > MAX_ITEMS {
        errs.push(FieldError::new(
            "items",
            "too_many",
            format!("may hold at most {MAX_ITEMS} items"),
        ));
    }
    match req.order_type {
        OrderType::ActivateSubscription => {
            if req.service_id.is_some() {
                errs.push(FieldError::new(
                    "service_id",
                    "not_allowed",
                    "an activation creates a new subscription; leave service_id out",
                ));
            }
        }
        _ => {
            if req.service_id.as_deref().is_none_or(str::is_empty) {
                errs.push(FieldError::new(
                    "service_id",
                    "required",
                    "names the subscription this order applies to",
                ));
            }
        }
    }
    if matches!(
        req.order_type,
        OrderType::CancelSubscription | OrderType::SwapSim
    ) && !req.items.is_empty()
    {
        errs.push(FieldError::new(
            "items",
            "not_allowed",
            "cancel and swap orders carry no packages",
        ));
    }
    if env == Environment::Live && req.sandbox_scenario.is_some() {
        errs.push(FieldError::new(
            "sandbox_scenario",
            "sandbox_scenario_not_allowed",
            "sandbox scenarios exist only in sandbox; live orders are provisioned for real",
        ));
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(errs))
    }
}

/// Step 4: the item rules of the order type, on the packages' real kinds.
fn check_items(order_type: OrderType, packages: &[catalogue::Package]) -> Result<(), ApiError> {
    let plans = packages
        .iter()
        .filter(|p| p.kind == PackageKind::Plan)
        .count();
    let data = packages
        .iter()
        .filter(|p| p.kind == PackageKind::DataAddon)
        .count();
    match order_type {
        OrderType::ActivateSubscription if plans == 0 => {
            return Err(rule(
                "plan_required",
                "An activation needs exactly one plan; add a package of kind `plan` to items."
                    .into(),
            ))
        }
        OrderType::TopUpSubscription if packages.is_empty() => {
            return Err(rule(
                "items_required",
                "A top-up needs at least one package: a plan or add-ons.".into(),
            ))
        }
        _ => {}
    }
    if plans > 1 {
        return Err(rule(
            "too_many_plans",
            format!("An order may hold one plan; this one holds {plans}."),
        ));
    }
    if data > MAX_DATA_ADDONS {
        return Err(rule(
            "too_many_data_addons",
            format!(
                "An order may hold at most {MAX_DATA_ADDONS} data add-ons; this one holds {data}."
            ),
        ));
    }
    let mut voice_types: Vec<&str> = Vec::new();
    for p in packages
        .iter()
        .filter(|p| p.kind == PackageKind::VoiceAddon)
    {
        let vt = p.voice_type.as_deref().unwrap_or("");
        if voice_types.contains(&vt) {
            return Err(rule(
                "duplicate_voice_type",
                format!(
                    "An order may hold one voice add-on of each voice type; `{vt}` appears twice."
                ),
            ));
        }
        voice_types.push(vt);
    }
    Ok(())
}

/// Creates an order after every check; writes nothing when a check fails.
pub fn create(
    conn: &mut DbConnection,
    tenant: &Tenant,
    req: CreateOrder,
    now: DateTime<Utc>,
) -> Result<Order, ApiError> {
    check_request(&req, tenant.environment)?;
    lock_partner(conn, &tenant.partner_id)?;
    let status: String = partners::table
        .find(&tenant.partner_id)
        .select(partners::status)
        .first(conn)?;
    if status != "approved" {
        return Err(ApiError::Forbidden {
            code: "partner_not_approved",
            detail: "Your partner account is not approved by Onyx yet, so orders cannot be created; browse the catalogue and prepare your integration meanwhile.".into(),
        });
    }
    let mut packages = Vec::with_capacity(req.items.len());
    for (i, item) in req.items.iter().enumerate() {
        let p = catalogue::get(conn, &item.package_id).map_err(|_| {
            rule(
                "package_not_found",
                format!(
                    "items[{i}]: no package `{}` exists; use a package_id from GET /v1/packages.",
                    item.package_id
                ),
            )
        })?;
        packages.push(p);
    }
    check_items(req.order_type, &packages)?;
    for (i, p) in packages.iter().enumerate() {
        if p.status != PackageStatus::Available {
            return Err(rule("package_unavailable", format!("items[{i}]: package `{}` is {} and cannot be ordered now; choose an available package.", p.package_id, p.status.as_str())));
        }
    }
    for (i, p) in packages.iter().enumerate() {
        match catalogue::eligibility(conn, &tenant.partner_id, p)? {
            Some(Ineligible::NotApproved) => {
                return Err(rule("package_not_approved", format!("items[{i}]: package `{}` is not approved for your account; order only packages listed by GET /v1/packages.", p.package_id)))
            }
            Some(Ineligible::OutsideMarkets) => {
                return Err(rule("market_not_eligible", format!("items[{i}]: package `{}` covers countries outside your eligible markets; ask Onyx to extend your markets or choose another package.", p.package_id)))
            }
            None => {}
        }
    }
    let attested = req.compliance.as_ref().is_some_and(|c| c.identity_verified);
    if let Some((i, p)) = packages.iter().enumerate().find(|(_, p)| {
        p.compliance_requirements
            .contains(&ComplianceRequirement::IdentityVerification)
    }) {
        if !attested {
            return Err(rule("compliance_requirements_not_met", format!("items[{i}]: package `{}` requires identity verification; verify the customer's identity and send compliance.identity_verified = true.", p.package_id)));
        }
    }
    if let Some(service_id) = &req.service_id {
        check_target(conn, tenant, req.order_type, service_id)?;
    }
    let currency = packages.first().map(|p| p.currency.clone());
    if let Some(c) = &currency {
        if let Some(other) = packages.iter().find(|p| &p.currency != c) {
            return Err(rule("mixed_currencies", format!("All packages of an order must share one currency; `{}` is in {} while the first is in {c}.", other.package_id, other.currency)));
        }
    }
    let total: i64 = packages.iter().map(|p| p.price_minor).sum();

    let id = crate::ids::new_id("ord");
    if let Some(c) = &currency {
        if total > 0 {
            let charge = wallet::Charge {
                tenant,
                currency: c,
                amount: total,
                order_id: &id,
                attempt: 1,
            };
            wallet::reserve(conn, &charge, now)?;
        }
    }
    let service_id = match req.order_type {
        OrderType::ActivateSubscription => {
            let plan = packages
                .iter()
                .find(|p| p.kind == PackageKind::Plan)
                .ok_or_else(|| ApiError::internal("plan checked above"))?;
            let extra: i64 = packages
                .iter()
                .filter(|p| p.kind == PackageKind::DataAddon)
                .filter_map(|p| p.data_allowance_bytes)
                .sum();
            let unlimited = packages.iter().any(|p| p.data_unlimited);
            Some(services::create(
                conn,
                tenant,
                NewService {
                    customer_reference: &req.customer_reference,
                    package_id: &plan.package_id,
                    data_allowance_bytes: if unlimited {
                        None
                    } else {
                        Some(plan.data_allowance_bytes.unwrap_or(0) + extra)
                    },
                    data_unlimited: unlimited,
                    validity_days: plan.validity_days,
                },
                now,
            )?)
        }
        _ => req.service_id.clone(),
    };
    let scenario = match tenant.environment {
        Environment::Sandbox => Some(req.sandbox_scenario.unwrap_or(SandboxScenario::Success)),
        Environment::Live => None,
    };
    let at = now.naive_utc();
    diesel::insert_into(orders::table)
        .values((
            orders::id.eq(&id),
            orders::partner_id.eq(&tenant.partner_id),
            orders::environment.eq(tenant.environment.as_str()),
            orders::order_type.eq(req.order_type.as_str()),
            orders::state.eq(OrderState::Pending.as_str()),
            orders::customer_reference.eq(&req.customer_reference),
            orders::metadata
                .eq(Value::Object(req.metadata.clone().unwrap_or_default()).to_string()),
            orders::service_id.eq(&service_id),
            orders::currency.eq(&currency),
            orders::total_minor.eq(total),
            orders::sandbox_scenario.eq(scenario.map(|s| s.as_str())),
            orders::identity_verified.eq(attested),
            orders::attempt.eq(1),
            orders::retryable.eq(false),
            orders::retry_allowed.eq(false),
            orders::next_step.eq(order_next_step(OrderState::Pending, false)),
            orders::created_at.eq(at),
            orders::updated_at.eq(at),
        ))
        .execute(conn)?;
    for (i, p) in packages.iter().enumerate() {
        diesel::insert_into(order_items::table)
            .values((
                order_items::order_id.eq(&id),
                order_items::position.eq(i as i32),
                order_items::package_id.eq(&p.package_id),
                order_items::kind.eq(p.kind.as_str()),
                order_items::voice_type.eq(&p.voice_type),
                order_items::price_minor.eq(p.price_minor),
                order_items::currency.eq(&p.currency),
            ))
            .execute(conn)?;
    }
    schedule(conn, &id, 0, now)?;
    let order = get(conn, tenant, &id)?;
    events::emit(
        conn,
        tenant,
        "order.created",
        &id,
        serde_json::json!({ "order": order }),
        now,
    )?;
    Ok(order)
}

/// Step 9: the subscription an order applies to.
fn check_target(
    conn: &mut DbConnection,
    tenant: &Tenant,
    order_type: OrderType,
    service_id: &str,
) -> Result<(), ApiError> {
    let service = services::get(conn, tenant, service_id).map_err(|_| {
        rule("service_not_found", format!("No subscription `{service_id}` exists in this environment; use a service_id from GET /v1/services."))
    })?;
    let state = service.state;
    let refused = match order_type {
        OrderType::TopUpSubscription if state != ServiceState::Active => Some((
            "service_not_active",
            "A top-up needs an active subscription",
        )),
        OrderType::CancelSubscription if state == ServiceState::Cancelled => Some((
            "service_not_cancellable",
            "This subscription is already cancelled",
        )),
        OrderType::SwapSim
            if !matches!(state, ServiceState::Active | ServiceState::ReadyToInstall) =>
        {
            Some((
                "service_not_swappable",
                "A SIM swap needs a subscription that is active or ready to install",
            ))
        }
        _ => None,
    };
    if let Some((code, why)) = refused {
        return Err(rule(
            code,
            format!("{why}; `{service_id}` is {}.", state.as_str()),
        ));
    }
    let busy: bool = diesel::select(diesel::dsl::exists(
        orders::table
            .filter(orders::service_id.eq(service_id))
            .filter(orders::state.eq_any([
                OrderState::Pending.as_str(),
                OrderState::Processing.as_str(),
            ])),
    ))
    .get_result(conn)?;
    if busy {
        return Err(ApiError::Conflict {
            code: "service_busy",
            detail: format!("Subscription `{service_id}` has an open order; wait until it completes, fails or is cancelled."),
        });
    }
    Ok(())
}

/// Queues provisioning of an order (the worker picks it up when due).
pub fn schedule(
    conn: &mut DbConnection,
    order_id: &str,
    step: i32,
    due: DateTime<Utc>,
) -> Result<(), ApiError> {
    diesel::delete(provisioning_tasks::table.find(order_id)).execute(conn)?;
    diesel::insert_into(provisioning_tasks::table)
        .values((
            provisioning_tasks::order_id.eq(order_id),
            provisioning_tasks::step.eq(step),
            provisioning_tasks::due_at.eq(due.naive_utc()),
            provisioning_tasks::created_at.eq(due.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

pub fn unschedule(conn: &mut DbConnection, order_id: &str) -> Result<(), ApiError> {
    diesel::delete(provisioning_tasks::table.find(order_id)).execute(conn)?;
    Ok(())
}

/// What provisioning reports about an order (from the upstream adapter or an operator).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    Preparing,
    Delayed,
    Done,
    Failed {
        code: String,
        message: String,
        retryable: bool,
    },
    Unavailable {
        message: String,
    },
}

impl Progress {
    /// Ends the order's provisioning (its task is removed by `apply_progress`).
    pub fn is_final(&self) -> bool {
        !matches!(self, Progress::Preparing | Progress::Delayed)
    }
}

/// Moves an order (and its money and service) to `next`: one guarded update, one event.
fn set_state(
    conn: &mut DbConnection,
    r: &Row,
    next: OrderState,
    now: DateTime<Utc>,
    failure: Option<(&str, &str, bool, bool)>,
) -> Result<(), ApiError> {
    let current = r.state();
    if !current.can_become(next) {
        return Err(ApiError::Conflict {
            code: "invalid_order_state",
            detail: format!(
                "The order is {} and cannot become {}.",
                current.as_str(),
                next.as_str()
            ),
        });
    }
    let at = now.naive_utc();
    let retry_allowed = failure.is_some_and(|f| f.3);
    let q = diesel::update(
        orders::table
            .find(&r.id)
            .filter(orders::state.eq(&r.state))
            .filter(orders::attempt.eq(r.attempt)),
    );
    let changed = match failure {
        Some((code, message, retryable, allowed)) => q
            .set((
                orders::state.eq(next.as_str()),
                orders::failure_code.eq(Some(code)),
                orders::failure_message.eq(Some(message)),
                orders::retryable.eq(retryable),
                orders::retry_allowed.eq(allowed),
                orders::next_step.eq(order_next_step(next, retry_allowed)),
                orders::updated_at.eq(at),
            ))
            .execute(conn)?,
        None => q
            .set((
                orders::state.eq(next.as_str()),
                orders::next_step.eq(order_next_step(next, false)),
                orders::completed_at.eq(if next == OrderState::Completed {
                    Some(at)
                } else {
                    r.completed_at
                }),
                orders::updated_at.eq(at),
            ))
            .execute(conn)?,
    };
    if changed != 1 {
        return Err(ApiError::Conflict {
            code: "invalid_order_state",
            detail: "The order changed meanwhile; read it again.".into(),
        });
    }
    if current != next {
        let tenant = r.tenant();
        let order = get(conn, &tenant, &r.id)?;
        events::emit(
            conn,
            &tenant,
            &format!("order.{}", next.as_str()),
            &r.id,
            serde_json::json!({ "order": order }),
            now,
        )?;
    }
    Ok(())
}

fn settle(
    conn: &mut DbConnection,
    r: &Row,
    entry: EntryType,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    match &r.currency {
        Some(c) if r.total_minor > 0 => {
            let tenant = r.tenant();
            let charge = wallet::Charge {
                tenant: &tenant,
                currency: c,
                amount: r.total_minor,
                order_id: &r.id,
                attempt: r.attempt,
            };
            wallet::settle(conn, &charge, entry, now)
        }
        _ => Ok(()),
    }
}

/// Applies provisioning progress to an open order. Returns false when the order is no
/// longer open (cancelled meanwhile): the report is then ignored.
pub fn apply_progress(
    conn: &mut DbConnection,
    vault: &crate::activation::Vault,
    order_id: &str,
    progress: Progress,
    now: DateTime<Utc>,
) -> Result<bool, ApiError> {
    let r = row_by_id(conn, order_id)?;
    lock_partner(conn, &r.partner_id)?;
    let r = row_by_id(conn, order_id)?;
    if !r.state().is_open() {
        return Ok(false);
    }
    let tenant = r.tenant();
    let activation = r.order_type() == OrderType::ActivateSubscription;
    let service_id = r.service_id.clone().unwrap_or_default();
    match progress {
        Progress::Preparing | Progress::Delayed => {
            set_state(conn, &r, OrderState::Processing, now, None)?;
            if activation {
                let next = if progress == Progress::Delayed {
                    ServiceState::Delayed
                } else {
                    ServiceState::Preparing
                };
                services::transition(conn, &tenant, &service_id, next, now)?;
            }
        }
        Progress::Done => {
            settle(conn, &r, EntryType::Capture, now)?;
            unschedule(conn, &r.id)?;
            match r.order_type() {
                OrderType::ActivateSubscription | OrderType::SwapSim => {
                    services::ready(conn, vault, &tenant, &service_id, now)?
                }
                OrderType::TopUpSubscription => {
                    let items = items_of(conn, &r.id)?;
                    let mut extra = 0;
                    let mut unlimited = false;
                    let mut days = 0;
                    for item in &items {
                        let p = catalogue::get(conn, &item.package_id)?;
                        extra += p.data_allowance_bytes.unwrap_or(0);
                        unlimited |= p.data_unlimited;
                        if p.kind == PackageKind::Plan {
                            days = p.validity_days;
                        }
                    }
                    services::top_up(
                        conn,
                        &tenant,
                        &service_id,
                        Some(extra),
                        unlimited,
                        days,
                        now,
                    )?;
                }
                OrderType::CancelSubscription => {
                    services::transition(conn, &tenant, &service_id, ServiceState::Cancelled, now)?;
                }
            }
            set_state(conn, &r, OrderState::Completed, now, None)?;
        }
        Progress::Failed {
            code,
            message,
            retryable,
        } => {
            fail(conn, &r, &code, &message, retryable, now)?;
            if activation {
                services::transition(conn, &tenant, &service_id, ServiceState::Failed, now)?;
            }
        }
        Progress::Unavailable { message } => {
            fail(conn, &r, "service_unavailable", &message, false, now)?;
            if activation {
                services::transition(conn, &tenant, &service_id, ServiceState::Unavailable, now)?;
            }
        }
    }
    Ok(true)
}

fn fail(
    conn: &mut DbConnection,
    r: &Row,
    code: &str,
    message: &str,
    retryable: bool,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    settle(conn, r, EntryType::Release, now)?;
    unschedule(conn, &r.id)?;
    // Retrying is allowed once per retryable failure; the same failure again after a retry
    // needs a change reported by Onyx first.
    let repeated = r.attempt > 1 && r.failure_code.as_deref() == Some(code);
    set_state(
        conn,
        r,
        OrderState::Failed,
        now,
        Some((code, message, retryable, retryable && !repeated)),
    )
}

/// Cancels an open order: releases its funds, stops provisioning, cancels a new service.
pub fn cancel(
    conn: &mut DbConnection,
    tenant: &Tenant,
    id: &str,
    now: DateTime<Utc>,
) -> Result<Order, ApiError> {
    lock_partner(conn, &tenant.partner_id)?;
    let r = row(conn, tenant, id)?;
    if !r.state().is_open() {
        return Err(ApiError::Conflict {
            code: "order_not_cancellable",
            detail: format!(
                "Only pending or processing orders can be cancelled; this one is {}. To end a subscription, create a cancel_subscription order.",
                r.state
            ),
        });
    }
    settle(conn, &r, EntryType::Release, now)?;
    unschedule(conn, &r.id)?;
    if r.order_type() == OrderType::ActivateSubscription {
        if let Some(s) = &r.service_id {
            services::transition(conn, tenant, s, ServiceState::Cancelled, now)?;
        }
    }
    set_state(conn, &r, OrderState::Cancelled, now, None)?;
    get(conn, tenant, id)
}

/// Retries a failed order when Onyx allows it: a new attempt with a new reservation.
pub fn retry(
    conn: &mut DbConnection,
    tenant: &Tenant,
    id: &str,
    now: DateTime<Utc>,
) -> Result<Order, ApiError> {
    lock_partner(conn, &tenant.partner_id)?;
    let r = row(conn, tenant, id)?;
    if r.state() != OrderState::Failed {
        return Err(ApiError::Conflict {
            code: "order_not_failed",
            detail: format!(
                "Only failed orders can be retried; this one is {}.",
                r.state
            ),
        });
    }
    if !r.retry_allowed {
        return Err(ApiError::Conflict {
            code: "retry_not_allowed",
            detail: "This order cannot be retried: nothing has changed since it failed and Onyx has not marked it retryable. Show the customer the failure reason and next step.".into(),
        });
    }
    let attempt = r.attempt + 1;
    if let Some(c) = &r.currency {
        if r.total_minor > 0 {
            let charge = wallet::Charge {
                tenant,
                currency: c,
                amount: r.total_minor,
                order_id: &r.id,
                attempt,
            };
            wallet::reserve(conn, &charge, now)?;
        }
    }
    let at = now.naive_utc();
    let changed = diesel::update(
        orders::table
            .find(&r.id)
            .filter(orders::state.eq(&r.state))
            .filter(orders::attempt.eq(r.attempt)),
    )
    .set((
        orders::state.eq(OrderState::Pending.as_str()),
        orders::attempt.eq(attempt),
        orders::retry_allowed.eq(false),
        orders::next_step.eq(order_next_step(OrderState::Pending, false)),
        orders::updated_at.eq(at),
    ))
    .execute(conn)?;
    if changed != 1 {
        return Err(ApiError::Conflict {
            code: "invalid_order_state",
            detail: "The order changed meanwhile; read it again.".into(),
        });
    }
    if r.order_type() == OrderType::ActivateSubscription {
        if let Some(s) = &r.service_id {
            services::transition(conn, tenant, s, ServiceState::Preparing, now)?;
        }
    }
    schedule(conn, &r.id, 0, now)?;
    let order = get(conn, tenant, id)?;
    events::emit(
        conn,
        tenant,
        "order.retried",
        id,
        serde_json::json!({ "order": order }),
        now,
    )?;
    Ok(order)
}

/// Onyx marks a failed order retryable (a change that makes a retry worthwhile).
pub fn mark_retryable(
    conn: &mut DbConnection,
    id: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let r = row_by_id(conn, id)?;
    if r.state() != OrderState::Failed {
        return Err(ApiError::Conflict {
            code: "order_not_failed",
            detail: format!(
                "Only a failed order can be marked retryable; this one is {}.",
                r.state
            ),
        });
    }
    diesel::update(orders::table.find(id))
        .set((
            orders::retryable.eq(true),
            orders::retry_allowed.eq(true),
            orders::next_step.eq(order_next_step(OrderState::Failed, true)),
            orders::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    let tenant = r.tenant();
    let order = get(conn, &tenant, id)?;
    events::emit(
        conn,
        &tenant,
        "order.retryable",
        id,
        serde_json::json!({ "order": order }),
        now,
    )?;
    Ok(())
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrderFilter {
    /// Only orders in this state.
    pub state: Option<OrderState>,
    /// Only orders of this type.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub order_type: Option<OrderType>,
    /// Only orders of this customer.
    pub customer_reference: Option<String>,
    /// Only orders created at or after this time (RFC 3339).
    pub created_from: Option<DateTime<Utc>>,
    /// Only orders created before this time (RFC 3339).
    pub created_to: Option<DateTime<Utc>>,
}

pub fn list(
    conn: &mut DbConnection,
    tenant: &Tenant,
    filter: &OrderFilter,
    page: &PageRequest,
) -> Result<Page<Order>, ApiError> {
    let mut q = paginate!(
        orders::table
            .filter(orders::partner_id.eq(&tenant.partner_id))
            .filter(orders::environment.eq(tenant.environment.as_str())),
        orders,
        page
    );
    if let Some(s) = filter.state {
        q = q.filter(orders::state.eq(s.as_str()));
    }
    if let Some(t) = filter.order_type {
        q = q.filter(orders::order_type.eq(t.as_str()));
    }
    if let Some(c) = &filter.customer_reference {
        q = q.filter(orders::customer_reference.eq(c.clone()));
    }
    if let Some(from) = filter.created_from {
        q = q.filter(orders::created_at.ge(from.naive_utc()));
    }
    if let Some(to) = filter.created_to {
        q = q.filter(orders::created_at.lt(to.naive_utc()));
    }
    let rows: Vec<Row> = q.select(Row::as_select()).load(conn)?;
    Page::try_from_rows(
        rows,
        page,
        |r| (r.created_at, r.id.clone()),
        |r| view(conn, r),
    )
}

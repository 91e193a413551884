//! Orders: activate, top up, cancel and swap subscriptions, paid from the wallet.
//!
//! - `checks`: every creation check, in order, turning a request into a `ValidOrder`;
//! - this module: the order types, reads and lists, and `create` (check, then place);
//! - `lifecycle`: provisioning progress, cancel and retry, with their money;
//! - `state`: the order state machine and Onyx's `next_step` texts.

pub mod checks;
pub mod lifecycle;
pub mod routes;
pub mod state;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};

use self::state::{order_next_step, OrderState, OrderType, SandboxScenario};
use crate::auth::{Environment, Tenant};
use crate::catalogue::PackageKind;
use crate::db::schema::{order_items, orders};
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::events::{self, EventRef};
use crate::outbox;
use crate::paginate;
use crate::pagination::{Page, PageRequest};
use crate::services::{self, NewService};
use crate::time::{utc, utc_opt};
use crate::wallet::{self, LedgerEntry};

pub use self::checks::{ValidOrder, MAX_DATA_ADDONS};
pub use self::lifecycle::{
    apply_progress, apply_progress_locked, cancel, mark_retryable, retry, schedule, schedule_new,
    unschedule, Progress,
};

#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemInput {
    #[schema(example = "eu-10gb-30d", pattern = "^[a-z0-9._-]{1,64}$")]
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
    #[schema(schema_with = crate::openapi::order_metadata)]
    pub metadata: Option<Map<String, Value>>,
    /// Packages: required for activation (exactly one plan), optional for top-ups, absent for
    /// cancel and swap. At most 32.
    #[serde(default)]
    #[schema(max_items = 32)]
    pub items: Vec<ItemInput>,
    /// The subscription (service) a top-up, cancel or swap applies to: required for those,
    /// absent for an activation.
    #[schema(min_length = 1)]
    pub service_id: Option<String>,
    /// Sandbox only (refused in live): how the simulator provisions the order (default
    /// `success`).
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

#[derive(Queryable, Selectable, Insertable, Clone)]
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
    pub fn state(&self) -> Result<OrderState, ApiError> {
        OrderState::from_stored(&self.state, "orders.state")
    }
    pub fn order_type(&self) -> Result<OrderType, ApiError> {
        OrderType::from_stored(&self.order_type, "orders.order_type")
    }
    pub fn tenant(&self) -> Result<Tenant, ApiError> {
        Tenant::of_row(&self.partner_id, &self.environment, "orders.environment")
    }
    pub fn scenario(&self) -> Result<Option<SandboxScenario>, ApiError> {
        self.sandbox_scenario
            .as_deref()
            .map(|s| SandboxScenario::from_stored(s, "orders.sandbox_scenario"))
            .transpose()
    }
}

pub(super) fn items_of(
    conn: &mut DbConnection,
    order_id: &str,
) -> Result<Vec<OrderItem>, ApiError> {
    Ok(items_of_many(conn, &[order_id.to_string()])?
        .remove(order_id)
        .unwrap_or_default())
}

/// The items of several orders in one query, by order id (in item position order).
fn items_of_many(
    conn: &mut DbConnection,
    order_ids: &[String],
) -> Result<std::collections::HashMap<String, Vec<OrderItem>>, ApiError> {
    let rows: Vec<(String, String, String, Option<String>, i64, String)> =
        crate::db::native!(conn, |c| order_items::table
            .filter(order_items::order_id.eq_any(order_ids))
            .order((order_items::order_id.asc(), order_items::position.asc()))
            .select((
                order_items::order_id,
                order_items::package_id,
                order_items::kind,
                order_items::voice_type,
                order_items::price_minor,
                order_items::currency,
            ))
            .load(c))?;
    let mut by_order: std::collections::HashMap<String, Vec<OrderItem>> =
        std::collections::HashMap::with_capacity(order_ids.len());
    for (order_id, package_id, kind, voice_type, price_minor, currency) in rows {
        by_order.entry(order_id).or_default().push(OrderItem {
            kind: PackageKind::from_stored(&kind, "order_items.kind")?,
            package_id,
            voice_type,
            price_minor,
            currency,
        });
    }
    Ok(by_order)
}

fn view(conn: &mut DbConnection, r: Row) -> Result<Order, ApiError> {
    let items = items_of(conn, &r.id)?;
    view_with(r, items)
}

fn view_with(r: Row, items: Vec<OrderItem>) -> Result<Order, ApiError> {
    let state = r.state()?;
    let failed = state == OrderState::Failed;
    Ok(Order {
        order_type: r.order_type()?,
        environment: r.tenant()?.environment(),
        sandbox_scenario: r.scenario()?,
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

/// The tenant's order `id`. Looked up by primary key alone and checked against the tenant
/// here: with the tenant in the statement too, PostgreSQL's generic plan (before the table has
/// statistics) walked the partner's whole `orders_partner` index for one id.
pub(super) fn row(conn: &mut DbConnection, tenant: &Tenant, id: &str) -> Result<Row, ApiError> {
    crate::db::native!(conn, |c| orders::table
        .find(id)
        .select(Row::as_select())
        .first(c)
        .optional())?
    .filter(|r| {
        r.partner_id == tenant.partner_id() && r.environment == tenant.environment().as_str()
    })
    .ok_or_else(|| ApiError::not_found("order"))
}

/// An order by id regardless of tenant (workers and operators).
pub fn row_by_id(conn: &mut DbConnection, id: &str) -> Result<Row, ApiError> {
    crate::db::native!(conn, |c| orders::table
        .find(id)
        .select(Row::as_select())
        .first(c)
        .optional())?
    .ok_or_else(|| ApiError::not_found("order"))
}

/// An order by id as it is under its partner's lock (see [`crate::db::lock_partner`]), for
/// a change that must not interleave with another change of the partner's orders. On
/// PostgreSQL: the partner id, the lock, then the row as the lock found it. On SQLite the lock
/// is the write turn the transaction already holds, and a transaction reads one snapshot, so
/// the row is read once.
pub fn row_locked(conn: &mut DbConnection, id: &str) -> Result<Row, ApiError> {
    match conn {
        DbConnection::Sqlite(_) => row_by_id(conn, id),
        DbConnection::Pg(c) => {
            let partner_id: String = orders::table
                .find(id)
                .select(orders::partner_id)
                .first(c)
                .optional()?
                .ok_or_else(|| ApiError::not_found("order"))?;
            crate::db::lock_partner(conn, &partner_id)?;
            row_by_id(conn, id)
        }
    }
}

/// Several of the tenant's orders by id, in two statements whatever their number; ids that
/// are not the tenant's orders are left out.
pub fn views_of(
    conn: &mut DbConnection,
    tenant: &Tenant,
    ids: &[String],
) -> Result<std::collections::HashMap<String, Order>, ApiError> {
    let rows: Vec<Row> = orders::table
        .filter(orders::partner_id.eq(tenant.partner_id()))
        .filter(orders::environment.eq(tenant.environment().as_str()))
        .filter(orders::id.eq_any(ids))
        .select(Row::as_select())
        .load(conn)?;
    let found: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut items = items_of_many(conn, &found)?;
    rows.into_iter()
        .map(|r| {
            let own = items.remove(&r.id).unwrap_or_default();
            Ok((r.id.clone(), view_with(r, own)?))
        })
        .collect()
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

/// Creates an order: check, then place. Writes nothing when a check fails.
pub fn create(
    conn: &mut DbConnection,
    tenant: &Tenant,
    req: CreateOrder,
    now: DateTime<Utc>,
) -> Result<Order, ApiError> {
    let order = checks::check(conn, tenant, req)?;
    place(conn, tenant, order, now)
}

/// Places a checked order: the new service of an activation, the order and its items, the
/// provisioning task, `order.created`, and last the reservation (the payment check).
fn place(
    conn: &mut DbConnection,
    tenant: &Tenant,
    order: ValidOrder,
    now: DateTime<Utc>,
) -> Result<Order, ApiError> {
    let ValidOrder {
        order_type,
        customer_reference,
        metadata,
        packages,
        service_id,
        scenario,
        identity_verified,
        currency,
        total_minor: total,
    } = order;

    let id = crate::ids::new_id("ord");
    let service_id = match order_type {
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
                    customer_reference: &customer_reference,
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
        _ => service_id,
    };
    let at = now.naive_utc();
    // Cached order pages are read again once this commits.
    crate::db::mark_changed(conn, crate::db::Change::Orders)?;
    // The row is written as built here, and the answer is built from it: nothing to read back.
    let row = Row {
        id: id.clone(),
        partner_id: tenant.partner_id().to_string(),
        environment: tenant.environment().as_str().to_string(),
        order_type: order_type.as_str().to_string(),
        state: OrderState::Pending.as_str().to_string(),
        customer_reference,
        metadata: Value::Object(metadata).to_string(),
        service_id,
        currency: currency.clone(),
        total_minor: total,
        sandbox_scenario: scenario.map(|s| s.as_str().to_string()),
        identity_verified,
        attempt: 1,
        failure_code: None,
        failure_message: None,
        retryable: false,
        retry_allowed: false,
        next_step: order_next_step(OrderState::Pending, false).to_string(),
        completed_at: None,
        created_at: at,
        updated_at: at,
    };
    crate::db::native!(conn, |c| diesel::insert_into(orders::table)
        .values(&row)
        .execute(c))?;
    let items: Vec<OrderItem> = packages
        .iter()
        .map(|p| OrderItem {
            package_id: p.package_id.clone(),
            kind: p.kind,
            voice_type: p.voice_type.clone(),
            price_minor: p.price_minor,
            currency: p.currency.clone(),
        })
        .collect();
    // One statement for all the items.
    let item_rows: Vec<_> = items
        .iter()
        .enumerate()
        .map(|(i, item)| {
            (
                order_items::order_id.eq(&id),
                order_items::position.eq(i as i32),
                order_items::package_id.eq(&item.package_id),
                order_items::kind.eq(item.kind.as_str()),
                order_items::voice_type.eq(&item.voice_type),
                order_items::price_minor.eq(item.price_minor),
                order_items::currency.eq(&item.currency),
            )
        })
        .collect();
    crate::db::native!(conn, |c| diesel::insert_into(order_items::table)
        .values(&item_rows)
        .execute(c))?;
    schedule_new(conn, &id, now)?;
    let order = view_with(row, items)?;
    outbox::emit(
        conn,
        tenant,
        "order.created",
        &id,
        crate::webhooks::payloads::value(&crate::orders::OrderEventData {
            order: order.clone(),
        })?,
        now,
    )?;
    // The payment check comes last: the wallet row stays locked from the reservation to the
    // commit, so concurrent orders of one wallet queue for as short a time as possible. A
    // refusal rolls everything above back.
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
    Ok(order)
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
    #[serde(default, deserialize_with = "crate::time::filter_time")]
    pub created_from: Option<DateTime<Utc>>,
    /// Only orders created before this time (RFC 3339).
    #[serde(default, deserialize_with = "crate::time::filter_time")]
    pub created_to: Option<DateTime<Utc>>,
}

pub fn list(
    conn: &mut DbConnection,
    tenant: &Tenant,
    filter: &OrderFilter,
    page: &PageRequest,
) -> Result<Page<Order>, ApiError> {
    crate::time::check_filter_times(&[
        ("created_from", filter.created_from),
        ("created_to", filter.created_to),
    ])?;
    let mut q = paginate!(
        orders::table
            .filter(orders::partner_id.eq(tenant.partner_id()))
            .filter(orders::environment.eq(tenant.environment().as_str())),
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
    // Two queries for the page, whatever its length: the orders, then all their items.
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut items = items_of_many(conn, &ids)?;
    Page::try_from_rows(
        rows,
        page,
        |r| (r.created_at, r.id.clone()),
        |r| {
            let own = items.remove(&r.id).unwrap_or_default();
            view_with(r, own)
        },
    )
}

/// `order.*`: the order as `GET /v1/orders/{order_id}` answers it, after the change.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct OrderEventData {
    pub order: Order,
}

//! Order routes. Every state-changing POST here accepts `Idempotency-Key`.

use actix_web::http::StatusCode;
use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde_json::Value;

use super::{CreateOrder, Order, OrderDetail, OrderFilter};
use crate::auth::{Caller, Permission};
use crate::error::{ApiError, Problem};
use crate::http::json::from_value;
use crate::http::Json;
use crate::idempotency;
use crate::pagination::{Page, PageQuery};
use crate::state::AppState;

/// Create an order. The checks run in a documented order (see the `orders` tag); when one
/// fails nothing is written. Send `Idempotency-Key` to retry safely.
#[utoipa::path(
    operation_id = "createOrder",
    tag = "orders",
    request_body = CreateOrder,
    params(("Idempotency-Key" = Option<String>, Header, max_length = 255, min_length = 1, pattern = "^[!-~]+$", description = "Makes retries safe: the same key and body return the original response (with `Idempotent-Replayed: true`) for 24 hours.")),
    security(("partner_jwt" = [])),
    responses(
        (status = 201, description = "Order accepted; funds reserved.", body = Order),
        (status = 403, description = "Your role may not order, or the partner is not approved (`partner_not_approved`).", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The subscription has an open order (`service_busy`), or the idempotency key is in use.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A creation check failed; `code` names it (e.g. `insufficient_funds`, `package_unavailable`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/orders")]
pub async fn create(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    body: Json<Value>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::WriteOrders)?.clone();
    let body = body.into_inner();
    let order: CreateOrder = from_value(body.clone())?;
    let now = state.now();
    let t = tenant.clone();
    idempotency::created(&state, &tenant, &req, &body, move |c| {
        super::create(c, &t, order, now)
    })
    .await
}

/// List orders, newest first, with filters.
#[utoipa::path(
    operation_id = "listOrders",
    tag = "orders",
    params(PageQuery, OrderFilter),
    security(("partner_jwt" = [])),
    responses((status = 200, description = "A page of orders.", body = Page<Order>))
)]
#[get("/orders")]
pub async fn list(
    state: web::Data<AppState>,
    pages: Option<web::Data<OrderPages>>,
    req: HttpRequest,
    caller: Caller,
    page: web::Query<PageQuery>,
    filter: web::Query<OrderFilter>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ReadOperations)?.clone();
    let page = page.parse()?;
    let filter = filter.into_inner();
    // Answered from memory while no order has changed since (see `OrderPages`).
    let key = (
        tenant.partner_id().to_string(),
        tenant.environment().as_str(),
        req.query_string().to_string(),
    );
    let db = state.db.clone();
    crate::memo::json_page(
        &state.db,
        pages.as_ref().map(|p| &p.0),
        crate::db::Change::Orders,
        key,
        async move {
            db.read(move |c| super::list(c, &tenant, &filter, &page))
                .await
        },
    )
    .await
}

/// Order list pages as last answered, by partner, environment and query string, kept while
/// no order changed (every order insert and state change marks its transaction with
/// `Change::Orders`, in every instance on PostgreSQL) and for at most 10 s; 512 pages at most.
/// Under steady writes pages are read again almost every time; polling dashboards between
/// changes are answered from memory.
pub struct OrderPages(crate::memo::JsonPages);

/// One per server (shared by its worker threads).
pub fn new_pages() -> OrderPages {
    OrderPages(crate::memo::json_pages())
}

/// Read an order with its ledger entries and events.
#[utoipa::path(
    operation_id = "getOrder",
    tag = "orders",
    params(("order_id" = String, Path, description = "Order id (`ord_…`).")),
    security(("partner_jwt" = [])),
    responses(
        (status = 200, description = "The order.", body = OrderDetail),
        (status = 404, description = "No such order in this environment.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/orders/{order_id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ReadOperations)?.clone();
    let id = path.into_inner();
    let mut order = state
        .db
        .read(move |c| super::detail(c, &tenant, &id))
        .await?;
    // Money follows the wallet permission in every view.
    if !crate::auth::allows(caller.role(), Permission::ReadWallet) {
        order.ledger_entries = order
            .ledger_entries
            .into_iter()
            .map(|e| e.without_balances())
            .collect();
    }
    Ok(HttpResponse::Ok().json(order))
}

/// Cancel a pending or processing order: funds are released, provisioning stops.
#[utoipa::path(
    operation_id = "cancelOrder",
    tag = "orders",
    params(
        ("order_id" = String, Path, description = "Order id (`ord_…`)."),
        ("Idempotency-Key" = Option<String>, Header, max_length = 255, min_length = 1, pattern = "^[!-~]+$", description = "Makes retries safe."),
    ),
    security(("partner_jwt" = [])),
    responses(
        (status = 200, description = "Cancelled.", body = Order),
        (status = 404, description = "No such order in this environment.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The order is not open (`order_not_cancellable`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/orders/{order_id}/cancel")]
pub async fn cancel(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    order_action(state, caller, req, path.into_inner(), super::cancel).await
}

/// Retry a failed order, only when Onyx marked it retryable or reported a change since.
#[utoipa::path(
    operation_id = "retryOrder",
    tag = "orders",
    params(
        ("order_id" = String, Path, description = "Order id (`ord_…`)."),
        ("Idempotency-Key" = Option<String>, Header, max_length = 255, min_length = 1, pattern = "^[!-~]+$", description = "Makes retries safe."),
    ),
    security(("partner_jwt" = [])),
    responses(
        (status = 200, description = "A new attempt is under way; funds reserved again.", body = Order),
        (status = 404, description = "No such order in this environment.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not failed (`order_not_failed`) or not retryable now (`retry_not_allowed`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The wallet cannot cover the new attempt (`insufficient_funds`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/orders/{order_id}/retry")]
pub async fn retry(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    order_action(state, caller, req, path.into_inner(), super::retry).await
}

/// An idempotent state change of one order (cancel, retry).
async fn order_action(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    id: String,
    action: fn(
        &mut crate::db::DbConnection,
        &crate::auth::Tenant,
        &str,
        chrono::DateTime<chrono::Utc>,
    ) -> Result<Order, ApiError>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::WriteOrders)?.clone();
    let now = state.now();
    let t = tenant.clone();
    idempotency::run(
        &state,
        &tenant,
        &req,
        &Value::Null,
        StatusCode::OK,
        move |c| serde_json::to_value(action(c, &t, &id, now)?).map_err(ApiError::internal),
    )
    .await
}

pub fn register(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create)
        .service(list)
        .service(get)
        .service(cancel)
        .service(retry);
}

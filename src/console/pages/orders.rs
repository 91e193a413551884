//! Orders: the list (the API's filters, search by customer reference or order id), the
//! detail with its timeline, and create, cancel and retry through `orders::create`,
//! `orders::cancel` and `orders::retry` (the API's checks; refusals shown as sentences).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};
use serde_json::{json, Map, Value};

use super::{first, page_of};
use crate::attempt;
use crate::auth::{Environment, Permission};
use crate::console::session::{Action, Console, Form};
use crate::console::ui::{self, badge, money, n, query_value, s, time, value};
use crate::error::ApiError;
use crate::orders::OrderFilter;

const STATES: &[&str] = &["pending", "processing", "completed", "failed", "cancelled"];
const TYPES: &[&str] = &[
    "activate_subscription",
    "top_up_subscription",
    "cancel_subscription",
    "swap_sim",
];
const SCENARIOS: &[&str] = &[
    "success",
    "delayed",
    "failed",
    "failed_retryable",
    "unavailable",
    "manual",
];

pub async fn list(ctx: Console, req: HttpRequest) -> HttpResponse {
    let tenant = attempt!(ctx, ctx.require(Permission::ReadOperations));
    // Search: an order id opens the order; anything else is a customer reference.
    let q = query_value(&req, "q");
    if q.starts_with("ord_") {
        return ui::see_other(&format!("/console/orders/{}", urlencode(&q)));
    }
    let mut filter: OrderFilter = attempt!(ctx, ui::query(&req));
    if !q.is_empty() {
        filter.customer_reference = Some(q.clone());
    }
    let page = attempt!(ctx, page_of(&req));
    let result = attempt!(
        ctx,
        ctx.state
            .db
            .read(move |c| value(&crate::orders::list(c, &tenant, &filter, &page)?))
            .await
    );
    let rows = result["data"].as_array().cloned().unwrap_or_default();
    let body = html! {
        h1 { "Orders" }
        @if ctx.can(Permission::WriteOrders) {
            div.actions { a href="/console/orders/new" { "Create an order" } }
        }
        form.filters method="get" action="/console/orders" role="search" {
            div { label for="q" { "Customer reference or order id" } input #q name="q" value=(q); }
            div { (ui::select("state", "State", STATES, &query_value(&req, "state"), true)) }
            div { (ui::select("type", "Type", TYPES, &query_value(&req, "type"), true)) }
            div { label for="created_from" { "Created from" } input #created_from type="date" name="created_from" value=(query_value(&req, "created_from")); }
            div { label for="created_to" { "Created before" } input #created_to type="date" name="created_to" value=(query_value(&req, "created_to")); }
            div { button type="submit" { "Search" } }
        }
        @if rows.is_empty() {
            (ui::empty("No order matches.", if ctx.can(Permission::WriteOrders) { "Clear the filters, or create an order for a customer from a catalogue package." } else { "Clear the filters; orders your team creates appear here." }))
        } @else {
            (order_table(&rows))
            (ui::pager(&req, &result))
        }
    };
    ui::page(&ctx, "Orders", body)
}

fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

fn order_table(rows: &[Value]) -> Markup {
    html! {
        table.list {
            thead { tr { th { "Order" } th { "Type" } th { "Customer reference" } th { "State" } th.num { "Total" } th { "Created" } } }
            tbody {
                @for o in rows {
                    tr {
                        td data-label="Order" { a href=(format!("/console/orders/{}", s(o, "id"))) { (s(o, "id")) } }
                        td data-label="Type" { (s(o, "type").replace('_', " ")) }
                        td data-label="Customer" { (s(o, "customer_reference")) }
                        td data-label="State" { (badge(s(o, "state"))) }
                        td.num data-label="Total" { (money(n(o, "total_minor"), s(o, "currency"))) }
                        td data-label="Created" { (time(&o["created_at"])) }
                    }
                }
            }
        }
    }
}

async fn order_form(
    ctx: &Console,
    form: &Form,
    error: Option<String>,
    status: StatusCode,
) -> HttpResponse {
    let pid = ctx.tenant().partner_id().to_string();
    let packages = match ctx
        .state
        .db
        .read(move |c| {
            let filter: crate::catalogue::PackageFilter =
                serde_urlencoded::from_str("status=available").map_err(ApiError::internal)?;
            value(&crate::catalogue::list(
                c,
                crate::catalogue::Viewer::Partner(&pid),
                &filter,
                &first(100),
            )?)
        })
        .await
    {
        Ok(v) => v["data"].as_array().cloned().unwrap_or_default(),
        Err(e) => return ui::error_page(ctx, e),
    };
    let sandbox = ctx.environment() == Environment::Sandbox;
    let chosen_type = form.get("type").unwrap_or("activate_subscription");
    let body = html! {
        h1 { "Create an order" }
        @if let Some(e) = &error { (ui::notice(true, e)) }
        @if packages.is_empty() {
            (ui::empty("No package is available to order.", "Ask your Onyx contact to approve packages for your markets; they then appear in the catalogue."))
        }
        form.stack method="post" action="/console/orders" {
            (ui::csrf(ctx))
            (ui::select("type", "Order type", TYPES, chosen_type, false))
            label for="customer_reference" { "Customer reference (from your system)" }
            input #customer_reference name="customer_reference" required maxlength="64" value=(form.text("customer_reference")) placeholder="booking-48151623";
            label for="package_id" { "Package (required for an activation)" }
            select #package_id name="package_id" {
                option value="" { "None" }
                @for p in &packages {
                    @let id = s(p, "package_id");
                    option value=(id) selected[form.get("package_id") == Some(id)] {
                        (id) " — " (s(p, "coverage_name")) " — " (money(n(p, "price_minor"), s(p, "currency")))
                    }
                }
            }
            label for="service_id" { "Service id (for a top-up, cancellation or SIM swap)" }
            input #service_id name="service_id" value=(form.text("service_id")) placeholder="svc_…";
            @if sandbox {
                (ui::select("sandbox_scenario", "Sandbox scenario", SCENARIOS, form.get("sandbox_scenario").unwrap_or("success"), false))
            }
            label { input type="checkbox" name="identity_verified" value="true" checked[form.get("identity_verified").is_some()]; " I verified the customer's identity (needed by some packages)" }
            button.primary type="submit" { "Create order" }
        }
    };
    ui::page_status(ctx, status, "Create an order", body)
}

pub async fn new_form(ctx: Console) -> HttpResponse {
    attempt!(ctx, ctx.require(Permission::WriteOrders));
    order_form(&ctx, &Form::default(), None, StatusCode::OK).await
}

/// The API's order request from the form's fields.
fn request_of(form: &Form, sandbox: bool) -> Value {
    let mut body = Map::new();
    body.insert(
        "type".into(),
        json!(form.get("type").unwrap_or("activate_subscription")),
    );
    body.insert(
        "customer_reference".into(),
        json!(form.text("customer_reference")),
    );
    if let Some(p) = form.get("package_id") {
        body.insert("items".into(), json!([{ "package_id": p }]));
    }
    if let Some(svc) = form.get("service_id") {
        body.insert("service_id".into(), json!(svc));
    }
    if sandbox {
        if let Some(sc) = form.get("sandbox_scenario") {
            body.insert("sandbox_scenario".into(), json!(sc));
        }
    }
    if form.get("identity_verified").is_some() {
        body.insert("compliance".into(), json!({ "identity_verified": true }));
    }
    Value::Object(body)
}

pub async fn create(action: Action) -> HttpResponse {
    let Action { ctx, form } = action;
    let tenant = attempt!(ctx, ctx.require(Permission::WriteOrders));
    let sandbox = tenant.environment() == Environment::Sandbox;
    let order: crate::orders::CreateOrder =
        match crate::http::json::from_value(request_of(&form, sandbox)) {
            Ok(o) => o,
            Err(e) => {
                let status = ui::StatusOf::status_code_of(&e);
                return order_form(&ctx, &form, Some(ui::sentence(&e)), status).await;
            }
        };
    let now = ctx.state.now();
    let created = ctx
        .state
        .db
        .write(move |c| crate::orders::create(c, &tenant, order, now))
        .await;
    match created {
        Ok(o) => ui::see_other(&format!("/console/orders/{}", o.id)),
        Err(e) => {
            let status = ui::StatusOf::status_code_of(&e);
            order_form(&ctx, &form, Some(ui::sentence(&e)), status).await
        }
    }
}

pub async fn detail(ctx: Console, path: web::Path<String>) -> HttpResponse {
    let tenant = attempt!(ctx, ctx.require(Permission::ReadOperations));
    let id = path.into_inner();
    let o = attempt!(
        ctx,
        ctx.state
            .db
            .read(move |c| value(&crate::orders::detail(c, &tenant, &id)?))
            .await
    );
    let show_money = ctx.can(Permission::ReadWallet);
    let state = s(&o, "state");
    let cur = s(&o, "currency");
    let events = o["events"].as_array().cloned().unwrap_or_default();
    let entries = o["ledger_entries"].as_array().cloned().unwrap_or_default();
    let body = html! {
        p { a href="/console/orders" { "← Orders" } }
        h1 { "Order " code { (s(&o, "id")) } }
        p { (badge(state)) " " span.muted { "Next step: " (s(&o, "next_step")) } }
        @if let Some(msg) = o["failure_message"].as_str() {
            (ui::notice(true, &format!("{msg} ({})", s(&o, "failure_code"))))
        }
        @if ctx.can(Permission::WriteOrders) {
            div.actions {
                @if matches!(state, "pending" | "processing") {
                    form.inline method="post" action=(format!("/console/orders/{}/cancel", s(&o, "id"))) {
                        (ui::csrf(&ctx))
                        button.danger type="submit" data-confirm="Cancel this order? Reserved funds are released." { "Cancel order" }
                    }
                }
                @if state == "failed" {
                    form.inline method="post" action=(format!("/console/orders/{}/retry", s(&o, "id"))) {
                        (ui::csrf(&ctx))
                        button type="submit" { "Retry order" }
                    }
                }
            }
        }
        div.card {
            dl.facts {
                dt { "Type" } dd { (s(&o, "type").replace('_', " ")) }
                dt { "Customer reference" } dd { (s(&o, "customer_reference")) }
                dt { "Service" } dd {
                    @if let Some(svc) = o["service_id"].as_str() { a href=(format!("/console/services/{svc}")) { (svc) } } @else { span.muted { "—" } }
                }
                dt { "Packages" } dd {
                    @for it in o["items"].as_array().cloned().unwrap_or_default() { code { (s(&it, "package_id")) } " " }
                }
                dt { "Total" } dd { (money(n(&o, "total_minor"), cur)) }
                dt { "Attempt" } dd { (n(&o, "attempt")) }
                dt { "Environment" } dd { (s(&o, "environment")) }
                dt { "Created" } dd { (time(&o["created_at"])) }
                dt { "Completed" } dd { (time(&o["completed_at"])) }
            }
        }
        h2 { "Timeline" }
        @if events.is_empty() {
            (ui::empty("No events yet.", "Events appear as Onyx prepares the order and its service."))
        } @else {
            ol.timeline {
                @for e in &events {
                    li { strong { (s(e, "type")) } " · " (time(&e["created_at"])) " " span.muted { (s(e, "id")) } }
                }
            }
        }
        h2 { "Ledger entries" }
        @if entries.is_empty() {
            (ui::empty("No ledger entries.", "Funds are reserved when an order is accepted and captured or released when it ends."))
        } @else {
            table.list {
                thead { tr { th { "Entry" } th { "Type" } th.num { "Amount" } @if show_money { th.num { "Available after" } } th { "When" } } }
                tbody {
                    @for e in &entries {
                        tr {
                            td data-label="Entry" { (s(e, "id")) }
                            td data-label="Type" { (badge(s(e, "entry_type"))) }
                            td.num data-label="Amount" { (money(n(e, "amount"), s(e, "currency"))) }
                            @if show_money { td.num data-label="Available after" { (money(n(e, "available_after"), s(e, "currency"))) } }
                            td data-label="When" { (time(&e["created_at"])) }
                        }
                    }
                }
            }
        }
    };
    ui::page(&ctx, "Order", body)
}

async fn act(
    action: Action,
    id: String,
    f: fn(
        &mut crate::db::DbConnection,
        &crate::auth::Tenant,
        &str,
        chrono::DateTime<chrono::Utc>,
    ) -> Result<crate::orders::Order, ApiError>,
) -> HttpResponse {
    let ctx = action.ctx;
    let tenant = attempt!(ctx, ctx.require(Permission::WriteOrders));
    let now = ctx.state.now();
    let i = id.clone();
    attempt!(
        ctx,
        ctx.state.db.write(move |c| f(c, &tenant, &i, now)).await
    );
    ui::see_other(&format!("/console/orders/{}", urlencode(&id)))
}

pub async fn cancel(action: Action, path: web::Path<String>) -> HttpResponse {
    act(action, path.into_inner(), crate::orders::cancel).await
}

pub async fn retry(action: Action, path: web::Path<String>) -> HttpResponse {
    act(action, path.into_inner(), crate::orders::retry).await
}

//! Support cases: list (the API's filters), open (the API's secret scanner refuses texts
//! holding secrets; the form keeps what was typed), detail with comments, comment.

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::html;
use serde_json::{json, Map, Value};

use super::page_of;
use crate::attempt;
use crate::audit::AuditActor;
use crate::auth::Permission;
use crate::console::session::{Action, Console, Form};
use crate::console::ui::{self, badge, query_value, s, time, value};
use crate::support::{CaseFilter, CreateCase, CreateComment};

const STATUSES: &[&str] = &[
    "open",
    "awaiting_onyx",
    "awaiting_partner",
    "resolved",
    "closed",
];
const CATEGORIES: &[&str] = &[
    "activation",
    "connectivity",
    "order",
    "usage",
    "billing",
    "other",
];
const PRIORITIES: &[&str] = &["low", "normal", "high", "urgent"];

pub async fn list(ctx: Console, req: HttpRequest) -> HttpResponse {
    let tenant = attempt!(ctx, ctx.require(Permission::ReadOperations));
    let filter: CaseFilter = attempt!(ctx, ui::query(&req));
    let page = attempt!(ctx, page_of(&req));
    let now = ctx.state.now();
    let result = attempt!(
        ctx,
        ctx.state
            .db
            .read(move |c| value(&crate::support::list(c, &tenant, &filter, &page, now)?))
            .await
    );
    let rows = result["data"].as_array().cloned().unwrap_or_default();
    let body = html! {
        h1 { "Support cases" }
        @if ctx.can(Permission::SupportCases) {
            div.actions { a href="/console/support/new" { "Open a support case" } }
        }
        form.filters method="get" action="/console/support" {
            div { (ui::select("status", "Status", STATUSES, &query_value(&req, "status"), true)) }
            div { label for="order_id" { "Order id" } input #order_id name="order_id" value=(query_value(&req, "order_id")); }
            div { label for="service_id" { "Service id" } input #service_id name="service_id" value=(query_value(&req, "service_id")); }
            div { button type="submit" { "Filter" } }
        }
        @if rows.is_empty() {
            (ui::empty("No support case matches.", "Open a case when Onyx action is needed; include the order ID, service, customer reference and what the customer sees — never secrets or activation codes."))
        } @else {
            table.list {
                thead { tr { th { "Case" } th { "Subject" } th { "Category" } th { "Priority" } th { "Status" } th { "Opened" } } }
                tbody {
                    @for c in &rows {
                        tr {
                            td data-label="Case" { a href=(format!("/console/support/{}", s(c, "id"))) { (s(c, "id")) } }
                            td data-label="Subject" { (s(c, "subject")) }
                            td data-label="Category" { (s(c, "category")) }
                            td data-label="Priority" { (s(c, "priority")) }
                            td data-label="Status" { (badge(s(c, "status"))) }
                            td data-label="Opened" { (time(&c["created_at"])) }
                        }
                    }
                }
            }
            (ui::pager(&req, &result))
        }
    };
    ui::page(&ctx, "Support cases", body)
}

fn case_form(
    ctx: &Console,
    form: &Form,
    error: Option<String>,
    status: StatusCode,
) -> HttpResponse {
    let body = html! {
        p { a href="/console/support" { "← Support cases" } }
        h1 { "Open a support case" }
        p.muted { "Include the order ID, package ID, service, customer reference and the customer-facing issue. Never include secrets, activation codes, identity documents or payment details: such texts are refused." }
        @if let Some(e) = &error { (ui::notice(true, e)) }
        form.stack method="post" action="/console/support" {
            (ui::csrf(ctx))
            label for="subject" { "Subject" }
            input #subject name="subject" required maxlength="200" value=(form.text("subject"));
            label for="issue" { "What is the customer-facing issue?" }
            textarea #issue name="issue" required { (form.text("issue")) }
            (ui::select("category", "Category", CATEGORIES, form.get("category").unwrap_or("other"), false))
            (ui::select("priority", "Priority", PRIORITIES, form.get("priority").unwrap_or("normal"), false))
            label for="order_id" { "Order id (optional)" }
            input #order_id name="order_id" value=(form.text("order_id"));
            label for="service_id" { "Service id (optional)" }
            input #service_id name="service_id" value=(form.text("service_id"));
            label for="package_id" { "Package id (optional)" }
            input #package_id name="package_id" value=(form.text("package_id"));
            label for="customer_reference" { "Customer reference (optional)" }
            input #customer_reference name="customer_reference" value=(form.text("customer_reference"));
            button.primary type="submit" { "Open case" }
        }
    };
    ui::page_status(ctx, status, "Open a support case", body)
}

pub async fn new_form(ctx: Console) -> HttpResponse {
    attempt!(ctx, ctx.require(Permission::SupportCases));
    case_form(&ctx, &Form::default(), None, StatusCode::OK)
}

pub async fn open(action: Action) -> HttpResponse {
    let Action { ctx, form } = action;
    let tenant = attempt!(ctx, ctx.require(Permission::SupportCases));
    let mut body = Map::new();
    for key in ["subject", "issue", "category", "priority"] {
        body.insert(key.into(), json!(form.text(key)));
    }
    for key in ["order_id", "service_id", "package_id", "customer_reference"] {
        if let Some(v) = form.get(key) {
            body.insert(key.into(), json!(v));
        }
    }
    // The API's order of checks: shape, secrets, rules, references.
    let checked =
        crate::http::json::from_value::<CreateCase>(Value::Object(body)).and_then(|case| {
            crate::secrets::refuse_secrets(case.texts())?;
            crate::validation::check(&case)?;
            case.check_references()?;
            Ok(case)
        });
    let case = match checked {
        Ok(c) => c,
        Err(e) => {
            return case_form(
                &ctx,
                &form,
                Some(ui::sentence(&e)),
                ui::StatusOf::status_code_of(&e),
            )
        }
    };
    let actor = AuditActor::of(&ctx.caller);
    let now = ctx.state.now();
    let opened = ctx
        .state
        .db
        .write(move |c| crate::support::open(c, &tenant, actor, case, now))
        .await;
    match opened {
        Ok(c) => ui::see_other(&format!("/console/support/{}", c.case.id)),
        Err(e) => case_form(
            &ctx,
            &form,
            Some(ui::sentence(&e)),
            ui::StatusOf::status_code_of(&e),
        ),
    }
}

async fn case_page(ctx: &Console, id: String, error: Option<String>, draft: &str) -> HttpResponse {
    let tenant = attempt!(ctx, ctx.require(Permission::ReadOperations));
    let now = ctx.state.now();
    let c = attempt!(
        ctx,
        ctx.state
            .db
            .read(move |conn| value(&crate::support::get(conn, &tenant, &id, now)?))
            .await
    );
    let comments = c["comments"].as_array().cloned().unwrap_or_default();
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let body = html! {
        p { a href="/console/support" { "← Support cases" } }
        h1 { (s(&c, "subject")) }
        p { (badge(s(&c, "status"))) " " span.muted { (s(&c, "id")) " · " (s(&c, "category")) " · " (s(&c, "priority")) " priority" } }
        div.card {
            p { (s(&c, "issue")) }
            dl.facts {
                dt { "Order" } dd { @if let Some(o) = c["order_id"].as_str() { a href=(format!("/console/orders/{o}")) { (o) } } @else { "—" } }
                dt { "Service" } dd { @if let Some(sv) = c["service_id"].as_str() { a href=(format!("/console/services/{sv}")) { (sv) } } @else { "—" } }
                dt { "Package" } dd { (ui::text(&c, "package_id")) }
                dt { "Customer reference" } dd { (ui::text(&c, "customer_reference")) }
                dt { "Opened" } dd { (time(&c["created_at"])) }
                dt { "Resolved" } dd { (time(&c["resolved_at"])) }
                dt { "Can be reopened until" } dd { (time(&c["reopen_until"])) }
            }
        }
        h2 { "Conversation" }
        @if comments.is_empty() {
            (ui::empty("No comments yet.", "Onyx answers here; add details with a comment below."))
        } @else {
            ol.timeline {
                @for m in &comments {
                    li {
                        strong { @if m["author"]["type"].as_str() == Some("operator") { "Onyx" } @else { "Your team" } }
                        " · " (time(&m["created_at"]))
                        p { (s(m, "body")) }
                    }
                }
            }
        }
        @if ctx.can(Permission::SupportCases) && s(&c, "status") != "closed" {
            @if let Some(e) = &error { (ui::notice(true, e)) }
            form.stack method="post" action=(format!("/console/support/{}/comments", s(&c, "id"))) {
                (ui::csrf(ctx))
                label for="body" { "Add a comment" @if s(&c, "status") == "resolved" { " (reopens the case)" } }
                textarea #body name="body" required { (draft) }
                button.primary type="submit" { "Comment" }
            }
        }
    };
    ui::page_status(ctx, status, "Support case", body)
}

pub async fn detail(ctx: Console, path: web::Path<String>) -> HttpResponse {
    case_page(&ctx, path.into_inner(), None, "").await
}

pub async fn comment(action: Action, path: web::Path<String>) -> HttpResponse {
    let Action { ctx, form } = action;
    let tenant = attempt!(ctx, ctx.require(Permission::SupportCases));
    let id = path.into_inner();
    let text = form.text("body");
    let checked =
        crate::http::json::from_value::<CreateComment>(json!({ "body": text })).and_then(|c| {
            crate::secrets::refuse_secrets([("body".to_string(), c.body.as_str())])?;
            crate::validation::check(&c)?;
            Ok(c)
        });
    let comment = match checked {
        Ok(c) => c,
        Err(e) => return case_page(&ctx, id, Some(ui::sentence(&e)), &text).await,
    };
    let actor = AuditActor::of(&ctx.caller);
    let now = ctx.state.now();
    let i = id.clone();
    match ctx
        .state
        .db
        .write(move |c| crate::support::comment(c, &tenant, &i, actor, &comment.body, now))
        .await
    {
        Ok(_) => ui::see_other(&format!("/console/support/{id}")),
        Err(e) => case_page(&ctx, id, Some(ui::sentence(&e)), &text).await,
    }
}

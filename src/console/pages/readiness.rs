//! Readiness checklist with the live-access request, and the audit log with its filters.

use actix_web::{HttpRequest, HttpResponse};
use maud::html;

use super::page_of;
use crate::attempt;
use crate::audit::{AuditActor, AuditFilter};
use crate::auth::Permission;
use crate::console::session::{Action, Console};
use crate::console::ui::{self, badge, query_value, s, time, value};

async fn readiness_page(ctx: &Console, note: Option<(bool, String)>) -> HttpResponse {
    let tenant = attempt!(ctx, ctx.require(Permission::ViewReadiness));
    let r = attempt!(
        ctx,
        ctx.state
            .db
            .read(move |c| value(&crate::readiness::get(c, &tenant)?))
            .await
    );
    let items = r["items"].as_array().cloned().unwrap_or_default();
    let done = items
        .iter()
        .filter(|i| i["done"].as_bool() == Some(true))
        .count();
    let status = match &note {
        Some((true, _)) => actix_web::http::StatusCode::UNPROCESSABLE_ENTITY,
        _ => actix_web::http::StatusCode::OK,
    };
    let body = html! {
        h1 { "Readiness" }
        p.muted { "Sandbox lets your team test everything without customer impact. Live access begins once Onyx approves your production readiness." }
        @if let Some((error, text)) = &note { (ui::notice(*error, text)) }
        div.card {
            p { (done) " of " (items.len()) " items done" }
            progress value=(done) max=(items.len().max(1)) aria-label="Readiness progress" { (done) "/" (items.len()) }
            @if r["live_enabled"].as_bool() == Some(true) {
                p { (badge("approved")) " Live access is enabled: switch environment at the top of the page." }
            } @else if let Some(lr) = r["live_request"].as_object() {
                p { "Live request: " (badge(lr.get("status").and_then(|v| v.as_str()).unwrap_or(""))) }
            }
        }
        ol.checklist {
            @for i in &items {
                li.card {
                    p { @if i["done"].as_bool() == Some(true) { (badge("completed")) } @else { (badge("pending")) } " " strong { (s(i, "title")) } }
                    @if i["done"].as_bool() != Some(true) { p.muted { (s(i, "how_to_complete")) } }
                }
            }
        }
        @if ctx.can(Permission::RequestLive) && r["live_enabled"].as_bool() != Some(true) {
            form method="post" action="/console/readiness/live-request" {
                (ui::csrf(ctx))
                button.primary type="submit" { "Request live access" }
            }
        }
    };
    ui::page_status(ctx, status, "Readiness", body)
}

pub async fn readiness(ctx: Console) -> HttpResponse {
    readiness_page(&ctx, None).await
}

pub async fn request_live(action: Action) -> HttpResponse {
    let ctx = action.ctx;
    let tenant = attempt!(ctx, ctx.require(Permission::RequestLive));
    let actor = AuditActor::of(&ctx.caller);
    let now = ctx.state.now();
    let outcome = attempt!(
        ctx,
        ctx.state
            .db
            .write(move |c| crate::readiness::request_live(c, &tenant, actor, now))
            .await
    );
    let note = match outcome {
        crate::readiness::Requested::Created(_) => (
            false,
            "Live access requested. Onyx reviews it and you will see the decision here."
                .to_string(),
        ),
        crate::readiness::Requested::Incomplete(missing) => (
            true,
            format!(
                "{} Still open: {}.",
                ui::sentence(&crate::readiness::readiness_incomplete()),
                missing.join(", ").replace('_', " ")
            ),
        ),
    };
    readiness_page(&ctx, Some(note)).await
}

pub async fn audit(ctx: Console, req: HttpRequest) -> HttpResponse {
    let tenant = attempt!(ctx, ctx.require(Permission::ReadAudit));
    let filter: AuditFilter = attempt!(ctx, ui::query(&req));
    let page = attempt!(ctx, page_of(&req));
    let result = attempt!(
        ctx,
        ctx.state
            .db
            .read(move |c| value(&crate::audit::list(c, &tenant, &filter, &page)?))
            .await
    );
    let rows = result["data"].as_array().cloned().unwrap_or_default();
    let body = html! {
        h1 { "Audit log" }
        form.filters method="get" action="/console/audit" {
            div { label for="action" { "Action" } input #action name="action" placeholder="activation.read" value=(query_value(&req, "action")); }
            div { (ui::select("actor_type", "Actor", &["member", "credential", "operator", "anonymous"], &query_value(&req, "actor_type"), true)) }
            div { label for="actor_id" { "Actor id" } input #actor_id name="actor_id" value=(query_value(&req, "actor_id")); }
            div { label for="created_from" { "From" } input #created_from type="date" name="created_from" value=(query_value(&req, "created_from")); }
            div { label for="created_to" { "Before" } input #created_to type="date" name="created_to" value=(query_value(&req, "created_to")); }
            div { button type="submit" { "Filter" } }
        }
        @if rows.is_empty() {
            (ui::empty("No audit entry matches.", "Sign-ins, credential and team changes, activation reads and live requests are recorded here."))
        } @else {
            table.list {
                thead { tr { th { "When" } th { "Action" } th { "Actor" } th { "Target" } th { "Environment" } } }
                tbody {
                    @for e in &rows {
                        tr {
                            td data-label="When" { (time(&e["created_at"])) }
                            td data-label="Action" { code { (s(e, "action")) } }
                            td data-label="Actor" { (s(e, "actor_type")) " " span.muted { (s(e, "actor_id")) } }
                            td data-label="Target" { (s(e, "target_type")) " " span.muted { (s(e, "target_id")) } }
                            td data-label="Environment" { (ui::text(e, "environment")) }
                        }
                    }
                }
            }
            (ui::pager(&req, &result))
        }
    };
    ui::page(&ctx, "Audit log", body)
}

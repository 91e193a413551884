//! Developers: webhook endpoints (secret shown once, rotate, test), the delivery inspector
//! (attempts with the receiver's response excerpt, the event that was sent, replay), and
//! credentials (secret shown once, rotate, revoke).

use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};
use serde_json::{json, Value};

use super::{first, page_of};
use crate::attempt;
use crate::audit::AuditActor;
use crate::auth::Permission;
use crate::console::session::{Action, Console};
use crate::console::ui::{self, badge, query_value, s, time, value};
use crate::webhooks::delivery::DeliveryFilter;

fn secret_once(title: &str, label: &str, secret: &str, note: &str) -> Markup {
    html! {
        div.card role="status" {
            h2 { (title) }
            p { (note) }
            p { (label) }
            p.secret #shown-secret { (secret) }
        }
    }
}

async fn webhooks_page(
    ctx: &Console,
    req: &HttpRequest,
    shown: Option<Markup>,
    error: Option<String>,
) -> HttpResponse {
    let tenant = attempt!(ctx, ctx.require(Permission::ManageWebhooks));
    let page = attempt!(ctx, page_of(req));
    let result = attempt!(
        ctx,
        ctx.state
            .db
            .read(move |c| value(&crate::webhooks::list(c, &tenant, &page)?))
            .await
    );
    let rows = result["data"].as_array().cloned().unwrap_or_default();
    let status = if error.is_some() {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        actix_web::http::StatusCode::OK
    };
    let body = html! {
        h1 { "Webhooks" }
        @if let Some(m) = shown { (m) }
        @if let Some(e) = &error { (ui::notice(true, e)) }
        p { a href="/console/deliveries" { "Open the delivery inspector" } }
        @if rows.is_empty() {
            (ui::empty("No webhook endpoint yet.", "Add the URL of your receiver below; Onyx then sends order, service and billing events to it, signed with the endpoint's secret."))
        } @else {
            table.list {
                thead { tr { th { "Endpoint" } th { "URL" } th { "Events" } th { "State" } th { "Last success" } th { "Actions" } } }
                tbody {
                    @for e in &rows {
                        @let id = s(e, "id");
                        tr {
                            td data-label="Endpoint" { (id) br; span.muted { (ui::text(e, "description")) } }
                            td data-label="URL" { code { (s(e, "url")) } }
                            td data-label="Events" {
                                @let types = e["event_types"].as_array().cloned().unwrap_or_default();
                                @if types.is_empty() { "All" } @else { (types.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", ")) }
                            }
                            td data-label="State" {
                                @if e["enabled"].as_bool() == Some(true) { (badge("active")) } @else { (badge("disabled")) " " (ui::text(e, "disabled_reason")) }
                            }
                            td data-label="Last success" { (time(&e["last_success_at"])) }
                            td data-label="Actions" {
                                div.actions {
                                    form.inline method="post" action=(format!("/console/webhooks/{id}/test")) {
                                        (ui::csrf(ctx)) button type="submit" { "Send test event" }
                                    }
                                    form.inline method="post" action=(format!("/console/webhooks/{id}/rotate")) {
                                        (ui::csrf(ctx)) button type="submit" data-confirm="Rotate the signing secret? The old one keeps working for 24 hours." { "Rotate secret" }
                                    }
                                    a href=(format!("/console/deliveries?endpoint_id={id}")) { "Deliveries" }
                                }
                            }
                        }
                    }
                }
            }
            (ui::pager(req, &result))
        }
        h2 { "Add an endpoint" }
        form.stack method="post" action="/console/webhooks" {
            (ui::csrf(ctx))
            label for="url" { "URL" }
            input #url type="url" name="url" required placeholder="https://example.com/onyx/webhooks";
            label for="description" { "Description (optional)" }
            input #description name="description" maxlength="200";
            label for="event_types" { "Event types (optional, comma-separated; empty means all)" }
            input #event_types name="event_types" placeholder="order.completed, service.active";
            button.primary type="submit" { "Add endpoint" }
        }
    };
    ui::page_status(ctx, status, "Webhooks", body)
}

pub async fn webhooks(ctx: Console, req: HttpRequest) -> HttpResponse {
    webhooks_page(&ctx, &req, None, None).await
}

pub async fn create_endpoint(action: Action, req: HttpRequest) -> HttpResponse {
    let Action { ctx, form } = action;
    let tenant = attempt!(ctx, ctx.require(Permission::ManageWebhooks));
    let types: Vec<String> = form
        .text("event_types")
        .split(',')
        .map(|t| t.trim().to_string())
        .filter(|t| !t.is_empty())
        .collect();
    let mut body = json!({ "url": form.text("url"), "event_types": types });
    if let Some(d) = form.get("description") {
        body["description"] = json!(d);
    }
    let request: crate::webhooks::CreateEndpoint = match crate::http::json::from_value(body) {
        Ok(r) => r,
        Err(e) => return webhooks_page(&ctx, &req, None, Some(ui::sentence(&e))).await,
    };
    let now = ctx.state.now();
    let st = ctx.state.clone();
    let policy = crate::webhooks::UrlPolicy::of(&ctx.state);
    let created = ctx
        .state
        .db
        .write(move |c| {
            crate::webhooks::create(c, &st.vault, &tenant, request, &st.config, &policy, now)
        })
        .await;
    match created {
        Ok(e) => {
            let shown = secret_once(
                "Endpoint added",
                &format!("Signing secret of {} (shown once; store it now):", e.endpoint.id),
                &e.secret,
                "Verify each delivery's Onyx-Signature header with this secret. It is not shown again; rotate it if it is lost.",
            );
            webhooks_page(&ctx, &req, Some(shown), None).await
        }
        Err(e) => webhooks_page(&ctx, &req, None, Some(ui::sentence(&e))).await,
    }
}

pub async fn rotate_endpoint(
    action: Action,
    req: HttpRequest,
    path: web::Path<String>,
) -> HttpResponse {
    let ctx = action.ctx;
    let tenant = attempt!(ctx, ctx.require(Permission::ManageWebhooks));
    let id = path.into_inner();
    let now = ctx.state.now();
    let st = ctx.state.clone();
    let rotated = attempt!(
        ctx,
        ctx.state
            .db
            .write(move |c| crate::webhooks::rotate_secret(
                c,
                &st.vault,
                &tenant,
                &id,
                chrono::Duration::seconds(86_400),
                now
            ))
            .await
    );
    let shown = secret_once(
        "Secret rotated",
        &format!("New signing secret of {} (shown once):", rotated.endpoint.id),
        &rotated.secret,
        "Deliveries are signed with both the new and the old secret for 24 hours; switch your receiver to the new one.",
    );
    webhooks_page(&ctx, &req, Some(shown), None).await
}

pub async fn test_endpoint(action: Action, path: web::Path<String>) -> HttpResponse {
    let ctx = action.ctx;
    let tenant = attempt!(ctx, ctx.require(Permission::ManageWebhooks));
    let id = path.into_inner();
    let now = ctx.state.now();
    let i = id.clone();
    attempt!(
        ctx,
        ctx.state
            .db
            .write(move |c| crate::webhooks::delivery::send_test(c, &tenant, &i, now))
            .await
    );
    ui::see_other(&format!("/console/deliveries?endpoint_id={id}&sent=test"))
}

pub async fn deliveries(ctx: Console, req: HttpRequest) -> HttpResponse {
    let tenant = attempt!(ctx, ctx.require(Permission::ManageWebhooks));
    let filter: DeliveryFilter = attempt!(ctx, ui::query(&req));
    let page = attempt!(ctx, page_of(&req));
    let (result, sent) = attempt!(
        ctx,
        ctx.state
            .db
            .read(move |c| {
                let page = crate::webhooks::delivery::list(c, &tenant, &filter, &page)?;
                // The request bodies: the events of this page's deliveries (one statement;
                // the deliveries were read in the tenant's scope, so are their events).
                let mut ids: Vec<String> = page.data.iter().map(|d| d.event_id.clone()).collect();
                ids.sort();
                ids.dedup();
                let sent: std::collections::HashMap<String, Value> =
                    crate::events::envelopes_by_ids(c, &ids)?
                        .into_iter()
                        .filter_map(|(id, e)| Some((id, value(&e.ok()?).ok()?)))
                        .collect();
                Ok((value(&page)?, sent))
            })
            .await
    );
    let rows = result["data"].as_array().cloned().unwrap_or_default();
    let body = html! {
        p { a href="/console/webhooks" { "← Webhooks" } }
        h1 { "Delivery inspector" }
        @if query_value(&req, "sent") == "test" {
            (ui::notice(false, "Test event queued; its delivery appears below within seconds (reload to refresh)."))
        }
        form.filters method="get" action="/console/deliveries" {
            div { label for="endpoint_id" { "Endpoint id" } input #endpoint_id name="endpoint_id" value=(query_value(&req, "endpoint_id")); }
            div { label for="event_id" { "Event id" } input #event_id name="event_id" value=(query_value(&req, "event_id")); }
            div { (ui::select("status", "Status", &["pending", "succeeded", "failed"], &query_value(&req, "status"), true)) }
            div { button type="submit" { "Filter" } }
        }
        @if rows.is_empty() {
            (ui::empty("No delivery matches.", "Deliveries appear when events happen (orders, services, billing) or when you send a test event from the Webhooks page."))
        } @else {
            @for d in &rows {
                details.delivery {
                    summary {
                        (badge(s(d, "status"))) " " code { (s(d, "id")) } " · event " (s(d, "event_id")) " · "
                        @if let Some(code) = d["last_status_code"].as_i64() { "HTTP " (code) " · " }
                        (time(&d["created_at"]))
                        @if d["replay"].as_bool() == Some(true) { " · replay" }
                    }
                    dl.facts {
                        dt { "Endpoint" } dd { (s(d, "endpoint_id")) }
                        dt { "Request" } dd { a href=(format!("/console/events/{}", s(d, "event_id"))) { "The event sent (body) and replay" } }
                        dt { "Last error" } dd { (ui::text(d, "last_error")) }
                        dt { "Next attempt" } dd { (time(&d["next_attempt_at"])) }
                    }
                    @if let Some(ev) = sent.get(s(d, "event_id")) {
                        details.request {
                            summary { "Request body (" (s(ev, "type")) ")" }
                            (ui::json_block(ev))
                        }
                    }
                    h3 { "Attempts" }
                    @let attempts = d["attempts"].as_array().cloned().unwrap_or_default();
                    @if attempts.is_empty() { p.muted { "Not attempted yet." } }
                    @for a in &attempts {
                        div.card {
                            p { "Attempt " (ui::n(a, "attempt")) " · " (time(&a["created_at"])) " · "
                                @if let Some(code) = a["status_code"].as_i64() { "HTTP " (code) } @else { "no answer" }
                                " · " (ui::n(a, "latency_ms")) " ms" }
                            @if let Some(err) = a["error"].as_str() { p { "Error: " (err) } }
                            @if let Some(ex) = a["response_excerpt"].as_str() {
                                p.muted { "Response excerpt" } pre.code { (ex) }
                            } @else {
                                p.muted { "No response body kept (none, or a loopback receiver)." }
                            }
                        }
                    }
                }
            }
            (ui::pager(&req, &result))
        }
    };
    ui::page(&ctx, "Delivery inspector", body)
}

pub async fn event(ctx: Console, path: web::Path<String>) -> HttpResponse {
    let tenant = attempt!(ctx, ctx.require(Permission::ManageWebhooks));
    let id = path.into_inner();
    let (ev, endpoints) = attempt!(
        ctx,
        ctx.state
            .db
            .read(move |c| {
                let ev = value(&crate::events::get(c, &tenant, &id)?)?;
                let endpoints = value(&crate::webhooks::list(c, &tenant, &first(100))?)?;
                Ok((ev, endpoints))
            })
            .await
    );
    let endpoints = endpoints["data"].as_array().cloned().unwrap_or_default();
    let body = html! {
        p { a href=(format!("/console/deliveries?event_id={}", s(&ev, "id"))) { "← Deliveries of this event" } }
        h1 { "Event " code { (s(&ev, "id")) } }
        p { strong { (s(&ev, "type")) } " · " (time(&ev["created_at"])) }
        h2 { "Request body sent to your endpoints" }
        (ui::json_block(&ev))
        h2 { "Replay" }
        form.inline method="post" action=(format!("/console/events/{}/replay", s(&ev, "id"))) {
            (ui::csrf(&ctx))
            label for="endpoint" { "To" }
            select #endpoint name="endpoint_id" {
                option value="" { "Every subscribed endpoint" }
                @for e in &endpoints { option value=(s(e, "id")) { (s(e, "url")) } }
            }
            button type="submit" { "Replay event" }
        }
    };
    ui::page(&ctx, "Event", body)
}

pub async fn replay(action: Action, path: web::Path<String>) -> HttpResponse {
    let Action { ctx, form } = action;
    let tenant = attempt!(ctx, ctx.require(Permission::ManageWebhooks));
    let id = path.into_inner();
    let endpoint = form.get("endpoint_id").map(str::to_string);
    let now = ctx.state.now();
    let i = id.clone();
    attempt!(
        ctx,
        ctx.state
            .db
            .write(move |c| crate::webhooks::delivery::replay(
                c,
                &tenant,
                &i,
                endpoint.as_deref(),
                now
            ))
            .await
    );
    ui::see_other(&format!("/console/deliveries?event_id={id}"))
}

async fn credentials_page(
    ctx: &Console,
    req: &HttpRequest,
    shown: Option<Markup>,
    error: Option<String>,
) -> HttpResponse {
    let tenant = attempt!(ctx, ctx.require(Permission::ManageCredentials));
    let page = attempt!(ctx, page_of(req));
    let result = attempt!(
        ctx,
        ctx.state
            .db
            .read(move |c| value(&crate::credentials::list(c, &tenant, &page)?))
            .await
    );
    let rows = result["data"].as_array().cloned().unwrap_or_default();
    let status = if error.is_some() {
        actix_web::http::StatusCode::UNPROCESSABLE_ENTITY
    } else {
        actix_web::http::StatusCode::OK
    };
    let body = html! {
        h1 { "Credentials" }
        p.muted { "Machine credentials for your backend (" (ctx.environment().as_str()) "). Treat secrets as secret: never in client-side code, repositories, analytics or screenshots." }
        @if let Some(m) = shown { (m) }
        @if let Some(e) = &error { (ui::notice(true, e)) }
        @if rows.is_empty() {
            (ui::empty("No credential yet.", "Create one below for your backend; exchange it at POST /v1/oauth/token for access tokens."))
        } @else {
            table.list {
                thead { tr { th { "Name" } th { "Client id" } th { "Status" } th { "Secret" } th { "Last used" } th { "Expires" } th { "Actions" } } }
                tbody {
                    @for c in &rows {
                        @let id = s(c, "id");
                        tr {
                            td data-label="Name" { (s(c, "name")) }
                            td data-label="Client id" { code { (s(c, "client_id")) } }
                            td data-label="Status" { (badge(s(c, "status"))) }
                            td data-label="Secret" { code { (s(c, "secret_hint")) } }
                            td data-label="Last used" { (time(&c["last_used_at"])) }
                            td data-label="Expires" { (time(&c["expires_at"])) }
                            td data-label="Actions" {
                                @if s(c, "status") == "active" {
                                    div.actions {
                                        form.inline method="post" action=(format!("/console/credentials/{id}/rotate")) {
                                            (ui::csrf(ctx)) button type="submit" data-confirm="Rotate? The old secret keeps working for its grace period." { "Rotate" }
                                        }
                                        form.inline method="post" action=(format!("/console/credentials/{id}/revoke")) {
                                            (ui::csrf(ctx)) button.danger type="submit" data-confirm="Revoke now? Calls with it stop at once." { "Revoke" }
                                        }
                                    }
                                } @else if s(c, "status") == "rotated" {
                                    form.inline method="post" action=(format!("/console/credentials/{id}/revoke")) {
                                        (ui::csrf(ctx)) button.danger type="submit" { "Revoke" }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            (ui::pager(req, &result))
        }
        h2 { "Create a credential" }
        form.stack method="post" action="/console/credentials" {
            (ui::csrf(ctx))
            label for="name" { "Name" }
            input #name name="name" required maxlength="100" placeholder="Booking backend";
            button.primary type="submit" { "Create credential" }
        }
    };
    ui::page_status(ctx, status, "Credentials", body)
}

pub async fn credentials(ctx: Console, req: HttpRequest) -> HttpResponse {
    credentials_page(&ctx, &req, None, None).await
}

fn created_shown(v: &Value, title: &str) -> Markup {
    html! {
        div.card role="status" {
            h2 { (title) }
            p { "Store the secret in your secret manager now: it is shown once, and Onyx keeps only a hash." }
            dl.facts {
                dt { "Client id" } dd { code { (s(v, "client_id")) } }
                dt { "Client secret" } dd.secret #shown-secret { (s(v, "client_secret")) }
            }
        }
    }
}

pub async fn create_credential(action: Action, req: HttpRequest) -> HttpResponse {
    let Action { ctx, form } = action;
    let tenant = attempt!(ctx, ctx.require(Permission::ManageCredentials));
    let request: crate::credentials::routes::CreateCredential =
        match crate::http::json::from_value(json!({ "name": form.text("name") })) {
            Ok(r) => r,
            Err(e) => return credentials_page(&ctx, &req, None, Some(ui::sentence(&e))).await,
        };
    if let Err(e) = crate::validation::check(&request) {
        return credentials_page(&ctx, &req, None, Some(ui::sentence(&e))).await;
    }
    let actor = AuditActor::of(&ctx.caller);
    let now = ctx.state.now();
    let created = attempt!(
        ctx,
        ctx.state
            .db
            .write(move |c| value(&crate::credentials::create(
                c,
                &tenant,
                &request.name,
                actor,
                now
            )?))
            .await
    );
    credentials_page(
        &ctx,
        &req,
        Some(created_shown(&created, "Credential created")),
        None,
    )
    .await
}

pub async fn rotate_credential(
    action: Action,
    req: HttpRequest,
    path: web::Path<String>,
) -> HttpResponse {
    let ctx = action.ctx;
    let tenant = attempt!(ctx, ctx.require(Permission::ManageCredentials));
    let id = path.into_inner();
    let grace = chrono::Duration::seconds(ctx.state.config.credential_grace_secs);
    let actor = AuditActor::of(&ctx.caller);
    let now = ctx.state.now();
    let created = attempt!(
        ctx,
        ctx.state
            .db
            .write(move |c| value(&crate::credentials::rotate(
                c, &tenant, &id, grace, actor, now
            )?))
            .await
    );
    credentials_page(
        &ctx,
        &req,
        Some(created_shown(
            &created,
            "Credential rotated: the new secret",
        )),
        None,
    )
    .await
}

pub async fn revoke_credential(action: Action, path: web::Path<String>) -> HttpResponse {
    let ctx = action.ctx;
    let tenant = attempt!(ctx, ctx.require(Permission::ManageCredentials));
    let id = path.into_inner();
    let actor = AuditActor::of(&ctx.caller);
    let now = ctx.state.now();
    attempt!(
        ctx,
        ctx.state
            .db
            .write(move |c| crate::credentials::revoke(c, &tenant, &id, actor, now))
            .await
    );
    ui::see_other("/console/credentials")
}

//! The console's page frame (environment banner, navigation, account menu) and the small
//! pieces every page uses: times, money, badges, tables, pagers, empty states, error pages.

use actix_web::http::header;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use maud::{html, Markup, PreEscaped, DOCTYPE};
use serde::de::DeserializeOwned;
use serde_json::Value;

use super::session::Console;
use crate::auth::{Environment, Permission};
use crate::error::ApiError;

/// The navigation: (path, label, permission needed; `None` = every member).
const NAV: &[(&str, &str, Option<Permission>)] = &[
    ("/console/", "Overview", None),
    (
        "/console/catalogue",
        "Catalogue",
        Some(Permission::ReadOperations),
    ),
    (
        "/console/orders",
        "Orders",
        Some(Permission::ReadOperations),
    ),
    (
        "/console/services",
        "Services",
        Some(Permission::ReadOperations),
    ),
    ("/console/wallet", "Wallet", Some(Permission::ReadWallet)),
    (
        "/console/invoices",
        "Invoices",
        Some(Permission::ReadBilling),
    ),
    (
        "/console/webhooks",
        "Webhooks",
        Some(Permission::ManageWebhooks),
    ),
    (
        "/console/credentials",
        "Credentials",
        Some(Permission::ManageCredentials),
    ),
    ("/console/team", "Team", None),
    (
        "/console/support",
        "Support",
        Some(Permission::ReadOperations),
    ),
    (
        "/console/readiness",
        "Readiness",
        Some(Permission::ViewReadiness),
    ),
    ("/console/audit", "Audit log", Some(Permission::ReadAudit)),
];

fn head(title: &str) -> Markup {
    html! {
        head {
            meta charset="utf-8";
            meta name="viewport" content="width=device-width, initial-scale=1";
            title { (title) " · Onyx Partner Portal" }
            link rel="stylesheet" href="/console/assets/console.css";
            script src="/console/assets/console.js" defer {}
        }
    }
}

fn html_response(status: StatusCode, markup: Markup) -> HttpResponse {
    HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(markup.into_string())
}

/// A page for a signed-in member: banner, navigation, `body`.
pub fn page(ctx: &Console, title: &str, body: Markup) -> HttpResponse {
    page_status(ctx, StatusCode::OK, title, body)
}

pub fn page_status(ctx: &Console, status: StatusCode, title: &str, body: Markup) -> HttpResponse {
    let env = ctx.environment();
    let live = env == Environment::Live;
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body class=(if live { "env-live" } else { "env-sandbox" }) {
                a.skip href="#main" { "Skip to content" }
                div.envbar role="note" aria-label="Environment" {
                    @if live {
                        strong { "LIVE" } " — real customers, real money. Changes here affect your customers."
                    } @else {
                        strong { "SANDBOX" } " — test data only; nothing here reaches a customer or a live wallet."
                    }
                }
                header.top {
                    a.brand href="/console/" { "Onyx " span { "Partner Portal" } }
                    div.account {
                        span.who { (ctx.member_name) " · " (ctx.partner_name) " · " span.role { (ctx.role().as_str()) } }
                        form method="post" action="/console/environment" .inline {
                            (csrf(ctx))
                            label.sr for="environment-switch" { "Environment" }
                            select #environment-switch name="environment" {
                                option value="sandbox" selected[!live] { "Sandbox" }
                                @if ctx.live_enabled {
                                    option value="live" selected[live] { "Live" }
                                } @else {
                                    option value="live" disabled { "Live (not approved yet)" }
                                }
                            }
                            button type="submit" { "Switch" }
                        }
                        form method="post" action="/console/logout" .inline {
                            (csrf(ctx))
                            button type="submit" { "Sign out" }
                        }
                    }
                }
                div.layout {
                    nav.side aria-label="Console" {
                        ul {
                            @for (href, label, perm) in NAV {
                                @if perm.is_none_or(|p| ctx.can(p)) {
                                    li { a href=(href) { (label) } }
                                }
                            }
                        }
                    }
                    main #main {
                        (body)
                    }
                }
            }
        }
    };
    html_response(status, markup)
}

/// A page without a session (sign-in, errors before sign-in).
pub fn bare_frame(status: StatusCode, title: &str, body: Markup) -> HttpResponse {
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            (head(title))
            body.bare {
                main #main .card.narrow {
                    p.brand { "Onyx " span { "Partner Portal" } }
                    (body)
                }
            }
        }
    };
    html_response(status, markup)
}

pub fn bare_page(status: StatusCode, title: &str, sentence: &str) -> HttpResponse {
    bare_frame(
        status,
        title,
        html! {
            h1 { (title) }
            p { (sentence) }
            p { a href="/console/" { "Go to the overview" } }
        },
    )
}

pub fn see_other(to: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, to.to_string()))
        .finish()
}

/// The API's refusal as plain sentences: its detail, then each field's message.
pub fn sentence(e: &ApiError) -> String {
    let p = e.problem();
    let mut out = p.detail;
    for f in &p.errors {
        let field = if f.field.is_empty() {
            String::new()
        } else {
            format!("{}: ", f.field.replace('_', " "))
        };
        out.push_str(&format!(" {field}{}.", f.message.trim_end_matches('.')));
    }
    out
}

fn error_title(status: StatusCode) -> &'static str {
    match status.as_u16() {
        404 => "Not found",
        403 => "Not allowed",
        401 => "Sign in again",
        409 => "Not possible right now",
        429 => "Too many requests",
        s if s >= 500 => "Something went wrong",
        _ => "That did not work",
    }
}

/// An error page inside the frame (404 for another tenant's ids, 403 for a role's limits,
/// the API's refusals in words).
pub fn error_page(ctx: &Console, e: ApiError) -> HttpResponse {
    let status = e.status_code_of();
    page_status(
        ctx,
        status,
        error_title(status),
        html! {
            h1 { (error_title(status)) }
            p.notice.error role="alert" { (sentence(&e)) }
            p { a href="/console/" { "Back to the overview" } }
        },
    )
}

/// A notice paragraph: an error (`role=alert`) or a confirmation.
pub fn notice(error: bool, text: &str) -> Markup {
    html! {
        p class=(if error { "notice error" } else { "notice" }) role=(if error { "alert" } else { "status" }) { (text) }
    }
}

pub fn csrf(ctx: &Console) -> Markup {
    html! { input type="hidden" name="csrf" value=(ctx.csrf); }
}

/// A time: `<time>` with the UTC instant (the script shows it in the viewer's zone).
pub fn time(v: &Value) -> Markup {
    match v
        .as_str()
        .and_then(|s| chrono::DateTime::parse_from_rfc3339(s).ok())
    {
        Some(t) => {
            let t = t.with_timezone(&chrono::Utc);
            let iso = t.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
            let shown = t.format("%Y-%m-%d %H:%M UTC").to_string();
            html! { time datetime=(iso) title=(format!("{shown}")) { (shown) } }
        }
        None => html! { span.muted { "—" } },
    }
}

/// Minor units as a decimal amount with its currency.
pub fn money(minor: i64, currency: &str) -> String {
    format!(
        "{} {currency}",
        crate::billing::pdf::decimal(minor, currency)
    )
}

pub fn badge(state: &str) -> Markup {
    let tone = match state {
        "completed" | "active" | "succeeded" | "paid" | "installed" | "available" | "resolved"
        | "accepted" | "approved" | "true" => "ok",
        "failed" | "unavailable" | "revoked" | "void" | "declined" | "false" | "expired" => "bad",
        "pending" | "processing" | "preparing" | "delayed" | "ready_to_install" | "open"
        | "awaiting_onyx" | "awaiting_partner" | "rotated" | "issued" | "draft" => "warn",
        _ => "plain",
    };
    html! { span class=(format!("badge {tone}")) { (state.replace('_', " ")) } }
}

pub fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v.get(key).and_then(Value::as_str).unwrap_or("")
}

pub fn n(v: &Value, key: &str) -> i64 {
    v.get(key).and_then(Value::as_i64).unwrap_or(0)
}

/// Text or a dash.
pub fn text(v: &Value, key: &str) -> Markup {
    match v.get(key) {
        Some(Value::String(s)) if !s.is_empty() => html! { (s) },
        Some(Value::Number(n)) => html! { (n.to_string()) },
        Some(Value::Bool(b)) => html! { (if *b { "yes" } else { "no" }) },
        _ => html! { span.muted { "—" } },
    }
}

/// An empty state: what it means and what to do next.
pub fn empty(what: &str, next: &str) -> Markup {
    html! {
        div.empty {
            p { strong { (what) } }
            p { (next) }
        }
    }
}

/// "Next page" for a `Page` answer, keeping the current filters.
pub fn pager(req: &HttpRequest, page: &Value) -> Markup {
    let more = page
        .get("has_more")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let cursor = page.get("next_cursor").and_then(Value::as_str);
    let first = query_pairs(req).iter().any(|(k, _)| k == "cursor");
    match (more, cursor) {
        (true, Some(c)) => {
            let mut pairs: Vec<(String, String)> = query_pairs(req)
                .into_iter()
                .filter(|(k, _)| k != "cursor")
                .collect();
            pairs.push(("cursor".into(), c.to_string()));
            let q = serde_urlencoded::to_string(&pairs).unwrap_or_default();
            html! {
                nav.pager aria-label="Pages" {
                    @if first { a href=(format!("{}?{}", req.path(), without_cursor(req))) { "First page" } }
                    a href=(format!("{}?{q}", req.path())) rel="next" { "Next page →" }
                }
            }
        }
        _ if first => html! {
            nav.pager aria-label="Pages" { a href=(format!("{}?{}", req.path(), without_cursor(req))) { "First page" } }
        },
        _ => html! {},
    }
}

fn without_cursor(req: &HttpRequest) -> String {
    let pairs: Vec<(String, String)> = query_pairs(req)
        .into_iter()
        .filter(|(k, _)| k != "cursor")
        .collect();
    serde_urlencoded::to_string(&pairs).unwrap_or_default()
}

/// The query's pairs without blank values (a filter form sends every field).
pub fn query_pairs(req: &HttpRequest) -> Vec<(String, String)> {
    serde_urlencoded::from_str::<Vec<(String, String)>>(req.query_string())
        .unwrap_or_default()
        .into_iter()
        .filter(|(_, v)| !v.trim().is_empty())
        .collect()
}

pub fn query_value(req: &HttpRequest, key: &str) -> String {
    query_pairs(req)
        .into_iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v)
        .unwrap_or_default()
}

/// Reads the query (blank fields dropped) into one of the API's filter or page types, with
/// the API's refusal for a value it would refuse.
pub fn query<T: DeserializeOwned>(req: &HttpRequest) -> Result<T, ApiError> {
    // Date fields of filter forms send a day (`2026-11-01`): the API takes RFC 3339 times,
    // so a day is its first instant in UTC.
    let pairs: Vec<(String, String)> = query_pairs(req)
        .into_iter()
        .map(|(k, v)| {
            let day = v.len() == 10 && chrono::NaiveDate::parse_from_str(&v, "%Y-%m-%d").is_ok();
            if day && k.starts_with("created_") {
                (k, format!("{v}T00:00:00Z"))
            } else {
                (k, v)
            }
        })
        .collect();
    let cleaned = serde_urlencoded::to_string(pairs).unwrap_or_default();
    serde_urlencoded::from_str(&cleaned).map_err(|e| ApiError::BadRequest {
        code: "invalid_query",
        detail: format!("A filter value is not valid ({e}); correct it and search again."),
    })
}

/// A `<select>` of `options` with `current` chosen; `any` adds a blank "any" first.
pub fn select(name: &str, label: &str, options: &[&str], current: &str, any: bool) -> Markup {
    html! {
        label for=(name) { (label) }
        select id=(name) name=(name) {
            @if any { option value="" { "Any" } }
            @for o in options {
                option value=(o) selected[*o == current] { (o.replace('_', " ")) }
            }
        }
    }
}

pub fn json_block(v: &Value) -> Markup {
    let pretty = serde_json::to_string_pretty(v).unwrap_or_default();
    html! { pre.code { (pretty) } }
}

/// Raw markup from a trusted producer (the usage chart).
pub fn raw(s: String) -> Markup {
    PreEscaped(s)
}

/// Status of an `ApiError` without the `ResponseError` trait in scope at call sites.
pub trait StatusOf {
    fn status_code_of(&self) -> StatusCode;
}

impl StatusOf for ApiError {
    fn status_code_of(&self) -> StatusCode {
        actix_web::ResponseError::status_code(self)
    }
}

/// Ends a handler with the error page when `$e` failed.
#[macro_export]
macro_rules! attempt {
    ($ctx:expr, $e:expr) => {
        match $e {
            Ok(v) => v,
            Err(err) => return $crate::console::ui::error_page(&$ctx, err),
        }
    };
}

/// The value of a serialisable domain answer (pages read fields by name).
pub fn value<T: serde::Serialize>(t: &T) -> Result<Value, ApiError> {
    serde_json::to_value(t).map_err(ApiError::internal)
}

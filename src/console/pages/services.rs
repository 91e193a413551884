//! Services: state, install state, expiry, a usage chart drawn by the server as SVG, and the
//! activation materials, revealed only by an explicit POST (audited like the API's read,
//! `no-store`), with the QR code as an image from a console route.

use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::html;
use serde_json::Value;

use super::{first, page_of};
use crate::activation::routes::read_audited;
use crate::attempt;
use crate::auth::{Environment, Permission};
use crate::console::session::{Action, Console};
use crate::console::ui::{self, badge, query_value, s, time, value};
use crate::services::ServiceFilter;

const STATES: &[&str] = &[
    "preparing",
    "ready_to_install",
    "active",
    "delayed",
    "failed",
    "unavailable",
    "cancelled",
];

pub fn bytes(b: i64) -> String {
    let b = b as f64;
    if b >= 1e9 {
        format!("{:.2} GB", b / 1e9)
    } else if b >= 1e6 {
        format!("{:.1} MB", b / 1e6)
    } else {
        format!("{:.0} kB", b / 1e3)
    }
}

pub async fn list(ctx: Console, req: HttpRequest) -> HttpResponse {
    let tenant = attempt!(ctx, ctx.require(Permission::ReadOperations));
    let filter: ServiceFilter = attempt!(ctx, ui::query(&req));
    let page = attempt!(ctx, page_of(&req));
    let result = attempt!(
        ctx,
        ctx.state
            .db
            .read(move |c| value(&crate::services::list(c, &tenant, &filter, &page)?))
            .await
    );
    let rows = result["data"].as_array().cloned().unwrap_or_default();
    let body = html! {
        h1 { "Services" }
        form.filters method="get" action="/console/services" {
            div { (ui::select("state", "State", STATES, &query_value(&req, "state"), true)) }
            div { label for="customer_reference" { "Customer reference" } input #customer_reference name="customer_reference" value=(query_value(&req, "customer_reference")); }
            div { button type="submit" { "Filter" } }
        }
        @if rows.is_empty() {
            (ui::empty("No service matches.", "A service is created by an activation order; create one from the Orders page."))
        } @else {
            table.list {
                thead { tr { th { "Service" } th { "Customer reference" } th { "Package" } th { "State" } th { "Install" } th { "Expires" } } }
                tbody {
                    @for sv in &rows {
                        tr {
                            td data-label="Service" { a href=(format!("/console/services/{}", s(sv, "id"))) { (s(sv, "id")) } }
                            td data-label="Customer" { (s(sv, "customer_reference")) }
                            td data-label="Package" { code { (s(sv, "package_id")) } }
                            td data-label="State" { (badge(s(sv, "state"))) }
                            td data-label="Install" { (badge(s(sv, "install_state"))) }
                            td data-label="Expires" { (time(&sv["expires_at"])) }
                        }
                    }
                }
            }
            (ui::pager(&req, &result))
        }
    };
    ui::page(&ctx, "Services", body)
}

/// The usage history as an SVG line chart (oldest left), with the allowance as a dashed line.
fn usage_chart(points: &[Value], allowance: Option<i64>) -> String {
    let (w, h, pad) = (600.0_f64, 200.0_f64, 36.0_f64);
    let values: Vec<f64> = points
        .iter()
        .map(|p| ui::n(p, "bytes_used") as f64)
        .collect();
    let top = values
        .iter()
        .cloned()
        .fold(allowance.unwrap_or(0) as f64, f64::max)
        .max(1.0);
    let x = |i: usize| {
        if values.len() <= 1 {
            pad
        } else {
            pad + (w - 2.0 * pad) * i as f64 / (values.len() - 1) as f64
        }
    };
    let y = |v: f64| h - pad - (h - 2.0 * pad) * v / top;
    let line: Vec<String> = values
        .iter()
        .enumerate()
        .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
        .collect();
    let mut svg = format!(
        r##"<svg viewBox="0 0 {w} {h}" role="img" aria-label="Data used over time, up to {}" xmlns="http://www.w3.org/2000/svg">"##,
        bytes(values.last().cloned().unwrap_or(0.0) as i64)
    );
    svg.push_str(&format!(
        r##"<line x1="{pad}" y1="{0}" x2="{1}" y2="{0}" stroke="#b9c1cd"/><line x1="{pad}" y1="{pad}" x2="{pad}" y2="{0}" stroke="#b9c1cd"/>"##,
        h - pad,
        w - pad
    ));
    if let Some(a) = allowance {
        svg.push_str(&format!(
            r##"<line x1="{pad}" y1="{0:.1}" x2="{1}" y2="{0:.1}" stroke="#a1251b" stroke-dasharray="6 4"/><text x="{2}" y="{3:.1}" font-size="11" fill="#a1251b" text-anchor="end">allowance {4}</text>"##,
            y(a as f64),
            w - pad,
            w - pad,
            y(a as f64) - 4.0,
            bytes(a)
        ));
    }
    svg.push_str(&format!(
        r##"<polyline fill="none" stroke="#1f5fbf" stroke-width="2.5" points="{}"/>"##,
        line.join(" ")
    ));
    for (i, v) in values.iter().enumerate() {
        svg.push_str(&format!(
            r##"<circle cx="{:.1}" cy="{:.1}" r="3" fill="#1f5fbf"/>"##,
            x(i),
            y(*v)
        ));
    }
    svg.push_str(&format!(
        r##"<text x="{pad}" y="{:.1}" font-size="11" fill="#5b6473">0</text><text x="{pad}" y="{:.1}" font-size="11" fill="#5b6473">{}</text></svg>"##,
        h - pad + 14.0,
        pad - 6.0,
        bytes(top as i64)
    ));
    svg
}

pub async fn detail(ctx: Console, path: web::Path<String>) -> HttpResponse {
    let tenant = attempt!(ctx, ctx.require(Permission::ReadOperations));
    let id = path.into_inner();
    let (sv, history) = attempt!(
        ctx,
        ctx.state
            .db
            .read(move |c| {
                let sv = value(&crate::services::get(c, &tenant, &id)?)?;
                let history = value(&crate::services::usage::history(
                    c,
                    &tenant,
                    &id,
                    &first(100),
                )?)?;
                Ok((sv, history))
            })
            .await
    );
    let mut points = history["data"].as_array().cloned().unwrap_or_default();
    points.reverse();
    let allowance = sv["data_allowance_bytes"].as_i64();
    let body = html! {
        p { a href="/console/services" { "← Services" } }
        h1 { "Service " code { (s(&sv, "id")) } }
        p { (badge(s(&sv, "state"))) " " (badge(s(&sv, "install_state"))) " " span.muted { "Next step: " (s(&sv, "next_step")) } }
        div.card {
            dl.facts {
                dt { "Customer reference" } dd { (s(&sv, "customer_reference")) }
                dt { "Package" } dd { code { (s(&sv, "package_id")) } }
                dt { "ICCID" } dd { (ui::text(&sv, "iccid")) }
                dt { "Data allowance" } dd {
                    @if sv["data_unlimited"].as_bool() == Some(true) { "Unlimited" }
                    @else if let Some(a) = allowance { (bytes(a)) }
                    @else { "—" }
                }
                dt { "Activated" } dd { (time(&sv["activated_at"])) }
                dt { "Expires" } dd { (time(&sv["expires_at"])) }
            }
        }
        h2 { "Usage" }
        @if points.is_empty() {
            (ui::empty("No usage reported yet.", "Usage snapshots arrive once the service is active and the customer uses data."))
        } @else {
            figure.chart {
                (ui::raw(usage_chart(&points, allowance)))
                figcaption.muted { (points.len()) " snapshots; latest " (bytes(ui::n(points.last().unwrap_or(&Value::Null), "bytes_used"))) " used at " (time(&points.last().unwrap_or(&Value::Null)["as_of"])) }
            }
        }
        @if ctx.can(Permission::WriteOrders) && ctx.environment() == Environment::Sandbox && s(&sv, "state") == "ready_to_install" {
            form method="post" action=(format!("/console/services/{}/install", s(&sv, "id"))) {
                (ui::csrf(&ctx))
                button type="submit" { "Simulate the customer's install (sandbox)" }
            }
        }
        @if ctx.can(Permission::ReadActivation) {
            h2 { "Activation materials" }
            @if matches!(s(&sv, "state"), "ready_to_install" | "active") {
                p.muted { "Activation materials are secret: reveal them only to hand them to your customer. Each reveal is recorded in the audit log." }
                form method="post" action=(format!("/console/services/{}/activation", s(&sv, "id"))) {
                    (ui::csrf(&ctx))
                    button type="submit" { "Reveal activation materials" }
                }
            } @else {
                (ui::empty("Not ready yet.", "Activation materials can be revealed once the service is ready to install."))
            }
        }
    };
    ui::page(&ctx, "Service", body)
}

/// `POST /console/services/{id}/activation`: the explicit reveal.
pub async fn reveal(action: Action, path: web::Path<String>) -> HttpResponse {
    let ctx = action.ctx;
    let tenant = attempt!(ctx, ctx.require(Permission::ReadActivation));
    let id = path.into_inner();
    let m = attempt!(
        ctx,
        read_audited(&ctx.state, &ctx.caller, tenant, id.clone(), "console").await
    );
    let m = attempt!(ctx, value(&m));
    let body = html! {
        p { a href=(format!("/console/services/{id}")) { "← Service" } }
        h1 { "Activation materials" }
        (ui::notice(false, "Revealed and recorded in the audit log. Share them only with the customer; never in support cases or screenshots."))
        div.card {
            img.qr src=(format!("/console/services/{id}/activation/qr.png")) alt="QR code of the activation code" width="220" height="220";
            dl.facts {
                dt { "Activation code" } dd.secret { (s(&m, "activation_code")) }
                dt { "SM-DP+ address" } dd { (s(&m, "smdp_address")) }
                dt { "Matching ID" } dd.secret { (s(&m, "matching_id")) }
                dt { "ICCID" } dd { (s(&m, "iccid")) }
                @if m["confirmation_code_required"].as_bool() == Some(true) {
                    dt { "Confirmation code" } dd.secret { (ui::text(&m, "confirmation_code")) }
                }
                dt { "Status" } dd { (badge(s(&m, "status"))) }
            }
        }
    };
    let mut resp = ui::page(&ctx, "Activation materials", body);
    resp.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    resp
}

/// `GET /console/services/{id}/activation/qr.png`: the QR code (audited read, `no-store`).
pub async fn qr(ctx: Console, path: web::Path<String>) -> HttpResponse {
    let tenant = attempt!(ctx, ctx.require(Permission::ReadActivation));
    let m = attempt!(
        ctx,
        read_audited(
            &ctx.state,
            &ctx.caller,
            tenant,
            path.into_inner(),
            "console_qr"
        )
        .await
    );
    let png = attempt!(ctx, crate::activation::qr::png(&m.activation_code));
    HttpResponse::Ok()
        .content_type("image/png")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .insert_header((header::PRAGMA, "no-cache"))
        .body(png)
}

/// `POST /console/services/{id}/install`: the sandbox helper that plays the customer's
/// install (as `POST /v1/sandbox/services/{id}/install`).
pub async fn sandbox_install(action: Action, path: web::Path<String>) -> HttpResponse {
    let ctx = action.ctx;
    let tenant = attempt!(ctx, ctx.require(Permission::WriteOrders));
    attempt!(ctx, tenant.require_sandbox());
    let id = path.into_inner();
    let now = ctx.state.now();
    let i = id.clone();
    attempt!(
        ctx,
        ctx.state
            .db
            .write(move |c| {
                crate::db::lock_partner(c, tenant.partner_id())?;
                crate::activation::install(c, &tenant, &i, now)
            })
            .await
    );
    ui::see_other(&format!("/console/services/{id}"))
}

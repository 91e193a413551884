//! The overview: wallet balances per currency (available, reserved, spent this period),
//! recent orders, services needing attention and readiness progress — each only when the
//! member's role may read it.

use actix_web::HttpResponse;
use maud::html;
use serde_json::Value;

use super::first;
use crate::attempt;
use crate::auth::Permission;
use crate::console::session::Console;
use crate::console::ui::{self, badge, money, n, s, time, value};

pub async fn overview(ctx: Console) -> HttpResponse {
    let state = ctx.state.clone();
    let now = state.now();
    let wallets: Option<Value> = if ctx.can(Permission::ReadWallet) {
        let t = ctx.tenant();
        Some(attempt!(
            ctx,
            state
                .db
                .read(move |c| value(&crate::wallet::list_wallets(c, &t, now)?))
                .await
        ))
    } else {
        None
    };
    let t = ctx.tenant();
    let (orders, services) = attempt!(
        ctx,
        state
            .db
            .read(move |c| {
                let filter: crate::orders::OrderFilter =
                    serde_urlencoded::from_str("").map_err(crate::error::ApiError::internal)?;
                let orders = crate::orders::list(c, &t, &filter, &first(5))?;
                let sf: crate::services::ServiceFilter =
                    serde_urlencoded::from_str("").map_err(crate::error::ApiError::internal)?;
                let services = crate::services::list(c, &t, &sf, &first(100))?;
                Ok((value(&orders)?, value(&services)?))
            })
            .await
    );
    let attention: Vec<&Value> = services["data"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|s| {
                    matches!(
                        ui::s(s, "state"),
                        "delayed" | "failed" | "unavailable" | "ready_to_install"
                    )
                })
                .take(5)
                .collect()
        })
        .unwrap_or_default();
    let readiness: Option<Value> = if ctx.can(Permission::ViewReadiness) {
        let t = ctx.tenant();
        Some(attempt!(
            ctx,
            state
                .db
                .read(move |c| value(&crate::readiness::get(c, &t)?))
                .await
        ))
    } else {
        None
    };
    let body = html! {
        h1 { "Overview" }
        @if let Some(w) = &wallets {
            h2 { "Wallet" }
            @let list = w.as_array().cloned().unwrap_or_default();
            @if list.is_empty() {
                (ui::empty("No wallet yet.", "Onyx credits your wallet when your account is funded; orders reserve from it. Ask your Onyx contact to fund the sandbox wallet."))
            } @else {
                div.cards {
                    @for w in &list {
                        @let cur = s(w, "currency");
                        div.card {
                            p.muted { (cur) " available" }
                            p.big { (money(n(w, "available"), cur)) }
                            p.muted { "Reserved " (money(n(w, "reserved"), cur)) " · Spent this period " (money(n(w, "spent_this_period"), cur)) }
                        }
                    }
                }
            }
        }
        h2 { "Recent orders" }
        @let recent = orders["data"].as_array().cloned().unwrap_or_default();
        @if recent.is_empty() {
            (ui::empty("No orders yet.", if ctx.can(Permission::WriteOrders) { "Create your first order from the Orders page: pick a package from the catalogue and your customer's reference." } else { "Orders created by your team appear here." }))
        } @else {
            table.list {
                thead { tr { th { "Order" } th { "Customer reference" } th { "State" } th { "Created" } } }
                tbody {
                    @for o in &recent {
                        tr {
                            td data-label="Order" { a href=(format!("/console/orders/{}", s(o, "id"))) { (s(o, "id")) } }
                            td data-label="Customer" { (s(o, "customer_reference")) }
                            td data-label="State" { (badge(s(o, "state"))) }
                            td data-label="Created" { (time(&o["created_at"])) }
                        }
                    }
                }
            }
            p { a href="/console/orders" { "All orders" } }
        }
        h2 { "Services needing attention" }
        @if attention.is_empty() {
            (ui::empty("Nothing needs attention.", "Services that are delayed, failed, unavailable or waiting to be installed show here."))
        } @else {
            table.list {
                thead { tr { th { "Service" } th { "Customer reference" } th { "State" } th { "Next step" } } }
                tbody {
                    @for sv in &attention {
                        tr {
                            td data-label="Service" { a href=(format!("/console/services/{}", s(sv, "id"))) { (s(sv, "id")) } }
                            td data-label="Customer" { (s(sv, "customer_reference")) }
                            td data-label="State" { (badge(s(sv, "state"))) }
                            td data-label="Next step" { (s(sv, "next_step")) }
                        }
                    }
                }
            }
        }
        @if let Some(r) = &readiness {
            h2 { "Live readiness" }
            @let items = r["items"].as_array().cloned().unwrap_or_default();
            @let done = items.iter().filter(|i| i["done"].as_bool() == Some(true)).count();
            div.card {
                p { (done) " of " (items.len()) " readiness items done"
                    @if r["live_enabled"].as_bool() == Some(true) { " · live access enabled" } }
                progress value=(done) max=(items.len().max(1)) aria-label="Readiness progress" { (done) "/" (items.len()) }
                p { a href="/console/readiness" { "Open the readiness checklist" } }
            }
        }
    };
    ui::page(&ctx, "Overview", body)
}

//! Wallet and ledger (with the API's filters and CSV export) and invoices (PDF).

use actix_web::{web, HttpRequest, HttpResponse};
use maud::html;

use super::page_of;
use crate::attempt;
use crate::auth::Permission;
use crate::billing::invoices::InvoiceFilter;
use crate::console::session::Console;
use crate::console::ui::{self, badge, money, n, query_value, s, time, value};
use crate::wallet::LedgerFilter;

const ENTRY_TYPES: &[&str] = &[
    "reserve",
    "capture",
    "release",
    "credit",
    "refund",
    "commitment_adjustment",
    "debit",
];

pub async fn wallet(ctx: Console, req: HttpRequest) -> HttpResponse {
    let tenant = attempt!(ctx, ctx.require(Permission::ReadWallet));
    let now = ctx.state.now();
    let t = tenant.clone();
    let wallets = attempt!(
        ctx,
        ctx.state
            .db
            .read(move |c| value(&crate::wallet::list_wallets(c, &t, now)?))
            .await
    );
    let ledger = if ctx.can(Permission::ReadBilling) {
        let filter: LedgerFilter = attempt!(ctx, ui::query(&req));
        let page = attempt!(ctx, page_of(&req));
        Some(attempt!(
            ctx,
            ctx.state
                .db
                .read(move |c| value(&crate::wallet::list_entries(c, &tenant, &filter, &page)?))
                .await
        ))
    } else {
        None
    };
    let wallets = wallets.as_array().cloned().unwrap_or_default();
    let csv_query = serde_urlencoded::to_string(
        ui::query_pairs(&req)
            .into_iter()
            .filter(|(k, _)| k != "cursor" && k != "limit")
            .collect::<Vec<_>>(),
    )
    .unwrap_or_default();
    let body = html! {
        h1 { "Wallet" }
        @if wallets.is_empty() {
            (ui::empty("No wallet yet.", "Your wallet appears once Onyx credits it; orders reserve funds from it."))
        } @else {
            table.list {
                thead { tr { th { "Currency" } th.num { "Available" } th.num { "Reserved" } th.num { "Spent this period" } th { "Period start" } } }
                tbody {
                    @for w in &wallets {
                        @let cur = s(w, "currency");
                        tr {
                            td data-label="Currency" { (cur) }
                            td.num data-label="Available" { (money(n(w, "available"), cur)) }
                            td.num data-label="Reserved" { (money(n(w, "reserved"), cur)) }
                            td.num data-label="Spent" { (money(n(w, "spent_this_period"), cur)) }
                            td data-label="Period start" { (time(&w["period_start"])) }
                        }
                    }
                }
            }
        }
        @if let Some(ledger) = &ledger {
            h2 { "Ledger" }
            form.filters method="get" action="/console/wallet" {
                div { label for="currency" { "Currency" } input #currency name="currency" size="4" value=(query_value(&req, "currency")); }
                div { (ui::select("entry_type", "Entry type", ENTRY_TYPES, &query_value(&req, "entry_type"), true)) }
                div { label for="order_id" { "Order id" } input #order_id name="order_id" value=(query_value(&req, "order_id")); }
                div { label for="created_from" { "From" } input #created_from type="date" name="created_from" value=(query_value(&req, "created_from")); }
                div { label for="created_to" { "Before" } input #created_to type="date" name="created_to" value=(query_value(&req, "created_to")); }
                div { button type="submit" { "Filter" } }
            }
            p { a #export-csv href=(format!("/console/ledger.csv?{csv_query}")) download { "Export these entries as CSV" } }
            @let rows = ledger["data"].as_array().cloned().unwrap_or_default();
            @if rows.is_empty() {
                (ui::empty("No ledger entry matches.", "Entries appear as orders reserve, capture and release funds, and as Onyx credits your wallet."))
            } @else {
                table.list {
                    thead { tr { th { "When" } th { "Type" } th { "Description" } th { "Order" } th.num { "Amount" } th.num { "Available after" } } }
                    tbody {
                        @for e in &rows {
                            @let cur = s(e, "currency");
                            tr {
                                td data-label="When" { (time(&e["created_at"])) }
                                td data-label="Type" { (badge(s(e, "entry_type"))) }
                                td data-label="Description" { (s(e, "description")) }
                                td data-label="Order" {
                                    @if let Some(o) = e["order_id"].as_str() { a href=(format!("/console/orders/{o}")) { (o) } } @else { span.muted { "—" } }
                                }
                                td.num data-label="Amount" { (money(n(e, "amount"), cur)) }
                                td.num data-label="Available after" { (money(n(e, "available_after"), cur)) }
                            }
                        }
                    }
                }
                (ui::pager(&req, ledger))
            }
        }
    };
    ui::page(&ctx, "Wallet", body)
}

/// `GET /console/ledger.csv`: the API's CSV export of the filtered ledger.
pub async fn ledger_csv(ctx: Console, req: HttpRequest) -> HttpResponse {
    let tenant = attempt!(ctx, ctx.require(Permission::ReadBilling));
    let filter: LedgerFilter = attempt!(ctx, ui::query(&req));
    let entries = attempt!(
        ctx,
        ctx.state
            .db
            .read(move |c| crate::wallet::export_entries(c, &tenant, &filter))
            .await
    );
    HttpResponse::Ok()
        .content_type(crate::http::negotiate::CSV)
        .insert_header((
            "content-disposition",
            "attachment; filename=\"onyx-ledger.csv\"",
        ))
        .body(crate::wallet::ledger_csv(&entries))
}

pub async fn invoices(ctx: Console, req: HttpRequest) -> HttpResponse {
    let tenant = attempt!(ctx, ctx.require(Permission::ReadBilling));
    let filter: InvoiceFilter = attempt!(ctx, ui::query(&req));
    let page = attempt!(ctx, page_of(&req));
    let result = attempt!(
        ctx,
        ctx.state
            .db
            .read(move |c| value(&crate::billing::invoices::list(
                c,
                Some(&tenant),
                &filter,
                &page
            )?))
            .await
    );
    let rows = result["data"].as_array().cloned().unwrap_or_default();
    let body = html! {
        h1 { "Invoices" }
        form.filters method="get" action="/console/invoices" {
            div { label for="period" { "Period (YYYY-MM)" } input #period name="period" size="8" value=(query_value(&req, "period")); }
            div { (ui::select("status", "Status", &["draft", "issued", "paid", "void"], &query_value(&req, "status"), true)) }
            div { label for="currency" { "Currency" } input #currency name="currency" size="4" value=(query_value(&req, "currency")); }
            div { button type="submit" { "Filter" } }
        }
        @if rows.is_empty() {
            (ui::empty("No invoice matches.", "Invoices are issued when a billing period closes. Reconcile them against your orders and ledger."))
        } @else {
            table.list {
                thead { tr { th { "Number" } th { "Period" } th { "Status" } th.num { "Commitment" } th.num { "Usage" } th.num { "True-up" } th.num { "Total" } th { "Due" } th { "PDF" } } }
                tbody {
                    @for i in &rows {
                        @let cur = s(i, "currency");
                        tr {
                            td data-label="Number" { (s(i, "number")) }
                            td data-label="Period" { (s(i, "period")) }
                            td data-label="Status" { (badge(s(i, "status"))) }
                            td.num data-label="Commitment" { (money(n(i, "commitment_minor"), cur)) }
                            td.num data-label="Usage" { (money(n(i, "usage_minor"), cur)) }
                            td.num data-label="True-up" { (money(n(i, "true_up_minor"), cur)) }
                            td.num data-label="Total" { (money(n(i, "total_minor"), cur)) }
                            td data-label="Due" { (time(&i["due_at"])) }
                            td data-label="PDF" { a href=(format!("/console/invoices/{}/pdf", s(i, "id"))) { "PDF" } }
                        }
                    }
                }
            }
            (ui::pager(&req, &result))
        }
    };
    ui::page(&ctx, "Invoices", body)
}

/// `GET /console/invoices/{id}/pdf`: the API's invoice PDF.
pub async fn invoice_pdf(ctx: Console, path: web::Path<String>) -> HttpResponse {
    let tenant = attempt!(ctx, ctx.require(Permission::ReadBilling));
    let id = path.into_inner();
    let (invoice, to) = attempt!(
        ctx,
        ctx.state
            .db
            .read(move |c| {
                let invoice = crate::billing::invoices::get(c, &tenant, &id)?;
                let to = crate::billing::routes::addressee(c, tenant.partner_id())?;
                Ok((invoice, to))
            })
            .await
    );
    let number = invoice.number.clone();
    let pdf = attempt!(
        ctx,
        web::block(move || crate::billing::pdf::render(&invoice, &to))
            .await
            .map_err(crate::error::ApiError::internal)
    );
    HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((
            "content-disposition",
            format!("inline; filename=\"{number}.pdf\""),
        ))
        .body(pdf)
}

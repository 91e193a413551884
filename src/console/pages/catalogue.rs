//! The catalogue: the packages approved for the partner, with the API's filters.

use actix_web::{HttpRequest, HttpResponse};
use maud::html;

use super::page_of;
use crate::attempt;
use crate::auth::Permission;
use crate::catalogue::{PackageFilter, Viewer};
use crate::console::session::Console;
use crate::console::ui::{self, badge, money, n, query_value, s, value};

fn allowance(p: &serde_json::Value) -> String {
    if p["data_unlimited"].as_bool() == Some(true) {
        return "Unlimited".into();
    }
    match p["data_allowance_bytes"].as_i64() {
        Some(b) if b >= 1_000_000_000 => format!("{} GB", b / 1_000_000_000),
        Some(b) => format!("{} MB", b / 1_000_000),
        None => "—".into(),
    }
}

pub async fn list(ctx: Console, req: HttpRequest) -> HttpResponse {
    let tenant = attempt!(ctx, ctx.require(Permission::ReadOperations));
    let filter: PackageFilter = attempt!(ctx, ui::query(&req));
    attempt!(ctx, filter.check());
    let page = attempt!(ctx, page_of(&req));
    let pid = tenant.partner_id().to_string();
    let result = attempt!(
        ctx,
        ctx.state
            .db
            .read(move |c| value(&crate::catalogue::list(
                c,
                Viewer::Partner(&pid),
                &filter,
                &page
            )?))
            .await
    );
    let rows = result["data"].as_array().cloned().unwrap_or_default();
    let body = html! {
        h1 { "Catalogue" }
        p.muted { "The packages approved for your organisation. Offer only these: their allowances, validity and coverage are the ones Onyx provides." }
        form.filters method="get" action="/console/catalogue" {
            div { (ui::select("kind", "Kind", &["plan", "data_addon", "voice_addon"], &query_value(&req, "kind"), true)) }
            div { (ui::select("coverage_type", "Coverage", &["local", "regional", "global"], &query_value(&req, "coverage_type"), true)) }
            div { label for="region" { "Region" } input #region name="region" value=(query_value(&req, "region")); }
            div { label for="country" { "Country (ISO code)" } input #country name="country" size="4" value=(query_value(&req, "country")); }
            div { (ui::select("status", "Status", &["available", "unavailable", "retired"], &query_value(&req, "status"), true)) }
            div { button type="submit" { "Filter" } }
        }
        @if rows.is_empty() {
            (ui::empty("No package matches.", "Clear the filters, or ask your Onyx contact which packages can be approved for your markets."))
        } @else {
            table.list {
                thead { tr { th { "Package ID" } th { "Coverage" } th { "Type" } th { "Region" } th { "Data" } th { "Validity" } th { "Status" } th.num { "Price" } } }
                tbody {
                    @for p in &rows {
                        tr {
                            td data-label="Package" { code { (s(p, "package_id")) } }
                            td data-label="Coverage" { (s(p, "coverage_name")) }
                            td data-label="Type" { (s(p, "coverage_type")) " " (s(p, "kind").replace('_', " ")) }
                            td data-label="Region" { (s(p, "region")) }
                            td data-label="Data" { (allowance(p)) }
                            td data-label="Validity" { (n(p, "validity_days")) " days" }
                            td data-label="Status" { (badge(s(p, "status"))) }
                            td.num data-label="Price" { (money(n(p, "price_minor"), s(p, "currency"))) }
                        }
                    }
                }
            }
            (ui::pager(&req, &result))
        }
    };
    ui::page(&ctx, "Catalogue", body)
}

//! `GET /v1/wallet`, `GET /v1/wallet/history` and `GET /v1/ledger` (JSON or CSV).

use actix_web::{get, web, HttpRequest, HttpResponse};

use super::{BalancePoint, HistoryQuery, LedgerEntry, LedgerFilter, WalletList};
use crate::auth::{Caller, Permission};
use crate::error::{ApiError, Problem};
use crate::http::negotiate;
use crate::pagination::{Page, PageQuery};
use crate::state::AppState;

/// Your wallets in this environment: available, reserved and spent this period, per currency.
#[utoipa::path(
    tag = "money",
    security(("partner_jwt" = [])),
    responses((status = 200, description = "Wallets, one per currency.", body = WalletList))
)]
#[get("/wallet")]
pub async fn wallet(state: web::Data<AppState>, caller: Caller) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ReadWallet)?.clone();
    let now = state.now();
    let data = state
        .db
        .read(move |c| super::list_wallets(c, &tenant, now))
        .await?;
    Ok(HttpResponse::Ok().json(WalletList { data }))
}

/// The running balance of one wallet: the balances right after each ledger entry, newest
/// first (owner, admin, billing and viewer).
#[utoipa::path(
    tag = "money",
    params(HistoryQuery, PageQuery),
    security(("partner_jwt" = [])),
    responses(
        (status = 200, description = "Balance points, newest first; empty when there is no wallet in this currency.", body = Page<BalancePoint>),
    )
)]
#[get("/wallet/history")]
pub async fn history(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<HistoryQuery>,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ReadBilling)?.clone();
    let page = page.parse()?;
    let currency = query.into_inner().currency;
    let result = state
        .db
        .read(move |c| super::history(c, &tenant, &currency, &page))
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

/// The append-only ledger: reserves, captures, releases, credits, debits, refunds and
/// commitment adjustments, each with its description and the order or invoice it belongs to.
///
/// With `Accept: text/csv` the answer is a CSV export of every entry the filters select
/// (newest first, no paging, at most 100000 rows), with the columns `id, created_at,
/// entry_type, currency, amount, available_after, reserved_after, order_id, invoice_id,
/// wallet_id, description` in this order (times RFC 3339 UTC, amounts in minor units, absent
/// references empty).
#[utoipa::path(
    tag = "money",
    params(PageQuery, LedgerFilter),
    security(("partner_jwt" = [])),
    responses(
        (status = 200, description = "Ledger entries, newest first (JSON page), or the CSV export.", content(
            (Page<LedgerEntry> = "application/json"),
            (String = "text/csv"),
        )),
        (status = 406, description = "Only application/json and text/csv can be produced (`not_acceptable`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/ledger")]
pub async fn ledger(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    page: web::Query<PageQuery>,
    filter: web::Query<LedgerFilter>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ReadBilling)?.clone();
    let media = negotiate::choose(&req, &["application/json", "text/csv"])?;
    let page = page.parse()?;
    let filter = filter.into_inner();
    if media == "text/csv" {
        let entries = state
            .db
            .read(move |c| super::export_entries(c, &tenant, &filter))
            .await?;
        return Ok(HttpResponse::Ok()
            .content_type(negotiate::CSV)
            .insert_header(("vary", "Accept"))
            .insert_header((
                "content-disposition",
                "attachment; filename=\"onyx-ledger.csv\"",
            ))
            .body(super::ledger_csv(&entries)));
    }
    let result = state
        .db
        .read(move |c| super::list_entries(c, &tenant, &filter, &page))
        .await?;
    Ok(HttpResponse::Ok()
        .insert_header(("vary", "Accept"))
        .json(result))
}

pub fn register(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(wallet).service(history).service(ledger);
}

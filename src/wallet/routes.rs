//! `GET /v1/wallet`, `GET /v1/wallet/history` and `GET /v1/ledger` (JSON or CSV).

use actix_web::{get, put, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::{BalancePoint, HistoryQuery, LedgerEntry, LedgerFilter, WalletList};
use crate::auth::{Caller, Permission};
use crate::error::{ApiError, Problem};
use crate::http::{negotiate, Json};
use crate::pagination::{Page, PageQuery};
use crate::state::AppState;

/// Your wallets in this environment: available, reserved and spent this period, per currency.
#[utoipa::path(
    operation_id = "getWallet",
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
    operation_id = "getWalletHistory",
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
    operation_id = "getLedger",
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

/// A low-balance alert setting.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LowBalanceAlert {
    /// ISO 4217 code of the wallet (created empty when there is none yet).
    #[schema(example = "EUR", value_type = crate::catalogue::codes::CurrencyCode)]
    pub currency: String,
    /// 1 to 100000000 minor units; null removes the alert.
    #[schema(example = 5000, minimum = 1, maximum = 100000000)]
    pub threshold_minor: Option<i64>,
}

/// Set the low-balance alert of a wallet (owner, admin, billing): `wallet.low_balance` fires
/// in the transaction of the movement that takes `available` below the threshold, once per
/// downward crossing; a movement that brings it back to or above the threshold (a credit, a
/// refund, a release) re-arms it. Setting the threshold sends nothing.
#[utoipa::path(
    operation_id = "setLowBalanceAlert",
    tag = "money",
    request_body = LowBalanceAlert,
    security(("partner_jwt" = [])),
    responses(
        (status = 200, description = "Your wallets, with the threshold set.", body = WalletList),
    )
)]
#[put("/wallet/low-balance-alert")]
pub async fn low_balance_alert(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<LowBalanceAlert>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ManageBilling)?.clone();
    let req = body.into_inner();
    let mut errors = Vec::new();
    if !crate::catalogue::codes::is_currency(&req.currency) {
        errors.push(crate::catalogue::codes::currency_error("currency"));
    }
    if req
        .threshold_minor
        .is_some_and(|t| !(1..=100_000_000).contains(&t))
    {
        errors.push(crate::error::FieldError::new(
            "threshold_minor",
            "out_of_range",
            "must be between 1 and 100000000, or null",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let now = state.now();
    let data = state
        .db
        .write(move |c| {
            super::set_low_balance_threshold(c, &tenant, &req.currency, req.threshold_minor, now)?;
            super::list_wallets(c, &tenant, now)
        })
        .await?;
    Ok(HttpResponse::Ok().json(WalletList { data }))
}

pub fn register(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(wallet)
        .service(history)
        .service(ledger)
        .service(low_balance_alert);
}

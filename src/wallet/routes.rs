//! `GET /v1/wallet` and `GET /v1/ledger`.

use actix_web::{get, web, HttpResponse};

use super::{LedgerEntry, LedgerFilter, WalletList};
use crate::auth::{Caller, Permission};
use crate::error::ApiError;
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

/// The append-only ledger: reserves, captures, releases, credits, refunds, adjustments.
#[utoipa::path(
    tag = "money",
    params(PageQuery, LedgerFilter),
    security(("partner_jwt" = [])),
    responses((status = 200, description = "Ledger entries, newest first.", body = Page<LedgerEntry>))
)]
#[get("/ledger")]
pub async fn ledger(
    state: web::Data<AppState>,
    caller: Caller,
    page: web::Query<PageQuery>,
    filter: web::Query<LedgerFilter>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ReadBilling)?.clone();
    let page = page.parse()?;
    let filter = filter.into_inner();
    let result = state
        .db
        .read(move |c| super::list_entries(c, &tenant, &filter, &page))
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

pub fn register(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(wallet).service(ledger);
}

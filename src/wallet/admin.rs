//! Operators credit wallets (sandbox test money, demo funding, live top-ups) and debit them
//! (adjustments with a reason).

use actix_web::{post, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;

use super::WalletList;
use chrono::{DateTime, Utc};

use crate::auth::{Environment, Operator, Tenant};
use crate::catalogue::codes;
use crate::db::DbConnection;
use crate::error::{ApiError, FieldError, Problem};
use crate::http::Json;
use crate::state::AppState;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WalletCredit {
    pub environment: Environment,
    /// ISO 4217 code; the wallet is created on first credit.
    #[schema(example = "EUR", value_type = crate::catalogue::codes::CurrencyCode)]
    pub currency: String,
    /// Positive amount in minor units, at most 100000000.
    #[schema(example = 50000, minimum = 1, maximum = 100000000)]
    pub amount_minor: i64,
    /// Shown on the ledger entry; at most 200 characters.
    #[schema(example = "Prepayment received 2026-11-02", max_length = 200)]
    pub description: Option<String>,
}

/// Credit a partner's wallet; returns the partner's wallets in that environment.
#[utoipa::path(
    operation_id = "adminCreditWallet",
    tag = "operator",
    params(("partner_id" = String, Path, description = "Partner id (`ptr_…`).")),
    request_body = WalletCredit,
    security(("operator_token" = [])),
    responses(
        (status = 201, description = "Credited.", body = WalletList),
        (status = 404, description = "No such partner.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/partners/{partner_id}/wallet-credits")]
pub async fn credit(
    state: web::Data<AppState>,
    operator: Operator,
    path: web::Path<String>,
    body: Json<WalletCredit>,
) -> Result<HttpResponse, ApiError> {
    let req = body.into_inner();
    let mut errors = money_errors(&req.currency, req.amount_minor);
    if req
        .description
        .as_ref()
        .is_some_and(|d| d.chars().count() > 200)
    {
        errors.push(FieldError::new(
            "description",
            "length",
            "must be at most 200 characters long",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let tenant = operator.acting_for(&path.into_inner(), req.environment);
    adjust(&state, tenant, move |c, tenant, now| {
        let description = req.description.as_deref().unwrap_or("Credit from Onyx");
        super::credit(c, tenant, &req.currency, req.amount_minor, description, now)
    })
    .await
}

/// What a credit and a debit both check: a known currency, an amount from 1 to 100000000.
fn money_errors(currency: &str, amount_minor: i64) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if !codes::is_currency(currency) {
        errors.push(codes::currency_error("currency"));
    }
    if !(1..=100_000_000).contains(&amount_minor) {
        errors.push(FieldError::new(
            "amount_minor",
            "out_of_range",
            "must be between 1 and 100000000",
        ));
    }
    errors
}

/// Runs an operator's adjustment of a partner's wallets in one transaction (the partner must
/// exist; its lock orders concurrent adjustments) and answers 201 with the partner's wallets
/// in that environment.
async fn adjust<F>(state: &AppState, tenant: Tenant, change: F) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&mut DbConnection, &Tenant, DateTime<Utc>) -> Result<(), ApiError> + Send + 'static,
{
    let now = state.now();
    let data = state
        .db
        .write(move |c| {
            crate::partners::get(c, tenant.partner_id())?;
            crate::db::lock_partner(c, tenant.partner_id())?;
            change(c, &tenant, now)?;
            super::list_wallets(c, &tenant, now)
        })
        .await?;
    Ok(HttpResponse::Created().json(WalletList { data }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct WalletDebit {
    pub environment: Environment,
    /// ISO 4217 code of an existing wallet.
    #[schema(example = "EUR", value_type = crate::catalogue::codes::CurrencyCode)]
    pub currency: String,
    /// Positive amount in minor units, at most 100000000; never more than the wallet's
    /// available balance.
    #[schema(example = 1200, minimum = 1, maximum = 100000000)]
    pub amount_minor: i64,
    /// Why the funds are taken: shown on the ledger entry and the invoice line; 1 to 200
    /// characters.
    #[schema(
        example = "Roaming surcharge for October (case 4711)",
        min_length = 1,
        max_length = 200
    )]
    pub reason: String,
}

/// Debit a partner's wallet (an adjustment with a reason; it never takes the available
/// balance below zero); returns the partner's wallets in that environment.
#[utoipa::path(
    operation_id = "adminDebitWallet",
    tag = "operator",
    params(("partner_id" = String, Path, description = "Partner id (`ptr_…`).")),
    request_body = WalletDebit,
    security(("operator_token" = [])),
    responses(
        (status = 201, description = "Debited.", body = WalletList),
        (status = 404, description = "No such partner.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "More than the available balance (`debit_exceeds_available`), or invalid fields.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/partners/{partner_id}/wallet-debits")]
pub async fn debit(
    state: web::Data<AppState>,
    operator: Operator,
    path: web::Path<String>,
    body: Json<WalletDebit>,
) -> Result<HttpResponse, ApiError> {
    let req = body.into_inner();
    let mut errors = money_errors(&req.currency, req.amount_minor);
    let reason = req.reason.clone();
    if !(1..=200).contains(&req.reason.chars().count()) {
        errors.push(FieldError::new(
            "reason",
            "length",
            "must be 1 to 200 characters long",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let tenant = operator.acting_for(&path.into_inner(), req.environment);
    adjust(&state, tenant, move |c, tenant, now| {
        let exceeds = || ApiError::Unprocessable {
            code: "debit_exceeds_available",
            detail: "The debit is larger than the wallet's available balance (or there is no wallet in this currency); debit less or credit the wallet first.".into(),
        };
        // A debit never creates a wallet (posting would).
        if super::find(c, tenant, &req.currency)?.is_none() {
            return Err(exceeds());
        }
        let posted = super::post(
            c,
            super::Posting {
                tenant,
                currency: &req.currency,
                entry: super::EntryType::Debit,
                amount: req.amount_minor,
                reference: super::Reference::default(),
                description: reason,
            },
            now,
        )?;
        posted.map(|_| ()).ok_or_else(exceeds)
    })
    .await
}

pub fn register(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(credit).service(debit);
}

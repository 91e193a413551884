//! `GET /v1/reconciliation?period=YYYY-MM`.

use actix_web::{get, web, HttpResponse};

use super::{Reconciliation, ReconciliationQuery};
use crate::auth::{Caller, Permission};
use crate::billing::Period;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

/// Reconcile one calendar month, per currency: orders completed in it against their
/// captures, its captures against their orders, its invoices' lines against the ledger and
/// their totals against the lines, and each wallet against the sum of its whole ledger.
/// Every mismatch is listed with its kind (`order_without_capture`, `capture_without_order`,
/// `line_without_ledger_entry`, `wallet_ledger_mismatch`, `invoice_total_mismatch`) and the id
/// to look at; a healthy account has none (owner, admin, billing and viewer).
#[utoipa::path(
    operation_id = "getReconciliation",
    tag = "money",
    params(ReconciliationQuery),
    security(("partner_jwt" = [])),
    responses(
        (status = 200, description = "The period's reconciliation.", body = Reconciliation),
        (status = 422, description = "`period` is not `YYYY-MM` (`validation_failed`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/reconciliation")]
pub async fn reconciliation(
    state: web::Data<AppState>,
    caller: Caller,
    query: web::Query<ReconciliationQuery>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ReadBilling)?.clone();
    let period =
        Period::parse(&query.period).ok_or_else(|| crate::billing::period_error("period"))?;
    let report = state
        .db
        .read(move |c| super::reconcile(c, &tenant, period))
        .await?;
    Ok(HttpResponse::Ok().json(report))
}

pub fn register(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(reconciliation);
}

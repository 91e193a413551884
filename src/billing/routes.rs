//! `GET /v1/invoices`, `GET /v1/invoices/{invoice_id}` (JSON, PDF or CSV of its lines) and the
//! sandbox helper `POST /v1/sandbox/billing/close-period`.

use actix_web::{get, post, web, HttpRequest, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use super::invoices::{self, Invoice, InvoiceFilter, InvoiceOrigin, Window};
use super::Period;
use crate::auth::{Caller, Permission, Tenant};
use crate::db::DbConnection;
use crate::error::{ApiError, Problem};
use crate::http::negotiate;
use crate::pagination::{Page, PageQuery};
use crate::state::AppState;

/// Your invoices in this environment, newest first (without lines).
#[utoipa::path(
    operation_id = "listInvoices",
    tag = "money",
    params(PageQuery, InvoiceFilter),
    security(("partner_jwt" = [])),
    responses(
        (status = 200, description = "A page of invoices.", body = Page<Invoice>),
        (status = 422, description = "`period` is not `YYYY-MM` (`validation_failed`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/invoices")]
pub async fn list(
    state: web::Data<AppState>,
    caller: Caller,
    page: web::Query<PageQuery>,
    filter: web::Query<InvoiceFilter>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ReadBilling)?.clone();
    let page = page.parse()?;
    let filter = filter.into_inner();
    let result = state
        .db
        .read(move |c| invoices::list(c, Some(&tenant), &filter, &page))
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

/// The document's addressee: the partner and its billing contact.
pub(crate) fn addressee(
    conn: &mut DbConnection,
    partner_id: &str,
) -> Result<super::pdf::Addressee, ApiError> {
    let partner = crate::partners::get(conn, partner_id)?;
    let contact = super::profile(conn, partner_id)?
        .and_then(|p| p.billing_contact)
        .map(|c| format!("{} <{}>", c.name, c.email))
        .unwrap_or(partner.billing_email);
    Ok(super::pdf::Addressee {
        name: partner.name,
        legal_entity: partner.legal_entity,
        contact: Some(contact),
    })
}

/// An invoice in the representation `Accept` asks for.
pub(crate) async fn represent(
    state: &AppState,
    req: &HttpRequest,
    load: impl FnOnce(&mut DbConnection) -> Result<Invoice, ApiError> + Send + 'static,
) -> Result<HttpResponse, ApiError> {
    let media = negotiate::choose(req, &["application/json", "application/pdf", "text/csv"])?;
    let (invoice, to) = state
        .db
        .read(move |c| {
            let invoice = load(c)?;
            let to = if media == "application/pdf" {
                let partner_id: String = {
                    use crate::db::schema::invoices;
                    use diesel::prelude::*;
                    invoices::table
                        .find(&invoice.id)
                        .select(invoices::partner_id)
                        .first(c)?
                };
                Some(addressee(c, &partner_id)?)
            } else {
                None
            };
            Ok((invoice, to))
        })
        .await?;
    let mut resp = HttpResponse::Ok();
    resp.insert_header(("vary", "Accept"));
    Ok(match (media, to) {
        ("application/pdf", Some(to)) => {
            let bytes = web::block(move || {
                let doc = super::pdf::render(&invoice, &to);
                (doc, invoice.number)
            })
            .await?;
            resp.content_type("application/pdf")
                .insert_header((
                    "content-disposition",
                    format!("inline; filename=\"{}.pdf\"", bytes.1),
                ))
                .body(bytes.0)
        }
        ("text/csv", _) => resp
            .content_type(negotiate::CSV)
            .insert_header((
                "content-disposition",
                format!("attachment; filename=\"{}-lines.csv\"", invoice.number),
            ))
            .body(invoices::lines_csv(&invoice)),
        _ => resp.json(invoice),
    })
}

/// One invoice with its lines. `Accept: application/pdf` gives the invoice document (number,
/// period, lines, usage, commitment, true-up and total) for filing; `Accept: text/csv` gives
/// its lines as CSV with the columns `invoice_id, invoice_number, position, ledger_entry_id,
/// entry_type, order_id, created_at, currency, amount_minor, description` in this order
/// (amounts signed in minor units: charged positive, refunded or credited negative).
#[utoipa::path(
    operation_id = "getInvoice",
    tag = "money",
    params(("invoice_id" = String, Path, description = "Invoice id (`inv_…`).")),
    security(("partner_jwt" = [])),
    responses(
        (status = 200, description = "The invoice with its lines, its PDF document, or its lines as CSV.", content(
            (Invoice = "application/json"),
            (Vec<u8> = "application/pdf"),
            (String = "text/csv"),
        )),
        (status = 404, description = "No such invoice in this environment.", body = Problem, content_type = "application/problem+json"),
        (status = 406, description = "Only application/json, application/pdf and text/csv can be produced (`not_acceptable`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/invoices/{invoice_id}")]
pub async fn get(
    state: web::Data<AppState>,
    caller: Caller,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ReadBilling)?.clone();
    let id = path.into_inner();
    represent(&state, &req, move |c| invoices::get(c, &tenant, &id)).await
}

/// The invoices a close made.
#[derive(Debug, Serialize, ToSchema)]
pub struct ClosedPeriod {
    /// The period closed, `YYYY-MM`.
    #[schema(example = "2026-11")]
    pub period: String,
    /// The invoices made (issued at once in sandbox), with their lines; empty when nothing
    /// was left to bill.
    pub data: Vec<Invoice>,
}

/// Makes the sandbox invoices of the current period (on the sandbox clock) up to now, one per
/// currency with something to bill (or a commitment). The commitment applies as at a
/// month's end.
pub fn close_sandbox(
    conn: &mut DbConnection,
    tenant: &Tenant,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<ClosedPeriod, ApiError> {
    // The period and its end on the sandbox clock; records and events on real time.
    let today = tenant.time(conn, now)?.now();
    // Just past now, so entries made at this very instant are on the invoice.
    let end = crate::time::db_precision(today).naive_utc() + chrono::Duration::microseconds(1);
    close_sandbox_window(conn, tenant, Period::of(today), end, now)
}

/// Makes the sandbox invoices of `period` up to `end` (a sandbox close, or the month end the
/// sandbox clock passed), one per currency with something to bill (or a commitment); `now`
/// (real time) dates the records and events.
pub fn close_sandbox_window(
    conn: &mut DbConnection,
    tenant: &Tenant,
    period: Period,
    end: chrono::NaiveDateTime,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<ClosedPeriod, ApiError> {
    use crate::db::schema::wallets;
    use diesel::prelude::*;
    tenant.require_sandbox()?;
    let mut currencies: Vec<String> = wallets::table
        .filter(wallets::partner_id.eq(tenant.partner_id()))
        .filter(wallets::environment.eq(tenant.environment().as_str()))
        .select(wallets::currency)
        .load(conn)?;
    if let Some(p) = super::profile(conn, tenant.partner_id())? {
        if p.commitment_minor > 0 {
            currencies.push(p.commitment_currency);
        }
    }
    currencies.sort();
    currencies.dedup();
    let mut data = Vec::new();
    for currency in &currencies {
        let w = Window {
            tenant,
            currency,
            period,
            end,
            origin: InvoiceOrigin::Sandbox,
        };
        if let Some(invoice) = invoices::close_window(conn, &w, now)? {
            data.push(invoice);
        }
    }
    Ok(ClosedPeriod {
        period: period.label(),
        data,
    })
}

/// Sandbox only (404 in live): close the current billing period now, as the month's end
/// would, so that invoices, true-ups and reconciliation can be tried without waiting. The
/// invoices cover the month from its start (or the previous sandbox close) to now and are
/// issued at once (`invoice.issued`); a later close in the same month covers what happened
/// since. Owner, admin and billing.
#[utoipa::path(
    operation_id = "sandboxClosePeriod",
    tag = "sandbox",
    security(("partner_jwt" = [])),
    responses(
        (status = 201, description = "The period was closed; `data` lists the invoices made.", body = ClosedPeriod),
        (status = 404, description = "Called with live credentials (`route_not_found`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/sandbox/billing/close-period")]
pub async fn close_period(
    state: web::Data<AppState>,
    caller: Caller,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ManageBilling)?.clone();
    tenant.require_sandbox()?;
    let now = state.now();
    let closed = state
        .db
        .write(move |c| close_sandbox(c, &tenant, now))
        .await?;
    Ok(HttpResponse::Created().json(closed))
}

pub fn register(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(list).service(get).service(close_period);
}

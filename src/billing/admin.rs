//! Operator routes: billing profiles, invoices on demand, issue, mark paid, void.

use actix_web::{get, post, put, web, HttpRequest, HttpResponse};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::invoices::{self, Invoice, InvoiceFilter, InvoiceOrigin, Window};
use super::{BillingProfile, Period, SetBillingProfile};
use crate::auth::{Environment, Operator};
use crate::error::{ApiError, FieldError, Problem};
use crate::http::Json;
use crate::pagination::{Page, PageQuery};
use crate::state::AppState;

/// A partner's billing profile; until an operator sets one, the defaults (no commitment in
/// EUR, no billing contact, 30 days) with null times.
#[utoipa::path(
    operation_id = "adminGetBillingProfile",
    tag = "operator",
    params(("partner_id" = String, Path, description = "Partner id (`ptr_…`).")),
    security(("operator_token" = [])),
    responses(
        (status = 200, description = "The profile.", body = BillingProfile),
        (status = 404, description = "No such partner.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/partners/{partner_id}/billing-profile")]
pub async fn get_profile(
    state: web::Data<AppState>,
    _operator: Operator,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let partner_id = path.into_inner();
    let profile = state
        .db
        .read(move |c| {
            crate::partners::get(c, &partner_id)?;
            Ok(super::profile(c, &partner_id)?
                .unwrap_or_else(|| super::BillingProfile::default_for(&partner_id)))
        })
        .await?;
    Ok(HttpResponse::Ok().json(profile))
}

/// Set a partner's billing profile (the whole profile; replaces any earlier one). A new
/// commitment applies from the next invoice made.
#[utoipa::path(
    operation_id = "adminSetBillingProfile",
    tag = "operator",
    params(("partner_id" = String, Path, description = "Partner id (`ptr_…`).")),
    request_body = SetBillingProfile,
    security(("operator_token" = [])),
    responses(
        (status = 200, description = "The profile as set.", body = BillingProfile),
        (status = 404, description = "No such partner.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/partners/{partner_id}/billing-profile")]
pub async fn set_profile(
    state: web::Data<AppState>,
    _operator: Operator,
    path: web::Path<String>,
    body: Json<SetBillingProfile>,
) -> Result<HttpResponse, ApiError> {
    let req = body.into_inner();
    req.check()?;
    let partner_id = path.into_inner();
    let now = state.now();
    let profile = state
        .db
        .write(move |c| {
            crate::partners::get(c, &partner_id)?;
            super::set_profile(c, &partner_id, &req, now)
        })
        .await?;
    Ok(HttpResponse::Ok().json(profile))
}

/// An invoice on demand.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateInvoice {
    pub environment: Environment,
    #[schema(example = "EUR", value_type = crate::catalogue::codes::CurrencyCode)]
    pub currency: String,
    /// The calendar month, `YYYY-MM` (from 2000-01); not later than the current one.
    #[schema(example = "2026-11", pattern = "^[2-9][0-9]{3}-(0[1-9]|1[0-2])$")]
    pub period: String,
}

/// Make a partner's invoice now: for a past month, the rest of that month (the commitment
/// applies); for the current month, the month so far (the commitment waits for the month's
/// end). Live invoices start as drafts.
#[utoipa::path(
    operation_id = "adminCreateInvoice",
    tag = "operator",
    params(("partner_id" = String, Path, description = "Partner id (`ptr_…`).")),
    request_body = CreateInvoice,
    security(("operator_token" = [])),
    responses(
        (status = 201, description = "The invoice with its lines.", body = Invoice),
        (status = 404, description = "No such partner.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Nothing left to invoice for this window: already invoiced, or nothing to bill (`nothing_to_invoice`).", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Invalid fields (`validation_failed`), or a month that has not started (`period_not_started`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/partners/{partner_id}/invoices")]
pub async fn create(
    state: web::Data<AppState>,
    operator: Operator,
    path: web::Path<String>,
    body: Json<CreateInvoice>,
) -> Result<HttpResponse, ApiError> {
    let req = body.into_inner();
    let now = state.now();
    let mut errors = Vec::new();
    if !crate::catalogue::codes::is_currency(&req.currency) {
        errors.push(crate::catalogue::codes::currency_error("currency"));
    }
    let period = Period::parse(&req.period);
    if period.is_none() {
        errors.push(FieldError::new(
            "period",
            "invalid_format",
            "must be a calendar month from 2000-01 written YYYY-MM, such as 2026-11",
        ));
    }
    let Some(period) = period.filter(|_| errors.is_empty()) else {
        return Err(ApiError::validation(errors));
    };
    if period > Period::of(now) {
        return Err(ApiError::Unprocessable {
            code: "period_not_started",
            detail: "The period has not started yet; invoice the current month or an earlier one."
                .into(),
        });
    }
    let tenant = operator.acting_for(&path.into_inner(), req.environment);
    let invoice = state
        .db
        .write(move |c| {
            crate::partners::get(c, tenant.partner_id())?;
            // The current month up to now (just past it, so entries made at this instant are
            // on the invoice); a past month to its end.
            let end = period.end().min(
                crate::time::db_precision(now).naive_utc() + chrono::Duration::microseconds(1),
            );
            let w = Window {
                tenant: &tenant,
                currency: &req.currency,
                period,
                end,
                origin: InvoiceOrigin::Operator,
            };
            invoices::close_window(c, &w, now)?.ok_or_else(|| ApiError::Conflict {
                code: "nothing_to_invoice",
                detail: "There is nothing left to invoice for this partner, environment, currency and period (already invoiced, or nothing billable); list the invoices to find it.".into(),
            })
        })
        .await?;
    Ok(HttpResponse::Created().json(invoice))
}

/// Operator list filters.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AdminInvoiceQuery {
    /// Only this calendar month, `YYYY-MM`.
    #[param(example = "2026-11", pattern = "^[2-9][0-9]{3}-(0[1-9]|1[0-2])$")]
    pub period: Option<String>,
    /// Only this status (`draft`, `issued`, `paid`, `void`).
    pub status: Option<invoices::InvoiceStatus>,
    /// Only this currency.
    pub currency: Option<String>,
}

/// Every partner's invoices, newest first (without lines): find drafts to issue.
#[utoipa::path(
    operation_id = "adminListInvoices",
    tag = "operator",
    params(PageQuery, AdminInvoiceQuery),
    security(("operator_token" = [])),
    responses((status = 200, description = "A page of invoices.", body = Page<Invoice>))
)]
#[get("/invoices")]
pub async fn list(
    state: web::Data<AppState>,
    _operator: Operator,
    page: web::Query<PageQuery>,
    query: web::Query<AdminInvoiceQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = page.parse()?;
    let q = query.into_inner();
    let filter = InvoiceFilter {
        period: q.period,
        status: q.status,
        currency: q.currency,
    };
    let result = state
        .db
        .read(move |c| invoices::list(c, None, &filter, &page))
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Any invoice with its lines (JSON, `application/pdf` or `text/csv` by `Accept`).
#[utoipa::path(
    operation_id = "adminGetInvoice",
    tag = "operator",
    params(("invoice_id" = String, Path, description = "Invoice id (`inv_…`).")),
    security(("operator_token" = [])),
    responses(
        (status = 200, description = "The invoice, its document or its lines as CSV.", content(
            (Invoice = "application/json"),
            (Vec<u8> = "application/pdf"),
            (String = "text/csv"),
        )),
        (status = 404, description = "No such invoice.", body = Problem, content_type = "application/problem+json"),
        (status = 406, description = "Only application/json, application/pdf and text/csv can be produced (`not_acceptable`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/invoices/{invoice_id}")]
pub async fn get(
    state: web::Data<AppState>,
    _operator: Operator,
    req: HttpRequest,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    super::routes::represent(&state, &req, move |c| invoices::get_any(c, &id)).await
}

/// Issue a draft: it gets its due date (issue time plus the payment terms) and
/// `invoice.issued` is sent.
#[utoipa::path(
    operation_id = "adminIssueInvoice",
    tag = "operator",
    params(("invoice_id" = String, Path, description = "Invoice id (`inv_…`).")),
    security(("operator_token" = [])),
    responses(
        (status = 200, description = "Issued.", body = Invoice),
        (status = 404, description = "No such invoice.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not a draft (`invalid_invoice_state`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/invoices/{invoice_id}/issue")]
pub async fn issue(
    state: web::Data<AppState>,
    _operator: Operator,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let now = state.now();
    let invoice = state
        .db
        .write(move |c| invoices::issue(c, &id, now))
        .await?;
    Ok(HttpResponse::Ok().json(invoice))
}

/// Mark an issued invoice paid; `invoice.paid` is sent.
#[utoipa::path(
    operation_id = "adminMarkInvoicePaid",
    tag = "operator",
    params(("invoice_id" = String, Path, description = "Invoice id (`inv_…`).")),
    security(("operator_token" = [])),
    responses(
        (status = 200, description = "Paid.", body = Invoice),
        (status = 404, description = "No such invoice.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Not issued (`invalid_invoice_state`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/invoices/{invoice_id}/mark-paid")]
pub async fn mark_paid(
    state: web::Data<AppState>,
    _operator: Operator,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let now = state.now();
    let invoice = state
        .db
        .write(move |c| invoices::mark_paid(c, &id, now))
        .await?;
    Ok(HttpResponse::Ok().json(invoice))
}

/// Why an invoice is voided.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoidInvoice {
    /// 1 to 500 characters, shown to the partner.
    #[schema(
        example = "Issued with the wrong commitment; a corrected invoice follows.",
        min_length = 1,
        max_length = 500
    )]
    pub reason: String,
}

/// Void a draft or issued invoice with a reason; a true-up it carried is given back as a
/// credit (billed on the next invoice); `invoice.voided` is sent.
#[utoipa::path(
    operation_id = "adminVoidInvoice",
    tag = "operator",
    params(("invoice_id" = String, Path, description = "Invoice id (`inv_…`).")),
    request_body = VoidInvoice,
    security(("operator_token" = [])),
    responses(
        (status = 200, description = "Voided.", body = Invoice),
        (status = 404, description = "No such invoice.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Paid or voided already (`invalid_invoice_state`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/invoices/{invoice_id}/void")]
pub async fn void(
    state: web::Data<AppState>,
    _operator: Operator,
    path: web::Path<String>,
    body: Json<VoidInvoice>,
) -> Result<HttpResponse, ApiError> {
    let req = body.into_inner();
    if !(1..=500).contains(&req.reason.chars().count()) {
        return Err(ApiError::validation(vec![FieldError::new(
            "reason",
            "length",
            "must be 1 to 500 characters long",
        )]));
    }
    let id = path.into_inner();
    let now = state.now();
    let invoice = state
        .db
        .write(move |c| invoices::void(c, &id, &req.reason, now))
        .await?;
    Ok(HttpResponse::Ok().json(invoice))
}

pub fn register(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(get_profile)
        .service(set_profile)
        .service(create)
        .service(list)
        .service(get)
        .service(issue)
        .service(mark_paid)
        .service(void);
}

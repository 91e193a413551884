//! Invoices: one per partner, environment, currency and window of a period (the calendar
//! month, or the part of it up to an earlier close), with one line per ledger entry it
//! covers, the usage total, the commitment true-up and the total.
//!
//! Which entries: every capture, refund, credit, debit and commitment adjustment created
//! before the window's end that no invoice holds yet (a ledger entry is on at most one
//! invoice, enforced by a unique index). Line amounts are signed: what the partner is charged
//! (captures, debits, true-ups) positive, what comes back or in (refunds, credits) negative;
//! `total` is their sum, so it equals the fall of the wallet's balance (available + reserved)
//! through those entries. `usage` is captures less refunds.
//!
//! True-up (from the month the billing profile was set): when the window ends the month (the period close, an operator invoicing a past
//! month, a sandbox close), the commitment in its currency applies: the month's usage on
//! every invoice of the period so far, plus their true-ups, is compared with the commitment
//! and any shortfall is posted as a `commitment_adjustment` ledger entry naming the invoice
//! (an amount owed: it may take `available` below zero) and billed as a line.
//!
//! States: `draft → issued → paid`, and `draft | issued → void` (with a reason; a voided
//! invoice's true-up is given back as a `credit` naming it, billed on the next invoice).
//! Sandbox invoices are issued at once; live ones wait for an operator.

use chrono::{DateTime, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::Period;
use crate::auth::{Environment, Tenant};
use crate::db::schema::{invoice_lines, invoices, ledger_entries};
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::outbox;
use crate::paginate;
use crate::pagination::{Page, PageRequest};
use crate::time::{utc, utc_opt};
use crate::wallet::{self, EntryType};

crate::stored_enum! {
    pub enum InvoiceStatus {
        /// Made, not yet sent to the partner's finance team (live invoices await an operator).
        Draft = "draft",
        /// Sent; payable by `due_at`.
        Issued = "issued",
        /// Onyx received payment (or settled it against the wallet).
        Paid = "paid",
        /// Cancelled with a reason; its true-up, if any, is given back as a credit.
        Void = "void",
    }
}

crate::stored_enum! {
    /// How an invoice came to be.
    pub enum InvoiceOrigin {
        /// The monthly period close (a job, after the month ended).
        PeriodClose = "period_close",
        /// An operator asked for it.
        Operator = "operator",
        /// A sandbox close of the current period on the partner's request.
        Sandbox = "sandbox",
    }
}

/// One line: one ledger entry.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct InvoiceLine {
    #[schema(example = "inl_0mhx2k9q1002a7f3kq9zt0bw")]
    pub id: String,
    /// 1-based position on the invoice (ledger order).
    #[schema(example = 1)]
    pub position: i32,
    /// The ledger entry this line bills.
    #[schema(example = "led_Mk3Jd9rQ2n8sLw0Zx5Tc7Vb1")]
    pub ledger_entry_id: String,
    pub entry_type: EntryType,
    /// The order the entry belongs to (captures, refunds).
    pub order_id: Option<String>,
    #[schema(example = "Captured for order ord_3kT9mQ2xLr8vWc1ZpN0bHs4y")]
    pub description: String,
    /// Signed: charged positive, refunded or credited negative.
    #[schema(example = 1900)]
    pub amount_minor: i64,
    /// When the ledger entry was made.
    pub created_at: DateTime<Utc>,
}

/// An invoice.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Invoice {
    #[schema(example = "inv_0mhx2k9q1002a7f3kq9zt0bw")]
    pub id: String,
    /// The invoice number to quote in payments and correspondence.
    #[schema(example = "INV-202611-7QK2M9XA")]
    pub number: String,
    pub environment: Environment,
    #[schema(example = "EUR")]
    pub currency: String,
    /// The calendar month (UTC), `YYYY-MM`.
    #[schema(example = "2026-11")]
    pub period: String,
    /// The window this invoice covers: the month, or its part after an earlier close.
    pub period_start: DateTime<Utc>,
    pub period_end: DateTime<Utc>,
    pub status: InvoiceStatus,
    pub origin: InvoiceOrigin,
    /// The monthly commitment in force when the invoice was made (0 when none applies).
    #[schema(example = 10000)]
    pub commitment_minor: i64,
    /// Captures less refunds on this invoice.
    #[schema(example = 6000)]
    pub usage_minor: i64,
    /// The commitment shortfall billed on this invoice.
    #[schema(example = 4000)]
    pub true_up_minor: i64,
    /// The sum of the lines.
    #[schema(example = 10000)]
    pub total_minor: i64,
    #[schema(example = 30)]
    pub payment_terms_days: i32,
    /// Issue time plus the payment terms (null until issued).
    pub due_at: Option<DateTime<Utc>>,
    pub issued_at: Option<DateTime<Utc>>,
    pub paid_at: Option<DateTime<Utc>>,
    pub voided_at: Option<DateTime<Utc>>,
    pub void_reason: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The lines (on `GET /v1/invoices/{invoice_id}`; absent in lists).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lines: Option<Vec<InvoiceLine>>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = invoices)]
struct Row {
    id: String,
    number: String,
    partner_id: String,
    environment: String,
    currency: String,
    period: String,
    period_start: NaiveDateTime,
    period_end: NaiveDateTime,
    status: String,
    commitment_minor: i64,
    usage_minor: i64,
    true_up_minor: i64,
    total_minor: i64,
    payment_terms_days: i32,
    origin: String,
    due_at: Option<NaiveDateTime>,
    issued_at: Option<NaiveDateTime>,
    paid_at: Option<NaiveDateTime>,
    voided_at: Option<NaiveDateTime>,
    void_reason: Option<String>,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl Row {
    fn into_invoice(self, lines: Option<Vec<InvoiceLine>>) -> Result<Invoice, ApiError> {
        Ok(Invoice {
            environment: Environment::from_stored(&self.environment, "invoices.environment")?,
            status: InvoiceStatus::from_stored(&self.status, "invoices.status")?,
            origin: InvoiceOrigin::from_stored(&self.origin, "invoices.origin")?,
            id: self.id,
            number: self.number,
            currency: self.currency,
            period: self.period,
            period_start: utc(self.period_start),
            period_end: utc(self.period_end),
            commitment_minor: self.commitment_minor,
            usage_minor: self.usage_minor,
            true_up_minor: self.true_up_minor,
            total_minor: self.total_minor,
            payment_terms_days: self.payment_terms_days,
            due_at: utc_opt(self.due_at),
            issued_at: utc_opt(self.issued_at),
            paid_at: utc_opt(self.paid_at),
            voided_at: utc_opt(self.voided_at),
            void_reason: self.void_reason,
            created_at: utc(self.created_at),
            updated_at: utc(self.updated_at),
            lines,
        })
    }

    fn tenant(&self) -> Result<Tenant, ApiError> {
        Tenant::of_row(&self.partner_id, &self.environment, "invoices.environment")
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = invoice_lines)]
struct LineRow {
    id: String,
    position: i32,
    ledger_entry_id: String,
    entry_type: String,
    order_id: Option<String>,
    description: String,
    amount_minor: i64,
    entry_created_at: NaiveDateTime,
}

impl TryFrom<LineRow> for InvoiceLine {
    type Error = ApiError;

    fn try_from(r: LineRow) -> Result<InvoiceLine, ApiError> {
        Ok(InvoiceLine {
            id: r.id,
            position: r.position,
            ledger_entry_id: r.ledger_entry_id,
            entry_type: EntryType::from_stored(&r.entry_type, "invoice_lines.entry_type")?,
            order_id: r.order_id,
            description: r.description,
            amount_minor: r.amount_minor,
            created_at: utc(r.entry_created_at),
        })
    }
}

/// The entry types an invoice bills.
pub const BILLED: [&str; 5] = [
    "capture",
    "refund",
    "credit",
    "debit",
    "commitment_adjustment",
];

/// What to invoice.
#[derive(Debug, Clone)]
pub struct Window<'a> {
    pub tenant: &'a Tenant,
    pub currency: &'a str,
    pub period: Period,
    /// The end of the window (the month's end, or now for an early close).
    pub end: NaiveDateTime,
    pub origin: InvoiceOrigin,
}

fn invoice_number(period: Period) -> String {
    format!(
        "INV-{}-{}",
        period.label().replace('-', ""),
        crate::ids::random_token(8).to_ascii_uppercase()
    )
}

/// Makes the invoice of a window, in the caller's transaction: `None` when the window is
/// already invoiced (another instance or request got there first) or has nothing to bill.
pub fn close_window(
    conn: &mut DbConnection,
    w: &Window<'_>,
    now: DateTime<Utc>,
) -> Result<Option<Invoice>, ApiError> {
    let tenant = w.tenant;
    crate::db::lock_partner(conn, tenant.partner_id())?;
    let same_period = || {
        invoices::table
            .filter(invoices::partner_id.eq(tenant.partner_id()))
            .filter(invoices::environment.eq(tenant.environment().as_str()))
            .filter(invoices::currency.eq(w.currency))
            .filter(invoices::period.eq(w.period.label()))
    };
    let last_end: Option<NaiveDateTime> = same_period()
        .select(diesel::dsl::max(invoices::period_end))
        .first(conn)?;
    let start = last_end.unwrap_or(w.period.start()).max(w.period.start());
    if start >= w.end {
        return Ok(None);
    }
    type EntryKey = (String, String, i64, Option<String>, String, NaiveDateTime);
    let entries: Vec<EntryKey> = ledger_entries::table
        .filter(ledger_entries::partner_id.eq(tenant.partner_id()))
        .filter(ledger_entries::environment.eq(tenant.environment().as_str()))
        .filter(ledger_entries::currency.eq(w.currency))
        .filter(ledger_entries::entry_type.eq_any(BILLED))
        .filter(ledger_entries::created_at.lt(w.end))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            invoice_lines::table.filter(invoice_lines::ledger_entry_id.eq(ledger_entries::id)),
        )))
        .order((ledger_entries::created_at.asc(), ledger_entries::id.asc()))
        .select((
            ledger_entries::id,
            ledger_entries::entry_type,
            ledger_entries::amount,
            ledger_entries::order_id,
            ledger_entries::description,
            ledger_entries::created_at,
        ))
        .load(conn)?;
    let mut lines: Vec<(
        String,
        EntryType,
        i64,
        Option<String>,
        String,
        NaiveDateTime,
    )> = Vec::with_capacity(entries.len() + 1);
    let mut usage = 0i64;
    for (id, t, amount, order_id, description, at) in entries {
        let t = EntryType::from_stored(&t, "ledger_entries.entry_type")?;
        match t {
            EntryType::Capture => usage += amount,
            EntryType::Refund => usage -= amount,
            _ => {}
        }
        let signed = t.invoiced(amount).unwrap_or(0);
        lines.push((id, t, signed, order_id, description, at));
    }
    // The commitment applies when the window ends the month (or a sandbox close stands in
    // for the month's end).
    let profile = super::profile(conn, tenant.partner_id())?;
    let ends_month = w.end >= w.period.end() || w.origin == InvoiceOrigin::Sandbox;
    // From the month the profile was set: never for months before it.
    let commitment = profile
        .as_ref()
        .filter(|p| {
            ends_month
                && p.commitment_currency == w.currency
                && p.created_at.is_some_and(|t| Period::of(t) <= w.period)
        })
        .map_or(0, |p| p.commitment_minor);
    let terms = profile
        .as_ref()
        .map_or(super::DEFAULT_PAYMENT_TERMS_DAYS, |p| p.payment_terms_days);
    let mut true_up = 0;
    if commitment > 0 {
        let (earlier_usage, earlier_true_up): (Option<i64>, Option<i64>) = same_period()
            .filter(invoices::status.ne(InvoiceStatus::Void.as_str()))
            .select((
                diesel::dsl::sql::<diesel::sql_types::Nullable<diesel::sql_types::BigInt>>(
                    "CAST(SUM(usage_minor) AS BIGINT)",
                ),
                diesel::dsl::sql::<diesel::sql_types::Nullable<diesel::sql_types::BigInt>>(
                    "CAST(SUM(true_up_minor) AS BIGINT)",
                ),
            ))
            .first(conn)?;
        let billed = earlier_usage.unwrap_or(0) + earlier_true_up.unwrap_or(0) + usage;
        true_up = (commitment - billed).max(0);
    }
    if lines.is_empty() && true_up == 0 {
        return Ok(None);
    }
    let id = crate::ids::new_id("inv");
    let at = now.naive_utc();
    let inserted = crate::db::insert_unless_exists(conn, |c| {
        diesel::insert_into(invoices::table)
            .values((
                invoices::id.eq(&id),
                invoices::number.eq(invoice_number(w.period)),
                invoices::partner_id.eq(tenant.partner_id()),
                invoices::environment.eq(tenant.environment().as_str()),
                invoices::currency.eq(w.currency),
                invoices::period.eq(w.period.label()),
                invoices::period_start.eq(start),
                invoices::period_end.eq(w.end),
                invoices::status.eq(InvoiceStatus::Draft.as_str()),
                invoices::commitment_minor.eq(commitment),
                invoices::usage_minor.eq(usage),
                invoices::true_up_minor.eq(true_up),
                invoices::total_minor.eq(0_i64),
                invoices::payment_terms_days.eq(terms),
                invoices::origin.eq(w.origin.as_str()),
                invoices::created_at.eq(at),
                invoices::updated_at.eq(at),
            ))
            .execute(c)
    })?;
    if !inserted {
        // The unique window (partner, environment, currency, start): invoiced meanwhile.
        return Ok(None);
    }
    if true_up > 0 {
        let description = format!(
            "Commitment true-up for {}: commitment {commitment}, usage {}",
            w.period.label(),
            commitment - true_up
        );
        let entry = wallet::post(
            conn,
            wallet::Posting {
                tenant,
                currency: w.currency,
                entry: EntryType::CommitmentAdjustment,
                amount: true_up,
                reference: wallet::Reference {
                    order_id: None,
                    order_attempt: None,
                    invoice_id: Some(&id),
                },
                description: description.clone(),
            },
            now,
        )?
        .ok_or_else(|| ApiError::internal("a commitment adjustment is never refused"))?;
        lines.push((
            entry,
            EntryType::CommitmentAdjustment,
            true_up,
            None,
            description,
            at,
        ));
    }
    let mut total = 0i64;
    for (i, (entry_id, t, amount, order_id, description, entry_at)) in lines.iter().enumerate() {
        total += amount;
        diesel::insert_into(invoice_lines::table)
            .values((
                invoice_lines::id.eq(crate::ids::new_id("inl")),
                invoice_lines::invoice_id.eq(&id),
                invoice_lines::position.eq(i as i32 + 1),
                invoice_lines::ledger_entry_id.eq(entry_id),
                invoice_lines::entry_type.eq(t.as_str()),
                invoice_lines::order_id.eq(order_id),
                invoice_lines::description.eq(description),
                invoice_lines::amount_minor.eq(amount),
                invoice_lines::entry_created_at.eq(entry_at),
            ))
            .execute(conn)?;
    }
    diesel::update(invoices::table.find(&id))
        .set(invoices::total_minor.eq(total))
        .execute(conn)?;
    if tenant.environment() == Environment::Sandbox {
        return issue(conn, &id, now).map(Some);
    }
    get_any(conn, &id).map(Some)
}

fn row_any(conn: &mut DbConnection, id: &str) -> Result<Row, ApiError> {
    invoices::table
        .find(id)
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("invoice"))
}

/// The lines of an invoice, in position order.
pub fn lines_of(conn: &mut DbConnection, invoice_id: &str) -> Result<Vec<InvoiceLine>, ApiError> {
    invoice_lines::table
        .filter(invoice_lines::invoice_id.eq(invoice_id))
        .order(invoice_lines::position.asc())
        .select(LineRow::as_select())
        .load(conn)?
        .into_iter()
        .map(InvoiceLine::try_from)
        .collect()
}

/// Any invoice with its lines (operator routes).
pub fn get_any(conn: &mut DbConnection, id: &str) -> Result<Invoice, ApiError> {
    let row = row_any(conn, id)?;
    let lines = lines_of(conn, id)?;
    row.into_invoice(Some(lines))
}

/// One of the tenant's invoices with its lines (404 for another tenant's).
pub fn get(conn: &mut DbConnection, tenant: &Tenant, id: &str) -> Result<Invoice, ApiError> {
    let row: Row = invoices::table
        .filter(invoices::partner_id.eq(tenant.partner_id()))
        .filter(invoices::environment.eq(tenant.environment().as_str()))
        .filter(invoices::id.eq(id))
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("invoice"))?;
    let lines = lines_of(conn, id)?;
    row.into_invoice(Some(lines))
}

/// Invoice list filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InvoiceFilter {
    /// Only this calendar month, `YYYY-MM`.
    #[param(example = "2026-11", pattern = "^[2-9][0-9]{3}-(0[1-9]|1[0-2])$")]
    pub period: Option<String>,
    /// Only this status.
    pub status: Option<InvoiceStatus>,
    /// Only this currency.
    #[param(example = "EUR")]
    pub currency: Option<String>,
}

/// The tenant's invoices (without lines), newest first; `tenant` None: every partner's
/// (operators).
pub fn list(
    conn: &mut DbConnection,
    tenant: Option<&Tenant>,
    filter: &InvoiceFilter,
    page: &PageRequest,
) -> Result<Page<Invoice>, ApiError> {
    let mut q = paginate!(invoices::table, invoices, page);
    if let Some(t) = tenant {
        q = q
            .filter(invoices::partner_id.eq(t.partner_id().to_string()))
            .filter(invoices::environment.eq(t.environment().as_str()));
    }
    if let Some(p) = &filter.period {
        let period = Period::parse(p).ok_or_else(|| super::period_error("period"))?;
        q = q.filter(invoices::period.eq(period.label()));
    }
    if let Some(s) = filter.status {
        q = q.filter(invoices::status.eq(s.as_str()));
    }
    if let Some(c) = &filter.currency {
        q = q.filter(invoices::currency.eq(c.clone()));
    }
    let rows: Vec<Row> = q.select(Row::as_select()).load(conn)?;
    Page::try_from_rows(
        rows,
        page,
        |r| (r.created_at, r.id.clone()),
        |r| r.into_invoice(None),
    )
}

fn wrong_state(now_status: &str, wanted: &str) -> ApiError {
    ApiError::Conflict {
        code: "invalid_invoice_state",
        detail: format!("The invoice is {now_status}; only {wanted}. Read the invoice again."),
    }
}

/// Moves an invoice from one of `from` to `to` with one guarded update.
fn transition(
    conn: &mut DbConnection,
    id: &str,
    from: &[InvoiceStatus],
    to: InvoiceStatus,
    extra: impl FnOnce(&Row) -> (Option<NaiveDateTime>, Option<NaiveDateTime>),
    now: DateTime<Utc>,
    void_reason: Option<&str>,
) -> Result<Row, ApiError> {
    let row = row_any(conn, id)?;
    let wanted = match to {
        InvoiceStatus::Issued => "a draft can be issued",
        InvoiceStatus::Paid => "an issued invoice can be marked paid",
        _ => "a draft or issued invoice can be voided",
    };
    let current = InvoiceStatus::from_stored(&row.status, "invoices.status")?;
    if !from.contains(&current) {
        return Err(wrong_state(&row.status, wanted));
    }
    let at = now.naive_utc();
    let (due, _) = extra(&row);
    let q = diesel::update(
        invoices::table
            .find(id)
            .filter(invoices::status.eq(&row.status)),
    );
    let changed = match to {
        InvoiceStatus::Issued => q
            .set((
                invoices::status.eq(to.as_str()),
                invoices::issued_at.eq(Some(at)),
                invoices::due_at.eq(due),
                invoices::updated_at.eq(at),
            ))
            .execute(conn)?,
        InvoiceStatus::Paid => q
            .set((
                invoices::status.eq(to.as_str()),
                invoices::paid_at.eq(Some(at)),
                invoices::updated_at.eq(at),
            ))
            .execute(conn)?,
        _ => q
            .set((
                invoices::status.eq(to.as_str()),
                invoices::voided_at.eq(Some(at)),
                invoices::void_reason.eq(void_reason),
                invoices::updated_at.eq(at),
            ))
            .execute(conn)?,
    };
    if changed != 1 {
        let now_status = row_any(conn, id)?.status;
        return Err(wrong_state(&now_status, wanted));
    }
    row_any(conn, id)
}

fn announce(
    conn: &mut DbConnection,
    row: &Row,
    event: &str,
    now: DateTime<Utc>,
) -> Result<Invoice, ApiError> {
    let tenant = row.tenant()?;
    let invoice = get_any(conn, &row.id)?;
    let mut summary = invoice.clone();
    summary.lines = None;
    outbox::emit(
        conn,
        &tenant,
        event,
        &row.id,
        crate::webhooks::payloads::value(&crate::billing::invoices::InvoiceEventData {
            invoice: summary,
        })?,
        now,
    )?;
    Ok(invoice)
}

/// `draft → issued`: sets the due date from the payment terms; emits `invoice.issued`.
pub fn issue(conn: &mut DbConnection, id: &str, now: DateTime<Utc>) -> Result<Invoice, ApiError> {
    let row = transition(
        conn,
        id,
        &[InvoiceStatus::Draft],
        InvoiceStatus::Issued,
        |r| {
            (
                Some(now.naive_utc() + chrono::Duration::days(r.payment_terms_days as i64)),
                None,
            )
        },
        now,
        None,
    )?;
    announce(conn, &row, "invoice.issued", now)
}

/// `issued → paid`; emits `invoice.paid`.
pub fn mark_paid(
    conn: &mut DbConnection,
    id: &str,
    now: DateTime<Utc>,
) -> Result<Invoice, ApiError> {
    let row = transition(
        conn,
        id,
        &[InvoiceStatus::Issued],
        InvoiceStatus::Paid,
        |_| (None, None),
        now,
        None,
    )?;
    announce(conn, &row, "invoice.paid", now)
}

/// `draft | issued → void` with a reason; gives a true-up back as a credit naming the
/// invoice; emits `invoice.voided`.
pub fn void(
    conn: &mut DbConnection,
    id: &str,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<Invoice, ApiError> {
    let partner_id = row_any(conn, id)?.partner_id;
    crate::db::lock_partner(conn, &partner_id)?;
    let row = transition(
        conn,
        id,
        &[InvoiceStatus::Draft, InvoiceStatus::Issued],
        InvoiceStatus::Void,
        |_| (None, None),
        now,
        Some(reason),
    )?;
    if row.true_up_minor > 0 {
        let tenant = row.tenant()?;
        wallet::post(
            conn,
            wallet::Posting {
                tenant: &tenant,
                currency: &row.currency,
                entry: EntryType::Credit,
                amount: row.true_up_minor,
                reference: wallet::Reference {
                    order_id: None,
                    order_attempt: None,
                    invoice_id: Some(&row.id),
                },
                description: format!("True-up of voided invoice {} given back", row.number),
            },
            now,
        )?;
    }
    announce(conn, &row, "invoice.voided", now)
}

/// The columns of the invoice-lines CSV export, in their stable order.
pub const LINES_CSV_COLUMNS: &[&str] = &[
    "invoice_id",
    "invoice_number",
    "position",
    "ledger_entry_id",
    "entry_type",
    "order_id",
    "created_at",
    "currency",
    "amount_minor",
    "description",
];

/// An invoice's lines as CSV ([`LINES_CSV_COLUMNS`]).
pub fn lines_csv(invoice: &Invoice) -> String {
    let mut csv = crate::http::negotiate::Csv::with_header(LINES_CSV_COLUMNS);
    for l in invoice.lines.iter().flatten() {
        let position = l.position.to_string();
        let created = l
            .created_at
            .to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let amount = l.amount_minor.to_string();
        csv.row([
            invoice.id.as_str(),
            invoice.number.as_str(),
            position.as_str(),
            l.ledger_entry_id.as_str(),
            l.entry_type.as_str(),
            l.order_id.as_deref().unwrap_or(""),
            created.as_str(),
            invoice.currency.as_str(),
            amount.as_str(),
            l.description.as_str(),
        ]);
    }
    csv.finish()
}

/// `invoice.*`: the invoice without its lines (`lines` is null; read them with
/// `GET /v1/invoices/{invoice_id}`).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct InvoiceEventData {
    pub invoice: Invoice,
}

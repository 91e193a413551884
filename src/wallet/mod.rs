//! Wallets (one per partner, environment and currency) and their append-only ledger.
//!
//! Every balance change is one guarded `UPDATE` of the wallet row plus one ledger entry, in
//! the caller's transaction. The guard (`available >= amount` for a reservation) makes an
//! overdraw impossible under any concurrency on either database, and the ledger's unique
//! (order, attempt, entry type) makes each reserve, capture and release happen exactly once.

pub mod admin;
pub mod routes;

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Tenant;
use crate::db::schema::{ledger_entries, wallets};
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::paginate;
use crate::pagination::{Page, PageRequest};
use crate::time::utc;

crate::stored_enum! {
    pub enum EntryType {
        /// Funds set aside for an order.
        Reserve = "reserve",
        /// Reserved funds spent on a completed order.
        Capture = "capture",
        /// Reserved funds returned (order failed or cancelled).
        Release = "release",
        /// Funds added by Onyx.
        Credit = "credit",
        /// Spent funds returned by Onyx.
        Refund = "refund",
        /// Monthly commitment true-up (the shortfall of the period's usage under the
        /// commitment, posted when the period's invoice is made).
        CommitmentAdjustment = "commitment_adjustment",
        /// Funds taken by Onyx (an operator adjustment with a reason).
        Debit = "debit",
    }
}

impl EntryType {
    /// What the entry does to (available, reserved), per unit of its amount.
    pub fn effect(self) -> (i64, i64) {
        match self {
            EntryType::Reserve => (-1, 1),
            EntryType::Capture => (0, -1),
            EntryType::Release => (1, -1),
            EntryType::Credit | EntryType::Refund => (1, 0),
            EntryType::CommitmentAdjustment | EntryType::Debit => (-1, 0),
        }
    }

    /// The entry's amount as an invoice line: positive for what the partner is charged
    /// (captures, debits, true-ups), negative for what comes back or in (refunds, credits);
    /// `None` for reservations and releases, which never reach an invoice.
    pub fn invoiced(self, amount: i64) -> Option<i64> {
        match self {
            EntryType::Capture | EntryType::Debit | EntryType::CommitmentAdjustment => Some(amount),
            EntryType::Refund | EntryType::Credit => Some(-amount),
            EntryType::Reserve | EntryType::Release => None,
        }
    }
}

/// One wallet.
#[derive(Debug, Serialize, ToSchema)]
pub struct Wallet {
    #[schema(example = "wal_Jd9rQ2n8sLw0Zx5Tc7Vb1Mk3")]
    pub id: String,
    #[schema(example = "EUR")]
    pub currency: String,
    /// Spendable now, in minor units.
    #[schema(example = 48100)]
    pub available: i64,
    /// Set aside for open orders.
    #[schema(example = 1900)]
    pub reserved: i64,
    /// Captured less refunded in the current calendar month (UTC).
    #[schema(example = 3800)]
    pub spent_this_period: i64,
    /// Below this available balance `wallet.low_balance` fires, once per downward crossing
    /// (re-armed when the balance is back at or above it); null: no alert.
    #[schema(example = 5000)]
    pub low_balance_threshold: Option<i64>,
    /// First day of the current period.
    #[schema(value_type = String, format = Date, example = "2026-11-01")]
    pub period_start: NaiveDate,
    pub updated_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct WalletList {
    /// One wallet per currency in your token's environment.
    pub data: Vec<Wallet>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct LedgerEntry {
    #[schema(example = "led_Mk3Jd9rQ2n8sLw0Zx5Tc7Vb1")]
    pub id: String,
    pub wallet_id: String,
    pub entry_type: EntryType,
    #[schema(example = "EUR")]
    pub currency: String,
    /// Positive amount in minor units; the type says which way it moved.
    #[schema(example = 1900)]
    pub amount: i64,
    pub order_id: Option<String>,
    pub invoice_id: Option<String>,
    /// Wallet balances right after this entry; absent where the caller may not read the
    /// wallet (an order's entries seen by a developer or support member).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub available_after: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reserved_after: Option<i64>,
    #[schema(example = "Reserved for order ord_3kT9mQ2xLr8vWc1ZpN0bHs4y")]
    pub description: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = ledger_entries)]
struct EntryRow {
    id: String,
    wallet_id: String,
    entry_type: String,
    currency: String,
    amount: i64,
    order_id: Option<String>,
    invoice_id: Option<String>,
    available_after: i64,
    reserved_after: i64,
    description: String,
    created_at: chrono::NaiveDateTime,
}

impl TryFrom<EntryRow> for LedgerEntry {
    type Error = ApiError;

    fn try_from(r: EntryRow) -> Result<LedgerEntry, ApiError> {
        Ok(LedgerEntry {
            id: r.id,
            wallet_id: r.wallet_id,
            entry_type: EntryType::from_stored(&r.entry_type, "ledger_entries.entry_type")?,
            currency: r.currency,
            amount: r.amount,
            order_id: r.order_id,
            invoice_id: r.invoice_id,
            available_after: Some(r.available_after),
            reserved_after: Some(r.reserved_after),
            description: r.description,
            created_at: utc(r.created_at),
        })
    }
}

fn period_start(now: DateTime<Utc>) -> NaiveDate {
    NaiveDate::from_ymd_opt(now.year(), now.month(), 1).unwrap_or_default()
}

/// The wallet id for (tenant, currency), creating an empty wallet when there is none.
pub fn ensure(
    conn: &mut DbConnection,
    tenant: &Tenant,
    currency: &str,
    now: DateTime<Utc>,
) -> Result<String, ApiError> {
    if let Some(id) = find(conn, tenant, currency)? {
        return Ok(id);
    }
    let id = crate::ids::new_id("wal");
    let inserted = crate::db::insert_unless_exists(conn, |c| {
        diesel::insert_into(wallets::table)
            .values((
                wallets::id.eq(&id),
                wallets::partner_id.eq(tenant.partner_id()),
                wallets::environment.eq(tenant.environment().as_str()),
                wallets::currency.eq(currency),
                wallets::available.eq(0_i64),
                wallets::reserved.eq(0_i64),
                wallets::created_at.eq(now.naive_utc()),
                wallets::updated_at.eq(now.naive_utc()),
            ))
            .execute(c)
    })?;
    if inserted {
        return Ok(id);
    }
    // A concurrent request created this wallet first: use that one.
    find(conn, tenant, currency)?
        .ok_or_else(|| ApiError::internal("wallet vanished after a duplicate insert"))
}

pub fn find(
    conn: &mut DbConnection,
    tenant: &Tenant,
    currency: &str,
) -> Result<Option<String>, ApiError> {
    Ok(crate::db::native!(conn, |c| wallets::table
        .filter(wallets::partner_id.eq(tenant.partner_id()))
        .filter(wallets::environment.eq(tenant.environment().as_str()))
        .filter(wallets::currency.eq(currency))
        .select(wallets::id)
        .first(c))
    .optional()?)
}

/// What a ledger entry refers to.
#[derive(Debug, Clone, Default)]
pub struct Reference<'a> {
    pub order_id: Option<&'a str>,
    pub order_attempt: Option<i32>,
    pub invoice_id: Option<&'a str>,
}

/// One wallet: its id and whose it is.
struct WalletKey<'a> {
    id: String,
    tenant: &'a Tenant,
    currency: &'a str,
}

/// One movement of money.
struct Movement<'a> {
    entry: EntryType,
    amount: i64,
    reference: Reference<'a>,
    description: String,
}

/// Applies one movement to the wallet and appends its ledger entry; returns the entry's id.
/// Returns `None` (and writes nothing) when a reservation or a debit exceeds the available
/// balance.
fn apply(
    conn: &mut DbConnection,
    wallet: &WalletKey<'_>,
    m: Movement<'_>,
    now: DateTime<Utc>,
) -> Result<Option<String>, ApiError> {
    use wallets::{available, reserved};
    let at = now.naive_utc();
    let amount = m.amount;
    let target = wallets::table.find(&wallet.id);
    let changed = match m.entry {
        EntryType::Credit | EntryType::Refund => {
            crate::db::native!(conn, |c| diesel::update(target)
                .set((available.eq(available + amount), wallets::updated_at.eq(at)))
                .execute(c))?
        }
        EntryType::Reserve => crate::db::native!(conn, |c| diesel::update(
            target.filter(available.ge(amount))
        )
        .set((
            available.eq(available - amount),
            reserved.eq(reserved + amount),
            wallets::updated_at.eq(at),
        ))
        .execute(c))?,
        EntryType::Capture => {
            crate::db::native!(conn, |c| diesel::update(target.filter(reserved.ge(amount)))
                .set((reserved.eq(reserved - amount), wallets::updated_at.eq(at)))
                .execute(c))?
        }
        EntryType::Release => {
            crate::db::native!(conn, |c| diesel::update(target.filter(reserved.ge(amount)))
                .set((
                    available.eq(available + amount),
                    reserved.eq(reserved - amount),
                    wallets::updated_at.eq(at),
                ))
                .execute(c))?
        }
        // A true-up is owed even when the wallet cannot cover it: available may go below
        // zero, and orders are then refused until a credit brings it back.
        EntryType::CommitmentAdjustment => diesel::update(target)
            .set((available.eq(available - amount), wallets::updated_at.eq(at)))
            .execute(conn)?,
        EntryType::Debit => diesel::update(target.filter(available.ge(amount)))
            .set((available.eq(available - amount), wallets::updated_at.eq(at)))
            .execute(conn)?,
    };
    if changed != 1 {
        if matches!(m.entry, EntryType::Reserve | EntryType::Debit) {
            return Ok(None);
        }
        return Err(ApiError::internal(format!(
            "wallet {}: {} of {amount} has no reserved funds",
            wallet.id,
            m.entry.as_str()
        )));
    }
    let (avail, res, threshold, alerted): (i64, i64, Option<i64>, bool) =
        crate::db::native!(conn, |c| wallets::table
            .find(&wallet.id)
            .select((
                available,
                reserved,
                wallets::low_balance_threshold,
                wallets::low_balance_alerted,
            ))
            .first(c))?;
    let entry_id = crate::ids::new_id("led");
    crate::db::native!(conn, |c| diesel::insert_into(ledger_entries::table)
        .values((
            ledger_entries::id.eq(&entry_id),
            ledger_entries::wallet_id.eq(&wallet.id),
            ledger_entries::partner_id.eq(wallet.tenant.partner_id()),
            ledger_entries::environment.eq(wallet.tenant.environment().as_str()),
            ledger_entries::currency.eq(wallet.currency),
            ledger_entries::entry_type.eq(m.entry.as_str()),
            ledger_entries::amount.eq(amount),
            ledger_entries::order_id.eq(m.reference.order_id),
            ledger_entries::order_attempt.eq(m.reference.order_attempt),
            ledger_entries::invoice_id.eq(m.reference.invoice_id),
            ledger_entries::available_after.eq(avail),
            ledger_entries::reserved_after.eq(res),
            ledger_entries::description.eq(&m.description),
            ledger_entries::created_at.eq(at),
        ))
        .execute(c))?;
    if let Some(threshold) = threshold {
        // The wallet row is locked by the update above until commit: read, then write.
        if avail < threshold && !alerted {
            diesel::update(wallets::table.find(&wallet.id))
                .set(wallets::low_balance_alerted.eq(true))
                .execute(conn)?;
            crate::outbox::emit(
                conn,
                wallet.tenant,
                "wallet.low_balance",
                &wallet.id,
                crate::webhooks::payloads::value(&crate::wallet::LowBalanceData {
                    wallet: crate::wallet::LowBalanceWallet {
                        id: wallet.id.to_string(),
                        currency: wallet.currency.to_string(),
                        available: avail,
                        reserved: res,
                        low_balance_threshold: threshold,
                    },
                    ledger_entry_id: entry_id.clone(),
                })?,
                now,
            )?;
        } else if avail >= threshold && alerted {
            diesel::update(wallets::table.find(&wallet.id))
                .set(wallets::low_balance_alerted.eq(false))
                .execute(conn)?;
        }
    }
    Ok(Some(entry_id))
}

/// Sets (or with `None` removes) the low-balance threshold of the tenant's wallet in
/// `currency` (created when missing). Setting it is no crossing: no event; a wallet already
/// below it alerts after it has been back at or above it.
pub fn set_low_balance_threshold(
    conn: &mut DbConnection,
    tenant: &Tenant,
    currency: &str,
    threshold: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let id = ensure(conn, tenant, currency, now)?;
    let current: i64 = wallets::table
        .find(&id)
        .select(wallets::available)
        .first(conn)?;
    diesel::update(wallets::table.find(&id))
        .set((
            wallets::low_balance_threshold.eq(threshold),
            wallets::low_balance_alerted.eq(threshold.is_some_and(|t| current < t)),
            wallets::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    Ok(())
}

/// Adds funds (operators). Amount must be positive.
pub fn credit(
    conn: &mut DbConnection,
    tenant: &Tenant,
    currency: &str,
    amount: i64,
    description: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    post(
        conn,
        Posting {
            tenant,
            currency,
            entry: EntryType::Credit,
            amount,
            reference: Reference::default(),
            description: description.to_string(),
        },
        now,
    )?;
    Ok(())
}

/// A movement that is not an order's reservation: a credit, a debit, a refund or a
/// commitment adjustment, with what it refers to and why.
pub struct Posting<'a> {
    pub tenant: &'a Tenant,
    pub currency: &'a str,
    pub entry: EntryType,
    pub amount: i64,
    pub reference: Reference<'a>,
    /// Why: shown on the ledger entry, the invoice line and the CSV exports.
    pub description: String,
}

/// Posts one movement (the wallet is created when missing); returns the ledger entry's id, or
/// `None` when a debit exceeds the available balance (nothing is written then). Reservations,
/// captures and releases go through [`reserve`] and [`settle`] instead.
pub fn post(
    conn: &mut DbConnection,
    posting: Posting<'_>,
    now: DateTime<Utc>,
) -> Result<Option<String>, ApiError> {
    if matches!(
        posting.entry,
        EntryType::Reserve | EntryType::Capture | EntryType::Release
    ) || posting.amount <= 0
    {
        return Err(ApiError::internal(format!(
            "post() takes positive credits, debits, refunds and adjustments, not {} of {}",
            posting.entry.as_str(),
            posting.amount
        )));
    }
    let id = ensure(conn, posting.tenant, posting.currency, now)?;
    apply(
        conn,
        &WalletKey {
            id,
            tenant: posting.tenant,
            currency: posting.currency,
        },
        Movement {
            entry: posting.entry,
            amount: posting.amount,
            reference: posting.reference,
            description: posting.description,
        },
        now,
    )
}

fn insufficient(currency: &str, amount: i64) -> ApiError {
    ApiError::Unprocessable {
        code: "insufficient_funds",
        detail: format!(
            "Your {currency} wallet cannot cover this order ({amount} minor units); top up the wallet or order less, then try again."
        ),
    }
}

/// What one attempt of an order costs, and from which wallet.
pub struct Charge<'a> {
    pub tenant: &'a Tenant,
    pub currency: &'a str,
    pub amount: i64,
    pub order_id: &'a str,
    pub attempt: i32,
}

impl Charge<'_> {
    fn movement(&self, entry: EntryType, verb: &str) -> Movement<'_> {
        Movement {
            entry,
            amount: self.amount,
            reference: Reference {
                order_id: Some(self.order_id),
                order_attempt: Some(self.attempt),
                invoice_id: None,
            },
            description: format!("{verb} for order {}", self.order_id),
        }
    }
}

/// Reserves an order attempt's total; fails with `insufficient_funds` (writing nothing)
/// when the wallet cannot cover it.
pub fn reserve(
    conn: &mut DbConnection,
    charge: &Charge<'_>,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let id = find(conn, charge.tenant, charge.currency)?
        .ok_or_else(|| insufficient(charge.currency, charge.amount))?;
    let wallet = WalletKey {
        id,
        tenant: charge.tenant,
        currency: charge.currency,
    };
    match apply(
        conn,
        &wallet,
        charge.movement(EntryType::Reserve, "Reserved"),
        now,
    )? {
        Some(_) => Ok(()),
        None => Err(insufficient(charge.currency, charge.amount)),
    }
}

/// Captures (completion) or releases (failure, cancellation) an attempt's reservation.
pub fn settle(
    conn: &mut DbConnection,
    charge: &Charge<'_>,
    entry: EntryType,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let id = find(conn, charge.tenant, charge.currency)?
        .ok_or_else(|| ApiError::internal("settling an order without a wallet"))?;
    let verb = if entry == EntryType::Capture {
        "Captured"
    } else {
        "Released"
    };
    apply(
        conn,
        &WalletKey {
            id,
            tenant: charge.tenant,
            currency: charge.currency,
        },
        charge.movement(entry, verb),
        now,
    )?;
    Ok(())
}

pub fn list_wallets(
    conn: &mut DbConnection,
    tenant: &Tenant,
    now: DateTime<Utc>,
) -> Result<Vec<Wallet>, ApiError> {
    type WalletRow = (String, String, i64, i64, chrono::NaiveDateTime, Option<i64>);
    let rows: Vec<WalletRow> = wallets::table
        .filter(wallets::partner_id.eq(tenant.partner_id()))
        .filter(wallets::environment.eq(tenant.environment().as_str()))
        .order(wallets::currency.asc())
        .select((
            wallets::id,
            wallets::currency,
            wallets::available,
            wallets::reserved,
            wallets::updated_at,
            wallets::low_balance_threshold,
        ))
        .load(conn)?;
    let start = period_start(now);
    let since = start.and_hms_opt(0, 0, 0).unwrap_or_default();
    // Captured less refunded this period, summed by the database for every wallet at once
    // (CAST: SUM of a BIGINT is NUMERIC on PostgreSQL, INTEGER on SQLite).
    let ids: Vec<&String> = rows.iter().map(|r| &r.0).collect();
    let spent: std::collections::HashMap<String, i64> = ledger_entries::table
        .filter(ledger_entries::wallet_id.eq_any(ids))
        .filter(ledger_entries::entry_type.eq_any(["capture", "refund"]))
        .filter(ledger_entries::created_at.ge(since))
        .group_by(ledger_entries::wallet_id)
        .select((
            ledger_entries::wallet_id,
            diesel::dsl::sql::<diesel::sql_types::BigInt>(
                "CAST(SUM(CASE WHEN entry_type = 'capture' THEN amount ELSE -amount END) AS BIGINT)",
            ),
        ))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    Ok(rows
        .into_iter()
        .map(
            |(id, currency, available, reserved, updated_at, threshold)| Wallet {
                low_balance_threshold: threshold,
                spent_this_period: spent.get(&id).copied().unwrap_or(0),
                id,
                currency,
                available,
                reserved,
                period_start: start,
                updated_at: utc(updated_at),
            },
        )
        .collect())
}

/// Ledger filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LedgerFilter {
    /// Only this currency.
    #[param(example = "EUR")]
    pub currency: Option<String>,
    /// Only entries of this order.
    pub order_id: Option<String>,
    /// Only entries of this invoice (its true-up, or a reversal when it was voided).
    pub invoice_id: Option<String>,
    /// Only this entry type.
    pub entry_type: Option<EntryType>,
    /// Only entries created at or after this time (RFC 3339).
    #[serde(default, deserialize_with = "crate::time::filter_time")]
    pub created_from: Option<DateTime<Utc>>,
    /// Only entries created before this time (RFC 3339).
    #[serde(default, deserialize_with = "crate::time::filter_time")]
    pub created_to: Option<DateTime<Utc>>,
}

/// The most entries one CSV export holds; narrow the created range for more.
pub const MAX_EXPORT_ROWS: i64 = 100_000;

/// The filtered ledger of `tenant`, newest first, boxed for paging or exporting.
fn filtered<'a>(
    tenant: &'a Tenant,
    filter: &'a LedgerFilter,
) -> Result<ledger_entries::BoxedQuery<'a, crate::db::MultiBackend>, ApiError> {
    crate::time::check_filter_times(&[
        ("created_from", filter.created_from),
        ("created_to", filter.created_to),
    ])?;
    let mut q = ledger_entries::table
        .filter(ledger_entries::partner_id.eq(tenant.partner_id()))
        .filter(ledger_entries::environment.eq(tenant.environment().as_str()))
        .into_boxed();
    if let Some(c) = &filter.currency {
        q = q.filter(ledger_entries::currency.eq(c.clone()));
    }
    if let Some(o) = &filter.order_id {
        q = q.filter(ledger_entries::order_id.eq(o.clone()));
    }
    if let Some(i) = &filter.invoice_id {
        q = q.filter(ledger_entries::invoice_id.eq(i.clone()));
    }
    if let Some(t) = filter.entry_type {
        q = q.filter(ledger_entries::entry_type.eq(t.as_str()));
    }
    if let Some(from) = filter.created_from {
        q = q.filter(ledger_entries::created_at.ge(from.naive_utc()));
    }
    if let Some(to) = filter.created_to {
        q = q.filter(ledger_entries::created_at.lt(to.naive_utc()));
    }
    Ok(q)
}

pub fn list_entries(
    conn: &mut DbConnection,
    tenant: &Tenant,
    filter: &LedgerFilter,
    page: &PageRequest,
) -> Result<Page<LedgerEntry>, ApiError> {
    let mut q = filtered(tenant, filter)?
        .order((ledger_entries::created_at.desc(), ledger_entries::id.desc()))
        .limit(page.limit + 1);
    if let Some((ts, id)) = &page.after {
        q = q.filter(
            ledger_entries::created_at
                .lt(*ts)
                .or(ledger_entries::created_at
                    .eq(*ts)
                    .and(ledger_entries::id.lt(id.clone()))),
        );
    }
    let rows: Vec<EntryRow> = q.select(EntryRow::as_select()).load(conn)?;
    Page::try_from_rows(
        rows,
        page,
        |r| (r.created_at, r.id.clone()),
        LedgerEntry::try_from,
    )
}

/// Every entry the filter selects, newest first (the CSV export); 422 `export_too_large` past
/// [`MAX_EXPORT_ROWS`].
pub fn export_entries(
    conn: &mut DbConnection,
    tenant: &Tenant,
    filter: &LedgerFilter,
) -> Result<Vec<LedgerEntry>, ApiError> {
    let rows: Vec<EntryRow> = filtered(tenant, filter)?
        .order((ledger_entries::created_at.desc(), ledger_entries::id.desc()))
        .limit(MAX_EXPORT_ROWS + 1)
        .select(EntryRow::as_select())
        .load(conn)?;
    if rows.len() as i64 > MAX_EXPORT_ROWS {
        return Err(ApiError::Unprocessable {
            code: "export_too_large",
            detail: format!(
                "The export would hold more than {MAX_EXPORT_ROWS} entries; narrow it with created_from and created_to (or page through the JSON list)."
            ),
        });
    }
    rows.into_iter().map(LedgerEntry::try_from).collect()
}

/// The columns of the ledger CSV export, in their stable order.
pub const LEDGER_CSV_COLUMNS: &[&str] = &[
    "id",
    "created_at",
    "entry_type",
    "currency",
    "amount",
    "available_after",
    "reserved_after",
    "order_id",
    "invoice_id",
    "wallet_id",
    "description",
];

/// The ledger as CSV ([`LEDGER_CSV_COLUMNS`]; times RFC 3339 UTC, amounts in minor units,
/// absent references empty).
pub fn ledger_csv(entries: &[LedgerEntry]) -> String {
    let mut csv = crate::http::negotiate::Csv::with_header(LEDGER_CSV_COLUMNS);
    for e in entries {
        let created = e
            .created_at
            .to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
        let amount = e.amount.to_string();
        let available = e.available_after.map(|v| v.to_string()).unwrap_or_default();
        let reserved = e.reserved_after.map(|v| v.to_string()).unwrap_or_default();
        csv.row([
            e.id.as_str(),
            created.as_str(),
            e.entry_type.as_str(),
            e.currency.as_str(),
            amount.as_str(),
            available.as_str(),
            reserved.as_str(),
            e.order_id.as_deref().unwrap_or(""),
            e.invoice_id.as_deref().unwrap_or(""),
            e.wallet_id.as_str(),
            e.description.as_str(),
        ]);
    }
    csv.finish()
}

/// One point of a wallet's balance history: the balances right after one ledger entry.
#[derive(Debug, Serialize, ToSchema)]
pub struct BalancePoint {
    /// The ledger entry that moved the balance.
    #[schema(example = "led_Mk3Jd9rQ2n8sLw0Zx5Tc7Vb1")]
    pub ledger_entry_id: String,
    pub entry_type: EntryType,
    /// The entry's amount (positive; `entry_type` says which way it moved).
    #[schema(example = 1900)]
    pub amount: i64,
    #[schema(example = 48100)]
    pub available: i64,
    #[schema(example = 1900)]
    pub reserved: i64,
    /// Available plus reserved: the running balance of the wallet.
    #[schema(example = 50000)]
    pub balance: i64,
    pub order_id: Option<String>,
    pub invoice_id: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// Balance history query.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct HistoryQuery {
    /// The wallet's currency.
    #[param(example = "EUR")]
    pub currency: String,
}

/// The running balance of one wallet, newest first.
pub fn history(
    conn: &mut DbConnection,
    tenant: &Tenant,
    currency: &str,
    page: &PageRequest,
) -> Result<Page<BalancePoint>, ApiError> {
    let Some(wallet_id) = find(conn, tenant, currency)? else {
        return Ok(Page {
            data: Vec::new(),
            has_more: false,
            next_cursor: None,
        });
    };
    let q = paginate!(
        ledger_entries::table.filter(ledger_entries::wallet_id.eq(wallet_id)),
        ledger_entries,
        page
    );
    let rows: Vec<EntryRow> = q.select(EntryRow::as_select()).load(conn)?;
    Page::try_from_rows(
        rows,
        page,
        |r| (r.created_at, r.id.clone()),
        |r| {
            Ok::<_, ApiError>(BalancePoint {
                entry_type: EntryType::from_stored(&r.entry_type, "ledger_entries.entry_type")?,
                ledger_entry_id: r.id,
                amount: r.amount,
                available: r.available_after,
                reserved: r.reserved_after,
                balance: r.available_after + r.reserved_after,
                order_id: r.order_id,
                invoice_id: r.invoice_id,
                created_at: utc(r.created_at),
            })
        },
    )
}

/// One wallet beside the sums of its ledger.
#[derive(Debug, Clone)]
pub struct WalletSums {
    pub wallet_id: String,
    pub currency: String,
    pub available: i64,
    pub reserved: i64,
    /// What the ledger says `available` must be.
    pub ledger_available: i64,
    /// What the ledger says `reserved` must be.
    pub ledger_reserved: i64,
}

/// Every wallet of `tenant` with the sums of its whole ledger, computed by the database.
pub fn sums(conn: &mut DbConnection, tenant: &Tenant) -> Result<Vec<WalletSums>, ApiError> {
    use diesel::sql_types::BigInt;
    let wallets: Vec<(String, String, i64, i64)> = wallets::table
        .filter(wallets::partner_id.eq(tenant.partner_id()))
        .filter(wallets::environment.eq(tenant.environment().as_str()))
        .order(wallets::currency.asc())
        .select((
            wallets::id,
            wallets::currency,
            wallets::available,
            wallets::reserved,
        ))
        .load(conn)?;
    let ids: Vec<&String> = wallets.iter().map(|w| &w.0).collect();
    let sums: std::collections::HashMap<String, (i64, i64)> = ledger_entries::table
        .filter(ledger_entries::wallet_id.eq_any(ids))
        .group_by(ledger_entries::wallet_id)
        .select((
            ledger_entries::wallet_id,
            diesel::dsl::sql::<BigInt>(
                "CAST(COALESCE(SUM(CASE WHEN entry_type IN ('credit', 'refund', 'release') THEN amount \
                 WHEN entry_type IN ('reserve', 'debit', 'commitment_adjustment') THEN -amount ELSE 0 END), 0) AS BIGINT)",
            ),
            diesel::dsl::sql::<BigInt>(
                "CAST(COALESCE(SUM(CASE WHEN entry_type = 'reserve' THEN amount \
                 WHEN entry_type IN ('capture', 'release') THEN -amount ELSE 0 END), 0) AS BIGINT)",
            ),
        ))
        .load::<(String, i64, i64)>(conn)?
        .into_iter()
        .map(|(id, a, r)| (id, (a, r)))
        .collect();
    Ok(wallets
        .into_iter()
        .map(|(wallet_id, currency, available, reserved)| {
            let (ledger_available, ledger_reserved) =
                sums.get(&wallet_id).copied().unwrap_or((0, 0));
            WalletSums {
                wallet_id,
                currency,
                available,
                reserved,
                ledger_available,
                ledger_reserved,
            }
        })
        .collect())
}

/// Every ledger entry of one order, oldest first.
pub fn entries_of_order(
    conn: &mut DbConnection,
    tenant: &Tenant,
    order_id: &str,
) -> Result<Vec<LedgerEntry>, ApiError> {
    let rows: Vec<EntryRow> = ledger_entries::table
        .filter(ledger_entries::partner_id.eq(tenant.partner_id()))
        .filter(ledger_entries::environment.eq(tenant.environment().as_str()))
        .filter(ledger_entries::order_id.eq(order_id))
        .order((ledger_entries::created_at.asc(), ledger_entries::id.asc()))
        .select(EntryRow::as_select())
        .load(conn)?;
    rows.into_iter().map(LedgerEntry::try_from).collect()
}

impl LedgerEntry {
    /// The entry without the wallet balances (for callers who may not read the wallet).
    pub fn without_balances(mut self) -> LedgerEntry {
        self.available_after = None;
        self.reserved_after = None;
        self
    }
}

/// The wallet in a `wallet.low_balance` event.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct LowBalanceWallet {
    #[schema(example = "wal_Jd9rQ2n8sLw0Zx5Tc7Vb1Mk3")]
    pub id: String,
    #[schema(example = "EUR")]
    pub currency: String,
    /// Spendable after the movement, in minor units.
    #[schema(example = 900)]
    pub available: i64,
    #[schema(example = 1900)]
    pub reserved: i64,
    #[schema(example = 1000)]
    pub low_balance_threshold: i64,
}

/// `wallet.low_balance`: the available balance fell below the alert threshold (once per
/// downward crossing).
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct LowBalanceData {
    pub wallet: LowBalanceWallet,
    /// The ledger entry that crossed the threshold.
    #[schema(example = "led_0mhx2k9q1002a7f3kq9zt0bw")]
    pub ledger_entry_id: String,
}

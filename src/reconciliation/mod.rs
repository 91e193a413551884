//! Reconciliation of one billing period, per currency: completed orders against captures,
//! captures against orders, invoice lines against the ledger, each invoice's total against
//! its lines, and each wallet against the sum of its whole ledger. Every mismatch is listed
//! with its kind and the reference to look at; a healthy account has none.

pub mod routes;

use std::collections::{BTreeMap, BTreeSet, HashMap};

use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::Tenant;
use crate::billing::Period;
use crate::db::schema::{invoice_lines, invoices, ledger_entries, orders};
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::wallet::{self, EntryType};

crate::stored_enum! {
    /// What does not match.
    pub enum MismatchKind {
        /// A completed order (with a price) has no capture for its current attempt, or the
        /// capture differs from its total. Reference: the order.
        OrderWithoutCapture = "order_without_capture",
        /// A capture names no order, or an order that is not completed. Reference: the
        /// ledger entry.
        CaptureWithoutOrder = "capture_without_order",
        /// An invoice line names a ledger entry that does not exist, or whose type or amount
        /// differs. Reference: the invoice line.
        LineWithoutLedgerEntry = "line_without_ledger_entry",
        /// The wallet's available or reserved balance differs from the sum of its ledger.
        /// Reference: the wallet.
        WalletLedgerMismatch = "wallet_ledger_mismatch",
        /// An invoice's total differs from the sum of its lines. Reference: the invoice.
        InvoiceTotalMismatch = "invoice_total_mismatch",
    }
}

/// One mismatch.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Mismatch {
    pub kind: MismatchKind,
    /// The id of the object to look at (order, ledger entry, invoice line, wallet, invoice).
    #[schema(example = "ord_3kT9mQ2xLr8vWc1ZpN0bHs4y")]
    pub reference: String,
    /// What differs, with the amounts.
    #[schema(example = "Completed order with total 1900 has no capture for attempt 1.")]
    pub detail: String,
}

/// One currency of the period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct CurrencyReconciliation {
    #[schema(example = "EUR")]
    pub currency: String,
    /// Orders completed in the period (with a price).
    #[schema(example = 12)]
    pub completed_orders: i64,
    /// The sum of their totals.
    #[schema(example = 22800)]
    pub completed_orders_minor: i64,
    /// Captures made in the period.
    #[schema(example = 22800)]
    pub captured_minor: i64,
    /// Refunds made in the period.
    #[schema(example = 1300)]
    pub refunded_minor: i64,
    /// The totals of the period's invoices that are not void.
    #[schema(example = 21500)]
    pub invoiced_minor: i64,
    /// The wallet's balances now and what its ledger sums to.
    pub wallet: Option<WalletCheck>,
    pub mismatches: Vec<Mismatch>,
}

/// A wallet beside its ledger.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WalletCheck {
    pub wallet_id: String,
    pub available: i64,
    pub reserved: i64,
    pub ledger_available: i64,
    pub ledger_reserved: i64,
}

/// The reconciliation of one period.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Reconciliation {
    #[schema(example = "2026-11")]
    pub period: String,
    /// Mismatches over every currency; 0 for a healthy account.
    #[schema(example = 0)]
    pub mismatch_count: usize,
    pub currencies: Vec<CurrencyReconciliation>,
}

#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReconciliationQuery {
    /// The calendar month, `YYYY-MM`.
    #[param(example = "2026-11", pattern = "^[2-9][0-9]{3}-(0[1-9]|1[0-2])$")]
    pub period: String,
}

fn entry(currency: &str) -> CurrencyReconciliation {
    CurrencyReconciliation {
        currency: currency.to_string(),
        completed_orders: 0,
        completed_orders_minor: 0,
        captured_minor: 0,
        refunded_minor: 0,
        invoiced_minor: 0,
        wallet: None,
        mismatches: Vec::new(),
    }
}

/// Reconciles `period` for `tenant`.
pub fn reconcile(
    conn: &mut DbConnection,
    tenant: &Tenant,
    period: Period,
) -> Result<Reconciliation, ApiError> {
    let (start, end) = (period.start(), period.end());
    let pid = tenant.partner_id();
    let env = tenant.environment().as_str();
    let mut by: BTreeMap<String, CurrencyReconciliation> = BTreeMap::new();

    // Wallets against their ledgers.
    for w in wallet::sums(conn, tenant)? {
        let c = by
            .entry(w.currency.clone())
            .or_insert_with(|| entry(&w.currency));
        if w.available != w.ledger_available || w.reserved != w.ledger_reserved {
            c.mismatches.push(Mismatch {
                kind: MismatchKind::WalletLedgerMismatch,
                reference: w.wallet_id.clone(),
                detail: format!(
                    "The wallet holds available {} and reserved {}; its ledger sums to available {} and reserved {}.",
                    w.available, w.reserved, w.ledger_available, w.ledger_reserved
                ),
            });
        }
        c.wallet = Some(WalletCheck {
            wallet_id: w.wallet_id,
            available: w.available,
            reserved: w.reserved,
            ledger_available: w.ledger_available,
            ledger_reserved: w.ledger_reserved,
        });
    }

    // Completed orders against their captures.
    let completed: Vec<(String, Option<String>, i64, i32)> = orders::table
        .filter(orders::partner_id.eq(pid))
        .filter(orders::environment.eq(env))
        .filter(orders::state.eq("completed"))
        .filter(orders::completed_at.ge(start))
        .filter(orders::completed_at.lt(end))
        .filter(orders::total_minor.gt(0))
        .select((
            orders::id,
            orders::currency,
            orders::total_minor,
            orders::attempt,
        ))
        .load(conn)?;
    let ids: Vec<&String> = completed.iter().map(|o| &o.0).collect();
    let mut captures_of: HashMap<(String, i32), i64> = HashMap::new();
    for (order_id, attempt, amount) in ledger_entries::table
        .filter(ledger_entries::partner_id.eq(pid))
        .filter(ledger_entries::environment.eq(env))
        .filter(ledger_entries::entry_type.eq(EntryType::Capture.as_str()))
        .filter(ledger_entries::order_id.eq_any(ids))
        .select((
            ledger_entries::order_id,
            ledger_entries::order_attempt,
            ledger_entries::amount,
        ))
        .load::<(Option<String>, Option<i32>, i64)>(conn)?
    {
        if let (Some(o), Some(a)) = (order_id, attempt) {
            *captures_of.entry((o, a)).or_default() += amount;
        }
    }
    for (id, currency, total, attempt) in &completed {
        let currency = currency.clone().unwrap_or_default();
        let c = by
            .entry(currency.clone())
            .or_insert_with(|| entry(&currency));
        c.completed_orders += 1;
        c.completed_orders_minor += total;
        match captures_of.get(&(id.clone(), *attempt)) {
            Some(captured) if captured == total => {}
            Some(captured) => c.mismatches.push(Mismatch {
                kind: MismatchKind::OrderWithoutCapture,
                reference: id.clone(),
                detail: format!(
                    "The completed order's total is {total} but attempt {attempt} captured {captured}."
                ),
            }),
            None => c.mismatches.push(Mismatch {
                kind: MismatchKind::OrderWithoutCapture,
                reference: id.clone(),
                detail: format!(
                    "The completed order's total is {total} but attempt {attempt} has no capture."
                ),
            }),
        }
    }

    // The period's captures and refunds against their orders.
    let moved: Vec<(String, String, String, i64, Option<String>)> = ledger_entries::table
        .filter(ledger_entries::partner_id.eq(pid))
        .filter(ledger_entries::environment.eq(env))
        .filter(ledger_entries::entry_type.eq_any(["capture", "refund"]))
        .filter(ledger_entries::created_at.ge(start))
        .filter(ledger_entries::created_at.lt(end))
        .select((
            ledger_entries::id,
            ledger_entries::entry_type,
            ledger_entries::currency,
            ledger_entries::amount,
            ledger_entries::order_id,
        ))
        .load(conn)?;
    let named: BTreeSet<String> = moved.iter().filter_map(|m| m.4.clone()).collect();
    let states: HashMap<String, String> = orders::table
        .filter(orders::partner_id.eq(pid))
        .filter(orders::environment.eq(env))
        .filter(orders::id.eq_any(named.iter()))
        .select((orders::id, orders::state))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect();
    for (id, t, currency, amount, order_id) in moved {
        let c = by
            .entry(currency.clone())
            .or_insert_with(|| entry(&currency));
        if t == "refund" {
            c.refunded_minor += amount;
            continue;
        }
        c.captured_minor += amount;
        let state = order_id.as_ref().and_then(|o| states.get(o));
        if state.map(String::as_str) != Some("completed") {
            c.mismatches.push(Mismatch {
                kind: MismatchKind::CaptureWithoutOrder,
                reference: id,
                detail: match (order_id, state) {
                    (Some(o), Some(s)) => {
                        format!(
                            "The capture of {amount} names order {o}, which is {s}, not completed."
                        )
                    }
                    (Some(o), None) => {
                        format!("The capture of {amount} names order {o}, which does not exist.")
                    }
                    _ => format!("The capture of {amount} names no order."),
                },
            });
        }
    }

    // The period's invoices: totals against lines, lines against the ledger.
    let invs: Vec<(String, String, String, i64)> = invoices::table
        .filter(invoices::partner_id.eq(pid))
        .filter(invoices::environment.eq(env))
        .filter(invoices::period.eq(period.label()))
        .select((
            invoices::id,
            invoices::currency,
            invoices::status,
            invoices::total_minor,
        ))
        .load(conn)?;
    let inv_ids: Vec<&String> = invs.iter().map(|i| &i.0).collect();
    let lines: Vec<(String, String, String, String, i64)> = invoice_lines::table
        .filter(invoice_lines::invoice_id.eq_any(inv_ids))
        .select((
            invoice_lines::id,
            invoice_lines::invoice_id,
            invoice_lines::ledger_entry_id,
            invoice_lines::entry_type,
            invoice_lines::amount_minor,
        ))
        .load(conn)?;
    let entry_ids: Vec<&String> = lines.iter().map(|l| &l.2).collect();
    let entries: HashMap<String, (String, i64)> = ledger_entries::table
        .filter(ledger_entries::partner_id.eq(pid))
        .filter(ledger_entries::environment.eq(env))
        .filter(ledger_entries::id.eq_any(entry_ids))
        .select((
            ledger_entries::id,
            ledger_entries::entry_type,
            ledger_entries::amount,
        ))
        .load::<(String, String, i64)>(conn)?
        .into_iter()
        .map(|(id, t, a)| (id, (t, a)))
        .collect();
    let mut sums: HashMap<&str, i64> = HashMap::new();
    let currency_of: HashMap<&str, &str> = invs
        .iter()
        .map(|(id, cur, _, _)| (id.as_str(), cur.as_str()))
        .collect();
    for (line_id, invoice_id, entry_id, t, amount) in &lines {
        *sums.entry(invoice_id.as_str()).or_default() += amount;
        let matches = entries.get(entry_id).is_some_and(|(et, ea)| {
            et == t
                && EntryType::parse(et)
                    .and_then(|e| e.invoiced(*ea))
                    .is_some_and(|signed| signed == *amount)
        });
        if !matches {
            let currency = currency_of.get(invoice_id.as_str()).copied().unwrap_or("");
            let c = by
                .entry(currency.to_string())
                .or_insert_with(|| entry(currency));
            c.mismatches.push(Mismatch {
                kind: MismatchKind::LineWithoutLedgerEntry,
                reference: line_id.clone(),
                detail: match entries.get(entry_id) {
                    None => format!(
                        "Line of invoice {invoice_id} names ledger entry {entry_id}, which does not exist."
                    ),
                    Some((et, ea)) => format!(
                        "Line of invoice {invoice_id} bills {t} {amount}; its ledger entry {entry_id} is {et} {ea}."
                    ),
                },
            });
        }
    }
    for (id, currency, status, total) in &invs {
        let c = by
            .entry(currency.clone())
            .or_insert_with(|| entry(currency));
        if status != "void" {
            c.invoiced_minor += total;
        }
        let lines_sum = sums.get(id.as_str()).copied().unwrap_or(0);
        if lines_sum != *total {
            c.mismatches.push(Mismatch {
                kind: MismatchKind::InvoiceTotalMismatch,
                reference: id.clone(),
                detail: format!("The invoice's total is {total}; its lines sum to {lines_sum}."),
            });
        }
    }
    let currencies: Vec<CurrencyReconciliation> = by.into_values().collect();
    Ok(Reconciliation {
        period: period.label(),
        mismatch_count: currencies.iter().map(|c| c.mismatches.len()).sum(),
        currencies,
    })
}

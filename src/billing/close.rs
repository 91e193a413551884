//! The period-close job: after a calendar month ends, one instance claims the month (a row of
//! `period_closes` with an owner token and a lease, like every job of the runtime) and makes
//! the month's invoices, one transaction per partner, environment and currency. Exactly once
//! even with several instances: the claim lets one instance work on a month at a time, and
//! the unique window of `invoices` (partner, environment, currency, start) refuses a second
//! invoice should a claim ever be lost mid-way (the next owner then finds those windows
//! closed and goes on with the rest).

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::invoices::{self, InvoiceOrigin, Window, BILLED};
use super::Period;
use crate::auth::Tenant;
use crate::db::schema::{billing_profiles, invoice_lines, ledger_entries, partners, period_closes};
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::jobs::{Heartbeat, Lease, Owner};
use crate::state::AppState;

/// Claims `period` for `owner` until `now + lease`: true when this owner may close it (nobody
/// else holds a live claim and it is not closed yet).
pub fn claim(
    conn: &mut DbConnection,
    period: Period,
    owner: &Owner,
    lease: Lease,
    now: DateTime<Utc>,
) -> Result<bool, ApiError> {
    let at = now.naive_utc();
    let label = period.label();
    crate::db::insert_unless_exists(conn, |c| {
        diesel::insert_into(period_closes::table)
            .values((
                period_closes::period.eq(&label),
                period_closes::invoices.eq(0),
                period_closes::created_at.eq(at),
            ))
            .execute(c)
    })?;
    let claimed = diesel::update(
        period_closes::table
            .find(&label)
            .filter(period_closes::done_at.is_null())
            .filter(
                period_closes::lease_until
                    .is_null()
                    .or(period_closes::lease_until.lt(at)),
            ),
    )
    .set((
        period_closes::lease_owner.eq(owner.as_str()),
        period_closes::lease_until.eq(at + lease.length),
    ))
    .execute(conn)?;
    Ok(claimed == 1)
}

/// Every (partner, environment, currency) that `period` must invoice: those with billable
/// ledger entries before its end that no invoice holds, and those whose profile commits to a
/// monthly amount (sandbox always, live once live access is enabled).
pub fn targets(
    conn: &mut DbConnection,
    period: Period,
) -> Result<Vec<(String, String, String)>, ApiError> {
    let mut out: Vec<(String, String, String)> = ledger_entries::table
        .filter(ledger_entries::entry_type.eq_any(BILLED))
        .filter(ledger_entries::created_at.lt(period.end()))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            invoice_lines::table.filter(invoice_lines::ledger_entry_id.eq(ledger_entries::id)),
        )))
        .select((
            ledger_entries::partner_id,
            ledger_entries::environment,
            ledger_entries::currency,
        ))
        .distinct()
        .load(conn)?;
    let committed: Vec<(String, String, bool)> = billing_profiles::table
        .inner_join(partners::table)
        .filter(billing_profiles::commitment_minor.gt(0))
        .filter(billing_profiles::created_at.lt(period.end()))
        .select((
            billing_profiles::partner_id,
            billing_profiles::commitment_currency,
            partners::live_enabled,
        ))
        .load(conn)?;
    for (partner, currency, live) in committed {
        out.push((partner.clone(), "sandbox".into(), currency.clone()));
        if live {
            out.push((partner, "live".into(), currency));
        }
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// Closes the month before the current one if it is not closed yet and this owner can claim
/// it; returns how many invoices it made.
pub async fn run_due(state: &AppState, owner: &Owner) -> Result<usize, ApiError> {
    let period = Period::of(state.now()).previous();
    close_period(state, owner, period).await
}

/// Closes `period` (which must have ended) under a claim; returns how many invoices it made
/// (0 when another owner holds the claim or the period is closed already).
pub async fn close_period(
    state: &AppState,
    owner: &Owner,
    period: Period,
) -> Result<usize, ApiError> {
    let db = &state.db;
    let lease = Lease::from_std(state.config.job_lease);
    let now = state.now();
    if period.end() > now.naive_utc() {
        return Ok(0);
    }
    let o = owner.clone();
    let claimed = db
        .write(move |c| {
            crate::db::relaxed_commit(c)?;
            claim(c, period, &o, lease, now)
        })
        .await?;
    if !claimed {
        return Ok(0);
    }
    let label = period.label();
    let _heartbeat = {
        let owner = owner.as_str().to_string();
        let label = label.clone();
        let length = lease.length;
        let clock = state.clone();
        Heartbeat::start(
            db.clone(),
            lease.renew_every(),
            format!("period close {label}"),
            move |c| {
                let until = clock.now().naive_utc() + length;
                Ok(diesel::update(
                    period_closes::table
                        .find(&label)
                        .filter(period_closes::lease_owner.eq(&owner)),
                )
                .set(period_closes::lease_until.eq(until))
                .execute(c)?)
            },
        )
    };
    let targets = db.read(move |c| targets(c, period)).await?;
    let mut made = 0usize;
    for (partner_id, environment, currency) in targets {
        let made_one = db
            .write(move |c| {
                let tenant =
                    Tenant::of_row(&partner_id, &environment, "ledger_entries.environment")?;
                let w = Window {
                    tenant: &tenant,
                    currency: &currency,
                    period,
                    end: period.end(),
                    origin: InvoiceOrigin::PeriodClose,
                };
                invoices::close_window(c, &w, now)
            })
            .await?;
        made += usize::from(made_one.is_some());
    }
    let owner = owner.as_str().to_string();
    let count = made as i32;
    db.write(move |c| {
        diesel::update(
            period_closes::table
                .find(&label)
                .filter(period_closes::lease_owner.eq(&owner)),
        )
        .set((
            period_closes::done_at.eq(Some(now.naive_utc())),
            period_closes::invoices.eq(count),
            period_closes::lease_owner.eq(None::<String>),
            period_closes::lease_until.eq(None::<chrono::NaiveDateTime>),
        ))
        .execute(c)?;
        Ok(())
    })
    .await?;
    Ok(made)
}

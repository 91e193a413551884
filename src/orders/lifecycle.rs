//! What happens to an order after it is placed: provisioning progress (from the worker or an
//! operator report) moves it and its service through their state machines and settles its
//! money (capture on completion, release on failure or cancellation, exactly once per
//! attempt); a partner cancels an open order or retries a failed one.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use super::state::{order_next_step, OrderState, OrderType};
use super::{checks, get, items_of, row, row_by_id, row_locked, Order, Row};
use crate::activation;
use crate::auth::Tenant;
use crate::catalogue::{self, PackageKind};
use crate::db::schema::{orders, provisioning_tasks};
use crate::db::{lock_partner, DbConnection};
use crate::error::ApiError;
use crate::outbox;
use crate::services::{self, state::ServiceState};
use crate::wallet::{self, EntryType};

/// Queues provisioning of an order (the worker picks it up when due).
pub fn schedule(
    conn: &mut DbConnection,
    order_id: &str,
    step: i32,
    due: DateTime<Utc>,
) -> Result<(), ApiError> {
    crate::db::native!(conn, |c| diesel::delete(
        provisioning_tasks::table.find(order_id)
    )
    .execute(c))?;
    crate::db::native!(conn, |c| diesel::insert_into(provisioning_tasks::table)
        .values((
            provisioning_tasks::order_id.eq(order_id),
            provisioning_tasks::step.eq(step),
            provisioning_tasks::due_at.eq(due.naive_utc()),
            provisioning_tasks::created_at.eq(due.naive_utc()),
        ))
        .execute(c))?;
    crate::db::mark_work_queued(conn, crate::db::Work::Provisioning)?;
    Ok(())
}

/// Queues the first provisioning step of a new order (which has no task yet).
pub fn schedule_new(
    conn: &mut DbConnection,
    order_id: &str,
    due: DateTime<Utc>,
) -> Result<(), ApiError> {
    crate::db::native!(conn, |c| diesel::insert_into(provisioning_tasks::table)
        .values((
            provisioning_tasks::order_id.eq(order_id),
            provisioning_tasks::step.eq(0),
            provisioning_tasks::due_at.eq(due.naive_utc()),
            provisioning_tasks::created_at.eq(due.naive_utc()),
        ))
        .execute(c))?;
    crate::db::mark_work_queued(conn, crate::db::Work::Provisioning)?;
    Ok(())
}

pub fn unschedule(conn: &mut DbConnection, order_id: &str) -> Result<(), ApiError> {
    crate::db::native!(conn, |c| diesel::delete(
        provisioning_tasks::table.find(order_id)
    )
    .execute(c))?;
    Ok(())
}

/// What provisioning reports about an order (from the upstream adapter or an operator).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    Preparing,
    Delayed,
    Done,
    Failed {
        code: String,
        message: String,
        retryable: bool,
    },
    Unavailable {
        message: String,
    },
}

impl Progress {
    /// Ends the order's provisioning (its task is removed by `apply_progress`).
    pub fn is_final(&self) -> bool {
        !matches!(self, Progress::Preparing | Progress::Delayed)
    }
}

/// Why an order failed, as stored on it.
struct Failure<'a> {
    code: &'a str,
    message: &'a str,
    /// Onyx says the failure is retryable.
    retryable: bool,
    /// A retry is accepted now (retryable, and not the same failure again after a retry).
    retry_allowed: bool,
}

/// Moves an order to `next`: one guarded update, one event.
fn set_state(
    conn: &mut DbConnection,
    r: &Row,
    next: OrderState,
    now: DateTime<Utc>,
    failure: Option<Failure<'_>>,
) -> Result<(), ApiError> {
    let current = r.state()?;
    if !current.can_become(next) {
        return Err(ApiError::Conflict {
            code: "invalid_order_state",
            detail: format!(
                "The order is {} and cannot become {}.",
                current.as_str(),
                next.as_str()
            ),
        });
    }
    let at = now.naive_utc();
    let retry_allowed = failure.as_ref().is_some_and(|f| f.retry_allowed);
    crate::db::mark_changed(conn, crate::db::Change::Orders)?;
    let q = diesel::update(
        orders::table
            .find(&r.id)
            .filter(orders::state.eq(&r.state))
            .filter(orders::attempt.eq(r.attempt)),
    );
    let changed = match failure {
        Some(f) => crate::db::native!(conn, |c| q
            .set((
                orders::state.eq(next.as_str()),
                orders::failure_code.eq(Some(f.code)),
                orders::failure_message.eq(Some(f.message)),
                orders::retryable.eq(f.retryable),
                orders::retry_allowed.eq(f.retry_allowed),
                orders::next_step.eq(order_next_step(next, retry_allowed)),
                orders::updated_at.eq(at),
            ))
            .execute(c))?,
        None => crate::db::native!(conn, |c| q
            .set((
                orders::state.eq(next.as_str()),
                orders::next_step.eq(order_next_step(next, false)),
                orders::completed_at.eq(if next == OrderState::Completed {
                    Some(at)
                } else {
                    r.completed_at
                }),
                orders::updated_at.eq(at),
            ))
            .execute(c))?,
    };
    if changed != 1 {
        return Err(ApiError::Conflict {
            code: "invalid_order_state",
            detail: "The order changed meanwhile; read it again.".into(),
        });
    }
    if current != next {
        let tenant = r.tenant()?;
        let order = get(conn, &tenant, &r.id)?;
        outbox::emit(
            conn,
            &tenant,
            &format!("order.{}", next.as_str()),
            &r.id,
            crate::webhooks::payloads::value(&crate::orders::OrderEventData {
                order: order.clone(),
            })?,
            now,
        )?;
    }
    Ok(())
}

fn settle(
    conn: &mut DbConnection,
    r: &Row,
    entry: EntryType,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    match &r.currency {
        Some(c) if r.total_minor > 0 => {
            let tenant = r.tenant()?;
            let charge = wallet::Charge {
                tenant: &tenant,
                currency: c,
                amount: r.total_minor,
                order_id: &r.id,
                attempt: r.attempt,
            };
            wallet::settle(conn, &charge, entry, now)
        }
        _ => Ok(()),
    }
}

/// Applies provisioning progress to an open order. Returns false when the order is no
/// longer open (cancelled meanwhile): the report is then ignored.
pub fn apply_progress(
    conn: &mut DbConnection,
    vault: &crate::vault::Vault,
    order_id: &str,
    progress: Progress,
    now: DateTime<Utc>,
) -> Result<bool, ApiError> {
    let r = row_locked(conn, order_id)?;
    apply_progress_locked(conn, vault, r, progress, now)
}

/// [`apply_progress`] for an order read under its partner's lock ([`super::row_locked`]).
pub fn apply_progress_locked(
    conn: &mut DbConnection,
    vault: &crate::vault::Vault,
    r: Row,
    progress: Progress,
    now: DateTime<Utc>,
) -> Result<bool, ApiError> {
    if !r.state()?.is_open() {
        return Ok(false);
    }
    let tenant = r.tenant()?;
    let activation = r.order_type()? == OrderType::ActivateSubscription;
    let service_id = r.service_id.clone().unwrap_or_default();
    match progress {
        Progress::Preparing | Progress::Delayed => {
            set_state(conn, &r, OrderState::Processing, now, None)?;
            if activation {
                let next = if progress == Progress::Delayed {
                    ServiceState::Delayed
                } else {
                    ServiceState::Preparing
                };
                services::transition(conn, &tenant, &service_id, next, now)?;
            }
        }
        Progress::Done => {
            unschedule(conn, &r.id)?;
            match r.order_type()? {
                OrderType::ActivateSubscription | OrderType::SwapSim => {
                    activation::make_ready(conn, vault, &tenant, &service_id, now)?
                }
                OrderType::TopUpSubscription => {
                    let items = items_of(conn, &r.id)?;
                    let mut extra = 0;
                    let mut unlimited = false;
                    let mut days = 0;
                    for item in &items {
                        let p = catalogue::get(conn, &item.package_id)?;
                        extra += p.data_allowance_bytes.unwrap_or(0);
                        unlimited |= p.data_unlimited;
                        if p.kind == PackageKind::Plan {
                            days = p.validity_days;
                        }
                    }
                    services::top_up(
                        conn,
                        &tenant,
                        &service_id,
                        Some(extra),
                        unlimited,
                        days,
                        now,
                    )?;
                }
                OrderType::CancelSubscription => {
                    activation::cancel_service(conn, &tenant, &service_id, now)?;
                    // A subscription never used is refunded in full by rule.
                    crate::refunds::refund_unused_subscription(conn, &tenant, &service_id, now)?;
                }
            }
            set_state(conn, &r, OrderState::Completed, now, None)?;
            // The capture last: the wallet row stays locked only from here to the commit.
            settle(conn, &r, EntryType::Capture, now)?;
        }
        Progress::Failed {
            code,
            message,
            retryable,
        } => {
            fail(conn, &r, &code, &message, retryable, now)?;
            if activation {
                services::transition(conn, &tenant, &service_id, ServiceState::Failed, now)?;
            }
        }
        Progress::Unavailable { message } => {
            fail(conn, &r, "service_unavailable", &message, false, now)?;
            if activation {
                services::transition(conn, &tenant, &service_id, ServiceState::Unavailable, now)?;
            }
        }
    }
    Ok(true)
}

fn fail(
    conn: &mut DbConnection,
    r: &Row,
    code: &str,
    message: &str,
    retryable: bool,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    settle(conn, r, EntryType::Release, now)?;
    unschedule(conn, &r.id)?;
    // Retrying is allowed once per retryable failure; the same failure again after a retry
    // needs a change reported by Onyx first.
    let repeated = r.attempt > 1 && r.failure_code.as_deref() == Some(code);
    set_state(
        conn,
        r,
        OrderState::Failed,
        now,
        Some(Failure {
            code,
            message,
            retryable,
            retry_allowed: retryable && !repeated,
        }),
    )
}

/// Cancels an open order: releases its funds, stops provisioning, cancels a new service.
pub fn cancel(
    conn: &mut DbConnection,
    tenant: &Tenant,
    id: &str,
    now: DateTime<Utc>,
) -> Result<Order, ApiError> {
    lock_partner(conn, tenant.partner_id())?;
    let r = row(conn, tenant, id)?;
    if !r.state()?.is_open() {
        return Err(ApiError::Conflict {
            code: "order_not_cancellable",
            detail: format!(
                "Only pending or processing orders can be cancelled; this one is {}. To end a subscription, create a cancel_subscription order.",
                r.state
            ),
        });
    }
    settle(conn, &r, EntryType::Release, now)?;
    unschedule(conn, &r.id)?;
    if r.order_type()? == OrderType::ActivateSubscription {
        if let Some(s) = &r.service_id {
            activation::cancel_service(conn, tenant, s, now)?;
        }
    }
    set_state(conn, &r, OrderState::Cancelled, now, None)?;
    get(conn, tenant, id)
}

/// Retries a failed order when Onyx allows it: a new attempt with a new reservation.
pub fn retry(
    conn: &mut DbConnection,
    tenant: &Tenant,
    id: &str,
    now: DateTime<Utc>,
) -> Result<Order, ApiError> {
    lock_partner(conn, tenant.partner_id())?;
    let r = row(conn, tenant, id)?;
    if r.state()? != OrderState::Failed {
        return Err(ApiError::Conflict {
            code: "order_not_failed",
            detail: format!(
                "Only failed orders can be retried; this one is {}.",
                r.state
            ),
        });
    }
    if !r.retry_allowed {
        return Err(ApiError::Conflict {
            code: "retry_not_allowed",
            detail: "This order cannot be retried: nothing has changed since it failed and Onyx has not marked it retryable. Show the customer the failure reason and next step.".into(),
        });
    }
    // The subscription may have changed since the failure (cancelled, another order open):
    // a retry must pass the same subscription checks as creating the order would.
    let order_type = r.order_type()?;
    if order_type != OrderType::ActivateSubscription {
        if let Some(service_id) = &r.service_id {
            checks::check_subscription(conn, tenant, order_type, service_id)?;
        }
    }
    let attempt = r.attempt + 1;
    if let Some(c) = &r.currency {
        if r.total_minor > 0 {
            let charge = wallet::Charge {
                tenant,
                currency: c,
                amount: r.total_minor,
                order_id: &r.id,
                attempt,
            };
            wallet::reserve(conn, &charge, now)?;
        }
    }
    let at = now.naive_utc();
    crate::db::mark_changed(conn, crate::db::Change::Orders)?;
    let changed = diesel::update(
        orders::table
            .find(&r.id)
            .filter(orders::state.eq(&r.state))
            .filter(orders::attempt.eq(r.attempt)),
    )
    .set((
        orders::state.eq(OrderState::Pending.as_str()),
        orders::attempt.eq(attempt),
        orders::retry_allowed.eq(false),
        orders::next_step.eq(order_next_step(OrderState::Pending, false)),
        orders::updated_at.eq(at),
    ))
    .execute(conn)?;
    if changed != 1 {
        return Err(ApiError::Conflict {
            code: "invalid_order_state",
            detail: "The order changed meanwhile; read it again.".into(),
        });
    }
    if order_type == OrderType::ActivateSubscription {
        if let Some(s) = &r.service_id {
            services::transition(conn, tenant, s, ServiceState::Preparing, now)?;
        }
    }
    schedule(conn, &r.id, 0, now)?;
    let order = get(conn, tenant, id)?;
    outbox::emit(
        conn,
        tenant,
        "order.retried",
        id,
        crate::webhooks::payloads::value(&crate::orders::OrderEventData {
            order: order.clone(),
        })?,
        now,
    )?;
    Ok(order)
}

/// Onyx marks a failed order retryable (a change that makes a retry worthwhile).
pub fn mark_retryable(
    conn: &mut DbConnection,
    id: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let not_failed = |state: &str| ApiError::Conflict {
        code: "order_not_failed",
        detail: format!("Only a failed order can be marked retryable; this one is {state}."),
    };
    // Under the partner lock (as retries and progress take it), and conditional on the order
    // still being failed: a concurrent retry that reopened it wins, this report is refused.
    let r = row_locked(conn, id)?;
    if r.state()? != OrderState::Failed {
        return Err(not_failed(&r.state));
    }
    crate::db::mark_changed(conn, crate::db::Change::Orders)?;
    let changed = diesel::update(
        orders::table
            .find(id)
            .filter(orders::state.eq(OrderState::Failed.as_str()))
            .filter(orders::attempt.eq(r.attempt)),
    )
    .set((
        orders::retryable.eq(true),
        orders::retry_allowed.eq(true),
        orders::next_step.eq(order_next_step(OrderState::Failed, true)),
        orders::updated_at.eq(now.naive_utc()),
    ))
    .execute(conn)?;
    if changed == 0 {
        let now_state = row_by_id(conn, id)?.state;
        return Err(not_failed(&now_state));
    }
    let tenant = r.tenant()?;
    let order = get(conn, &tenant, id)?;
    outbox::emit(
        conn,
        &tenant,
        "order.retryable",
        id,
        crate::webhooks::payloads::value(&crate::orders::OrderEventData {
            order: order.clone(),
        })?,
        now,
    )?;
    Ok(())
}

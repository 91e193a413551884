//! Operators report provisioning state for an order (live orders without an upstream, or
//! corrections), mark failed orders retryable, and see and revive provisioning tasks that
//! failed too often inside the service (dead tasks).

use actix_web::{get, post, web, HttpResponse};
use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Operator;
use crate::error::{ApiError, FieldError, Problem};
use crate::http::Json;
use crate::orders::{self, Order, Progress};
use crate::pagination::{Page, PageQuery};
use crate::state::AppState;
use crate::time::utc;

#[derive(Debug, Clone, Copy, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReportedState {
    Preparing,
    Delayed,
    /// Provisioned: the order completes.
    Ready,
    Failed,
    Unavailable,
    /// For a failed order: Onyx allows one more retry.
    Retryable,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProvisioningReport {
    pub state: ReportedState,
    /// For `failed`: a stable code of 1–64 characters, e.g. `network_rejected`.
    #[schema(example = "network_rejected", min_length = 1, max_length = 64)]
    pub failure_code: Option<String>,
    /// For `failed` and `unavailable`: what partners show their customer (1–500 characters).
    #[schema(min_length = 1, max_length = 500)]
    pub failure_message: Option<String>,
    /// For `failed`: whether the partner may retry.
    #[serde(default)]
    pub retryable: bool,
}

/// Report an order's provisioning state; the order, its money and its service follow.
#[utoipa::path(
    operation_id = "adminReportProvisioning",
    tag = "operator",
    params(("order_id" = String, Path, description = "Order id (`ord_…`).")),
    request_body = ProvisioningReport,
    security(("operator_token" = [])),
    responses(
        (status = 200, description = "Applied; the order as it is now.", body = Order),
        (status = 404, description = "No such order.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The order is closed (`order_closed`) or the report does not fit its state.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/orders/{order_id}/provisioning")]
pub async fn report(
    state: web::Data<AppState>,
    _op: Operator,
    path: web::Path<String>,
    body: Json<ProvisioningReport>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let r = body.into_inner();
    let text = |v: &Option<String>, max: usize| {
        v.as_ref()
            .is_some_and(|s| s.is_empty() || s.chars().count() > max)
    };
    let mut errors = Vec::new();
    if text(&r.failure_code, 64) {
        errors.push(FieldError::new(
            "failure_code",
            "length",
            "must be 1 to 64 characters long",
        ));
    }
    if text(&r.failure_message, 500) {
        errors.push(FieldError::new(
            "failure_message",
            "length",
            "must be 1 to 500 characters long",
        ));
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    let now = state.now();
    let st = state.clone();
    let order = state
        .db
        .write(move |c| {
            let progress = match r.state {
                ReportedState::Retryable => {
                    orders::mark_retryable(c, &id, now)?;
                    None
                }
                ReportedState::Preparing => Some(Progress::Preparing),
                ReportedState::Delayed => Some(Progress::Delayed),
                ReportedState::Ready => Some(Progress::Done),
                ReportedState::Failed => Some(Progress::Failed {
                    code: r.failure_code.unwrap_or_else(|| "provisioning_failed".into()),
                    message: r.failure_message.unwrap_or_else(|| "Onyx could not provision the order.".into()),
                    retryable: r.retryable,
                }),
                ReportedState::Unavailable => Some(Progress::Unavailable {
                    message: r.failure_message.unwrap_or_else(|| "The network cannot provide this service right now.".into()),
                }),
            };
            if let Some(progress) = progress {
                if !orders::apply_progress(c, &st.vault, &id, progress, now)? {
                    return Err(ApiError::Conflict {
                        code: "order_closed",
                        detail: "The order is no longer open; only `retryable` can be reported for a failed order.".into(),
                    });
                }
            }
            let row = orders::row_by_id(c, &id)?;
            orders::get(c, &row.tenant()?, &id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(order))
}

/// A provisioning task that failed inside the service too often (an error or panic of ours,
/// not an answer of the upstream) and stopped: its order waits for an operator.
#[derive(Debug, Serialize, ToSchema)]
pub struct DeadTask {
    #[schema(example = "ord_3kT9mQ2xLr8vWc1ZpN0bHs4y")]
    pub order_id: String,
    /// The provisioning step it was at (0 for the first).
    pub step: i32,
    /// How many times it failed.
    #[schema(example = 5)]
    pub errors: i32,
    /// The last failure, as logged.
    pub last_error: Option<String>,
    pub dead_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
}

/// (order id, step, errors, last error, dead at, created at) of a dead task.
type DeadTaskRow = (
    String,
    i32,
    i32,
    Option<String>,
    Option<chrono::NaiveDateTime>,
    chrono::NaiveDateTime,
);

/// Provisioning tasks in their terminal state (failed too often inside the service), newest
/// first. Revive one after fixing the cause, or report the order's state.
#[utoipa::path(
    operation_id = "adminListDeadTasks",
    tag = "operator",
    params(PageQuery),
    security(("operator_token" = [])),
    responses(
        (status = 200, description = "Dead tasks.", body = Page<DeadTask>),
    )
)]
#[get("/provisioning/dead-tasks")]
pub async fn dead_tasks(
    state: web::Data<AppState>,
    _op: Operator,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = page.parse()?;
    let tasks = state
        .db
        .read(move |c| {
            use crate::db::schema::provisioning_tasks as pt;
            let mut q = pt::table
                .filter(pt::dead_at.is_not_null())
                .order((pt::created_at.desc(), pt::order_id.desc()))
                .limit(page.limit + 1)
                .into_boxed();
            if let Some((ts, id)) = &page.after {
                q = q.filter(
                    pt::created_at
                        .lt(*ts)
                        .or(pt::created_at.eq(*ts).and(pt::order_id.lt(id.clone()))),
                );
            }
            let rows: Vec<DeadTaskRow> = q
                .select((
                    pt::order_id,
                    pt::step,
                    pt::errors,
                    pt::last_error,
                    pt::dead_at,
                    pt::created_at,
                ))
                .load(c)?;
            Ok(Page::from_rows(
                rows,
                &page,
                |r| (r.5, r.0.clone()),
                |(order_id, step, errors, last_error, dead_at, created_at)| DeadTask {
                    order_id,
                    step,
                    errors,
                    last_error,
                    dead_at: utc(dead_at.unwrap_or(created_at)),
                    created_at: utc(created_at),
                },
            ))
        })
        .await?;
    Ok(HttpResponse::Ok().json(tasks))
}

/// Puts a dead provisioning task back in the queue (due now, errors cleared).
#[utoipa::path(
    operation_id = "adminReviveDeadTask",
    tag = "operator",
    params(("order_id" = String, Path, description = "Order id (`ord_…`).")),
    security(("operator_token" = [])),
    responses(
        (status = 204, description = "Queued again."),
        (status = 404, description = "No dead task for this order (`dead_task_not_found`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/provisioning/dead-tasks/{order_id}/revive")]
pub async fn revive(
    state: web::Data<AppState>,
    _op: Operator,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let now = state.now();
    state
        .db
        .write(move |c| {
            use crate::db::schema::provisioning_tasks as pt;
            let n = diesel::update(pt::table.find(&id).filter(pt::dead_at.is_not_null()))
                .set((
                    pt::dead_at.eq(None::<chrono::NaiveDateTime>),
                    pt::errors.eq(0),
                    pt::last_error.eq(None::<String>),
                    pt::lease_owner.eq(None::<String>),
                    pt::lease_until.eq(None::<chrono::NaiveDateTime>),
                    pt::due_at.eq(now.naive_utc()),
                ))
                .execute(c)?;
            if n == 0 {
                return Err(ApiError::NotFound {
                    code: "dead_task_not_found",
                    detail: "No dead provisioning task exists for this order; list them with GET /v1/admin/provisioning/dead-tasks.".into(),
                });
            }
            crate::db::mark_work_queued(c, crate::db::Work::Provisioning)?;
            Ok(())
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn register(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(report).service(dead_tasks).service(revive);
}

//! Provisioning: a background worker drives every open order through an upstream adapter.
//!
//! - Sandbox orders use the built-in [`Simulator`]: each `sandbox_scenario` is a fixed
//!   sequence of steps, one every `ONYX_SANDBOX_STEP_MS` (deterministic and fast).
//! - Live orders use [`HttpUpstream`] when `ONYX_UPSTREAM_URL` is set (timeouts and bounded
//!   retries), otherwise [`OperatorReports`]: the order waits for an operator to report its
//!   state at `POST /v1/admin/orders/{order_id}/provisioning`.
//!
//! Work is a table (`provisioning_tasks`). A worker claims a due task with an atomic lease
//! (a guarded `UPDATE`, so two instances never step the same task at once; a lease left by a
//! dead worker expires and the task is picked up again), asks the adapter outside any
//! transaction, then applies the answer in one transaction with the order's state machine.

pub mod admin;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};

use crate::auth::Environment;
use crate::db::schema::{order_items, provisioning_tasks};
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::jobs;
use crate::orders::state::{OrderType, SandboxScenario};
use crate::orders::{self, Progress};
use crate::state::AppState;
use crate::validation::truncate;

/// When the upstream cannot be reached, ask again after this long.
pub const UPSTREAM_RETRY_AFTER: Duration = Duration::seconds(30);

/// What an adapter is told about the order it advances.
#[derive(Debug, Clone, Serialize)]
pub struct Task {
    pub order_id: String,
    pub environment: Environment,
    pub order_type: OrderType,
    pub service_id: Option<String>,
    pub package_ids: Vec<String>,
    /// 1 for the first attempt of the order; retries count up.
    pub attempt: i32,
    /// 0 for the first step of this attempt.
    pub step: i32,
    #[serde(skip)]
    pub scenario: Option<SandboxScenario>,
}

/// An adapter's answer for one step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub progress: Progress,
    /// Ask again after this long (non-final states); `None` to wait for an operator report.
    pub poll_after: Option<Duration>,
}

#[derive(Debug, thiserror::Error)]
#[error("upstream unavailable: {0}")]
pub struct UpstreamError(pub String);

pub type StepFuture<'a> = Pin<Box<dyn Future<Output = Result<Answer, UpstreamError>> + Send + 'a>>;

/// The upstream network, behind one trait.
pub trait Upstream: Send + Sync {
    fn step<'a>(&'a self, task: &'a Task) -> StepFuture<'a>;
}

/// The sandbox simulator.
pub struct Simulator {
    pub step_delay: Duration,
}

impl Simulator {
    /// The step sequence of a scenario (for a given attempt).
    pub fn script(scenario: SandboxScenario, attempt: i32) -> Vec<Progress> {
        let failed = |code: &str, message: &str, retryable| Progress::Failed {
            code: code.into(),
            message: message.into(),
            retryable,
        };
        match scenario {
            SandboxScenario::Success => vec![Progress::Preparing, Progress::Done],
            SandboxScenario::Delayed => {
                vec![Progress::Preparing, Progress::Delayed, Progress::Done]
            }
            SandboxScenario::Failed => vec![
                Progress::Preparing,
                failed(
                    "network_rejected",
                    "The network rejected the subscription request.",
                    false,
                ),
            ],
            SandboxScenario::FailedRetryable if attempt <= 1 => vec![
                Progress::Preparing,
                failed(
                    "upstream_timeout",
                    "The network did not answer in time.",
                    true,
                ),
            ],
            SandboxScenario::FailedRetryable => vec![Progress::Preparing, Progress::Done],
            SandboxScenario::Unavailable => vec![
                Progress::Preparing,
                Progress::Unavailable {
                    message:
                        "The network cannot provide this service in the covered area right now."
                            .into(),
                },
            ],
            SandboxScenario::Manual => vec![Progress::Preparing],
        }
    }
}

impl Upstream for Simulator {
    fn step<'a>(&'a self, task: &'a Task) -> StepFuture<'a> {
        Box::pin(async move {
            let script = Simulator::script(
                task.scenario.unwrap_or(SandboxScenario::Success),
                task.attempt,
            );
            let index = (task.step.max(0) as usize).min(script.len() - 1);
            let last = index + 1 == script.len();
            Ok(Answer {
                progress: script[index].clone(),
                poll_after: (!last).then_some(self.step_delay),
            })
        })
    }
}

/// Live without a configured upstream: the order waits for operator reports.
pub struct OperatorReports;

impl Upstream for OperatorReports {
    fn step<'a>(&'a self, _task: &'a Task) -> StepFuture<'a> {
        Box::pin(async {
            Ok(Answer {
                progress: Progress::Preparing,
                poll_after: None,
            })
        })
    }
}

/// The live upstream over HTTP: `POST {base}/provisioning/steps` with the task as JSON,
/// answered with `{"state": "preparing|delayed|ready|failed|unavailable", ...}`.
pub struct HttpUpstream {
    pub base_url: String,
    pub client: reqwest::Client,
    pub attempts: u32,
    pub poll_every: Duration,
}

#[derive(Debug, Deserialize)]
struct UpstreamReply {
    state: String,
    failure_code: Option<String>,
    failure_message: Option<String>,
    #[serde(default)]
    retryable: bool,
}

impl HttpUpstream {
    /// The upstream at `base_url`, called with `client` (built by the wiring, which decides
    /// timeouts and proxies for every outbound call).
    pub fn new(base_url: &str, client: reqwest::Client, poll_every: Duration) -> Self {
        HttpUpstream {
            base_url: base_url.trim_end_matches('/').to_string(),
            client,
            attempts: 3,
            poll_every,
        }
    }

    fn interpret(&self, reply: UpstreamReply) -> Result<Answer, UpstreamError> {
        let poll = Some(self.poll_every);
        let answer = match reply.state.as_str() {
            "preparing" => Answer {
                progress: Progress::Preparing,
                poll_after: poll,
            },
            "delayed" => Answer {
                progress: Progress::Delayed,
                poll_after: poll,
            },
            "ready" | "ready_to_install" | "done" => Answer {
                progress: Progress::Done,
                poll_after: None,
            },
            "failed" => Answer {
                progress: Progress::Failed {
                    code: reply
                        .failure_code
                        .unwrap_or_else(|| "upstream_failed".into()),
                    message: reply
                        .failure_message
                        .unwrap_or_else(|| "The network could not provision the order.".into()),
                    retryable: reply.retryable,
                },
                poll_after: None,
            },
            "unavailable" => Answer {
                progress: Progress::Unavailable {
                    message: reply.failure_message.unwrap_or_else(|| {
                        "The network cannot provide this service right now.".into()
                    }),
                },
                poll_after: None,
            },
            other => return Err(UpstreamError(format!("unknown upstream state `{other}`"))),
        };
        Ok(answer)
    }
}

impl Upstream for HttpUpstream {
    fn step<'a>(&'a self, task: &'a Task) -> StepFuture<'a> {
        Box::pin(async move {
            let url = format!("{}/provisioning/steps", self.base_url);
            let mut last = String::new();
            for attempt in 0..self.attempts {
                if attempt > 0 {
                    tokio::time::sleep(StdDuration::from_millis(100 * 4u64.pow(attempt - 1))).await;
                }
                match self.client.post(&url).json(task).send().await {
                    Ok(resp) if resp.status().is_success() => {
                        let reply: UpstreamReply = resp.json().await.map_err(|e| {
                            UpstreamError(format!("unreadable upstream answer: {e}"))
                        })?;
                        return self.interpret(reply);
                    }
                    Ok(resp)
                        if resp.status().is_server_error() || resp.status().as_u16() == 429 =>
                    {
                        last = format!("upstream answered {}", resp.status());
                    }
                    Ok(resp) => {
                        return Err(UpstreamError(format!(
                            "upstream refused the step with {}",
                            resp.status()
                        )))
                    }
                    Err(e) => last = format!("upstream unreachable: {e}"),
                }
            }
            Err(UpstreamError(last))
        })
    }
}

/// The provisioning worker's adapters: the simulator for sandbox, the configured upstream for
/// live (built by `workers::upstreams`).
pub struct Upstreams {
    pub sandbox: Arc<dyn Upstream>,
    pub live: Arc<dyn Upstream>,
}

/// One claimed task: the step to ask the adapter for, and the owner that may answer it.
struct Claimed {
    task: Task,
    owner: jobs::Owner,
}

#[derive(diesel::QueryableByName)]
struct ClaimedRow {
    #[diesel(sql_type = diesel::sql_types::Text)]
    order_id: String,
    #[diesel(sql_type = diesel::sql_types::Integer)]
    step: i32,
}

/// Claims up to `limit` due tasks for `owner`: `FOR UPDATE SKIP LOCKED` on PostgreSQL, a
/// guarded update per row on SQLite. Tasks in their terminal state are never claimed.
fn claim(
    conn: &mut DbConnection,
    owner: &jobs::Owner,
    lease: jobs::Lease,
    now: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<(String, i32)>, ApiError> {
    use diesel::sql_types::{BigInt, Text, Timestamp};
    let at = now.naive_utc();
    let until = (now + lease.length).naive_utc();
    if let DbConnection::Pg(pg) = conn {
        let rows: Vec<ClaimedRow> = diesel::sql_query(
            "UPDATE provisioning_tasks SET lease_owner = $1, lease_until = $2 \
             WHERE order_id IN (SELECT order_id FROM provisioning_tasks \
               WHERE due_at <= $3 AND dead_at IS NULL AND (lease_until IS NULL OR lease_until < $3) \
               ORDER BY due_at LIMIT $4 FOR UPDATE SKIP LOCKED) \
             RETURNING order_id, step",
        )
        .bind::<Text, _>(owner.as_str())
        .bind::<Timestamp, _>(until)
        .bind::<Timestamp, _>(at)
        .bind::<BigInt, _>(limit)
        .load(pg)?;
        return Ok(rows.into_iter().map(|r| (r.order_id, r.step)).collect());
    }
    let due: Vec<(String, i32)> = crate::db::native!(conn, |c| provisioning_tasks::table
        .filter(provisioning_tasks::due_at.le(at))
        .filter(provisioning_tasks::dead_at.is_null())
        .filter(
            provisioning_tasks::lease_until
                .is_null()
                .or(provisioning_tasks::lease_until.lt(at)),
        )
        .order(provisioning_tasks::due_at.asc())
        .limit(limit)
        .select((provisioning_tasks::order_id, provisioning_tasks::step))
        .load(c))?;
    let mut claimed = Vec::new();
    for (order_id, step) in due {
        let n = crate::db::native!(conn, |c| diesel::update(
            provisioning_tasks::table
                .find(&order_id)
                .filter(provisioning_tasks::step.eq(step))
                .filter(
                    provisioning_tasks::lease_until
                        .is_null()
                        .or(provisioning_tasks::lease_until.lt(at)),
                ),
        )
        .set((
            provisioning_tasks::lease_owner.eq(Some(owner.as_str())),
            provisioning_tasks::lease_until.eq(Some(until)),
        ))
        .execute(c))?;
        if n == 1 {
            claimed.push((order_id, step));
        }
    }
    Ok(claimed)
}

/// What the adapter needs to know about a claimed task.
fn load_task(conn: &mut DbConnection, order_id: &str, step: i32) -> Result<Task, ApiError> {
    let order = orders::row_by_id(conn, order_id)?;
    let package_ids: Vec<String> = crate::db::native!(conn, |c| order_items::table
        .filter(order_items::order_id.eq(order_id))
        .order(order_items::position.asc())
        .select(order_items::package_id)
        .load(c))?;
    Ok(Task {
        environment: order.tenant()?.environment(),
        order_type: order.order_type()?,
        service_id: order.service_id.clone(),
        attempt: order.attempt,
        scenario: order.scenario()?,
        order_id: order_id.to_string(),
        package_ids,
        step,
    })
}

/// Whether `owner` still holds its claim on `step` of the task; the check is a write on the
/// row, so it also locks the row until the transaction ends and no other instance can take
/// the task in between.
fn owned(
    conn: &mut DbConnection,
    order_id: &str,
    step: i32,
    owner: &jobs::Owner,
) -> Result<bool, ApiError> {
    let n = crate::db::native!(conn, |c| diesel::update(
        provisioning_tasks::table
            .find(order_id)
            .filter(provisioning_tasks::step.eq(step))
            .filter(provisioning_tasks::lease_owner.eq(owner.as_str())),
    )
    .set(provisioning_tasks::lease_owner.eq(owner.as_str()))
    .execute(c))?;
    Ok(n == 1)
}

/// Applies an adapter's answer, if the claim is still ours: the order's state machine, then
/// the next step or none. A claim lost meanwhile (the lease ran out and another owner took
/// the task, or the task was cancelled or retried) drops the answer.
fn apply(
    conn: &mut DbConnection,
    vault: &crate::vault::Vault,
    claimed: &Claimed,
    answer: Result<Answer, UpstreamError>,
    now: DateTime<Utc>,
) -> Result<&'static str, ApiError> {
    let task = &claimed.task;
    // The partner lock first (the order's partner never changes), then the order and the
    // claim as they are under it: a retry or an operator report of the same partner commits
    // either wholly before this check or after this answer, never in between, and the locks
    // are taken in the order every other writer takes them (partner, then task).
    let order = orders::row_locked(conn, &task.order_id)?;
    if !owned(conn, &task.order_id, task.step, &claimed.owner)? || order.attempt != task.attempt {
        tracing::warn!(order_id = %task.order_id, step = task.step, "provisioning answer dropped: the claim was lost or the task changed meanwhile");
        return Ok("dropped");
    }
    let outcome = if answer.is_ok() {
        "applied"
    } else {
        "upstream_unavailable"
    };
    match answer {
        Err(e) => {
            tracing::warn!(order_id = %task.order_id, error = %e, "provisioning step failed; will ask again");
            diesel::update(provisioning_tasks::table.find(&task.order_id))
                .set((
                    provisioning_tasks::lease_owner.eq(None::<String>),
                    provisioning_tasks::lease_until.eq(None::<chrono::NaiveDateTime>),
                    provisioning_tasks::due_at.eq((now + UPSTREAM_RETRY_AFTER).naive_utc()),
                ))
                .execute(conn)?;
        }
        Ok(answer) => {
            let open =
                orders::apply_progress_locked(conn, vault, order, answer.progress.clone(), now)?;
            // A final answer already removed the task; otherwise ask again later, or wait
            // for an operator report when the adapter has nothing to poll.
            if !answer.progress.is_final() {
                match answer.poll_after {
                    Some(delay) if open => {
                        orders::schedule(conn, &task.order_id, task.step + 1, now + delay)?
                    }
                    _ => orders::unschedule(conn, &task.order_id)?,
                }
            }
        }
    }
    Ok(outcome)
}

/// A job of ours failed (not the upstream's answer): count it on the task, retry it later,
/// and after [`jobs::MAX_JOB_ERRORS`] leave it dead (terminal, listed for operators) so that
/// it stops using the worker. Conditional on still owning the claim.
fn record_error(
    conn: &mut DbConnection,
    order_id: &str,
    step: i32,
    owner: &jobs::Owner,
    error: &ApiError,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let row: Option<i32> = provisioning_tasks::table
        .find(order_id)
        .filter(provisioning_tasks::step.eq(step))
        .filter(provisioning_tasks::lease_owner.eq(owner.as_str()))
        .select(provisioning_tasks::errors)
        .first(conn)
        .optional()?;
    let Some(errors) = row.map(|e| e + 1) else {
        return Ok(());
    };
    let dead = errors >= jobs::MAX_JOB_ERRORS;
    let message = truncate(&error.to_string(), 500);
    diesel::update(provisioning_tasks::table.find(order_id))
        .set((
            provisioning_tasks::errors.eq(errors),
            provisioning_tasks::last_error.eq(Some(message)),
            provisioning_tasks::lease_owner.eq(None::<String>),
            provisioning_tasks::lease_until.eq(None::<chrono::NaiveDateTime>),
            provisioning_tasks::due_at.eq((now + jobs::backoff(errors)).naive_utc()),
            provisioning_tasks::dead_at.eq(dead.then(|| now.naive_utc())),
        ))
        .execute(conn)?;
    if dead {
        tracing::error!(
            order_id,
            step,
            errors,
            "provisioning task failed too often; it is dead until an operator retries it"
        );
    } else {
        tracing::warn!(
            order_id,
            step,
            errors,
            "provisioning task failed; it will be retried"
        );
    }
    Ok(())
}

/// Claims up to `limit` due tasks for `owner`.
pub async fn claim_due(
    state: &AppState,
    owner: &jobs::Owner,
    limit: usize,
) -> Result<Vec<(String, i32)>, ApiError> {
    let now = state.now();
    let lease = jobs::Lease::from_std(state.config.job_lease);
    let owner = owner.clone();
    state
        .db
        .write(move |c| claim(c, &owner, lease, now, limit as i64))
        .await
}

/// Runs one claimed task, isolated: its error or panic is recorded on the task (retried
/// with backoff, then dead) and never reaches the caller.
pub async fn handle(
    state: AppState,
    upstreams: Arc<Upstreams>,
    owner: jobs::Owner,
    (order_id, step): (String, i32),
) {
    let lease = jobs::Lease::from_std(state.config.job_lease);
    let (id, o) = (order_id.clone(), owner.clone());
    let result = jobs::isolated(step_one(
        state.clone(),
        upstreams,
        owner,
        order_id,
        step,
        lease,
    ))
    .await;
    if let Err(e) = result {
        state.metrics.job_outcome("provisioning", "error");
        let now = state.now();
        if let Err(e2) = state
            .db
            .write(move |c| record_error(c, &id, step, &o, &e, now))
            .await
        {
            tracing::error!(error = %e2, "could not record a provisioning task's error");
        }
    }
}

/// Claims due tasks for `owner` and steps each through `upstreams`, up to the configured
/// concurrency at once; returns how many were claimed (one batch; `serve` runs a continuous
/// pool of the same steps, see `workers`).
pub async fn run_due(
    state: &AppState,
    upstreams: &Arc<Upstreams>,
    owner: &jobs::Owner,
) -> Result<usize, ApiError> {
    let limit = state.config.provisioning_concurrency.max(1);
    jobs::run_batch(limit, claim_due(state, owner, limit), |item| {
        handle(state.clone(), Arc::clone(upstreams), owner.clone(), item)
    })
    .await
}

/// One claimed task: load it, ask the adapter (renewing the lease meanwhile), apply the answer.
async fn step_one(
    state: AppState,
    upstreams: Arc<Upstreams>,
    owner: jobs::Owner,
    order_id: String,
    step: i32,
    lease: jobs::Lease,
) -> Result<(), ApiError> {
    let id = order_id.clone();
    let task = state.db.read(move |c| load_task(c, &id, step)).await?;
    let claimed = Claimed { task, owner };
    let answer = {
        let (id, o) = (order_id.clone(), claimed.owner.clone());
        let _heartbeat = jobs::Heartbeat::start(
            state.db.clone(),
            lease.renew_every(),
            format!("provisioning {order_id}"),
            {
                let clock = state.clock.clone();
                move |c| {
                    let until = (crate::time::db_precision(clock.now()) + lease.length).naive_utc();
                    Ok(diesel::update(
                        provisioning_tasks::table
                            .find(&id)
                            .filter(provisioning_tasks::step.eq(step))
                            .filter(provisioning_tasks::lease_owner.eq(o.as_str())),
                    )
                    .set(provisioning_tasks::lease_until.eq(Some(until)))
                    .execute(c)?)
                }
            },
        );
        match claimed.task.environment {
            Environment::Sandbox => upstreams.sandbox.step(&claimed.task).await,
            Environment::Live => upstreams.live.step(&claimed.task).await,
        }
    };
    let now = state.now();
    let vault = Arc::clone(&state.vault);
    let outcome = state
        .db
        .write(move |c| apply(c, &vault, &claimed, answer, now))
        .await?;
    state.metrics.job_outcome("provisioning", outcome);
    Ok(())
}

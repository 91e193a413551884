//! Delivery: fan-out of events to endpoints (in the event's transaction), the delivery worker
//! and the retry schedule.
//!
//! Retry schedule after a failed attempt (each delay ±10 % jitter, first attempt at once):
//! 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 14 h, 20 h, 20 h — ten attempts over about three days.
//! A `Retry-After` from the receiver (seconds, at most 24 h) is honoured when longer. A 2xx
//! answer is success; redirects are not followed; the timeout is 15 s. A `410 Gone` disables
//! the endpoint at once. When a delivery exhausts its schedule and the endpoint has not
//! succeeded since the delivery was created (about three days of failure), the endpoint is
//! disabled and a `webhook_endpoint.disabled` event is recorded.
//!
//! Claiming runs on the job runtime (`crate::jobs`): the worker picks due deliveries fairly
//! (at most one in flight per endpoint, partners in turn, none for disabled endpoints or
//! endpoints whose circuit breaker is open), then claims them with its owner token and a
//! lease (`FOR UPDATE SKIP LOCKED` on PostgreSQL, a guarded update on SQLite). A claim
//! increments the attempt number; the lease is renewed while the receiver is awaited, so a
//! slow receiver never lets another instance send the same attempt; the outcome is recorded
//! only by the claim's owner. A worker that dies leaves a lease that expires, and the delivery
//! is sent again later (at least once). An attempt whose signing secret cannot be decrypted
//! is recorded as a failed attempt (`signing_secret_unreadable`) and follows the schedule.
//!
//! Loopback receivers (a sandbox URL naming loopback) reach the machine the service runs on:
//! of their answer only the status code is recorded, every failure to reach them is the one
//! text [`LOOPBACK_UNREACHABLE`], and a loopback URL on the service's own port is not called.
//! Webhooks never go through a proxy named by the environment; through `ONYX_OUTBOUND_PROXY`
//! each destination is checked before it is handed over (see `ssrf`).

use std::sync::Arc;
use std::time::{Duration as StdDuration, Instant};

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Integer, Text, Timestamp};
use rand::Rng;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::{signing, Row as EndpointRow};
use crate::auth::{Environment, Tenant};
use crate::db::schema::{
    webhook_attempts as wa, webhook_deliveries as wd, webhook_endpoints as we,
};
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::jobs;
use crate::paginate;
use crate::pagination::{Page, PageRequest};
use crate::state::AppState;
use crate::time::{utc, utc_opt};
use crate::validation::truncate;

/// Delays after attempt 1, 2, … (seconds); the last entry ends the schedule.
pub const SCHEDULE_SECS: [i64; 9] = [5, 300, 1_800, 7_200, 18_000, 36_000, 50_400, 72_000, 72_000];
pub const MAX_ATTEMPTS: i32 = SCHEDULE_SECS.len() as i32 + 1;
pub const TIMEOUT: StdDuration = StdDuration::from_secs(15);
pub const EXCERPT_BYTES: usize = 1024;
pub const REPLAY_WINDOW: Duration = Duration::days(30);

/// The delay before the next attempt after `attempt` failed, if there is one.
pub fn next_delay(attempt: i32, retry_after_secs: Option<i64>) -> Option<Duration> {
    let base = *SCHEDULE_SECS.get((attempt - 1).max(0) as usize)?;
    let jitter = rand::thread_rng().gen_range(0.9..=1.1);
    let mut secs = (base as f64 * jitter).round() as i64;
    if let Some(ra) = retry_after_secs {
        secs = secs.max(ra.min(86_400));
    }
    Some(Duration::seconds(secs.max(1)))
}

fn insert_delivery(
    conn: &mut DbConnection,
    tenant: &Tenant,
    endpoint_id: &str,
    event_id: &str,
    replay: bool,
    now: DateTime<Utc>,
) -> Result<String, ApiError> {
    let id = crate::ids::new_id("del");
    let at = now.naive_utc();
    diesel::insert_into(wd::table)
        .values((
            wd::id.eq(&id),
            wd::endpoint_id.eq(endpoint_id),
            wd::event_id.eq(event_id),
            wd::partner_id.eq(tenant.partner_id()),
            wd::environment.eq(tenant.environment().as_str()),
            wd::status.eq("pending"),
            wd::replay.eq(replay),
            wd::attempts.eq(0),
            wd::next_attempt_at.eq(Some(at)),
            wd::created_at.eq(at),
            wd::updated_at.eq(at),
        ))
        .execute(conn)?;
    crate::db::mark_work_queued(conn, crate::db::Work::Webhooks)?;
    Ok(id)
}

fn endpoints_for(
    conn: &mut DbConnection,
    tenant: &Tenant,
    event_type: &str,
) -> Result<Vec<EndpointRow>, ApiError> {
    let rows: Vec<EndpointRow> = crate::db::native!(conn, |c| we::table
        .filter(we::partner_id.eq(tenant.partner_id()))
        .filter(we::environment.eq(tenant.environment().as_str()))
        .filter(we::enabled.eq(true))
        .filter(we::deleted_at.is_null())
        .select(EndpointRow::as_select())
        .load(c))?;
    Ok(rows
        .into_iter()
        .filter(|e| e.subscribes_to(event_type))
        .collect())
}

/// Queues the event for every enabled endpoint that subscribes to it.
pub fn fan_out(
    conn: &mut DbConnection,
    tenant: &Tenant,
    event_id: &str,
    event_type: &str,
    now: DateTime<Utc>,
) -> Result<usize, ApiError> {
    let endpoints = endpoints_for(conn, tenant, event_type)?;
    for e in &endpoints {
        insert_delivery(conn, tenant, &e.id, event_id, false, now)?;
    }
    Ok(endpoints.len())
}

/// Replays an event to one endpoint or to every subscribed one; returns the new deliveries.
pub fn replay(
    conn: &mut DbConnection,
    tenant: &Tenant,
    event_id: &str,
    endpoint_id: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Vec<String>, ApiError> {
    let event = crate::events::get(conn, tenant, event_id)?;
    if now - event.created_at > REPLAY_WINDOW {
        return Err(ApiError::Conflict {
            code: "event_not_replayable",
            detail: "Events can be replayed for 30 days after they happened; this one is older."
                .into(),
        });
    }
    let targets: Vec<String> = match endpoint_id {
        Some(id) => {
            let e = super::row(conn, tenant, id)?;
            if !e.enabled {
                return Err(ApiError::Conflict {
                    code: "endpoint_disabled",
                    detail: "This endpoint is disabled; enable it (PATCH enabled=true) before replaying to it.".into(),
                });
            }
            vec![e.id]
        }
        None => endpoints_for(conn, tenant, &event.event_type)?
            .into_iter()
            .map(|e| e.id)
            .collect(),
    };
    if targets.is_empty() {
        return Err(ApiError::Conflict {
            code: "no_endpoint_to_replay",
            detail:
                "No enabled endpoint subscribes to this event type; create or enable one first."
                    .into(),
        });
    }
    targets
        .iter()
        .map(|t| insert_delivery(conn, tenant, t, event_id, true, now))
        .collect()
}

/// Sends a `webhook.test` event to one endpoint.
pub fn send_test(
    conn: &mut DbConnection,
    tenant: &Tenant,
    endpoint_id: &str,
    now: DateTime<Utc>,
) -> Result<(String, String), ApiError> {
    let e = super::row(conn, tenant, endpoint_id)?;
    if !e.enabled {
        return Err(ApiError::Conflict {
            code: "endpoint_disabled",
            detail: "This endpoint is disabled; enable it (PATCH enabled=true) before sending it a test event.".into(),
        });
    }
    let data = super::payloads::value(&super::payloads::WebhookTestData {
        endpoint_id: e.id.clone(),
        message: "A test event from Onyx; reply with any 2xx status.".into(),
    })?;
    let event_id = crate::events::insert(conn, tenant, "webhook.test", &e.id, data, now)?;
    let delivery = insert_delivery(conn, tenant, &e.id, &event_id, false, now)?;
    Ok((event_id, delivery))
}

/// Stops the pending deliveries of an endpoint (deleted or disabled).
pub fn stop_pending(
    conn: &mut DbConnection,
    endpoint_id: &str,
    why: &str,
    now: DateTime<Utc>,
) -> Result<usize, ApiError> {
    let at = now.naive_utc();
    Ok(diesel::update(
        wd::table
            .filter(wd::endpoint_id.eq(endpoint_id))
            .filter(wd::status.eq("pending")),
    )
    .set((
        wd::status.eq("failed"),
        wd::last_error.eq(Some(why)),
        wd::next_attempt_at.eq(None::<chrono::NaiveDateTime>),
        wd::completed_at.eq(Some(at)),
        wd::updated_at.eq(at),
    ))
    .execute(conn)?)
}

#[derive(QueryableByName, Debug)]
struct ClaimedRow {
    #[diesel(sql_type = Text)]
    id: String,
    #[diesel(sql_type = Integer)]
    attempts: i32,
}

/// How many failed attempts in a row (timeouts, refused connections, 5xx) open an endpoint's
/// circuit: its deliveries then wait, without using attempts, until the circuit closes.
pub const CIRCUIT_THRESHOLD: i32 = 5;

/// How long an open circuit stays open after `failures` failures in a row: 30 s, doubling up
/// to 10 minutes. The next attempt after that is the probe.
pub fn circuit_pause(failures: i32) -> Duration {
    let exp = (failures - CIRCUIT_THRESHOLD).clamp(0, 10) as u32;
    Duration::seconds((30i64 << exp).min(600))
}

/// Picks the deliveries to send now, fairly: endpoints that are disabled, deleted or whose
/// circuit is open get none; an endpoint gets at most `per_endpoint` in flight; partners take
/// turns (round robin over their endpoints, oldest due first), so one partner's backlog or
/// slow endpoint never holds back another partner's deliveries.
fn pick(
    conn: &mut DbConnection,
    now: DateTime<Utc>,
    limit: usize,
    per_endpoint: usize,
) -> Result<Vec<(String, i32)>, ApiError> {
    use std::collections::{BTreeMap, HashMap, VecDeque};
    let at = now.naive_utc();
    let mut in_flight: HashMap<String, usize> = HashMap::new();
    let leased: Vec<String> = crate::db::native!(conn, |c| wd::table
        .filter(wd::lease_owner.is_not_null())
        .filter(wd::status.eq("pending"))
        .filter(wd::lease_until.ge(at))
        .select(wd::endpoint_id)
        .load(c))?;
    for endpoint in leased {
        *in_flight.entry(endpoint).or_default() += 1;
    }
    // One row per endpoint with due work, oldest first.
    let endpoints: Vec<(String, String, Option<chrono::NaiveDateTime>)> =
        crate::db::native!(conn, |c| wd::table
            .inner_join(we::table)
            .filter(wd::status.eq("pending"))
            .filter(wd::next_attempt_at.le(at))
            .filter(wd::lease_until.is_null().or(wd::lease_until.lt(at)))
            .filter(we::enabled.eq(true))
            .filter(we::deleted_at.is_null())
            .filter(
                we::circuit_open_until
                    .is_null()
                    .or(we::circuit_open_until.le(at)),
            )
            .group_by((wd::endpoint_id, wd::partner_id))
            .select((
                wd::endpoint_id,
                wd::partner_id,
                diesel::dsl::min(wd::next_attempt_at),
            ))
            .load(c))?;
    let mut endpoints: Vec<_> = endpoints
        .into_iter()
        .filter_map(|(endpoint, partner, oldest)| {
            let free = per_endpoint.saturating_sub(in_flight.get(&endpoint).copied().unwrap_or(0));
            (free > 0).then_some((oldest, endpoint, partner, free))
        })
        .collect();
    endpoints.sort();
    // Round robin: each partner's endpoints in a queue; partners in order of their oldest.
    let mut partners: Vec<String> = Vec::new();
    let mut queues: BTreeMap<String, VecDeque<(String, usize)>> = BTreeMap::new();
    for (_, endpoint, partner, free) in endpoints {
        if !queues.contains_key(&partner) {
            partners.push(partner.clone());
        }
        queues
            .entry(partner)
            .or_default()
            .push_back((endpoint, free));
    }
    let mut grants: Vec<(String, usize)> = Vec::new();
    let mut budget = limit;
    while budget > 0 {
        let mut granted = false;
        for partner in &partners {
            if budget == 0 {
                break;
            }
            let Some(queue) = queues.get_mut(partner) else {
                continue;
            };
            if let Some((endpoint, free)) = queue.pop_front() {
                match grants.iter_mut().find(|(e, _)| *e == endpoint) {
                    Some(g) => g.1 += 1,
                    None => grants.push((endpoint.clone(), 1)),
                }
                budget -= 1;
                granted = true;
                if free > 1 {
                    queue.push_back((endpoint, free - 1));
                }
            }
        }
        if !granted {
            break;
        }
    }
    if let DbConnection::Pg(pg) = conn {
        // One statement for every granted endpoint: each one's oldest due deliveries.
        let (endpoints, counts): (Vec<String>, Vec<i32>) =
            grants.into_iter().map(|(e, n)| (e, n as i32)).unzip();
        let rows: Vec<ClaimedRow> = diesel::sql_query(
            "SELECT d.id, d.attempts FROM unnest($1::text[], $2::int[]) AS g(endpoint_id, n) \
             CROSS JOIN LATERAL (SELECT id, attempts FROM webhook_deliveries \
               WHERE endpoint_id = g.endpoint_id AND status = 'pending' AND next_attempt_at <= $3 \
               AND (lease_until IS NULL OR lease_until < $3) \
               ORDER BY next_attempt_at, id LIMIT g.n) AS d",
        )
        .bind::<diesel::sql_types::Array<Text>, _>(endpoints)
        .bind::<diesel::sql_types::Array<Integer>, _>(counts)
        .bind::<Timestamp, _>(at)
        .load(pg)?;
        return Ok(rows.into_iter().map(|r| (r.id, r.attempts)).collect());
    }
    let mut picked = Vec::new();
    for (endpoint, n) in grants {
        let rows: Vec<(String, i32)> = wd::table
            .filter(wd::endpoint_id.eq(&endpoint))
            .filter(wd::status.eq("pending"))
            .filter(wd::next_attempt_at.le(at))
            .filter(wd::lease_until.is_null().or(wd::lease_until.lt(at)))
            .order((wd::next_attempt_at.asc(), wd::id.asc()))
            .limit(n as i64)
            .select((wd::id, wd::attempts))
            .load(conn)?;
        picked.extend(rows);
    }
    Ok(picked)
}

/// Claims up to `limit` due deliveries for `owner`: (delivery id, attempt number). The picks
/// are taken with `FOR UPDATE SKIP LOCKED` on PostgreSQL and a guarded update on SQLite;
/// a claim increments the attempt number and sets the lease.
pub fn claim(
    conn: &mut DbConnection,
    owner: &jobs::Owner,
    lease: jobs::Lease,
    now: DateTime<Utc>,
    limit: usize,
    per_endpoint: usize,
) -> Result<Vec<(String, i32)>, ApiError> {
    let at = now.naive_utc();
    let until = (now + lease.length).naive_utc();
    crate::db::relaxed_commit(conn)?;
    let picked = pick(conn, now, limit, per_endpoint)?;
    if picked.is_empty() {
        return Ok(Vec::new());
    }
    match conn {
        DbConnection::Pg(pg) => {
            let ids: Vec<String> = picked.into_iter().map(|(id, _)| id).collect();
            let rows: Vec<ClaimedRow> = diesel::sql_query(
                "UPDATE webhook_deliveries SET lease_owner = $1, lease_until = $2, attempts = attempts + 1, updated_at = $3 \
                 WHERE id IN (SELECT id FROM webhook_deliveries \
                   WHERE id = ANY($4) AND status = 'pending' AND (lease_until IS NULL OR lease_until < $3) \
                   AND EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.id = webhook_deliveries.endpoint_id \
                     AND e.enabled AND e.deleted_at IS NULL) \
                   FOR UPDATE SKIP LOCKED) \
                 RETURNING id, attempts",
            )
            .bind::<Text, _>(owner.as_str())
            .bind::<Timestamp, _>(until)
            .bind::<Timestamp, _>(at)
            .bind::<diesel::sql_types::Array<Text>, _>(ids)
            .load(pg)?;
            Ok(rows.into_iter().map(|c| (c.id, c.attempts)).collect())
        }
        DbConnection::Sqlite(_) => {
            let mut claimed = Vec::new();
            for (id, attempts) in picked {
                let n = diesel::update(
                    wd::table
                        .find(&id)
                        .filter(wd::status.eq("pending"))
                        .filter(wd::attempts.eq(attempts))
                        .filter(wd::lease_until.is_null().or(wd::lease_until.lt(at))),
                )
                .set((
                    wd::lease_owner.eq(Some(owner.as_str())),
                    wd::lease_until.eq(Some(until)),
                    wd::attempts.eq(attempts + 1),
                    wd::updated_at.eq(at),
                ))
                .execute(conn)?;
                if n == 1 {
                    claimed.push((id, attempts + 1));
                }
            }
            Ok(claimed)
        }
    }
}

/// What one attempt produced.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub status: Option<u16>,
    pub error: Option<String>,
    pub excerpt: Option<String>,
    pub latency_ms: i32,
    pub retry_after_secs: Option<i64>,
}

impl Outcome {
    fn succeeded(&self) -> bool {
        self.status.is_some_and(|s| (200..300).contains(&s))
    }
}

/// Everything needed to send one attempt (loaded in the claiming transaction).
struct Job {
    delivery_id: String,
    attempt: i32,
    owner: jobs::Owner,
    endpoint: Arc<EndpointRow>,
    /// The signing secrets, or why they cannot be opened (recorded as a failed attempt).
    secrets: Result<Vec<String>, String>,
    message_id: String,
    event_created_at: DateTime<Utc>,
    body: Vec<u8>,
}

async fn send(state: &AppState, clients: &Clients, job: &Job, timestamp: i64) -> Outcome {
    let started = Instant::now();
    let secrets = match &job.secrets {
        Ok(secrets) => secrets,
        Err(why) => {
            return Outcome {
                status: None,
                error: Some(why.clone()),
                excerpt: None,
                latency_ms: 0,
                retry_after_secs: None,
            }
        }
    };
    let env = match Environment::from_stored(
        &job.endpoint.environment,
        "webhook_endpoints.environment",
    ) {
        Ok(env) => env,
        Err(e) => {
            return Outcome {
                status: None,
                error: Some(format!("not sent: {e}")),
                excerpt: None,
                latency_ms: 0,
                retry_after_secs: None,
            }
        }
    };
    let elapsed = |s: Instant| s.elapsed().as_millis().min(i32::MAX as u128) as i32;
    let refused = |why: String| Outcome {
        status: None,
        error: Some(why),
        excerpt: None,
        latency_ms: 0,
        retry_after_secs: None,
    };
    let Ok(url) = url::Url::parse(&job.endpoint.url) else {
        return refused("not sent: the endpoint's URL cannot be parsed".into());
    };
    let host = url.host_str().unwrap_or("").to_string();
    let policy = super::UrlPolicy::of(state);
    let dev_mode = policy.dev_mode;
    // A loopback target is known from the URL alone (sandbox names that merely resolve to
    // loopback are refused by the resolver), so it is known before anything is sent.
    let loopback = super::ssrf::names_loopback(&host);
    if policy.calls_itself(&url) {
        return refused("refused: the URL points at this service's own port".into());
    }
    // IP-literal hosts skip DNS, so they are checked here; names are checked by the resolver.
    if let Some(ip) = super::ssrf::literal(&host) {
        if !dev_mode && !super::ssrf::allowed(ip, env == Environment::Sandbox) {
            return refused(format!("refused: {ip} is not a public address"));
        }
    }
    let direct = loopback && (env == Environment::Sandbox || dev_mode);
    let client = if direct {
        &clients.loopback
    } else {
        // Through a proxy the destination is resolved and checked first: the proxy resolves
        // it again itself, the guarded resolver never sees it.
        if clients.proxied {
            if let Err(why) = super::ssrf::check_destination(&host, clients.reach).await {
                return refused(format!("not sent: {why}"));
            }
        }
        &clients.public
    };
    let request = client
        .post(url)
        .header("content-type", "application/json")
        .header("user-agent", "Onyx-Webhooks/1.0")
        .header("webhook-id", &job.message_id)
        .header("webhook-timestamp", timestamp.to_string())
        .header(
            "webhook-signature",
            signing::header(secrets, &job.message_id, timestamp, &job.body),
        )
        .body(job.body.clone());
    match request.send().await {
        // A loopback receiver must not be a port scanner: one wording whatever the cause
        // (refused, reset, not HTTP, TLS, timeout), and no time taken. (A loopback name in
        // live is refused by the resolver before any connection: that error stays precise.)
        Err(_) if direct => Outcome {
            status: None,
            error: Some(LOOPBACK_UNREACHABLE.into()),
            excerpt: None,
            latency_ms: 0,
            retry_after_secs: None,
        },
        Err(e) => {
            let mut msg = e.to_string();
            let mut source = std::error::Error::source(&e);
            while let Some(s) = source {
                msg = format!("{msg}: {s}");
                source = s.source();
            }
            Outcome {
                status: None,
                error: Some(truncate(&msg, 500)),
                excerpt: None,
                latency_ms: elapsed(started),
                retry_after_secs: None,
            }
        }
        Ok(mut resp) => {
            let status = resp.status().as_u16();
            let error =
                (!(200..300).contains(&status)).then(|| format!("receiver answered {status}"));
            let retry_after = resp
                .headers()
                .get("retry-after")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.trim().parse::<i64>().ok());
            // A loopback answer is not a read channel: of it only what steers delivery is
            // kept (the status code, a Retry-After in seconds), never its body. A direct
            // answer's connected address is checked too, whatever the URL named (through a
            // proxy it is the proxy's address).
            let via_proxy = clients.proxied && !direct;
            if loopback
                || (!via_proxy
                    && resp
                        .remote_addr()
                        .is_none_or(|a| super::ssrf::is_loopback(a.ip())))
            {
                return Outcome {
                    status: Some(status),
                    error,
                    excerpt: None,
                    latency_ms: elapsed(started),
                    retry_after_secs: retry_after,
                };
            }
            let mut body = Vec::new();
            while body.len() < EXCERPT_BYTES * 4 {
                match resp.chunk().await {
                    Ok(Some(chunk)) => body.extend_from_slice(&chunk),
                    _ => break,
                }
            }
            let text = String::from_utf8_lossy(&body);
            Outcome {
                status: Some(status),
                error,
                excerpt: (!text.is_empty()).then(|| truncate(&text, EXCERPT_BYTES)),
                latency_ms: elapsed(started),
                retry_after_secs: retry_after,
            }
        }
    }
}

/// The one error text of a loopback receiver that could not be reached, whatever the cause:
/// the cause would tell a closed port from a service that does not speak HTTP.
pub const LOOPBACK_UNREACHABLE: &str = "no answer from the loopback receiver (for loopback addresses the cause is not recorded: refused, reset, timed out or not HTTP)";

/// The error text of an attempt that could not be signed: the endpoint's signing secret does
/// not open with the service's current key.
pub const SECRET_UNREADABLE: &str = "signing_secret_unreadable: the endpoint's signing secret cannot be decrypted with the service's current key; rotate the secret (POST /v1/webhook-endpoints/{id}/rotate-secret)";

/// Loads claimed attempts with everything needed to send them, in three queries whatever
/// their number (deliveries, their endpoints, their events). An attempt that cannot be loaded
/// carries its own error; the others are unaffected.
fn load_jobs(
    conn: &mut DbConnection,
    vault: &crate::vault::Vault,
    owner: &jobs::Owner,
    claimed: Vec<(String, i32)>,
    now: DateTime<Utc>,
) -> Result<Vec<Claimed>, ApiError> {
    use std::collections::HashMap;
    if claimed.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<&str> = claimed.iter().map(|(id, _)| id.as_str()).collect();
    let rows: HashMap<String, (String, String)> = wd::table
        .filter(wd::id.eq_any(&ids))
        .select((wd::id, wd::endpoint_id, wd::event_id))
        .load::<(String, String, String)>(conn)?
        .into_iter()
        .map(|(id, endpoint, event)| (id, (endpoint, event)))
        .collect();
    let mut endpoint_ids: Vec<&str> = rows.values().map(|(e, _)| e.as_str()).collect();
    endpoint_ids.sort_unstable();
    endpoint_ids.dedup();
    type Opened = (Arc<EndpointRow>, Result<Vec<String>, String>);
    let mut endpoints: HashMap<String, Opened> = we::table
        .filter(we::id.eq_any(&endpoint_ids))
        .select(EndpointRow::as_select())
        .load::<EndpointRow>(conn)?
        .into_iter()
        .map(|endpoint| {
            let secrets = endpoint.signing_secrets(vault, now).map_err(|e| {
                tracing::error!(endpoint_id = %endpoint.id, error = %e, "a webhook signing secret cannot be opened");
                SECRET_UNREADABLE.to_string()
            });
            (endpoint.id.clone(), (Arc::new(endpoint), secrets))
        })
        .collect();
    let event_ids: Vec<String> = rows.values().map(|(_, e)| e.clone()).collect();
    let events: HashMap<String, crate::events::EventRead> =
        crate::events::envelopes_by_ids(conn, &event_ids)?
            .into_iter()
            .collect();
    let mut loaded = Vec::with_capacity(claimed.len());
    for (delivery_id, attempt) in claimed {
        let job = (|| {
            let (endpoint_id, event_id) = rows
                .get(&delivery_id)
                .ok_or_else(|| ApiError::internal("a claimed delivery vanished"))?;
            let (endpoint, secrets) = endpoints
                .get_mut(endpoint_id)
                .ok_or_else(|| ApiError::internal("a claimed delivery's endpoint vanished"))?;
            let envelope = match events.get(event_id) {
                Some(Ok(e)) => e,
                Some(Err(e)) => return Err(ApiError::internal(format!("event {event_id}: {e}"))),
                None => return Err(ApiError::internal("a claimed delivery's event vanished")),
            };
            Ok(Job {
                delivery_id: delivery_id.clone(),
                attempt,
                owner: owner.clone(),
                endpoint: Arc::clone(endpoint),
                secrets: secrets.clone(),
                message_id: event_id.clone(),
                event_created_at: envelope.created_at,
                body: serde_json::to_vec(envelope).map_err(ApiError::internal)?,
            })
        })();
        loaded.push(Claimed {
            delivery_id,
            attempt,
            job,
        });
    }
    Ok(loaded)
}

/// Disables an endpoint with a reason, stops its deliveries, records the event.
pub fn disable(
    conn: &mut DbConnection,
    endpoint: &EndpointRow,
    reason: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let at = now.naive_utc();
    let changed = diesel::update(we::table.find(&endpoint.id).filter(we::enabled.eq(true)))
        .set((
            we::enabled.eq(false),
            we::disabled_reason.eq(Some(reason)),
            we::updated_at.eq(at),
        ))
        .execute(conn)?;
    if changed == 0 {
        return Ok(());
    }
    stop_pending(conn, &endpoint.id, "endpoint disabled", now)?;
    let tenant = Tenant::of_row(
        &endpoint.partner_id,
        &endpoint.environment,
        "webhook_endpoints.environment",
    )?;
    // The outbox sits above this module; insert the event and fan it out here.
    let event_id = crate::events::insert(
        conn,
        &tenant,
        "webhook_endpoint.disabled",
        &endpoint.id,
        super::payloads::value(&super::payloads::WebhookEndpointDisabledData {
            endpoint_id: endpoint.id.clone(),
            url: endpoint.url.clone(),
            reason: reason.to_string(),
        })?,
        now,
    )?;
    fan_out(conn, &tenant, &event_id, "webhook_endpoint.disabled", now)?;
    Ok(())
}

/// One finished attempt to record: the job, what the receiver answered, when.
type Finished = (Job, Outcome, DateTime<Utc>);

/// Records finished attempts in one transaction: for each, "succeeded", "failed" or
/// "dropped". Only the owner of the claim on an attempt may record it and move the delivery
/// on (the check is the write itself, so the row stays locked until the transaction ends);
/// a result that lost its claim is dropped and logged, never applied. A success costs two
/// statements (the delivery, its attempt); the endpoints that succeeded are marked in one
/// statement per batch (last success, circuit closed) after the failures of the batch were
/// counted.
fn record_batch(
    conn: &mut DbConnection,
    finished: &[Finished],
) -> Result<Vec<&'static str>, ApiError> {
    // Lost in a crash, a record is redone: the lease runs out and the attempt is sent again.
    crate::db::relaxed_commit(conn)?;
    let mut results = Vec::with_capacity(finished.len());
    let mut succeeded: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    let mut latest: Option<chrono::NaiveDateTime> = None;
    for (job, outcome, now) in finished {
        let at = now.naive_utc();
        let owned = wd::table
            .find(&job.delivery_id)
            .filter(wd::attempts.eq(job.attempt))
            .filter(wd::status.eq("pending"))
            .filter(wd::lease_owner.eq(job.owner.as_str()));
        let result = if outcome.succeeded() {
            let changed = diesel::update(owned)
                .set((
                    wd::status.eq("succeeded"),
                    wd::last_status_code.eq(outcome.status.map(i32::from)),
                    wd::last_error.eq(None::<String>),
                    wd::next_attempt_at.eq(None::<chrono::NaiveDateTime>),
                    wd::lease_until.eq(None::<chrono::NaiveDateTime>),
                    wd::lease_owner.eq(None::<String>),
                    wd::completed_at.eq(Some(at)),
                    wd::updated_at.eq(at),
                ))
                .execute(conn)?;
            if changed == 1 {
                insert_attempt(conn, job, outcome, at)?;
                succeeded.insert(job.endpoint.id.as_str());
                latest = latest.max(Some(at));
                "succeeded"
            } else {
                "dropped"
            }
        } else if diesel::update(owned)
            .set(wd::updated_at.eq(at))
            .execute(conn)?
            == 1
        {
            record_failure(conn, job, outcome, *now)?;
            "failed"
        } else {
            "dropped"
        };
        if result == "dropped" {
            tracing::warn!(delivery_id = %job.delivery_id, attempt = job.attempt, "webhook attempt result dropped: the claim was lost or the delivery was stopped meanwhile");
        }
        results.push(result);
    }
    // One statement for the batch: each endpoint's last success is the batch's latest (the
    // attempts of one batch finished within milliseconds of each other).
    if let Some(latest) = latest {
        diesel::update(we::table.filter(we::id.eq_any(&succeeded)))
            .set((
                we::last_success_at.eq(Some(latest)),
                we::consecutive_failures.eq(0),
                we::circuit_open_until.eq(None::<chrono::NaiveDateTime>),
            ))
            .execute(conn)?;
    }
    Ok(results)
}

fn insert_attempt(
    conn: &mut DbConnection,
    job: &Job,
    outcome: &Outcome,
    at: chrono::NaiveDateTime,
) -> Result<(), ApiError> {
    diesel::insert_into(wa::table)
        .values((
            wa::id.eq(crate::ids::new_id("att")),
            wa::delivery_id.eq(&job.delivery_id),
            wa::attempt.eq(job.attempt),
            wa::status_code.eq(outcome.status.map(i32::from)),
            wa::latency_ms.eq(outcome.latency_ms),
            wa::error.eq(&outcome.error),
            wa::response_excerpt.eq(&outcome.excerpt),
            wa::created_at.eq(at),
        ))
        .execute(conn)?;
    Ok(())
}

/// A failed attempt of an owned delivery: the circuit breaker counts it, and the delivery is
/// scheduled again or, at the end of its schedule (or on 410 Gone), fails and may disable its
/// endpoint.
fn record_failure(
    conn: &mut DbConnection,
    job: &Job,
    outcome: &Outcome,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let at = now.naive_utc();
    track_circuit(conn, &job.endpoint.id, outcome, now)?;
    insert_attempt(conn, job, outcome, at)?;
    let target = wd::table.find(&job.delivery_id);
    let code = outcome.status.map(i32::from);
    let gone = outcome.status == Some(410);
    let next = if gone {
        None
    } else {
        next_delay(job.attempt, outcome.retry_after_secs)
    };
    match next {
        Some(delay) => {
            diesel::update(target)
                .set((
                    wd::last_status_code.eq(code),
                    wd::last_error.eq(&outcome.error),
                    wd::next_attempt_at.eq(Some((now + delay).naive_utc())),
                    wd::lease_until.eq(None::<chrono::NaiveDateTime>),
                    wd::lease_owner.eq(None::<String>),
                    wd::updated_at.eq(at),
                ))
                .execute(conn)?;
        }
        None => {
            diesel::update(target)
                .set((
                    wd::status.eq("failed"),
                    wd::last_status_code.eq(code),
                    wd::last_error.eq(&outcome.error),
                    wd::next_attempt_at.eq(None::<chrono::NaiveDateTime>),
                    wd::lease_until.eq(None::<chrono::NaiveDateTime>),
                    wd::lease_owner.eq(None::<String>),
                    wd::completed_at.eq(Some(at)),
                    wd::updated_at.eq(at),
                ))
                .execute(conn)?;
            let endpoint = super::row_by_id(conn, &job.endpoint.id)?;
            let created_at: chrono::NaiveDateTime = wd::table
                .find(&job.delivery_id)
                .select(wd::created_at)
                .first(conn)?;
            if gone {
                disable(conn, &endpoint, "the endpoint answered 410 Gone", now)?;
            } else if endpoint.last_success_at.is_none_or(|s| s < created_at) {
                disable(
                    conn,
                    &endpoint,
                    "every attempt of a delivery failed over its whole retry schedule (about three days) with no success since",
                    now,
                )?;
            }
        }
    }
    Ok(())
}

/// Counts an attempt's outcome on its endpoint's circuit breaker: a success closes it, a
/// failure to reach the receiver (or a 5xx) counts, and [`CIRCUIT_THRESHOLD`] in a row open
/// it for [`circuit_pause`].
fn track_circuit(
    conn: &mut DbConnection,
    endpoint_id: &str,
    outcome: &Outcome,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let target = we::table.find(endpoint_id);
    if outcome.succeeded() {
        diesel::update(
            target.filter(
                we::consecutive_failures
                    .gt(0)
                    .or(we::circuit_open_until.is_not_null()),
            ),
        )
        .set((
            we::consecutive_failures.eq(0),
            we::circuit_open_until.eq(None::<chrono::NaiveDateTime>),
        ))
        .execute(conn)?;
        return Ok(());
    }
    if outcome.status.is_some_and(|s| s < 500) {
        return Ok(());
    }
    let failures: i32 = target.select(we::consecutive_failures).first(conn)?;
    let failures = failures + 1;
    let open = (failures >= CIRCUIT_THRESHOLD).then(|| (now + circuit_pause(failures)).naive_utc());
    diesel::update(target)
        .set((
            we::consecutive_failures.eq(failures),
            we::circuit_open_until.eq(open),
        ))
        .execute(conn)?;
    if open.is_some() {
        tracing::warn!(
            endpoint_id,
            failures,
            "webhook endpoint keeps failing; its circuit is open and its deliveries wait"
        );
    }
    Ok(())
}

/// A claimed attempt, loaded with everything needed to send it (or why it could not be).
pub struct Claimed {
    delivery_id: String,
    attempt: i32,
    job: Result<Job, ApiError>,
}

/// Claims up to `limit` due deliveries for `owner` (fairly; see [`claim`]) and loads them in
/// the same transaction.
pub async fn claim_due(
    state: &AppState,
    owner: &jobs::Owner,
    limit: usize,
) -> Result<Vec<Claimed>, ApiError> {
    let now = state.now();
    let lease = jobs::Lease::from_std(state.config.job_lease);
    let per_endpoint = state.config.webhook_per_endpoint;
    let owner = owner.clone();
    let vault = Arc::clone(&state.vault);
    state
        .db
        .write(move |c| {
            let claimed = claim(c, &owner, lease, now, limit, per_endpoint)?;
            load_jobs(c, &vault, &owner, claimed, now)
        })
        .await
}

/// Sends one claimed attempt, isolated: an error or panic of ours releases the delivery for
/// a retry a little later and never reaches the caller.
pub async fn handle(state: AppState, clients: Arc<Clients>, owner: jobs::Owner, claimed: Claimed) {
    let lease = jobs::Lease::from_std(state.config.job_lease);
    let Claimed {
        delivery_id: id,
        attempt,
        job,
    } = claimed;
    let result = jobs::isolated({
        let state = state.clone();
        async move { deliver_one(state, clients, job?, lease).await }
    })
    .await;
    if let Err(e) = result {
        state.metrics.job_outcome("webhooks", "error");
        tracing::error!(delivery_id = %id, attempt, error = %e, "webhook delivery failed inside the service; releasing it for a retry");
        let now = state.now();
        // The claim used up an attempt number: after the last one the delivery fails for good
        // (visible as failed), otherwise it is retried with backoff.
        let last = attempt >= MAX_ATTEMPTS;
        let retry_at = (!last).then(|| (now + jobs::backoff(attempt)).naive_utc());
        let released = state
            .db
            .write(move |c| {
                Ok(diesel::update(
                    wd::table
                        .find(&id)
                        .filter(wd::lease_owner.eq(owner.as_str()))
                        .filter(wd::attempts.eq(attempt)),
                )
                .set((
                    wd::lease_owner.eq(None::<String>),
                    wd::lease_until.eq(None::<chrono::NaiveDateTime>),
                    wd::next_attempt_at.eq(retry_at),
                    wd::status.eq(if last { "failed" } else { "pending" }),
                    wd::completed_at.eq(last.then(|| now.naive_utc())),
                    wd::last_error.eq(Some("not sent: the service failed to prepare the attempt")),
                ))
                .execute(c)?)
            })
            .await;
        if let Err(e) = released {
            tracing::error!(error = %e, "could not release a failed webhook delivery");
        }
    }
}

/// Claims due deliveries for `owner` and sends them, up to the configured concurrency at
/// once; returns how many attempts were claimed (one batch; `serve` runs a continuous pool of
/// the same sends, see `workers`).
pub async fn run_due(
    state: &AppState,
    clients: &Arc<Clients>,
    owner: &jobs::Owner,
) -> Result<usize, ApiError> {
    let limit = state.config.webhook_concurrency.max(1);
    jobs::run_batch(limit, claim_due(state, owner, limit), |item| {
        handle(state.clone(), Arc::clone(clients), owner.clone(), item)
    })
    .await
}

/// One claimed attempt: send it (renewing the lease meanwhile), record the outcome.
async fn deliver_one(
    state: AppState,
    clients: Arc<Clients>,
    job: Job,
    lease: jobs::Lease,
) -> Result<(), ApiError> {
    let outcome = {
        let (id, o, clock, attempt) = (
            job.delivery_id.clone(),
            job.owner.clone(),
            state.clock.clone(),
            job.attempt,
        );
        let _heartbeat = jobs::Heartbeat::start(
            state.db.clone(),
            lease.renew_every(),
            format!("webhook delivery {id}"),
            move |c| {
                let until = (crate::time::db_precision(clock.now()) + lease.length).naive_utc();
                Ok(diesel::update(
                    wd::table
                        .find(&id)
                        .filter(wd::lease_owner.eq(o.as_str()))
                        .filter(wd::attempts.eq(attempt)),
                )
                .set(wd::lease_until.eq(Some(until)))
                .execute(c)?)
            },
        );
        send(&state, &clients, &job, state.now().timestamp()).await
    };
    let at = state.now();
    let event_at = job.event_created_at;
    let result = clients.recorder.record(&state, job, outcome, at).await?;
    state.metrics.job_outcome("webhooks", result);
    if result == "succeeded" {
        let latency = (state.now() - event_at).num_microseconds().unwrap_or(0) as f64 / 1e6;
        state.metrics.delivery_latency(latency);
    }
    Ok(())
}

/// Most finished attempts one transaction records.
const RECORD_BATCH: usize = 64;

type Recorded = Result<&'static str, String>;
type ToRecord = (Finished, tokio::sync::oneshot::Sender<Recorded>);

/// Group commit of finished attempts: each send hands its outcome over and waits until it is
/// written; one writer task takes every outcome waiting (up to [`RECORD_BATCH`]) and records
/// them in one transaction, so concurrent sends to one endpoint do not queue one commit at a
/// time behind its row. If the batch's transaction fails, each attempt is recorded on its own,
/// so one bad record never takes the others with it.
#[derive(Default)]
pub struct Recorder {
    writer: std::sync::Mutex<Option<tokio::sync::mpsc::UnboundedSender<ToRecord>>>,
}

impl Recorder {
    async fn record(
        &self,
        state: &AppState,
        job: Job,
        outcome: Outcome,
        at: DateTime<Utc>,
    ) -> Result<&'static str, ApiError> {
        let (done, answer) = tokio::sync::oneshot::channel();
        let refused = {
            let mut writer = self.writer.lock().unwrap_or_else(|p| p.into_inner());
            let tx = writer.get_or_insert_with(|| Recorder::spawn_writer(state.clone()));
            match tx.send(((job, outcome, at), done)) {
                Ok(()) => None,
                // The writer is gone (its runtime ended): start another next time, write this
                // one here.
                Err(tokio::sync::mpsc::error::SendError((finished, _))) => {
                    *writer = None;
                    Some(finished)
                }
            }
        };
        if let Some(finished) = refused {
            return record_alone(state, Arc::new(vec![finished]), 0).await;
        }
        answer
            .await
            .map_err(|_| ApiError::internal("the webhook recorder stopped before recording"))?
            .map_err(ApiError::internal)
    }

    fn spawn_writer(state: AppState) -> tokio::sync::mpsc::UnboundedSender<ToRecord> {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel::<ToRecord>();
        tokio::spawn(async move {
            while let Some(first) = rx.recv().await {
                let mut batch = vec![first];
                while batch.len() < RECORD_BATCH {
                    match rx.try_recv() {
                        Ok(next) => batch.push(next),
                        Err(_) => break,
                    }
                }
                let (finished, waiting): (Vec<Finished>, Vec<_>) = batch.into_iter().unzip();
                let finished = Arc::new(finished);
                let all = Arc::clone(&finished);
                let results: Vec<Recorded> = match state
                    .db
                    .write(move |c| record_batch(c, &all))
                    .await
                {
                    Ok(results) => results.into_iter().map(Ok).collect(),
                    Err(e) => {
                        tracing::warn!(error = %e, attempts = finished.len(), "recording a batch of webhook attempts failed; recording each on its own");
                        let mut results = Vec::with_capacity(finished.len());
                        for i in 0..finished.len() {
                            results.push(
                                record_alone(&state, Arc::clone(&finished), i)
                                    .await
                                    .map_err(|e| e.to_string()),
                            );
                        }
                        results
                    }
                };
                for (done, result) in waiting.into_iter().zip(results) {
                    let _ = done.send(result);
                }
            }
        });
        tx
    }
}

/// Records the `i`-th of `finished` in a transaction of its own.
async fn record_alone(
    state: &AppState,
    finished: Arc<Vec<Finished>>,
    i: usize,
) -> Result<&'static str, ApiError> {
    state
        .db
        .write(move |c| Ok(record_batch(c, &finished[i..=i])?[0]))
        .await
}

/// The HTTP clients of the webhook worker (built by `workers`, like every outbound client:
/// proxy variables of the environment are ignored), and its recorder of finished attempts.
pub struct Clients {
    /// Records finished attempts in batches (group commit).
    pub recorder: Recorder,
    /// Every destination that is not a loopback receiver: direct through the guarded resolver
    /// (what `reach` admits), or through `ONYX_OUTBOUND_PROXY`.
    pub public: reqwest::Client,
    /// What `public` may reach: public addresses, or any in `ONYX_WEBHOOK_DEV_MODE`.
    pub reach: super::ssrf::Reach,
    /// Whether `public` goes through a proxy: each destination is then resolved and checked
    /// before the request is handed to it.
    pub proxied: bool,
    /// Loopback receivers the URL names (sandbox, or dev mode): always direct, and the
    /// resolver hands out loopback addresses only.
    pub loopback: reqwest::Client,
}

crate::stored_enum! {
    pub enum DeliveryStatus {
        Pending = "pending",
        Succeeded = "succeeded",
        Failed = "failed",
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Attempt {
    pub attempt: i32,
    pub status_code: Option<i32>,
    pub latency_ms: i32,
    pub error: Option<String>,
    /// The first 1024 bytes of the receiver's answer. Never kept for a loopback receiver
    /// (sandbox `http://127.0.0.1:…`/`localhost`): only its status code is.
    pub response_excerpt: Option<String>,
    pub created_at: DateTime<Utc>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Delivery {
    #[schema(example = "del_0mhx2k9q1002a7f3kq9zt0bw")]
    pub id: String,
    pub endpoint_id: String,
    pub event_id: String,
    pub status: DeliveryStatus,
    /// True for deliveries created by a replay.
    pub replay: bool,
    pub attempts: Vec<Attempt>,
    pub next_attempt_at: Option<DateTime<Utc>>,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub completed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// (attempt, status code, latency ms, error, response excerpt, created)
type AttemptRow = (
    i32,
    Option<i32>,
    i32,
    Option<String>,
    Option<String>,
    chrono::NaiveDateTime,
);

#[derive(Queryable, Selectable)]
#[diesel(table_name = wd)]
struct DeliveryRow {
    id: String,
    endpoint_id: String,
    event_id: String,
    status: String,
    replay: bool,
    next_attempt_at: Option<chrono::NaiveDateTime>,
    last_status_code: Option<i32>,
    last_error: Option<String>,
    completed_at: Option<chrono::NaiveDateTime>,
    created_at: chrono::NaiveDateTime,
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryFilter {
    pub endpoint_id: Option<String>,
    pub event_id: Option<String>,
    /// `failed` lists the deliveries that gave up.
    pub status: Option<DeliveryStatus>,
}

pub fn list(
    conn: &mut DbConnection,
    tenant: &Tenant,
    filter: &DeliveryFilter,
    page: &PageRequest,
) -> Result<Page<Delivery>, ApiError> {
    let mut q = paginate!(
        wd::table
            .filter(wd::partner_id.eq(tenant.partner_id()))
            .filter(wd::environment.eq(tenant.environment().as_str())),
        wd,
        page
    );
    if let Some(e) = &filter.endpoint_id {
        q = q.filter(wd::endpoint_id.eq(e.clone()));
    }
    if let Some(e) = &filter.event_id {
        q = q.filter(wd::event_id.eq(e.clone()));
    }
    if let Some(s) = filter.status {
        q = q.filter(wd::status.eq(s.as_str()));
    }
    let rows: Vec<DeliveryRow> = q.select(DeliveryRow::as_select()).load(conn)?;
    // Two queries for the page: the deliveries, then all their attempts.
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut attempts_of: std::collections::HashMap<String, Vec<AttemptRow>> =
        std::collections::HashMap::with_capacity(ids.len());
    let all: Vec<(String, AttemptRow)> = wa::table
        .filter(wa::delivery_id.eq_any(&ids))
        .order((wa::delivery_id.asc(), wa::attempt.asc()))
        .select((
            wa::delivery_id,
            (
                wa::attempt,
                wa::status_code,
                wa::latency_ms,
                wa::error,
                wa::response_excerpt,
                wa::created_at,
            ),
        ))
        .load(conn)?;
    for (delivery_id, attempt) in all {
        attempts_of.entry(delivery_id).or_default().push(attempt);
    }
    Page::try_from_rows(
        rows,
        page,
        |r| (r.created_at, r.id.clone()),
        |r| {
            let attempts = attempts_of.remove(&r.id).unwrap_or_default();
            Ok(Delivery {
                status: DeliveryStatus::from_stored(&r.status, "webhook_deliveries.status")?,
                attempts: attempts
                    .into_iter()
                    .map(
                        |(
                            attempt,
                            status_code,
                            latency_ms,
                            error,
                            response_excerpt,
                            created_at,
                        )| Attempt {
                            attempt,
                            status_code,
                            latency_ms,
                            error,
                            response_excerpt,
                            created_at: utc(created_at),
                        },
                    )
                    .collect(),
                next_attempt_at: utc_opt(r.next_attempt_at),
                completed_at: utc_opt(r.completed_at),
                created_at: utc(r.created_at),
                id: r.id,
                endpoint_id: r.endpoint_id,
                event_id: r.event_id,
                replay: r.replay,
                last_status_code: r.last_status_code,
                last_error: r.last_error,
            })
        },
    )
}

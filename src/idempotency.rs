//! `Idempotency-Key` for state-changing POSTs.
//!
//! - Same key, same request (method, path and JSON body, compared canonically) → the original
//!   response again, marked `Idempotent-Replayed: true`.
//! - Same key, different request → 422 `idempotency_key_reused`.
//! - Same key while the first request is still running → 409 `idempotency_key_in_use`.
//!   A running request holds its key with a short lease ([`LEASE`]) that it renews while it
//!   runs; when the process dies mid-request, the key is free again once the lease lapses
//!   (at most [`LEASE`] later), and the next request with it runs afresh.
//! - Keys belong to one partner and environment and are kept 24 hours.
//! - Only successful (2xx) responses are stored: when a request fails, its key is freed so
//!   the partner can fix the cause and send the same key again.
//!
//! The stored response is written in the same transaction as the change it describes.

use actix_web::http::header::HeaderName;
use actix_web::{HttpRequest, HttpResponse};
use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use serde_json::Value;

use crate::auth::Tenant;
use crate::db::schema::idempotency_keys as ik;
use crate::db::{Db, DbConnection};
use crate::error::ApiError;

pub const HEADER: &str = "idempotency-key";
pub const REPLAYED_HEADER: &str = "idempotent-replayed";
pub const RETENTION: Duration = Duration::hours(24);
/// How long an in-flight key stays held without renewal: a request renews it every third of
/// this while it runs, so only a request whose process died lets it lapse.
pub const LEASE: Duration = Duration::seconds(10);

/// A claimed key: complete it inside the transaction that makes the change.
#[derive(Debug, Clone)]
pub struct Claim {
    tenant: Tenant,
    key: String,
}

pub enum Begin {
    /// No key was sent, or the key is new: go ahead.
    Proceed(Option<Claim>),
    /// The key was used before for the same request: send this response again.
    Replay { status: i32, body: String },
}

/// JSON with object keys sorted, so `{"a":1,"b":2}` and `{"b":2,"a":1}` are the same request.
fn canonical(v: &Value) -> String {
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            let inner: Vec<String> = keys
                .into_iter()
                .map(|k| format!("{}:{}", Value::String(k.clone()), canonical(&map[k])))
                .collect();
            format!("{{{}}}", inner.join(","))
        }
        Value::Array(items) => format!(
            "[{}]",
            items.iter().map(canonical).collect::<Vec<_>>().join(",")
        ),
        other => other.to_string(),
    }
}

pub fn request_hash(method: &str, path: &str, body: &Value) -> String {
    crate::auth::passwords::hash_secret(&format!("{method} {path}\n{}", canonical(body)))
}

/// The key from the request headers, validated.
pub fn key_of(req: &HttpRequest) -> Result<Option<String>, ApiError> {
    let Some(raw) = req.headers().get(HEADER) else {
        return Ok(None);
    };
    let key = raw.to_str().unwrap_or("");
    if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| (0x21..=0x7e).contains(&b)) {
        return Err(ApiError::BadRequest {
            code: "invalid_idempotency_key",
            detail:
                "Idempotency-Key must be 1 to 255 visible ASCII characters, for example a UUID."
                    .into(),
        });
    }
    Ok(Some(key.to_string()))
}

enum Found {
    Completed {
        hash: String,
        status: i32,
        body: String,
    },
    InFlight {
        hash: String,
        held: bool,
    },
}

/// (request hash, state, response status, response body, lease, expires)
type KeyRow = (
    String,
    String,
    Option<i32>,
    Option<String>,
    Option<chrono::NaiveDateTime>,
    chrono::NaiveDateTime,
);

fn lookup(
    conn: &mut DbConnection,
    tenant: &Tenant,
    key: &str,
    now: DateTime<Utc>,
    today: DateTime<Utc>,
) -> Result<Option<Found>, ApiError> {
    let row: Option<KeyRow> = ik::table
        .filter(ik::partner_id.eq(tenant.partner_id()))
        .filter(ik::environment.eq(tenant.environment().as_str()))
        .filter(ik::key.eq(key))
        .select((
            ik::request_hash,
            ik::state,
            ik::response_status,
            ik::response_body,
            ik::lease_until,
            ik::expires_at,
        ))
        .first(conn)
        .optional()?;
    Ok(match row {
        None => None,
        Some((_, _, _, _, _, expires)) if crate::time::utc(expires) <= today => None,
        Some((hash, state, Some(status), Some(body), _, _)) if state == "completed" => {
            Some(Found::Completed { hash, status, body })
        }
        Some((hash, _, _, _, lease, _)) => Some(Found::InFlight {
            hash,
            held: lease.is_some_and(|l| crate::time::utc(l) > now),
        }),
    })
}

fn delete(conn: &mut DbConnection, tenant: &Tenant, key: &str) -> Result<(), ApiError> {
    diesel::delete(
        ik::table
            .filter(ik::partner_id.eq(tenant.partner_id()))
            .filter(ik::environment.eq(tenant.environment().as_str()))
            .filter(ik::key.eq(key)),
    )
    .execute(conn)?;
    Ok(())
}

/// Deletes the key only if it expired or its request's lease lapsed. The condition is in the
/// statement itself: a concurrent request may have claimed the key since `lookup` ran (on
/// PostgreSQL each statement sees newly committed rows), and that fresh claim must survive.
fn delete_stale(
    conn: &mut DbConnection,
    tenant: &Tenant,
    key: &str,
    now: DateTime<Utc>,
    today: DateTime<Utc>,
) -> Result<(), ApiError> {
    let at = now.naive_utc();
    diesel::delete(
        ik::table
            .filter(ik::partner_id.eq(tenant.partner_id()))
            .filter(ik::environment.eq(tenant.environment().as_str()))
            .filter(ik::key.eq(key))
            .filter(
                ik::expires_at.le(today.naive_utc()).or(ik::state
                    .eq("in_flight")
                    .and(ik::lease_until.is_null().or(ik::lease_until.le(at)))),
            ),
    )
    .execute(conn)?;
    Ok(())
}

/// Extends the lease of a key whose request is still running; 0 when it is no longer in flight.
fn renew(conn: &mut DbConnection, claim: &Claim, now: DateTime<Utc>) -> Result<usize, ApiError> {
    Ok(diesel::update(
        ik::table
            .filter(ik::partner_id.eq(claim.tenant.partner_id()))
            .filter(ik::environment.eq(claim.tenant.environment().as_str()))
            .filter(ik::key.eq(&claim.key))
            .filter(ik::state.eq("in_flight")),
    )
    .set(ik::lease_until.eq(Some((now + LEASE).naive_utc())))
    .execute(conn)?)
}

fn reused() -> ApiError {
    ApiError::Unprocessable {
        code: "idempotency_key_reused",
        detail: "This Idempotency-Key was already used with a different request; use a new key for a new request.".into(),
    }
}

fn in_use() -> ApiError {
    ApiError::Conflict {
        code: "idempotency_key_in_use",
        detail: "A request with this Idempotency-Key is still being processed; wait for it to finish, then retry to get its response.".into(),
    }
}

fn replay(status: i32, body: String) -> HttpResponse {
    let status = actix_web::http::StatusCode::from_u16(status as u16)
        .unwrap_or(actix_web::http::StatusCode::OK);
    HttpResponse::build(status)
        .content_type("application/json")
        .insert_header((HeaderName::from_static(REPLAYED_HEADER), "true"))
        .body(body)
}

/// Claims the key (or finds its earlier response) before the request does anything.
pub async fn begin(
    db: &Db,
    tenant: &Tenant,
    key: Option<String>,
    hash: String,
    now: DateTime<Utc>,
) -> Result<Begin, ApiError> {
    let Some(key) = key else {
        return Ok(Begin::Proceed(None));
    };
    let t = tenant.clone();
    db.write(move |conn| {
        // Keys expire on the tenant's clock (a moved sandbox clock expires them sooner);
        // leases stay on real time.
        let today = t.time(conn, now)?.now();
        match lookup(conn, &t, &key, now, today)? {
            Some(Found::Completed {
                hash: h,
                status,
                body,
            }) => {
                return if h == hash {
                    Ok(Begin::Replay { status, body })
                } else {
                    Err(reused())
                };
            }
            Some(Found::InFlight {
                hash: h,
                held: true,
            }) => {
                return Err(if h == hash { in_use() } else { reused() });
            }
            _ => delete_stale(conn, &t, &key, now, today)?,
        }
        let inserted = diesel::insert_into(ik::table)
            .values((
                ik::partner_id.eq(t.partner_id()),
                ik::environment.eq(t.environment().as_str()),
                ik::key.eq(&key),
                ik::request_hash.eq(&hash),
                ik::state.eq("in_flight"),
                ik::created_at.eq(now.naive_utc()),
                ik::expires_at.eq((today + RETENTION).naive_utc()),
                ik::lease_until.eq(Some((now + LEASE).naive_utc())),
            ))
            .execute(conn);
        match inserted {
            Ok(_) => Ok(Begin::Proceed(Some(Claim {
                tenant: t.clone(),
                key,
            }))),
            Err(DieselError::DatabaseError(DatabaseErrorKind::UniqueViolation, _)) => Err(in_use()),
            Err(e) => Err(e.into()),
        }
    })
    .await
}

/// Stores the successful response, in the transaction of the change.
pub fn complete(
    conn: &mut DbConnection,
    claim: Option<&Claim>,
    status: u16,
    body: &Value,
) -> Result<(), ApiError> {
    let Some(claim) = claim else { return Ok(()) };
    diesel::update(
        ik::table
            .filter(ik::partner_id.eq(&claim.tenant.partner_id()))
            .filter(ik::environment.eq(claim.tenant.environment().as_str()))
            .filter(ik::key.eq(&claim.key)),
    )
    .set((
        ik::state.eq("completed"),
        ik::lease_until.eq(None::<chrono::NaiveDateTime>),
        ik::response_status.eq(Some(status as i32)),
        ik::response_body.eq(Some(body.to_string())),
    ))
    .execute(conn)?;
    Ok(())
}

/// Frees the key after a failed request.
pub async fn abandon(db: &Db, claim: Option<Claim>) {
    if let Some(claim) = claim {
        let result = db
            .write(move |conn| delete(conn, &claim.tenant, &claim.key))
            .await;
        if let Err(e) = result {
            tracing::warn!(error = %e, "could not free an idempotency key");
        }
    }
}

/// [`run`] for a creation: `create` makes the resource, answered `201 Created` as JSON.
pub async fn created<T, F>(
    state: &crate::state::AppState,
    tenant: &Tenant,
    req: &HttpRequest,
    body: &Value,
    create: F,
) -> Result<HttpResponse, ApiError>
where
    T: serde::Serialize,
    F: FnOnce(&mut DbConnection) -> Result<T, ApiError> + Send + 'static,
{
    run(
        state,
        tenant,
        req,
        body,
        actix_web::http::StatusCode::CREATED,
        move |c| serde_json::to_value(create(c)?).map_err(ApiError::internal),
    )
    .await
}

/// Runs a state-changing request under its `Idempotency-Key` (when one is sent): replays an
/// earlier response, or runs `change` in one transaction that also stores its response.
pub async fn run<F>(
    state: &crate::state::AppState,
    tenant: &Tenant,
    req: &HttpRequest,
    body: &Value,
    status: actix_web::http::StatusCode,
    change: F,
) -> Result<HttpResponse, ApiError>
where
    F: FnOnce(&mut DbConnection) -> Result<Value, ApiError> + Send + 'static,
{
    let key = key_of(req)?;
    // Only a keyed request is compared with an earlier one.
    let hash = match key {
        Some(_) => request_hash(req.method().as_str(), req.path(), body),
        None => String::new(),
    };
    let claim = match begin(&state.db, tenant, key, hash, state.now()).await? {
        Begin::Replay { status, body } => return Ok(replay(status, body)),
        Begin::Proceed(claim) => claim,
    };
    // While the change runs, its key's lease is renewed (a slow request keeps its key).
    let _heartbeat = claim.clone().map(|c| {
        let clock = state.clock.clone();
        let every = (LEASE / 3)
            .to_std()
            .unwrap_or(std::time::Duration::from_secs(3));
        crate::jobs::Heartbeat::start(
            state.db.clone(),
            every,
            "idempotency key".into(),
            move |conn| renew(conn, &c, clock.now()),
        )
    });
    let inner_claim = claim.clone();
    let result = state
        .db
        .write(move |conn| {
            let value = change(conn)?;
            complete(conn, inner_claim.as_ref(), status.as_u16(), &value)?;
            Ok(value)
        })
        .await;
    match result {
        Ok(value) => Ok(HttpResponse::build(status).json(value)),
        Err(e) => {
            abandon(&state.db, claim).await;
            Err(e)
        }
    }
}

/// Deletes expired keys (housekeeping worker).
pub fn prune(conn: &mut DbConnection, now: DateTime<Utc>) -> Result<usize, ApiError> {
    Ok(diesel::delete(ik::table.filter(ik::expires_at.le(now.naive_utc()))).execute(conn)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_order_does_not_change_the_hash() {
        let a = serde_json::json!({"a": 1, "b": {"y": [1, 2], "x": "s"}});
        let b = serde_json::json!({"b": {"x": "s", "y": [1, 2]}, "a": 1});
        assert_eq!(
            request_hash("POST", "/v1/orders", &a),
            request_hash("POST", "/v1/orders", &b)
        );
        assert_ne!(
            request_hash("POST", "/v1/orders", &a),
            request_hash("POST", "/v1/other", &a)
        );
        let c = serde_json::json!({"a": 2, "b": {"x": "s", "y": [1, 2]}});
        assert_ne!(
            request_hash("POST", "/v1/orders", &a),
            request_hash("POST", "/v1/orders", &c)
        );
    }
}

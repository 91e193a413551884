//! The event store: every state change a partner cares about writes an event row in the same
//! transaction as the change (through `outbox::emit`, which also queues the webhook
//! deliveries). Events are kept at least 30 days (and can
//! be replayed for 30 days).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::auth::{Environment, Tenant};
use crate::db::schema::events;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::paginate;
use crate::pagination::{Page, PageRequest};
use crate::time::utc;

/// The version of the event payloads.
pub const API_VERSION: &str = "2026-11-01";
/// Events stay thin: data beyond this size is replaced by a reference to the object.
pub const MAX_DATA_BYTES: usize = 16 * 1024;

/// Writes an event without queueing deliveries (test events choose their endpoint).
pub fn insert(
    conn: &mut DbConnection,
    tenant: &Tenant,
    event_type: &str,
    subject_id: &str,
    data: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<String, ApiError> {
    let id = crate::ids::new_id("evt");
    // `now` is real time; a moved sandbox clock adds the partner's test time.
    let test_time = tenant.time(conn, now)?.test_clock_time();
    let mut text = data.to_string();
    if text.len() > MAX_DATA_BYTES {
        text = serde_json::json!({ "object_id": subject_id, "truncated": true }).to_string();
    }
    crate::db::native!(conn, |c| diesel::insert_into(events::table)
        .values((
            events::id.eq(&id),
            events::partner_id.eq(tenant.partner_id()),
            events::environment.eq(tenant.environment().as_str()),
            events::event_type.eq(event_type),
            events::data.eq(text),
            events::created_at.eq(now.naive_utc()),
            events::subject_id.eq(Some(subject_id)),
            events::test_clock_time.eq(test_time.map(|t| t.naive_utc())),
        ))
        .execute(c))?;
    Ok(id)
}

/// An event as the API and webhooks present it (the webhook body is exactly this).
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Event {
    #[schema(example = "evt_0mhx2k9q1002a7f3kq9zt0bw")]
    pub id: String,
    #[serde(rename = "type")]
    #[schema(example = "order.completed")]
    pub event_type: String,
    #[schema(example = "2026-11-01")]
    pub api_version: String,
    pub environment: Environment,
    /// When it happened (real time).
    pub created_at: DateTime<Utc>,
    /// Sandbox only, while the partner's sandbox test clock is moved forward: the test time
    /// at which it happened (`created_at` stays the real time). Absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub test_clock_time: Option<DateTime<Utc>>,
    #[schema(value_type = Object)]
    pub data: serde_json::Value,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = events)]
struct Row {
    id: String,
    environment: String,
    event_type: String,
    data: String,
    created_at: chrono::NaiveDateTime,
    test_clock_time: Option<chrono::NaiveDateTime>,
}

impl TryFrom<Row> for Event {
    type Error = ApiError;

    fn try_from(r: Row) -> Result<Event, ApiError> {
        Ok(Event {
            id: r.id,
            event_type: r.event_type,
            api_version: API_VERSION.into(),
            environment: Environment::from_stored(&r.environment, "events.environment")?,
            created_at: utc(r.created_at),
            test_clock_time: crate::time::utc_opt(r.test_clock_time),
            data: serde_json::from_str(&r.data).unwrap_or(serde_json::Value::Null),
        })
    }
}

pub fn get(conn: &mut DbConnection, tenant: &Tenant, id: &str) -> Result<Event, ApiError> {
    events::table
        .filter(events::partner_id.eq(tenant.partner_id()))
        .filter(events::environment.eq(tenant.environment().as_str()))
        .filter(events::id.eq(id))
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("event"))
        .and_then(Event::try_from)
}

/// An event as read back: its envelope, or why its stored row cannot be one.
pub type EventRead = Result<Event, ApiError>;

/// The envelopes of several events (delivery worker), each with its id; an event whose row
/// cannot be read is an error of its own.
pub fn envelopes_by_ids(
    conn: &mut DbConnection,
    ids: &[String],
) -> Result<Vec<(String, EventRead)>, ApiError> {
    let rows: Vec<Row> = events::table
        .filter(events::id.eq_any(ids))
        .select(Row::as_select())
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|r| (r.id.clone(), Event::try_from(r)))
        .collect())
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EventFilter {
    /// Only events of this type.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    pub event_type: Option<String>,
    /// Only events created at or after this time (RFC 3339).
    #[serde(default, deserialize_with = "crate::time::filter_time")]
    pub created_from: Option<DateTime<Utc>>,
    /// Only events created before this time (RFC 3339).
    #[serde(default, deserialize_with = "crate::time::filter_time")]
    pub created_to: Option<DateTime<Utc>>,
}

pub fn list(
    conn: &mut DbConnection,
    tenant: &Tenant,
    filter: &EventFilter,
    page: &PageRequest,
) -> Result<Page<Event>, ApiError> {
    crate::time::check_filter_times(&[
        ("created_from", filter.created_from),
        ("created_to", filter.created_to),
    ])?;
    let mut q = paginate!(
        events::table
            .filter(events::partner_id.eq(tenant.partner_id()))
            .filter(events::environment.eq(tenant.environment().as_str())),
        events,
        page
    );
    if let Some(t) = &filter.event_type {
        q = q.filter(events::event_type.eq(t.clone()));
    }
    if let Some(from) = filter.created_from {
        q = q.filter(events::created_at.ge(from.naive_utc()));
    }
    if let Some(to) = filter.created_to {
        q = q.filter(events::created_at.lt(to.naive_utc()));
    }
    let rows: Vec<Row> = q.select(Row::as_select()).load(conn)?;
    Page::try_from_rows(
        rows,
        page,
        |r| (r.created_at, r.id.clone()),
        Event::try_from,
    )
}

/// A short reference to an event.
#[derive(Debug, Serialize, ToSchema)]
pub struct EventRef {
    #[schema(example = "evt_0mhx2k9q1002a7f3kq9zt0bw")]
    pub id: String,
    #[serde(rename = "type")]
    #[schema(example = "order.completed")]
    pub event_type: String,
    pub created_at: DateTime<Utc>,
}

/// Events about any of `subjects`, oldest first.
pub fn about(
    conn: &mut DbConnection,
    tenant: &Tenant,
    subjects: &[&str],
) -> Result<Vec<EventRef>, ApiError> {
    let subjects: Vec<String> = subjects.iter().map(|s| s.to_string()).collect();
    let rows: Vec<(String, String, chrono::NaiveDateTime)> = events::table
        .filter(events::partner_id.eq(tenant.partner_id()))
        .filter(events::environment.eq(tenant.environment().as_str()))
        .filter(events::subject_id.eq_any(subjects))
        .order((events::created_at.asc(), events::id.asc()))
        .select((events::id, events::event_type, events::created_at))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, event_type, created_at)| EventRef {
            id,
            event_type,
            created_at: utc(created_at),
        })
        .collect())
}

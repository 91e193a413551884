//! The event outbox: every state change a partner cares about writes an event row in the same
//! transaction as the change. Delivery (webhooks) reads from here.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::auth::Tenant;
use crate::db::schema::events;
use crate::db::DbConnection;
use crate::error::ApiError;

/// Writes an event for `tenant` about the object `subject_id`; `data` must hold no secrets.
/// Returns the event id.
pub fn emit(
    conn: &mut DbConnection,
    tenant: &Tenant,
    event_type: &str,
    subject_id: &str,
    data: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<String, ApiError> {
    let id = crate::ids::new_id("evt");
    diesel::insert_into(events::table)
        .values((
            events::id.eq(&id),
            events::partner_id.eq(&tenant.partner_id),
            events::environment.eq(tenant.environment.as_str()),
            events::event_type.eq(event_type),
            events::data.eq(data.to_string()),
            events::created_at.eq(now.naive_utc()),
            events::subject_id.eq(Some(subject_id)),
        ))
        .execute(conn)?;
    Ok(id)
}

/// A short reference to an event.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct EventRef {
    #[schema(example = "evt_Tc7Vb1Mk3Jd9rQ2n8sLw0Zx5")]
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
        .filter(events::partner_id.eq(&tenant.partner_id))
        .filter(events::environment.eq(tenant.environment.as_str()))
        .filter(events::subject_id.eq_any(subjects))
        .order((events::created_at.asc(), events::id.asc()))
        .select((events::id, events::event_type, events::created_at))
        .load(conn)?;
    Ok(rows
        .into_iter()
        .map(|(id, event_type, created_at)| EventRef {
            id,
            event_type,
            created_at: crate::time::utc(created_at),
        })
        .collect())
}

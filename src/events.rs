//! The event outbox: every state change a partner cares about writes an event row in the same
//! transaction as the change. Delivery (webhooks) reads from here.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::auth::Tenant;
use crate::db::schema::events;
use crate::db::DbConnection;
use crate::error::ApiError;

/// Writes an event for `tenant`; `data` must hold no secrets. Returns the event id.
pub fn emit(
    conn: &mut DbConnection,
    tenant: &Tenant,
    event_type: &str,
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
        ))
        .execute(conn)?;
    Ok(id)
}

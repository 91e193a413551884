//! Publishing an event: the event row and a webhook delivery for every enabled endpoint that
//! subscribes to its type, both written in the caller's transaction (a transactional outbox).
//! Areas that change state call [`emit`]; the event store (`events`) and the deliveries
//! (`webhooks`) sit below this module and never call back up.

use chrono::{DateTime, Utc};

use crate::auth::Tenant;
use crate::db::DbConnection;
use crate::error::ApiError;

/// Writes an event for `tenant` about the object `subject_id` and queues its webhook
/// deliveries; `data` must hold no secrets. Returns the event id.
pub fn emit(
    conn: &mut DbConnection,
    tenant: &Tenant,
    event_type: &str,
    subject_id: &str,
    data: serde_json::Value,
    now: DateTime<Utc>,
) -> Result<String, ApiError> {
    let id = crate::events::insert(conn, tenant, event_type, subject_id, data, now)?;
    crate::webhooks::delivery::fan_out(conn, tenant, &id, event_type, now)?;
    Ok(id)
}

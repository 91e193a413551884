//! Services over time: the alert settings of a tenant (usage thresholds, expiry lead
//! times), and the scheduled scan that announces `service.expiring` and expires services
//! whose validity ended (`service.expired`), judged on the tenant's clock (a moved sandbox
//! clock included, see `clock::TenantTime`).
//!
//! Every alert a service has had is a row of `service_alerts` keyed by (service, alert,
//! basis): the basis is what the alert is about (the `expires_at` it warns of, the allowance
//! it measures), so a top-up that extends validity or adds data re-arms the alerts, and the
//! row is written before the event in the same transaction, conditional on not existing, so
//! exactly one event is emitted however many instances scan at once.

use std::collections::HashMap;

use chrono::{DateTime, Duration, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::state::ServiceState;
use crate::auth::{Environment, Tenant};
use crate::clock::TenantTime;
use crate::db::schema::{alert_settings as als, service_alerts as sa, services};
use crate::db::DbConnection;
use crate::error::{ApiError, FieldError};
use crate::outbox;
use crate::time::{iso_duration, utc};

/// Usage thresholds when a tenant chose none (percent of the data allowance).
pub const DEFAULT_THRESHOLDS: [i32; 2] = [80, 100];
/// Expiry lead times when a tenant chose none: 3 days and 1 day before `expires_at`.
pub const DEFAULT_LEADS: [i64; 2] = [3 * 86_400, 86_400];
/// At most this many thresholds and this many lead times.
pub const MAX_ENTRIES: usize = 5;
/// The longest lead time (and so how far ahead of expiry the scan looks).
pub const MAX_LEAD: Duration = Duration::days(30);

/// `service.expiring`: the service's validity ends within one of the partner's lead times.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceExpiringData {
    #[schema(example = "svc_0mhx2k9q1002a7f3kq9zt0bw")]
    pub service_id: String,
    /// When the validity ends.
    pub expires_at: DateTime<Utc>,
    /// The lead time this alert is for (ISO 8601), e.g. `P3D`.
    #[schema(example = "P3D")]
    pub lead: String,
    /// The service as `GET /v1/services/{service_id}` answers it.
    pub service: super::Service,
}

/// `service.first_use`: the first data use was reported for the service.
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceFirstUseData {
    #[schema(example = "svc_0mhx2k9q1002a7f3kq9zt0bw")]
    pub service_id: String,
    #[schema(example = 1_048_576_i64)]
    pub bytes_used: i64,
    /// When the measurement was taken.
    pub as_of: DateTime<Utc>,
}

/// `service.depleted`: the service used up its data allowance (once per allowance).
#[derive(Debug, Serialize, ToSchema)]
pub struct ServiceDepletedData {
    #[schema(example = "svc_0mhx2k9q1002a7f3kq9zt0bw")]
    pub service_id: String,
    #[schema(example = 5_368_709_120_i64)]
    pub bytes_used: i64,
    #[schema(example = 5_368_709_120_i64)]
    pub data_allowance_bytes: i64,
    /// When the measurement was taken.
    pub as_of: DateTime<Utc>,
}

/// A tenant's alert settings as the API shows them.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AlertSettings {
    /// Percentages of the data allowance; `usage.threshold_reached` fires once per threshold
    /// and allowance (a top-up re-arms them). Default `[80, 100]`.
    #[schema(example = json!([50, 90]))]
    pub usage_thresholds: Vec<i32>,
    /// How long before `expires_at` a `service.expiring` event fires, in hours, longest
    /// first. Default `[72, 24]`.
    #[schema(example = json!([72, 24]))]
    pub expiry_lead_hours: Vec<i64>,
    /// The same lead times as ISO-8601 durations (what `service.expiring` carries as `lead`).
    #[schema(example = json!(["P3D", "P1D"]))]
    pub expiry_lead_times: Vec<String>,
    /// Whether these are the defaults (never set for this environment).
    pub default: bool,
    pub updated_at: Option<DateTime<Utc>>,
}

/// New alert settings (both lists replace the current ones; they apply to existing services
/// at once).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"usage_thresholds": [50, 90], "expiry_lead_hours": [72, 12]}))]
pub struct AlertSettingsUpdate {
    /// 1 to 5 distinct whole percentages, each 1-100.
    #[schema(min_items = 1, max_items = 5)]
    pub usage_thresholds: Vec<i32>,
    /// 1 to 5 distinct lead times in whole hours before `expires_at`, each 1-720 (30 days).
    #[schema(min_items = 1, max_items = 5)]
    pub expiry_lead_hours: Vec<i64>,
}

impl AlertSettingsUpdate {
    /// What [`check`] refuses beyond the attributes, for the OpenAPI document: distinct
    /// values in range.
    pub fn schema_rules() -> serde_json::Value {
        serde_json::json!([{
            "properties": {
                "usage_thresholds": {
                    "uniqueItems": true,
                    "items": {"type": "integer", "minimum": 1, "maximum": 100}
                },
                "expiry_lead_hours": {
                    "uniqueItems": true,
                    "items": {"type": "integer", "minimum": 1, "maximum": MAX_LEAD.num_hours()}
                }
            }
        }])
    }
}

/// The settings that rule a tenant's alerts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rules {
    /// Ascending.
    pub thresholds: Vec<i32>,
    /// Lead times in seconds, descending.
    pub leads: Vec<i64>,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            thresholds: DEFAULT_THRESHOLDS.to_vec(),
            leads: DEFAULT_LEADS.to_vec(),
        }
    }
}

fn parse_list<T: serde::de::DeserializeOwned>(text: &str, column: &str) -> Result<T, ApiError> {
    serde_json::from_str(text)
        .map_err(|e| ApiError::internal(format!("alert_settings.{column} is not readable: {e}")))
}

type SettingsRow = (String, String, NaiveDateTime);

fn settings_row(conn: &mut DbConnection, tenant: &Tenant) -> Result<Option<SettingsRow>, ApiError> {
    Ok(als::table
        .find((tenant.partner_id(), tenant.environment().as_str()))
        .select((
            als::usage_thresholds,
            als::expiry_lead_seconds,
            als::updated_at,
        ))
        .first(conn)
        .optional()?)
}

/// The alert rules of a tenant (the defaults when never set).
pub fn rules(conn: &mut DbConnection, tenant: &Tenant) -> Result<Rules, ApiError> {
    Ok(match settings_row(conn, tenant)? {
        None => Rules::default(),
        Some((t, l, _)) => Rules {
            thresholds: parse_list(&t, "usage_thresholds")?,
            leads: parse_list(&l, "expiry_lead_seconds")?,
        },
    })
}

pub fn settings(conn: &mut DbConnection, tenant: &Tenant) -> Result<AlertSettings, ApiError> {
    let row = settings_row(conn, tenant)?;
    let rules = rules(conn, tenant)?;
    Ok(AlertSettings {
        usage_thresholds: rules.thresholds,
        expiry_lead_hours: rules.leads.iter().map(|s| s / 3600).collect(),
        expiry_lead_times: rules
            .leads
            .iter()
            .map(|s| iso_duration(Duration::seconds(*s)))
            .collect(),
        default: row.is_none(),
        updated_at: row.map(|(_, _, at)| utc(at)),
    })
}

/// Checks an update: every problem at once, nothing written when any.
pub fn check(update: &AlertSettingsUpdate) -> Result<Rules, ApiError> {
    let mut errors = Vec::new();
    let count = |field: &str, n: usize, errors: &mut Vec<FieldError>| {
        if n == 0 {
            errors.push(FieldError::new(
                field,
                "required",
                "must list at least one value",
            ));
        } else if n > MAX_ENTRIES {
            errors.push(FieldError::new(
                field,
                "too_many",
                format!("must list at most {MAX_ENTRIES} values"),
            ));
        }
    };
    count(
        "usage_thresholds",
        update.usage_thresholds.len(),
        &mut errors,
    );
    count(
        "expiry_lead_hours",
        update.expiry_lead_hours.len(),
        &mut errors,
    );
    let mut thresholds = Vec::new();
    for (i, t) in update.usage_thresholds.iter().enumerate() {
        let field = format!("usage_thresholds[{i}]");
        if !(1..=100).contains(t) {
            errors.push(FieldError::new(
                field,
                "out_of_range",
                "must be a whole percentage from 1 to 100",
            ));
        } else if thresholds.contains(t) {
            errors.push(FieldError::new(field, "duplicate", "is listed twice"));
        } else {
            thresholds.push(*t);
        }
    }
    let mut leads = Vec::new();
    for (i, hours) in update.expiry_lead_hours.iter().enumerate() {
        let field = format!("expiry_lead_hours[{i}]");
        let seconds = hours.saturating_mul(3600);
        if !(1..=MAX_LEAD.num_hours()).contains(hours) {
            errors.push(FieldError::new(
                field,
                "out_of_range",
                format!("must be whole hours from 1 to {}", MAX_LEAD.num_hours()),
            ));
        } else if leads.contains(&seconds) {
            errors.push(FieldError::new(field, "duplicate", "is listed twice"));
        } else {
            leads.push(seconds);
        }
    }
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    thresholds.sort_unstable();
    leads.sort_unstable_by(|a, b| b.cmp(a));
    Ok(Rules { thresholds, leads })
}

/// Replaces the tenant's alert settings.
pub fn put(
    conn: &mut DbConnection,
    tenant: &Tenant,
    rules: &Rules,
    now: DateTime<Utc>,
) -> Result<AlertSettings, ApiError> {
    let thresholds =
        serde_json::to_string(&rules.thresholds).map_err(|e| ApiError::internal(e.to_string()))?;
    let leads =
        serde_json::to_string(&rules.leads).map_err(|e| ApiError::internal(e.to_string()))?;
    let at = now.naive_utc();
    let changed =
        diesel::update(als::table.find((tenant.partner_id(), tenant.environment().as_str())))
            .set((
                als::usage_thresholds.eq(&thresholds),
                als::expiry_lead_seconds.eq(&leads),
                als::updated_at.eq(at),
            ))
            .execute(conn)?;
    if changed == 0 {
        diesel::insert_into(als::table)
            .values((
                als::partner_id.eq(tenant.partner_id()),
                als::environment.eq(tenant.environment().as_str()),
                als::usage_thresholds.eq(&thresholds),
                als::expiry_lead_seconds.eq(&leads),
                als::updated_at.eq(at),
            ))
            .execute(conn)?;
    }
    settings(conn, tenant)
}

/// Records that `service_id` had `alert` about `basis`; false when it had it already (then
/// the caller emits nothing). Exactly once whoever asks at the same time.
pub fn record_once(
    conn: &mut DbConnection,
    service_id: &str,
    alert: &str,
    basis: &str,
    now: DateTime<Utc>,
) -> Result<bool, ApiError> {
    crate::db::insert_unless_exists(conn, |c| {
        diesel::insert_into(sa::table)
            .values((
                sa::service_id.eq(service_id),
                sa::alert.eq(alert),
                sa::basis.eq(basis),
                sa::created_at.eq(now.naive_utc()),
            ))
            .execute(c)
    })
}

/// Emits the event of an alert just recorded by [`record_once`] and notes it on the alert's
/// row.
fn announce<D: serde::Serialize>(
    conn: &mut DbConnection,
    tenant: &Tenant,
    service_id: &str,
    (alert, basis): (&str, &str),
    event_type: &str,
    data: &D,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let data = crate::webhooks::payloads::value(data)?;
    let event = outbox::emit(conn, tenant, event_type, service_id, data, now)?;
    diesel::update(sa::table.find((service_id, alert, basis)))
        .set(sa::event_id.eq(Some(event)))
        .execute(conn)?;
    Ok(())
}

/// The basis text of an expiry (what an expiry alert is about).
pub fn expiry_basis(expires_at: NaiveDateTime) -> String {
    utc(expires_at).to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

fn lead_alert(lead_seconds: i64) -> String {
    format!("expiring:{lead_seconds}")
}

/// What is due for one service at its tenant's time.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Due {
    /// Announce the shortest lead entered; record the longer ones entered as passed.
    Expiring { announce: i64, passed: Vec<i64> },
    /// Validity ended.
    Expired,
}

fn due(
    expires_at: DateTime<Utc>,
    today: DateTime<Utc>,
    leads: &[i64],
    had: &[String],
) -> Option<Due> {
    if today >= expires_at {
        return (!had.iter().any(|a| a == "expired")).then_some(Due::Expired);
    }
    let left = expires_at - today;
    let entered: Vec<i64> = leads
        .iter()
        .copied()
        .filter(|l| Duration::seconds(*l) >= left)
        .collect();
    let shortest = *entered.iter().min()?;
    if had.contains(&lead_alert(shortest)) {
        return None;
    }
    Some(Due::Expiring {
        announce: shortest,
        passed: entered.into_iter().filter(|l| *l != shortest).collect(),
    })
}

/// One service the scan looks at.
struct Candidate {
    id: String,
    partner_id: String,
    environment: String,
    expires_at: NaiveDateTime,
}

/// Acts on what is due for one service, in one transaction; how many events it emitted.
fn act(
    conn: &mut DbConnection,
    tenant: &Tenant,
    service_id: &str,
    expected: NaiveDateTime,
    time: TenantTime,
) -> Result<usize, ApiError> {
    // Read again under the service's lock: a top-up or cancellation since the scan wins.
    super::lock(conn, tenant, service_id)?;
    let now: Option<(String, Option<NaiveDateTime>)> = services::table
        .find(service_id)
        .select((services::state, services::expires_at))
        .first(conn)
        .optional()?;
    let Some((state, Some(expires_at))) = now else {
        return Ok(0);
    };
    if state != ServiceState::Active.as_str() || expires_at != expected {
        return Ok(0);
    }
    let basis = expiry_basis(expires_at);
    let had: Vec<String> = sa::table
        .filter(sa::service_id.eq(service_id))
        .filter(sa::basis.eq(&basis))
        .select(sa::alert)
        .load(conn)?;
    let rules = rules(conn, tenant)?;
    let real = time.real;
    match due(utc(expires_at), time.now(), &rules.leads, &had) {
        None => Ok(0),
        Some(Due::Expired) => {
            if !record_once(conn, service_id, "expired", &basis, real)? {
                return Ok(0);
            }
            // Leads never announced are passed for good.
            for lead in &rules.leads {
                record_once(conn, service_id, &lead_alert(*lead), &basis, real)?;
            }
            super::transition(conn, tenant, service_id, ServiceState::Expired, real)?;
            Ok(1)
        }
        Some(Due::Expiring {
            announce: announce_lead,
            passed,
        }) => {
            let alert = lead_alert(announce_lead);
            if !record_once(conn, service_id, &alert, &basis, real)? {
                return Ok(0);
            }
            for lead in passed {
                record_once(conn, service_id, &lead_alert(lead), &basis, real)?;
            }
            let service = super::get(conn, tenant, service_id)?;
            announce(
                conn,
                tenant,
                service_id,
                (&alert, &basis),
                "service.expiring",
                &ServiceExpiringData {
                    service_id: service_id.to_string(),
                    expires_at: utc(expires_at),
                    lead: iso_duration(Duration::seconds(announce_lead)),
                    service,
                },
                real,
            )?;
            Ok(1)
        }
    }
}

/// The scheduled scan: announces the expiry alerts due and expires the services whose
/// validity ended, on each tenant's clock; `only` limits it to one partner's sandbox (the
/// clock advance runs it at once). Returns how many events it emitted.
pub async fn run_due(
    state: &crate::state::AppState,
    only: Option<String>,
) -> Result<usize, ApiError> {
    let real = state.now();
    let candidates = state
        .db
        .read({
            let only = only.clone();
            move |c| candidates(c, real, only.as_deref())
        })
        .await?;
    let mut emitted = 0;
    for (candidate, time) in candidates {
        let tenant = Tenant::of_row(
            &candidate.partner_id,
            &candidate.environment,
            "services.environment",
        )?;
        let (id, expected) = (candidate.id, candidate.expires_at);
        emitted += state
            .db
            .write(move |c| act(c, &tenant, &id, expected, time))
            .await?;
    }
    Ok(emitted)
}

/// Active services whose expiry is within the longest lead time of their tenant's time and
/// that may have something due (an alert row for their current expiry at every lead would
/// still be judged by `due`, which then finds nothing).
fn candidates(
    conn: &mut DbConnection,
    real: DateTime<Utc>,
    only: Option<&str>,
) -> Result<Vec<(Candidate, TenantTime)>, ApiError> {
    let offsets = crate::clock::sandbox_offsets(conn)?;
    let mut q = services::table
        .filter(services::state.eq(ServiceState::Active.as_str()))
        .filter(services::expires_at.is_not_null())
        .into_boxed();
    let ahead = match only {
        Some(partner) => {
            q = q
                .filter(services::partner_id.eq(partner.to_string()))
                .filter(services::environment.eq(Environment::Sandbox.as_str()));
            offsets.get(partner).copied().unwrap_or_default()
        }
        None => offsets.values().copied().max().unwrap_or_default(),
    };
    let horizon = (real + ahead.max(Duration::zero()) + MAX_LEAD).naive_utc();
    let rows: Vec<(String, String, String, Option<NaiveDateTime>)> = q
        .filter(services::expires_at.le(horizon))
        .order((services::expires_at.asc(), services::id.asc()))
        .select((
            services::id,
            services::partner_id,
            services::environment,
            services::expires_at,
        ))
        .load(conn)?;
    // What each service had for its current expiry, and each tenant's rules, to skip the
    // services with nothing due without a write.
    let ids: Vec<String> = rows.iter().map(|r| r.0.clone()).collect();
    let mut had: HashMap<(String, String), Vec<String>> = HashMap::new();
    for chunk in ids.chunks(500) {
        let alerts: Vec<(String, String, String)> = sa::table
            .filter(sa::service_id.eq_any(chunk))
            .select((sa::service_id, sa::basis, sa::alert))
            .load(conn)?;
        for (service, basis, alert) in alerts {
            had.entry((service, basis)).or_default().push(alert);
        }
    }
    let mut rules_of: HashMap<(String, String), Rules> = HashMap::new();
    let mut out = Vec::new();
    for (id, partner_id, environment, expires_at) in rows {
        let Some(expires_at) = expires_at else {
            continue;
        };
        let time = if environment == Environment::Sandbox.as_str() {
            TenantTime {
                real,
                offset: offsets.get(&partner_id).copied().unwrap_or_default(),
            }
        } else {
            TenantTime::real(real)
        };
        let key = (partner_id.clone(), environment.clone());
        if !rules_of.contains_key(&key) {
            let tenant = Tenant::of_row(&partner_id, &environment, "services.environment")?;
            rules_of.insert(key.clone(), rules(conn, &tenant)?);
        }
        let leads = &rules_of[&key].leads;
        let seen = had
            .get(&(id.clone(), expiry_basis(expires_at)))
            .cloned()
            .unwrap_or_default();
        if due(utc(expires_at), time.now(), leads, &seen).is_none() {
            continue;
        }
        out.push((
            Candidate {
                id,
                partner_id,
                environment,
                expires_at,
            },
            time,
        ));
    }
    Ok(out)
}

/// Usage alerts of one new snapshot: `service.first_use` at the first data used,
/// `usage.threshold_reached` for each of the tenant's thresholds crossed, and
/// `service.depleted` when the allowance is used up; each once per allowance.
pub fn usage_alerts(
    conn: &mut DbConnection,
    tenant: &Tenant,
    service_id: &str,
    snapshot: &super::usage::UsageSnapshot,
    allowance: Option<i64>,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    use crate::db::schema::usage_thresholds as ut;
    if snapshot.bytes_used > 0 && record_once(conn, service_id, "first_use", "", now)? {
        announce(
            conn,
            tenant,
            service_id,
            ("first_use", ""),
            "service.first_use",
            &ServiceFirstUseData {
                service_id: service_id.to_string(),
                bytes_used: snapshot.bytes_used,
                as_of: snapshot.as_of,
            },
            now,
        )?;
    }
    let Some(allowance) = allowance.filter(|a| *a > 0) else {
        return Ok(());
    };
    let rules = rules(conn, tenant)?;
    for threshold in rules.thresholds {
        if snapshot.bytes_used.saturating_mul(100) < allowance.saturating_mul(threshold as i64) {
            continue;
        }
        let first = crate::db::insert_unless_exists(conn, |c| {
            diesel::insert_into(ut::table)
                .values((
                    ut::service_id.eq(service_id),
                    ut::allowance_bytes.eq(allowance),
                    ut::threshold.eq(threshold),
                    ut::reached_at.eq(now.naive_utc()),
                ))
                .execute(c)
        })?;
        if !first {
            // Announced already for this allowance (or by a concurrent report).
            continue;
        }
        outbox::emit(
            conn,
            tenant,
            "usage.threshold_reached",
            service_id,
            crate::webhooks::payloads::value(&super::usage::UsageThresholdData {
                service_id: service_id.to_string(),
                threshold_percent: threshold,
                bytes_used: snapshot.bytes_used,
                data_allowance_bytes: allowance,
                as_of: snapshot.as_of,
            })?,
            now,
        )?;
    }
    let basis = allowance.to_string();
    if snapshot.bytes_used >= allowance && record_once(conn, service_id, "depleted", &basis, now)? {
        announce(
            conn,
            tenant,
            service_id,
            ("depleted", &basis),
            "service.depleted",
            &ServiceDepletedData {
                service_id: service_id.to_string(),
                bytes_used: snapshot.bytes_used,
                data_allowance_bytes: allowance,
                as_of: snapshot.as_of,
            },
            now,
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn the_shortest_lead_entered_is_announced_once() {
        let exp = Utc.with_ymd_and_hms(2026, 12, 1, 9, 0, 0).unwrap();
        let leads = [3 * 86_400, 86_400];
        assert_eq!(due(exp, exp - Duration::days(4), &leads, &[]), None);
        assert_eq!(
            due(exp, exp - Duration::days(3), &leads, &[]),
            Some(Due::Expiring {
                announce: 3 * 86_400,
                passed: vec![]
            })
        );
        assert_eq!(
            due(
                exp,
                exp - Duration::days(2),
                &leads,
                &[lead_alert(3 * 86_400)]
            ),
            None
        );
        // A jump past both leads announces the shorter only.
        assert_eq!(
            due(exp, exp - Duration::hours(2), &leads, &[]),
            Some(Due::Expiring {
                announce: 86_400,
                passed: vec![3 * 86_400]
            })
        );
        assert_eq!(due(exp, exp, &leads, &[]), Some(Due::Expired));
        assert_eq!(due(exp, exp, &leads, &["expired".into()]), None);
    }

    #[test]
    fn settings_are_checked_whole() {
        let ok = check(&AlertSettingsUpdate {
            usage_thresholds: vec![90, 50],
            expiry_lead_hours: vec![12, 72],
        })
        .unwrap();
        assert_eq!(ok.thresholds, vec![50, 90]);
        assert_eq!(ok.leads, vec![3 * 86_400, 12 * 3600]);
        for (t, l) in [
            (vec![], vec![24]),
            (vec![0], vec![24]),
            (vec![101], vec![24]),
            (vec![50, 50], vec![24]),
            (vec![1, 2, 3, 4, 5, 6], vec![24]),
            (vec![50], vec![]),
            (vec![50], vec![0]),
            (vec![50], vec![721]),
            (vec![50], vec![24, 24]),
            (vec![50], vec![1, 2, 3, 4, 5, 6]),
        ] {
            let r = check(&AlertSettingsUpdate {
                usage_thresholds: t.clone(),
                expiry_lead_hours: l.clone(),
            });
            assert!(r.is_err(), "{t:?} {l:?}");
        }
    }
}

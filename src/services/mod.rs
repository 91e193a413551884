//! Services (subscriptions): what an activation order creates and later orders change.
//! The state is Onyx's provisioning state with Onyx's `next_step` text.

pub mod alerts;
pub mod alerts_routes;
pub mod routes;
pub mod state;
pub mod usage;
pub mod usage_routes;

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use self::state::ServiceState;
use crate::auth::Tenant;
use crate::db::schema::services;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::outbox;
use crate::paginate;
use crate::pagination::{Page, PageRequest};
use crate::time::{utc, utc_opt};

crate::stored_enum! {
    pub enum InstallState {
        /// The profile has not been installed (or a swap issued new materials).
        NotInstalled = "not_installed",
        /// The profile is installed on a device.
        Installed = "installed",
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Service {
    #[schema(example = "svc_Lw0Zx5Tc7Vb1Mk3Jd9rQ2n8s")]
    pub id: String,
    #[schema(example = "booking-48151623")]
    pub customer_reference: String,
    /// The plan the subscription runs on.
    #[schema(example = "eu-10gb-30d")]
    pub package_id: String,
    pub state: ServiceState,
    /// What Onyx asks you to do now.
    pub next_step: String,
    pub install_state: InstallState,
    /// Assigned when the service is ready to install.
    #[schema(example = "8988247000012345678")]
    pub iccid: Option<String>,
    /// Data included so far (plan plus top-ups); null when unlimited.
    pub data_allowance_bytes: Option<i64>,
    pub data_unlimited: bool,
    pub activated_at: Option<DateTime<Utc>>,
    /// When the service stops (set on activation, extended by top-ups).
    pub expires_at: Option<DateTime<Utc>>,
    /// The latest usage snapshot, if any was reported.
    pub usage: Option<usage::UsageSnapshot>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = services)]
pub struct Row {
    pub id: String,
    pub customer_reference: String,
    pub package_id: String,
    pub state: String,
    pub install_state: String,
    pub next_step: String,
    pub iccid: Option<String>,
    pub data_allowance_bytes: Option<i64>,
    pub data_unlimited: bool,
    pub validity_days: i32,
    pub activated_at: Option<chrono::NaiveDateTime>,
    pub expires_at: Option<chrono::NaiveDateTime>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

impl TryFrom<Row> for Service {
    type Error = ApiError;

    fn try_from(r: Row) -> Result<Service, ApiError> {
        Ok(Service {
            id: r.id,
            customer_reference: r.customer_reference,
            package_id: r.package_id,
            state: ServiceState::from_stored(&r.state, "services.state")?,
            next_step: r.next_step,
            install_state: if r.install_state == "installed" {
                InstallState::Installed
            } else {
                InstallState::NotInstalled
            },
            iccid: r.iccid,
            data_allowance_bytes: r.data_allowance_bytes,
            data_unlimited: r.data_unlimited,
            activated_at: utc_opt(r.activated_at),
            expires_at: utc_opt(r.expires_at),
            usage: None,
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        })
    }
}

impl Service {
    /// Judges the latest usage's freshness against the tenant's time `today`.
    pub fn judge(&mut self, today: DateTime<Utc>) {
        if let Some(u) = self.usage.as_mut() {
            u.judge(today);
        }
    }
}

fn row(conn: &mut DbConnection, tenant: &Tenant, id: &str) -> Result<Row, ApiError> {
    crate::db::native!(conn, |c| services::table
        .filter(services::partner_id.eq(tenant.partner_id()))
        .filter(services::environment.eq(tenant.environment().as_str()))
        .filter(services::id.eq(id))
        .select(Row::as_select())
        .first(c))
    .optional()?
    .ok_or_else(|| ApiError::not_found("service"))
}

/// Locks the subscription's row until the transaction ends (PostgreSQL; SQLite's write
/// transactions take turns anyway). A subscription of another tenant, or none, locks nothing.
pub fn lock(conn: &mut DbConnection, tenant: &Tenant, id: &str) -> Result<(), ApiError> {
    if let DbConnection::Pg(c) = conn {
        diesel::sql_query(
            "SELECT id FROM services WHERE id = $1 AND partner_id = $2 AND environment = $3 FOR NO KEY UPDATE",
        )
        .bind::<diesel::sql_types::Text, _>(id)
        .bind::<diesel::sql_types::Text, _>(tenant.partner_id())
        .bind::<diesel::sql_types::Text, _>(tenant.environment().as_str())
        .execute(c)?;
    }
    Ok(())
}

/// Several of the tenant's services by id, with their newest usage, in two statements
/// whatever their number; ids that are not the tenant's services are left out.
pub fn views_of(
    conn: &mut DbConnection,
    tenant: &Tenant,
    ids: &[String],
) -> Result<std::collections::HashMap<String, Service>, ApiError> {
    let rows: Vec<Row> = services::table
        .filter(services::partner_id.eq(tenant.partner_id()))
        .filter(services::environment.eq(tenant.environment().as_str()))
        .filter(services::id.eq_any(ids))
        .select(Row::as_select())
        .load(conn)?;
    let found: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut usage = usage::latest_of_many(conn, &found)?;
    rows.into_iter()
        .map(|r| {
            let mut service = Service::try_from(r)?;
            service.usage = usage.remove(&service.id);
            Ok((service.id.clone(), service))
        })
        .collect()
}

pub fn get(conn: &mut DbConnection, tenant: &Tenant, id: &str) -> Result<Service, ApiError> {
    let mut service = Service::try_from(row(conn, tenant, id)?)?;
    service.usage = usage::latest(conn, id)?;
    Ok(service)
}

/// What a new service starts with.
pub struct NewService<'a> {
    pub customer_reference: &'a str,
    pub package_id: &'a str,
    pub data_allowance_bytes: Option<i64>,
    pub data_unlimited: bool,
    pub validity_days: i32,
}

pub fn create(
    conn: &mut DbConnection,
    tenant: &Tenant,
    new: NewService<'_>,
    now: DateTime<Utc>,
) -> Result<String, ApiError> {
    let id = crate::ids::new_id("svc");
    crate::db::native!(conn, |c| diesel::insert_into(services::table)
        .values((
            services::id.eq(&id),
            services::partner_id.eq(tenant.partner_id()),
            services::environment.eq(tenant.environment().as_str()),
            services::customer_reference.eq(new.customer_reference),
            services::package_id.eq(new.package_id),
            services::state.eq(ServiceState::Preparing.as_str()),
            services::install_state.eq(InstallState::NotInstalled.as_str()),
            services::next_step.eq(ServiceState::Preparing.next_step()),
            services::data_allowance_bytes.eq(new.data_allowance_bytes),
            services::data_unlimited.eq(new.data_unlimited),
            services::validity_days.eq(new.validity_days),
            services::created_at.eq(now.naive_utc()),
            services::updated_at.eq(now.naive_utc()),
        ))
        .execute(c))?;
    Ok(id)
}

/// Moves a service to `next` through the state machine, with an event. Returns false
/// (writing nothing) when the service is already in `next`.
pub fn transition(
    conn: &mut DbConnection,
    tenant: &Tenant,
    id: &str,
    next: ServiceState,
    now: DateTime<Utc>,
) -> Result<bool, ApiError> {
    let current = get(conn, tenant, id)?;
    if current.state == next {
        return Ok(false);
    }
    if !current.state.can_become(next) {
        return Err(ApiError::Conflict {
            code: "invalid_service_state",
            detail: format!(
                "The service is {} and cannot become {}.",
                current.state.as_str(),
                next.as_str()
            ),
        });
    }
    let at = now.naive_utc();
    let changed = diesel::update(
        services::table
            .find(id)
            .filter(services::state.eq(current.state.as_str())),
    )
    .set((
        services::state.eq(next.as_str()),
        services::next_step.eq(next.next_step()),
        services::updated_at.eq(at),
    ))
    .execute(conn)?;
    if changed != 1 {
        return Err(ApiError::Conflict {
            code: "invalid_service_state",
            detail: "The service changed meanwhile; read it again.".into(),
        });
    }
    let service = get(conn, tenant, id)?;
    outbox::emit(
        conn,
        tenant,
        &format!("service.{}", next.as_str()),
        id,
        crate::webhooks::payloads::value(&crate::services::ServiceEventData { service })?,
        now,
    )?;
    Ok(true)
}

/// A new ICCID: 89 (telecom) + 882 (Onyx's issuer range) + 13 random digits + Luhn digit.
pub fn new_iccid() -> String {
    use rand::Rng;
    let mut digits: Vec<u32> = vec![8, 9, 8, 8, 2];
    let mut rng = rand::thread_rng();
    digits.extend((0..13).map(|_| rng.gen_range(0..10)));
    let check = luhn_check_digit(&digits);
    digits.push(check);
    digits
        .iter()
        .map(|d| char::from_digit(*d, 10).unwrap_or('0'))
        .collect()
}

/// The Luhn check digit for `digits`.
pub fn luhn_check_digit(digits: &[u32]) -> u32 {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            if i % 2 == 0 {
                let x = d * 2;
                if x > 9 {
                    x - 9
                } else {
                    x
                }
            } else {
                *d
            }
        })
        .sum();
    (10 - sum % 10) % 10
}

/// Provisioning finished: a new ICCID on the service, not installed. The caller issues the
/// activation materials for it, then calls [`ready_to_install`].
pub fn assign_iccid(conn: &mut DbConnection, id: &str) -> Result<String, ApiError> {
    let iccid = new_iccid();
    diesel::update(services::table.find(id))
        .set((
            services::iccid.eq(Some(&iccid)),
            services::install_state.eq(InstallState::NotInstalled.as_str()),
        ))
        .execute(conn)?;
    Ok(iccid)
}

/// The service is ready to install (new materials were issued): the state change and its
/// event, or only the event for a swap on a service that was never installed.
pub fn ready_to_install(
    conn: &mut DbConnection,
    tenant: &Tenant,
    id: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let current = get(conn, tenant, id)?;
    if current.state == ServiceState::ReadyToInstall {
        // A swap on a service that was never installed: new materials, same state.
        outbox::emit(
            conn,
            tenant,
            "service.ready_to_install",
            id,
            crate::webhooks::payloads::value(&crate::services::ServiceEventData {
                service: current,
            })?,
            now,
        )?;
        return Ok(());
    }
    transition(conn, tenant, id, ServiceState::ReadyToInstall, now)?;
    Ok(())
}

/// A top-up: more data (unless unlimited) and the expiry pushed out by `validity_days`.
pub fn top_up(
    conn: &mut DbConnection,
    tenant: &Tenant,
    id: &str,
    extra_bytes: Option<i64>,
    unlimited: bool,
    validity_days: i32,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let current = row(conn, tenant, id)?;
    // Validity is counted on the tenant's clock (a moved sandbox clock included).
    let today = tenant.time(conn, now)?.now();
    let base = current
        .expires_at
        .map(utc)
        .filter(|e| *e > today)
        .unwrap_or(today);
    let expires = if validity_days > 0 {
        Some((base + Duration::days(validity_days as i64)).naive_utc())
    } else {
        current.expires_at
    };
    let allowance = if unlimited || current.data_unlimited {
        None
    } else {
        Some(current.data_allowance_bytes.unwrap_or(0) + extra_bytes.unwrap_or(0))
    };
    diesel::update(services::table.find(id))
        .set((
            services::data_allowance_bytes.eq(allowance),
            services::data_unlimited.eq(unlimited || current.data_unlimited),
            services::expires_at.eq(expires),
            services::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    // A renewal: an expired service whose validity now reaches past today is active again.
    if current.state == ServiceState::Expired.as_str() && expires.is_some_and(|e| utc(e) > today) {
        transition(conn, tenant, id, ServiceState::Active, now)?;
    }
    let service = get(conn, tenant, id)?;
    outbox::emit(
        conn,
        tenant,
        "service.topped_up",
        id,
        crate::webhooks::payloads::value(&crate::services::ServiceEventData { service })?,
        now,
    )?;
    Ok(())
}

/// The service side of a device installing the profile: ready_to_install → active (the
/// materials side is `activation::install`).
pub fn install(
    conn: &mut DbConnection,
    tenant: &Tenant,
    id: &str,
    now: DateTime<Utc>,
) -> Result<Service, ApiError> {
    let current = row(conn, tenant, id)?;
    if current.state != ServiceState::ReadyToInstall.as_str() {
        return Err(ApiError::Conflict {
            code: "service_not_ready",
            detail: format!(
                "Only a service in ready_to_install can be installed; this one is {}.",
                current.state
            ),
        });
    }
    // Validity starts at the first activation, on the tenant's clock.
    let today = tenant.time(conn, now)?.now();
    let expires = current
        .expires_at
        .unwrap_or_else(|| (today + Duration::days(current.validity_days as i64)).naive_utc());
    diesel::update(services::table.find(id))
        .set((
            services::install_state.eq(InstallState::Installed.as_str()),
            services::activated_at.eq(Some(current.activated_at.unwrap_or(today.naive_utc()))),
            services::expires_at.eq(Some(expires)),
        ))
        .execute(conn)?;
    transition(conn, tenant, id, ServiceState::Active, now)?;
    get(conn, tenant, id)
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ServiceFilter {
    /// Only services in this state.
    pub state: Option<ServiceState>,
    /// Only services of this customer.
    pub customer_reference: Option<String>,
}

pub fn list(
    conn: &mut DbConnection,
    tenant: &Tenant,
    filter: &ServiceFilter,
    page: &PageRequest,
) -> Result<Page<Service>, ApiError> {
    let mut q = paginate!(
        services::table
            .filter(services::partner_id.eq(tenant.partner_id()))
            .filter(services::environment.eq(tenant.environment().as_str())),
        services,
        page
    );
    if let Some(s) = filter.state {
        q = q.filter(services::state.eq(s.as_str()));
    }
    if let Some(c) = &filter.customer_reference {
        q = q.filter(services::customer_reference.eq(c.clone()));
    }
    let rows: Vec<Row> = q.select(Row::as_select()).load(conn)?;
    // Two queries for the page: the services, then the newest usage of each.
    let ids: Vec<String> = rows.iter().map(|r| r.id.clone()).collect();
    let mut usage = usage::latest_of_many(conn, &ids)?;
    Page::try_from_rows(
        rows,
        page,
        |r| (r.created_at, r.id.clone()),
        |r| {
            let mut service = Service::try_from(r)?;
            service.usage = usage.remove(&service.id);
            Ok(service)
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iccids_have_19_digits_and_a_valid_luhn_digit() {
        for _ in 0..100 {
            let iccid = new_iccid();
            assert_eq!(iccid.len(), 19);
            let digits: Vec<u32> = iccid.chars().map(|c| c.to_digit(10).unwrap()).collect();
            assert_eq!(luhn_check_digit(&digits[..18]), digits[18]);
        }
        // A published example: 7992739871 has check digit 3.
        assert_eq!(luhn_check_digit(&[7, 9, 9, 2, 7, 3, 9, 8, 7, 1]), 3);
    }
}

/// `service.*`: the service as `GET /v1/services/{service_id}` answers it, after the change.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ServiceEventData {
    pub service: Service,
}

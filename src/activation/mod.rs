//! Activation materials: the LPA activation code, SM-DP+ address, matching id, optional
//! confirmation code, ICCID and install links of a service.
//!
//! The secret parts (matching id, confirmation code) are sealed with ChaCha20-Poly1305 under
//! `ONYX_ENCRYPTION_KEY`, with the row's ids as associated data; only ciphertext is stored.
//! They are served from their own endpoints only (no-store, audited), never in lists,
//! events, logs or error bodies. Each set of materials is `issued`, then `retrieved`,
//! `installed`, or `revoked` (a SIM swap or cancellation revokes them).

pub mod guidance;
pub mod qr;
pub mod recovery;
pub mod routes;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use rand::Rng;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Tenant;
use crate::db::schema::activation_materials as am;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::services::{self, state::ServiceState};
use crate::time::{utc, utc_opt};
use crate::vault::Vault;

crate::stored_enum! {
    pub enum MaterialStatus {
        /// Issued; nobody has fetched them yet.
        Issued = "issued",
        /// Fetched at least once.
        Retrieved = "retrieved",
        /// Used: the profile was installed on a device.
        Installed = "installed",
        /// No longer valid (replaced by a SIM swap, or the service was cancelled).
        Revoked = "revoked",
    }
}

#[derive(Serialize, Deserialize)]
struct Sealed {
    matching_id: String,
    confirmation_code: Option<String>,
}

fn seal(vault: &Vault, aad: &str, secret: &Sealed) -> Result<(Vec<u8>, Vec<u8>), ApiError> {
    let plain = serde_json::to_vec(secret).map_err(ApiError::internal)?;
    vault.seal_bytes(aad, &plain)
}

fn open(vault: &Vault, aad: &str, nonce: &[u8], sealed: &[u8]) -> Result<Sealed, ApiError> {
    let plain = vault
        .open_bytes(aad, nonce, sealed)
        .map_err(|_| unreadable())?;
    serde_json::from_slice(&plain).map_err(|_| unreadable())
}

fn unreadable() -> ApiError {
    ApiError::Unavailable {
        code: "activation_materials_unreadable",
        detail: "The activation materials cannot be decrypted with the service's current key; Onyx support can re-issue them with a SIM swap.".into(),
    }
}

fn random_from(alphabet: &[u8], len: usize) -> String {
    let mut rng = rand::thread_rng();
    (0..len)
        .map(|_| alphabet[rng.gen_range(0..alphabet.len())] as char)
        .collect()
}

fn new_matching_id() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    (0..4)
        .map(|_| random_from(ALPHABET, 5))
        .collect::<Vec<_>>()
        .join("-")
}

/// The LPA activation code (GSMA SGP.22): `LPA:1$<SM-DP+>$<matching id>`, with the fifth
/// field `1` when a confirmation code is required.
pub fn activation_code(smdp: &str, matching_id: &str, confirmation_required: bool) -> String {
    if confirmation_required {
        format!("LPA:1${smdp}${matching_id}$$1")
    } else {
        format!("LPA:1${smdp}${matching_id}")
    }
}

/// Apple's universal link that opens eSIM installation with the activation code.
pub fn ios_install_link(code: &str) -> String {
    let encoded: String = url::form_urlencoded::byte_serialize(code.as_bytes()).collect();
    format!("https://esimsetup.apple.com/esim_qrcode_provisioning?carddata={encoded}")
}

/// Revokes every unrevoked set of the service's materials.
pub fn revoke_all(
    conn: &mut DbConnection,
    service_id: &str,
    now: DateTime<Utc>,
) -> Result<usize, ApiError> {
    Ok(diesel::update(
        am::table
            .filter(am::service_id.eq(service_id))
            .filter(am::status.ne("revoked")),
    )
    .set((
        am::status.eq("revoked"),
        am::revoked_at.eq(Some(now.naive_utc())),
    ))
    .execute(conn)?)
}

/// Issues new materials for the service (revoking earlier ones).
pub fn issue(
    conn: &mut DbConnection,
    vault: &Vault,
    tenant: &Tenant,
    service_id: &str,
    iccid: &str,
    confirmation_required: bool,
    now: DateTime<Utc>,
) -> Result<String, ApiError> {
    revoke_all(conn, service_id, now)?;
    let id = crate::ids::new_id("act");
    let secret = Sealed {
        matching_id: new_matching_id(),
        confirmation_code: confirmation_required.then(|| random_from(b"0123456789", 8)),
    };
    let (nonce, ciphertext) = seal(vault, &format!("{id}/{service_id}"), &secret)?;
    let at = now.naive_utc();
    diesel::insert_into(am::table)
        .values((
            am::id.eq(&id),
            am::service_id.eq(service_id),
            am::partner_id.eq(tenant.partner_id()),
            am::environment.eq(tenant.environment().as_str()),
            am::status.eq(MaterialStatus::Issued.as_str()),
            am::iccid.eq(iccid),
            am::smdp_address.eq(&vault.smdp_address),
            am::confirmation_required.eq(confirmation_required),
            am::nonce.eq(nonce),
            am::ciphertext.eq(ciphertext),
            am::issued_at.eq(at),
            am::created_at.eq(at),
        ))
        .execute(conn)?;
    // The event says that materials exist, never what they are.
    crate::outbox::emit(
        conn,
        tenant,
        "activation.ready",
        service_id,
        crate::webhooks::payloads::value(&crate::activation::ActivationReadyData {
            service_id: service_id.to_string(),
            activation_id: id.clone(),
            iccid: iccid.to_string(),
            confirmation_code_required: confirmation_required,
        })?,
        now,
    )?;
    Ok(id)
}

/// The secret materials, as served by `GET /v1/services/{service_id}/activation`.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivationMaterials {
    #[schema(example = "act_0mhx2k9q1002a7f3kq9zt0bw")]
    pub id: String,
    pub service_id: String,
    pub status: MaterialStatus,
    #[schema(example = "8988247000012345678")]
    pub iccid: String,
    /// Give this to the device (or render it as the QR code).
    #[schema(example = "LPA:1$smdp.onyx.example$K2M9Q-7XH3D-P8VN4-TR6WZ")]
    pub activation_code: String,
    #[schema(example = "smdp.onyx.example")]
    pub smdp_address: String,
    #[schema(example = "K2M9Q-7XH3D-P8VN4-TR6WZ")]
    pub matching_id: String,
    /// Whether the device will ask for `confirmation_code`.
    pub confirmation_code_required: bool,
    pub confirmation_code: Option<String>,
    pub install_links: InstallLinks,
    pub issued_at: DateTime<Utc>,
    pub retrieved_at: Option<DateTime<Utc>>,
    pub installed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct InstallLinks {
    /// iOS 17.4+: opens eSIM installation directly.
    pub ios: Option<String>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = am)]
pub struct Row {
    pub id: String,
    pub service_id: String,
    pub status: String,
    pub iccid: String,
    pub smdp_address: String,
    pub confirmation_required: bool,
    pub nonce: Vec<u8>,
    pub ciphertext: Vec<u8>,
    pub issued_at: chrono::NaiveDateTime,
    pub retrieved_at: Option<chrono::NaiveDateTime>,
    pub installed_at: Option<chrono::NaiveDateTime>,
    pub revoked_at: Option<chrono::NaiveDateTime>,
}

/// The newest set of the service's materials, if any was issued.
pub fn latest(
    conn: &mut DbConnection,
    tenant: &Tenant,
    service_id: &str,
) -> Result<Option<Row>, ApiError> {
    Ok(am::table
        .filter(am::partner_id.eq(tenant.partner_id()))
        .filter(am::environment.eq(tenant.environment().as_str()))
        .filter(am::service_id.eq(service_id))
        .order((am::created_at.desc(), am::id.desc()))
        .select(Row::as_select())
        .first(conn)
        .optional()?)
}

/// Whether any set of this service's materials was ever installed (used).
pub fn ever_installed(conn: &mut DbConnection, service_id: &str) -> Result<bool, ApiError> {
    Ok(diesel::select(diesel::dsl::exists(
        am::table
            .filter(am::service_id.eq(service_id))
            .filter(am::installed_at.is_not_null()),
    ))
    .get_result(conn)?)
}

/// Reads (decrypts) the current materials and records the retrieval.
pub fn read(
    conn: &mut DbConnection,
    vault: &Vault,
    tenant: &Tenant,
    service_id: &str,
    now: DateTime<Utc>,
) -> Result<ActivationMaterials, ApiError> {
    services::get(conn, tenant, service_id)?;
    let row = latest(conn, tenant, service_id)?.ok_or_else(|| ApiError::Conflict {
        code: "activation_not_ready",
        detail: "Activation materials exist once the service is ready_to_install; wait for the service.ready_to_install event.".into(),
    })?;
    if row.status == "revoked" {
        return Err(ApiError::Conflict {
            code: "activation_materials_revoked",
            detail: "These activation materials were revoked (the service was cancelled); they can no longer be installed.".into(),
        });
    }
    let secret = open(
        vault,
        &format!("{}/{}", row.id, row.service_id),
        &row.nonce,
        &row.ciphertext,
    )?;
    let mut retrieved_at = row.retrieved_at;
    if row.status == "issued" {
        diesel::update(am::table.find(&row.id).filter(am::status.eq("issued")))
            .set((
                am::status.eq("retrieved"),
                am::retrieved_at.eq(Some(now.naive_utc())),
            ))
            .execute(conn)?;
        retrieved_at = Some(now.naive_utc());
    }
    let status = if row.status == "issued" {
        MaterialStatus::Retrieved
    } else {
        MaterialStatus::from_stored(&row.status, "activation_materials.status")?
    };
    let code = activation_code(
        &row.smdp_address,
        &secret.matching_id,
        row.confirmation_required,
    );
    Ok(ActivationMaterials {
        install_links: InstallLinks {
            ios: Some(ios_install_link(&code)),
        },
        activation_code: code,
        id: row.id,
        service_id: row.service_id,
        status,
        iccid: row.iccid,
        smdp_address: row.smdp_address,
        matching_id: secret.matching_id,
        confirmation_code_required: row.confirmation_required,
        confirmation_code: secret.confirmation_code,
        issued_at: utc(row.issued_at),
        retrieved_at: utc_opt(retrieved_at),
        installed_at: utc_opt(row.installed_at),
    })
}

/// The device installed the profile: the current materials are used.
pub fn mark_installed(
    conn: &mut DbConnection,
    service_id: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    diesel::update(
        am::table
            .filter(am::service_id.eq(service_id))
            .filter(am::status.eq_any(["issued", "retrieved"])),
    )
    .set((
        am::status.eq("installed"),
        am::installed_at.eq(Some(now.naive_utc())),
    ))
    .execute(conn)?;
    Ok(())
}

/// Provisioning finished for the service: a new ICCID, new activation materials (earlier
/// ones revoked; a confirmation code when the package needs identity verification), then the
/// service is ready to install.
pub fn make_ready(
    conn: &mut DbConnection,
    vault: &Vault,
    tenant: &Tenant,
    service_id: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let iccid = services::assign_iccid(conn, service_id)?;
    let service = services::get(conn, tenant, service_id)?;
    let confirmation = crate::catalogue::get(conn, &service.package_id)?
        .compliance_requirements
        .contains(&crate::catalogue::ComplianceRequirement::IdentityVerification);
    issue(conn, vault, tenant, service_id, &iccid, confirmation, now)?;
    services::ready_to_install(conn, tenant, service_id, now)
}

/// A device installed the profile: the materials are used and the service is active.
pub fn install(
    conn: &mut DbConnection,
    tenant: &Tenant,
    service_id: &str,
    now: DateTime<Utc>,
) -> Result<services::Service, ApiError> {
    services::install(conn, tenant, service_id, now)?;
    mark_installed(conn, service_id, now)?;
    services::get(conn, tenant, service_id)
}

/// Ends the service (cancelled) and revokes its materials. Returns false when it already was.
pub fn cancel_service(
    conn: &mut DbConnection,
    tenant: &Tenant,
    service_id: &str,
    now: DateTime<Utc>,
) -> Result<bool, ApiError> {
    let changed = services::transition(conn, tenant, service_id, ServiceState::Cancelled, now)?;
    revoke_all(conn, service_id, now)?;
    Ok(changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_follow_sgp22_and_seal_round_trips() {
        assert_eq!(
            activation_code("smdp.example", "ABC", false),
            "LPA:1$smdp.example$ABC"
        );
        assert_eq!(
            activation_code("smdp.example", "ABC", true),
            "LPA:1$smdp.example$ABC$$1"
        );
        let m = new_matching_id();
        assert_eq!(m.len(), 23);
        let config = crate::config::Config::from_lookup(|_| None).unwrap();
        let vault = Vault::from_config(&config);
        let (nonce, sealed) = seal(
            &vault,
            "a/b",
            &Sealed {
                matching_id: m.clone(),
                confirmation_code: None,
            },
        )
        .unwrap();
        assert!(!String::from_utf8_lossy(&sealed).contains(&m));
        assert_eq!(open(&vault, "a/b", &nonce, &sealed).unwrap().matching_id, m);
        assert!(
            open(&vault, "a/c", &nonce, &sealed).is_err(),
            "bound to its row"
        );
    }
}

/// `activation.ready`: activation materials exist for the service. The event never carries
/// them: read them with `GET /v1/services/{service_id}/activation`.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct ActivationReadyData {
    #[schema(example = "svc_0mhx2k9q1002a7f3kq9zt0bw")]
    pub service_id: String,
    #[schema(example = "act_0mhx2k9q1002a7f3kq9zt0bw")]
    pub activation_id: String,
    #[schema(example = "8988247000001234567")]
    pub iccid: String,
    /// The customer must type a confirmation code while installing.
    pub confirmation_code_required: bool,
}

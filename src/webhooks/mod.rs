//! Webhook endpoints: URL, subscribed event types, signing secret (sealed at rest, shown at
//! creation and rotation only), enabled or disabled with a reason.

pub mod delivery;
pub mod payloads;
pub mod routes;
pub mod signing;
pub mod ssrf;

use std::net::IpAddr;

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::{Environment, Tenant};
use crate::db::schema::webhook_endpoints as we;
use crate::db::DbConnection;
use crate::error::{ApiError, FieldError};
use crate::paginate;
use crate::pagination::{Page, PageRequest};
use crate::time::{utc, utc_opt};
use crate::vault::Vault;

/// Every event type an endpoint can subscribe to.
pub const EVENT_TYPES: &[&str] = &[
    "order.created",
    "order.processing",
    "order.completed",
    "order.failed",
    "order.cancelled",
    "order.retried",
    "order.retryable",
    "service.preparing",
    "service.delayed",
    "service.ready_to_install",
    "service.active",
    "service.failed",
    "service.unavailable",
    "service.cancelled",
    "service.expired",
    "service.topped_up",
    "service.expiring",
    "service.depleted",
    "service.first_use",
    "activation.ready",
    "usage.threshold_reached",
    "credential.created",
    "credential.rotated",
    "credential.revoked",
    "webhook_endpoint.disabled",
    "support_case.updated",
    "live_access.requested",
    "live_access.approved",
    "live_access.declined",
    "wallet.low_balance",
    "refund.created",
    "refund.approved",
    "refund.declined",
    "invoice.issued",
    "invoice.paid",
    "invoice.voided",
    "webhook.test",
];

crate::openapi::listed_strings!(
    /// A webhook event type.
    EventType,
    EVENT_TYPES
);

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct WebhookEndpoint {
    #[schema(example = "we_0mhx2k9q1002a7f3kq9zt0bw")]
    pub id: String,
    #[schema(example = "https://hooks.wanderlust.example/onyx")]
    pub url: String,
    pub description: Option<String>,
    /// Subscribed types; empty means every type.
    #[schema(value_type = Vec<EventType>, example = json!(["order.completed", "service.ready_to_install"]))]
    pub event_types: Vec<String>,
    pub enabled: bool,
    /// Why Onyx disabled the endpoint (or `disabled by you`).
    pub disabled_reason: Option<String>,
    /// While a rotated secret still signs (both signatures are sent), when it stops.
    pub previous_secret_expires_at: Option<DateTime<Utc>>,
    pub last_success_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An endpoint with its signing secret (shown only at creation and rotation).
#[derive(Debug, Serialize, ToSchema)]
pub struct EndpointWithSecret {
    #[serde(flatten)]
    pub endpoint: WebhookEndpoint,
    /// Verify signatures with it. Shown once.
    #[schema(example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    pub secret: String,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = we)]
pub struct Row {
    pub id: String,
    pub partner_id: String,
    pub environment: String,
    pub url: String,
    pub description: Option<String>,
    pub event_types: String,
    pub enabled: bool,
    pub disabled_reason: Option<String>,
    pub secret_nonce: Vec<u8>,
    pub secret_sealed: Vec<u8>,
    pub previous_secret_nonce: Option<Vec<u8>>,
    pub previous_secret_sealed: Option<Vec<u8>>,
    pub previous_secret_expires_at: Option<chrono::NaiveDateTime>,
    pub last_success_at: Option<chrono::NaiveDateTime>,
    pub created_at: chrono::NaiveDateTime,
    pub updated_at: chrono::NaiveDateTime,
}

impl Row {
    pub fn types(&self) -> Vec<String> {
        serde_json::from_str(&self.event_types).unwrap_or_default()
    }

    pub fn subscribes_to(&self, event_type: &str) -> bool {
        let types = self.types();
        types.is_empty() || types.iter().any(|t| t == event_type)
    }

    /// Secrets that sign now: the current one, and the previous one during its grace.
    pub fn signing_secrets(
        &self,
        vault: &Vault,
        now: DateTime<Utc>,
    ) -> Result<Vec<String>, ApiError> {
        let open = |nonce: &[u8], sealed: &[u8]| -> Result<String, ApiError> {
            String::from_utf8(vault.open_bytes(&format!("{}/secret", self.id), nonce, sealed)?)
                .map_err(ApiError::internal)
        };
        let mut secrets = vec![open(&self.secret_nonce, &self.secret_sealed)?];
        if let (Some(n), Some(s), Some(until)) = (
            &self.previous_secret_nonce,
            &self.previous_secret_sealed,
            self.previous_secret_expires_at,
        ) {
            if utc(until) > now {
                secrets.push(open(n, s)?);
            }
        }
        Ok(secrets)
    }
}

impl From<Row> for WebhookEndpoint {
    fn from(r: Row) -> WebhookEndpoint {
        WebhookEndpoint {
            event_types: r.types(),
            id: r.id,
            url: r.url,
            description: r.description,
            enabled: r.enabled,
            disabled_reason: r.disabled_reason,
            previous_secret_expires_at: utc_opt(r.previous_secret_expires_at),
            last_success_at: utc_opt(r.last_success_at),
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        }
    }
}

/// What a webhook URL is checked against besides its environment.
#[derive(Clone, Debug, Default)]
pub struct UrlPolicy {
    /// `ONYX_WEBHOOK_DEV_MODE`: live endpoints may use http and private addresses.
    pub dev_mode: bool,
    /// The ports this service listens on: a loopback URL on one of them would call the
    /// service itself, and is refused in every environment.
    pub own_ports: Vec<u16>,
}

impl UrlPolicy {
    pub fn of(state: &crate::state::AppState) -> UrlPolicy {
        UrlPolicy {
            dev_mode: state.config.webhook_dev_mode,
            own_ports: state.listening_ports(),
        }
    }

    /// True when `url` names loopback on one of the service's own ports.
    pub fn calls_itself(&self, url: &url::Url) -> bool {
        let port = url.port_or_known_default();
        url.host_str().is_some_and(ssrf::names_loopback)
            && port.is_some_and(|p| self.own_ports.contains(&p))
    }
}

/// The form of a webhook URL, as the OpenAPI document states it (`url` of
/// [`CreateEndpoint`]): https to a host name or an IPv4 address (or `[::1]`), or http to loopback (`localhost`, `127.x.x.x`,
/// `[::1]`; sandbox only), written in ASCII, with an optional port and path. [`check_url`]
/// also holds URLs to it after its more specific checks.
pub const URL_PATTERN: &str = r"^(https://(([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[A-Za-z]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.?|(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}|\[::1\])|http://(([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)*[Ll][Oo][Cc][Aa][Ll][Hh][Oo][Ss][Tt]\.?|127(\.(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}|\[::1\]))(:(6553[0-5]|655[0-2][0-9]|65[0-4][0-9]{2}|6[0-4][0-9]{3}|[1-5][0-9]{4}|[0-9]{1,4}))?([/?#][!-~]*)?$";

fn url_schema() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .description(Some(
            "An https URL with a host name or an IPv4 address, or in sandbox http to loopback \
             (`localhost`, `127.0.0.1`, `[::1]`) for a receiver on your machine; ASCII only (IDN hosts in \
             their `xn--` form), no user name or password, at most 2048 characters. Live \
             endpoints may not name loopback, private or link-local hosts.",
        ))
        .max_length(Some(2048))
        .pattern(Some(URL_PATTERN))
        .examples(["https://hooks.wanderlust.example/onyx"])
        .build()
}

fn optional_url_schema() -> utoipa::openapi::Object {
    let mut schema = url_schema();
    schema.schema_type = utoipa::openapi::schema::SchemaType::from_iter([
        utoipa::openapi::schema::Type::String,
        utoipa::openapi::schema::Type::Null,
    ]);
    schema.description = Some("The rules of `url` at creation apply.".into());
    schema.examples.clear();
    schema
}

/// Checks a webhook URL for its environment. Live: https to a public address only (unless
/// `dev_mode`). Sandbox: https, or http to loopback (a receiver on your machine). Never a
/// loopback URL on the service's own port.
pub fn check_url(raw: &str, env: Environment, policy: &UrlPolicy) -> Result<url::Url, ApiError> {
    let dev_mode = policy.dev_mode;
    let refuse = |code: &str, message: &str| {
        ApiError::validation(vec![FieldError::new("url", code, message)])
    };
    if raw.len() > 2048 {
        return Err(refuse("too_long", "must be at most 2048 characters long"));
    }
    let url = url::Url::parse(raw)
        .map_err(|_| refuse("invalid_url", "must be an absolute http(s) URL"))?;
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refuse(
            "credentials_in_url",
            "must not contain a user name or password; authenticate receivers by the signature",
        ));
    }
    let host = url
        .host_str()
        .ok_or_else(|| refuse("invalid_url", "must name a host"))?
        .to_string();
    let literal: Option<IpAddr> = ssrf::literal(&host);
    // `localhost.` (the absolute form) and `*.localhost` (RFC 6761) name loopback too.
    let local_name = ssrf::is_local_name(&host);
    let loopback = literal.is_some_and(|ip| ip.is_loopback()) || local_name;
    match url.scheme() {
        "https" => {}
        "http" if dev_mode || (env == Environment::Sandbox && loopback) => {}
        "http" => {
            return Err(refuse(
                "insecure_url",
                "must use https (http is accepted only for loopback receivers in sandbox)",
            ))
        }
        _ => return Err(refuse("invalid_url", "must be an http(s) URL")),
    }
    if !dev_mode {
        let allow_loopback = env == Environment::Sandbox;
        let bad_literal = literal.is_some_and(|ip| !ssrf::allowed(ip, allow_loopback));
        let bad_name = env == Environment::Live && local_name;
        if bad_literal || bad_name {
            return Err(refuse(
                "forbidden_address",
                "must not point at loopback, private, link-local or other non-public addresses",
            ));
        }
        static FORM: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
            regex::Regex::new(URL_PATTERN).expect("URL_PATTERN is a valid regex")
        });
        if !FORM.is_match(raw) {
            return Err(refuse(
                "invalid_url",
                "must be https to a host name or an IPv4 address (in sandbox also http to \
                 localhost, 127.0.0.1 or [::1]), written in ASCII, such as \
                 https://hooks.example.com/onyx",
            ));
        }
    }
    if policy.calls_itself(&url) {
        return Err(refuse(
            "forbidden_address",
            "must not point at this service's own port; run your receiver on another port",
        ));
    }
    Ok(url)
}

fn check_types(types: &[String]) -> Result<(), ApiError> {
    let errors: Vec<FieldError> = types
        .iter()
        .enumerate()
        .filter(|(_, t)| !EVENT_TYPES.contains(&t.as_str()))
        .map(|(i, _)| {
            FieldError::new(
                format!("event_types[{i}]"),
                "unknown_event_type",
                "must be one of the event types in the API description",
            )
        })
        .collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(errors))
    }
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({
    "url": "https://hooks.wanderlust.example/onyx",
    "description": "Booking backend",
    "event_types": ["order.completed", "order.failed"]
}))]
pub struct CreateEndpoint {
    #[schema(schema_with = url_schema)]
    pub url: String,
    #[schema(max_length = 200)]
    pub description: Option<String>,
    /// Types to receive; leave out or empty for every type.
    #[serde(default)]
    #[schema(value_type = Vec<EventType>)]
    pub event_types: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"event_types": ["order.completed", "order.failed"], "enabled": true}))]
pub struct UpdateEndpoint {
    /// The rules of `url` at creation apply.
    #[schema(schema_with = optional_url_schema)]
    pub url: Option<String>,
    #[schema(max_length = 200)]
    pub description: Option<String>,
    #[schema(value_type = Option<Vec<EventType>>)]
    pub event_types: Option<Vec<String>>,
    /// Disabling stops every queued delivery and retry to the endpoint (they are marked
    /// `failed`, "endpoint disabled"); re-enabling clears the disabled reason and deliveries
    /// resume with new events.
    pub enabled: Option<bool>,
}

fn check_description(d: &Option<String>) -> Result<(), ApiError> {
    if d.as_ref().is_some_and(|d| d.chars().count() > 200) {
        return Err(ApiError::validation(vec![FieldError::new(
            "description",
            "too_long",
            "must be at most 200 characters long",
        )]));
    }
    Ok(())
}

fn row(conn: &mut DbConnection, tenant: &Tenant, id: &str) -> Result<Row, ApiError> {
    we::table
        .filter(we::partner_id.eq(tenant.partner_id()))
        .filter(we::environment.eq(tenant.environment().as_str()))
        .filter(we::id.eq(id))
        .filter(we::deleted_at.is_null())
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("webhook endpoint"))
}

pub fn get(
    conn: &mut DbConnection,
    tenant: &Tenant,
    id: &str,
) -> Result<WebhookEndpoint, ApiError> {
    row(conn, tenant, id).map(WebhookEndpoint::from)
}

/// An endpoint by id, deleted or not (delivery worker).
pub fn row_by_id(conn: &mut DbConnection, id: &str) -> Result<Row, ApiError> {
    Ok(we::table.find(id).select(Row::as_select()).first(conn)?)
}

/// Creates an endpoint with a new signing secret. A partner has at most
/// `ONYX_WEBHOOK_ENDPOINTS_MAX` endpoints (default 10) per environment, so that its endpoints
/// can hold only that many of the delivery worker's slots.
pub fn create(
    conn: &mut DbConnection,
    vault: &Vault,
    tenant: &Tenant,
    req: CreateEndpoint,
    config: &crate::config::Config,
    policy: &UrlPolicy,
    now: DateTime<Utc>,
) -> Result<EndpointWithSecret, ApiError> {
    let url = check_url(&req.url, tenant.environment(), policy)?;
    check_types(&req.event_types)?;
    check_description(&req.description)?;
    crate::db::lock_partner(conn, tenant.partner_id())?;
    let existing: i64 = we::table
        .filter(we::partner_id.eq(tenant.partner_id()))
        .filter(we::environment.eq(tenant.environment().as_str()))
        .filter(we::deleted_at.is_null())
        .count()
        .get_result(conn)?;
    if existing >= config.webhook_endpoints_max {
        return Err(ApiError::Conflict {
            code: "endpoint_limit_reached",
            detail: format!(
                "This environment already has {existing} webhook endpoints, the most allowed; delete one you no longer use, or subscribe an existing endpoint to more event types."
            ),
        });
    }
    let id = crate::ids::new_id("we");
    let secret = signing::new_secret();
    let (nonce, sealed) = vault.seal_bytes(&format!("{id}/secret"), secret.as_bytes())?;
    let at = now.naive_utc();
    diesel::insert_into(we::table)
        .values((
            we::id.eq(&id),
            we::partner_id.eq(tenant.partner_id()),
            we::environment.eq(tenant.environment().as_str()),
            we::url.eq(url.as_str()),
            we::description.eq(&req.description),
            we::event_types
                .eq(serde_json::to_string(&req.event_types).map_err(ApiError::internal)?),
            we::enabled.eq(true),
            we::secret_nonce.eq(nonce),
            we::secret_sealed.eq(sealed),
            we::created_at.eq(at),
            we::updated_at.eq(at),
        ))
        .execute(conn)?;
    Ok(EndpointWithSecret {
        endpoint: get(conn, tenant, &id)?,
        secret,
    })
}

pub fn list(
    conn: &mut DbConnection,
    tenant: &Tenant,
    page: &PageRequest,
) -> Result<Page<WebhookEndpoint>, ApiError> {
    let rows: Vec<Row> = paginate!(
        we::table
            .filter(we::partner_id.eq(tenant.partner_id()))
            .filter(we::environment.eq(tenant.environment().as_str()))
            .filter(we::deleted_at.is_null()),
        we,
        page
    )
    .select(Row::as_select())
    .load(conn)?;
    Ok(Page::from_rows(
        rows,
        page,
        |r| (r.created_at, r.id.clone()),
        WebhookEndpoint::from,
    ))
}

pub fn update(
    conn: &mut DbConnection,
    tenant: &Tenant,
    id: &str,
    req: UpdateEndpoint,
    policy: &UrlPolicy,
    now: DateTime<Utc>,
) -> Result<WebhookEndpoint, ApiError> {
    let current = row(conn, tenant, id)?;
    let url = match &req.url {
        Some(u) => check_url(u, tenant.environment(), policy)?.to_string(),
        None => current.url.clone(),
    };
    if let Some(types) = &req.event_types {
        check_types(types)?;
    }
    check_description(&req.description)?;
    let enabled = req.enabled.unwrap_or(current.enabled);
    let reason = match (req.enabled, enabled) {
        (_, true) => None,
        (Some(false), false) => Some("disabled by you".to_string()),
        _ => current.disabled_reason.clone(),
    };
    diesel::update(we::table.find(id))
        .set((
            we::url.eq(url),
            we::description.eq(req.description.or(current.description)),
            we::event_types.eq(req
                .event_types
                .map(|t| serde_json::to_string(&t).unwrap_or_else(|_| "[]".into()))
                .unwrap_or(current.event_types)),
            we::enabled.eq(enabled),
            we::disabled_reason.eq(reason),
            we::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    if !enabled {
        // A disabled endpoint gets nothing further: its queued deliveries and retries stop.
        delivery::stop_pending(conn, id, "endpoint disabled", now)?;
    }
    get(conn, tenant, id)
}

/// Deletes an endpoint (kept for delivery history); its pending deliveries stop.
pub fn delete(
    conn: &mut DbConnection,
    tenant: &Tenant,
    id: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    row(conn, tenant, id)?;
    let at = now.naive_utc();
    diesel::update(we::table.find(id))
        .set((
            we::deleted_at.eq(Some(at)),
            we::enabled.eq(false),
            we::updated_at.eq(at),
        ))
        .execute(conn)?;
    delivery::stop_pending(conn, id, "endpoint deleted", now)?;
    Ok(())
}

/// A new signing secret; the old one keeps signing (a second signature) for `grace`.
pub fn rotate_secret(
    conn: &mut DbConnection,
    vault: &Vault,
    tenant: &Tenant,
    id: &str,
    grace: Duration,
    now: DateTime<Utc>,
) -> Result<EndpointWithSecret, ApiError> {
    let current = row(conn, tenant, id)?;
    let secret = signing::new_secret();
    let (nonce, sealed) = vault.seal_bytes(&format!("{id}/secret"), secret.as_bytes())?;
    // A conditional write on the secret that was read (each sealing has its own random
    // nonce, so the nonce names the stored secret): of two rotations that read the same
    // secret, the second finds it replaced and answers 409, instead of overwriting the first
    // one's secret after that caller was shown it.
    let rotated = diesel::update(
        we::table
            .find(id)
            .filter(we::deleted_at.is_null())
            .filter(we::secret_nonce.eq(current.secret_nonce.clone())),
    )
    .set((
        we::secret_nonce.eq(nonce),
        we::secret_sealed.eq(sealed),
        we::previous_secret_nonce.eq(Some(current.secret_nonce)),
        we::previous_secret_sealed.eq(Some(current.secret_sealed)),
        we::previous_secret_expires_at.eq(Some((now + grace).naive_utc())),
        we::updated_at.eq(now.naive_utc()),
    ))
    .execute(conn)?;
    if rotated == 0 {
        return Err(ApiError::Conflict {
            code: "concurrent_change",
            detail: "Another request rotated or deleted this endpoint's secret at the same moment; read the endpoint and rotate again if you still need a new secret.".into(),
        });
    }
    Ok(EndpointWithSecret {
        endpoint: get(conn, tenant, id)?,
        secret,
    })
}

//! Every check an order must pass before it is placed, run in this order inside the
//! creating transaction, each with its own code; a refused order writes nothing (no order, no
//! reservation, no event). [`check`] turns a request into a [`ValidOrder`] — parse, don't
//! validate: placing an order takes only that value.
//!
//! 1. the request itself (`validation_failed`, `sandbox_scenario_not_allowed`);
//! 2. account state: the partner is approved (`partner_not_approved`);
//! 3. every package exists (`package_not_found`);
//! 4. the item rules of the order type (`plan_required`, `too_many_plans`,
//!    `too_many_data_addons`, `duplicate_voice_type`, `items_required`);
//! 5. every package is available (`package_unavailable`);
//! 6. every package is approved for the partner (`package_not_approved`);
//! 7. every covered country is one of the partner's markets (`market_not_eligible`);
//! 8. compliance: packages needing identity verification have it attested
//!    (`compliance_requirements_not_met`);
//! 9. the target subscription exists and is in a state the order type allows
//!    (`service_not_found`, `service_not_active`, `service_not_cancellable`,
//!    `service_not_swappable`, `service_busy`) — the same check runs again on a retry;
//! 10. one currency per order (`mixed_currencies`).
//!
//! Payment (`insufficient_funds`) is the last check and happens as the order is placed: the
//! reservation either succeeds in the same transaction or refuses the order.

use diesel::prelude::*;
use serde_json::{Map, Value};

use super::state::{OrderState, OrderType, SandboxScenario};
use super::CreateOrder;
use crate::auth::{Environment, Tenant};
use crate::catalogue::{self, ComplianceRequirement, Ineligible, PackageKind, PackageStatus};
use crate::db::schema::{orders, partners};
use crate::db::DbConnection;
use crate::error::{ApiError, FieldError};
use crate::services::{self, state::ServiceState};

pub const MAX_DATA_ADDONS: usize = 15;
const MAX_ITEMS: usize = 32;

/// An order request that passed every check but payment: what `place` needs, and nothing
/// it would have to check again.
#[derive(Debug, Clone)]
pub struct ValidOrder {
    pub order_type: OrderType,
    pub customer_reference: String,
    pub metadata: Map<String, Value>,
    /// The packages, in the order of the request's items.
    pub packages: Vec<catalogue::Package>,
    /// The subscription a top-up, cancel or swap applies to (checked to belong to the tenant
    /// and to be in a state the order type allows).
    pub service_id: Option<String>,
    /// The simulator scenario (sandbox only; `success` unless the request named one).
    pub scenario: Option<SandboxScenario>,
    pub identity_verified: bool,
    /// The one currency of the packages (none for orders without items).
    pub currency: Option<String>,
    /// Sum of the package prices, in minor units.
    pub total_minor: i64,
}

/// Runs checks 1–10. Orders of one partner no longer queue behind one partner-wide lock:
/// money is safe without it (the reservation is one guarded `UPDATE` of the wallet row, which
/// also orders concurrent reservations of one wallet), and an order on a subscription locks
/// that subscription's row before its checks (see [`check_subscription`]), so two orders on
/// one subscription still see each other.
pub fn check(
    conn: &mut DbConnection,
    tenant: &Tenant,
    req: CreateOrder,
) -> Result<ValidOrder, ApiError> {
    check_request(&req, tenant.environment())?;
    let status: String = crate::db::native!(conn, |c| partners::table
        .find(tenant.partner_id())
        .select(partners::status)
        .first(c))?;
    if status != "approved" {
        return Err(ApiError::Forbidden {
            code: "partner_not_approved",
            detail: "Your partner account is not approved by Onyx yet, so orders cannot be created; browse the catalogue and prepare your integration meanwhile.".into(),
        });
    }
    let mut packages = Vec::with_capacity(req.items.len());
    for (i, item) in req.items.iter().enumerate() {
        let p = catalogue::get(conn, &item.package_id).map_err(|e| {
            e.when_missing(|| {
                rule(
                    "package_not_found",
                    format!(
                    "items[{i}]: no package `{}` exists; use a package_id from GET /v1/packages.",
                    item.package_id
                ),
                )
            })
        })?;
        packages.push(p);
    }
    check_items(req.order_type, &packages)?;
    for (i, p) in packages.iter().enumerate() {
        if p.status != PackageStatus::Available {
            return Err(rule("package_unavailable", format!("items[{i}]: package `{}` is {} and cannot be ordered now; choose an available package.", p.package_id, p.status.as_str())));
        }
    }
    for (i, p) in packages.iter().enumerate() {
        match catalogue::eligibility(conn, tenant.partner_id(), p)? {
            Some(Ineligible::NotApproved) => {
                return Err(rule("package_not_approved", format!("items[{i}]: package `{}` is not approved for your account; order only packages listed by GET /v1/packages.", p.package_id)))
            }
            Some(Ineligible::OutsideMarkets) => {
                return Err(rule("market_not_eligible", format!("items[{i}]: package `{}` covers countries outside your eligible markets; ask Onyx to extend your markets or choose another package.", p.package_id)))
            }
            None => {}
        }
    }
    let attested = req.compliance.as_ref().is_some_and(|c| c.identity_verified);
    if let Some((i, p)) = packages.iter().enumerate().find(|(_, p)| {
        p.compliance_requirements
            .contains(&ComplianceRequirement::IdentityVerification)
    }) {
        if !attested {
            return Err(rule("compliance_requirements_not_met", format!("items[{i}]: package `{}` requires identity verification; verify the customer's identity and send compliance.identity_verified = true.", p.package_id)));
        }
    }
    if let Some(service_id) = &req.service_id {
        check_subscription(conn, tenant, req.order_type, service_id)?;
    }
    let currency = packages.first().map(|p| p.currency.clone());
    if let Some(c) = &currency {
        if let Some(other) = packages.iter().find(|p| &p.currency != c) {
            return Err(rule("mixed_currencies", format!("All packages of an order must share one currency; `{}` is in {} while the first is in {c}.", other.package_id, other.currency)));
        }
    }
    let total_minor: i64 = packages.iter().map(|p| p.price_minor).sum();
    let scenario = match tenant.environment() {
        Environment::Sandbox => Some(req.sandbox_scenario.unwrap_or(SandboxScenario::Success)),
        Environment::Live => None,
    };
    Ok(ValidOrder {
        order_type: req.order_type,
        customer_reference: req.customer_reference,
        metadata: req.metadata.unwrap_or_default(),
        packages,
        service_id: req.service_id,
        scenario,
        identity_verified: attested,
        currency,
        total_minor,
    })
}

fn rule(code: &'static str, detail: String) -> ApiError {
    ApiError::Unprocessable { code, detail }
}

fn is_reference(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"._:@-".contains(&b))
}

/// Step 1: the request on its own.
fn check_request(req: &CreateOrder, env: Environment) -> Result<(), ApiError> {
    let mut errs = Vec::new();
    if !is_reference(&req.customer_reference) {
        errs.push(FieldError::new(
            "customer_reference",
            "invalid_format",
            "must be 1 to 64 characters of letters, digits and . _ : @ -",
        ));
    }
    if let Some(meta) = &req.metadata {
        if meta.len() > 20 {
            errs.push(FieldError::new(
                "metadata",
                "too_many_keys",
                "may hold at most 20 keys",
            ));
        }
        for (k, v) in meta {
            if k.is_empty() || k.chars().count() > 40 {
                errs.push(FieldError::new(
                    format!("metadata.{k}"),
                    "invalid_key",
                    "keys must be 1 to 40 characters long",
                ));
            }
            match v {
                Value::String(s) if s.chars().count() <= 500 => {}
                Value::String(_) => errs.push(FieldError::new(
                    format!("metadata.{k}"),
                    "too_long",
                    "values must be at most 500 characters long",
                )),
                _ => errs.push(FieldError::new(
                    format!("metadata.{k}"),
                    "invalid_type",
                    "values must be strings",
                )),
            }
        }
    }
    if req.items.len() > MAX_ITEMS {
        errs.push(FieldError::new(
            "items",
            "too_many",
            format!("may hold at most {MAX_ITEMS} items"),
        ));
    }
    match req.order_type {
        OrderType::ActivateSubscription => {
            if req.service_id.is_some() {
                errs.push(FieldError::new(
                    "service_id",
                    "not_allowed",
                    "an activation creates a new subscription; leave service_id out",
                ));
            }
        }
        _ => {
            if req.service_id.as_deref().is_none_or(str::is_empty) {
                errs.push(FieldError::new(
                    "service_id",
                    "required",
                    "names the subscription this order applies to",
                ));
            }
        }
    }
    if matches!(
        req.order_type,
        OrderType::CancelSubscription | OrderType::SwapSim
    ) && !req.items.is_empty()
    {
        errs.push(FieldError::new(
            "items",
            "not_allowed",
            "cancel and swap orders carry no packages",
        ));
    }
    if env == Environment::Live && req.sandbox_scenario.is_some() {
        errs.push(FieldError::new(
            "sandbox_scenario",
            "sandbox_scenario_not_allowed",
            "sandbox scenarios exist only in sandbox; live orders are provisioned for real",
        ));
    }
    if errs.is_empty() {
        Ok(())
    } else {
        Err(ApiError::validation(errs))
    }
}

/// The rules of [`check_request`] that tie fields together, for the OpenAPI document (JSON
/// Schema `if`/`then`): an activation has no `service_id`, every other type names one; cancel
/// and swap orders carry no items.
pub fn request_rules() -> Value {
    let activate = OrderType::ActivateSubscription.as_str();
    let without_items = [
        OrderType::CancelSubscription.as_str(),
        OrderType::SwapSim.as_str(),
    ];
    serde_json::json!([
        {
            "if": {"properties": {"type": {"const": activate}}},
            "then": {"properties": {"service_id": {"type": "null"}}},
            "else": {
                "required": ["service_id"],
                "properties": {"service_id": {"type": "string", "minLength": 1}}
            }
        },
        {
            "if": {"properties": {"type": {"enum": without_items}}},
            "then": {"properties": {"items": {"maxItems": 0}}}
        }
    ])
}

/// Step 4: the item rules of the order type, on the packages' real kinds.
fn check_items(order_type: OrderType, packages: &[catalogue::Package]) -> Result<(), ApiError> {
    let plans = packages
        .iter()
        .filter(|p| p.kind == PackageKind::Plan)
        .count();
    let data = packages
        .iter()
        .filter(|p| p.kind == PackageKind::DataAddon)
        .count();
    match order_type {
        OrderType::ActivateSubscription if plans == 0 => {
            return Err(rule(
                "plan_required",
                "An activation needs exactly one plan; add a package of kind `plan` to items."
                    .into(),
            ))
        }
        OrderType::TopUpSubscription if packages.is_empty() => {
            return Err(rule(
                "items_required",
                "A top-up needs at least one package: a plan or add-ons.".into(),
            ))
        }
        _ => {}
    }
    if plans > 1 {
        return Err(rule(
            "too_many_plans",
            format!("An order may hold one plan; this one holds {plans}."),
        ));
    }
    if data > MAX_DATA_ADDONS {
        return Err(rule(
            "too_many_data_addons",
            format!(
                "An order may hold at most {MAX_DATA_ADDONS} data add-ons; this one holds {data}."
            ),
        ));
    }
    let mut voice_types: Vec<&str> = Vec::new();
    for p in packages
        .iter()
        .filter(|p| p.kind == PackageKind::VoiceAddon)
    {
        let vt = p.voice_type.as_deref().unwrap_or("");
        if voice_types.contains(&vt) {
            return Err(rule(
                "duplicate_voice_type",
                format!(
                    "An order may hold one voice add-on of each voice type; `{vt}` appears twice."
                ),
            ));
        }
        voice_types.push(vt);
    }
    Ok(())
}

/// Step 9: the subscription an order applies to exists in the tenant, is in a state the
/// order type allows, and has no open order. Creation and retry both run it.
pub fn check_subscription(
    conn: &mut DbConnection,
    tenant: &Tenant,
    order_type: OrderType,
    service_id: &str,
) -> Result<(), ApiError> {
    // Orders on one subscription take turns from here to their commit.
    services::lock(conn, tenant, service_id)?;
    let service = services::get(conn, tenant, service_id).map_err(|e| {
        e.when_missing(|| rule("service_not_found", format!("No subscription `{service_id}` exists in this environment; use a service_id from GET /v1/services.")))
    })?;
    let state = service.state;
    let refused = match order_type {
        OrderType::TopUpSubscription
            if !matches!(state, ServiceState::Active | ServiceState::Expired) =>
        {
            Some((
                "service_not_active",
                "A top-up needs an active (or expired, to renew it) subscription",
            ))
        }
        OrderType::CancelSubscription if state == ServiceState::Cancelled => Some((
            "service_not_cancellable",
            "This subscription is already cancelled",
        )),
        OrderType::SwapSim
            if !matches!(state, ServiceState::Active | ServiceState::ReadyToInstall) =>
        {
            Some((
                "service_not_swappable",
                "A SIM swap needs a subscription that is active or ready to install",
            ))
        }
        _ => None,
    };
    if let Some((code, why)) = refused {
        return Err(rule(
            code,
            format!("{why}; `{service_id}` is {}.", state.as_str()),
        ));
    }
    let busy: bool = diesel::select(diesel::dsl::exists(
        orders::table
            .filter(orders::service_id.eq(service_id))
            .filter(orders::state.eq_any([
                OrderState::Pending.as_str(),
                OrderState::Processing.as_str(),
            ])),
    ))
    .get_result(conn)?;
    if busy {
        return Err(ApiError::Conflict {
            code: "service_busy",
            detail: format!("Subscription `{service_id}` has an open order; wait until it completes, fails or is cancelled."),
        });
    }
    Ok(())
}

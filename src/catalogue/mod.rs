//! The catalogue: packages (plans, data add-ons, voice add-ons) run by Onyx operators,
//! approved per partner, and filtered by each partner's eligible markets. A partner sees a
//! package only when it is approved for the partner *and* every country it covers is one of
//! the partner's markets. Retired packages stay readable (old orders refer to them).

pub mod admin;
pub mod codes;
pub mod routes;

use chrono::{DateTime, Utc};
use diesel::dsl::{exists, not};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::db::schema::{package_approvals, package_countries, packages, partner_markets};
use crate::db::DbConnection;
use crate::error::{ApiError, FieldError};
use crate::paginate;
use crate::pagination::{Page, PageRequest};
use crate::time::utc;

crate::stored_enum! {
    /// What a package is.
    pub enum PackageKind {
        /// A base subscription.
        Plan = "plan",
        /// Extra data on top of a plan.
        DataAddon = "data_addon",
        /// Voice minutes of one voice type on top of a plan.
        VoiceAddon = "voice_addon",
    }
}

crate::stored_enum! {
    /// How wide the coverage is.
    pub enum CoverageType {
        /// One country.
        Local = "local",
        /// Several countries of a region.
        Regional = "regional",
        /// Worldwide coverage lists.
        Global = "global",
    }
}

crate::stored_enum! {
    /// Whether a package can be ordered.
    pub enum PackageStatus {
        /// Can be ordered.
        Available = "available",
        /// Temporarily not orderable.
        Unavailable = "unavailable",
        /// No longer sold; still readable for existing orders.
        Retired = "retired",
    }
}

crate::stored_enum! {
    /// Compliance checks an order for the package must satisfy.
    pub enum ComplianceRequirement {
        /// The partner must attest that the end customer's identity was verified.
        IdentityVerification = "identity_verification",
    }
}

/// A catalogue package.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct Package {
    /// Partner-facing id.
    #[schema(example = "eu-10gb-30d")]
    pub package_id: String,
    pub kind: PackageKind,
    /// For voice add-ons: the voice type (at most one voice add-on of each type per order).
    #[schema(example = "international")]
    pub voice_type: Option<String>,
    #[schema(example = "Europe 10 GB")]
    pub coverage_name: String,
    pub coverage_type: CoverageType,
    #[schema(example = "Europe")]
    pub region: String,
    /// ISO 3166-1 alpha-2 codes, sorted.
    #[schema(example = json!(["DE", "ES", "FR", "IT"]))]
    pub countries: Vec<String>,
    /// Data included, in bytes; null when unlimited or for voice-only add-ons.
    #[schema(example = 10737418240_i64)]
    pub data_allowance_bytes: Option<i64>,
    pub data_unlimited: bool,
    /// Voice minutes included, where relevant.
    pub voice_minutes: Option<i32>,
    #[schema(example = 30)]
    pub validity_days: i32,
    pub status: PackageStatus,
    /// Price in minor units of `currency` (e.g. cents).
    #[schema(example = 1900)]
    pub price_minor: i64,
    /// ISO 4217 currency code.
    #[schema(example = "EUR")]
    pub currency: String,
    pub compliance_requirements: Vec<ComplianceRequirement>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable, Debug)]
#[diesel(table_name = packages)]
struct Row {
    id: String,
    kind: String,
    voice_type: Option<String>,
    coverage_name: String,
    coverage_type: String,
    region: String,
    countries: String,
    data_allowance_bytes: Option<i64>,
    data_unlimited: bool,
    voice_minutes: Option<i32>,
    validity_days: i32,
    status: String,
    price_minor: i64,
    currency: String,
    requires_identity_verification: bool,
    created_at: chrono::NaiveDateTime,
    updated_at: chrono::NaiveDateTime,
}

impl TryFrom<Row> for Package {
    type Error = ApiError;

    fn try_from(r: Row) -> Result<Package, ApiError> {
        Ok(Package {
            package_id: r.id,
            kind: PackageKind::from_stored(&r.kind, "packages.kind")?,
            voice_type: r.voice_type,
            coverage_name: r.coverage_name,
            coverage_type: CoverageType::from_stored(&r.coverage_type, "packages.coverage_type")?,
            region: r.region,
            countries: r
                .countries
                .split(',')
                .filter(|c| !c.is_empty())
                .map(str::to_string)
                .collect(),
            data_allowance_bytes: r.data_allowance_bytes,
            data_unlimited: r.data_unlimited,
            voice_minutes: r.voice_minutes,
            validity_days: r.validity_days,
            status: PackageStatus::from_stored(&r.status, "packages.status")?,
            price_minor: r.price_minor,
            currency: r.currency,
            compliance_requirements: if r.requires_identity_verification {
                vec![ComplianceRequirement::IdentityVerification]
            } else {
                vec![]
            },
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        })
    }
}

/// A package as the operator writes it (create, or the merged result of an update).
#[derive(Debug, Clone, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PackageInput {
    /// 1–64 characters of `a-z`, `0-9`, `-`, `_`, `.`; unique.
    #[schema(example = "eu-10gb-30d", pattern = "^[a-z0-9._-]{1,64}$")]
    pub package_id: String,
    pub kind: PackageKind,
    /// Required for voice add-ons, absent otherwise: 1–32 characters of `a-z` and `_`.
    #[schema(example = json!(null), pattern = "^[a-z_]{1,32}$")]
    pub voice_type: Option<String>,
    /// 1–100 characters, not only white space (kept without surrounding white space).
    #[schema(
        example = "Europe 10 GB",
        min_length = 1,
        max_length = 100,
        pattern = "^[^\\u0000]*[^\\u0000\\t-\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000][^\\u0000]*$"
    )]
    pub coverage_name: String,
    pub coverage_type: CoverageType,
    /// 1–64 characters, not only white space (kept without surrounding white space).
    #[schema(
        example = "Europe",
        min_length = 1,
        max_length = 64,
        pattern = "^[^\\u0000]*[^\\u0000\\t-\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000][^\\u0000]*$"
    )]
    pub region: String,
    /// ISO 3166-1 alpha-2 codes, at least one; exactly one for local coverage.
    #[schema(
        example = json!(["DE", "ES", "FR", "IT"]),
        value_type = Vec<crate::catalogue::codes::CountryCode>,
        min_items = 1
    )]
    pub countries: Vec<String>,
    /// Bytes of data, at least 1; required for plans and data add-ons unless
    /// `data_unlimited`, absent for voice add-ons.
    #[schema(example = 10737418240_i64, minimum = 1)]
    pub data_allowance_bytes: Option<i64>,
    /// Plans and data add-ons only; then `data_allowance_bytes` is absent.
    #[serde(default)]
    pub data_unlimited: bool,
    /// Minutes, 1–100000; required for voice add-ons, absent for data add-ons.
    #[schema(minimum = 1, maximum = 100000)]
    pub voice_minutes: Option<i32>,
    /// 1–365.
    #[schema(example = 30, minimum = 1, maximum = 365)]
    pub validity_days: i32,
    pub status: PackageStatus,
    #[schema(example = 1900, minimum = 0, maximum = 100000000)]
    pub price_minor: i64,
    #[schema(example = "EUR", value_type = crate::catalogue::codes::CurrencyCode)]
    pub currency: String,
    #[serde(default)]
    pub compliance_requirements: Vec<ComplianceRequirement>,
}

/// A package that passed every rule.
#[derive(Debug, Clone)]
pub struct ValidPackage(PackageInput);

fn is_slug(s: &str, max: usize, extra: &[u8]) -> bool {
    !s.is_empty()
        && s.len() <= max
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || extra.contains(&b))
}

impl PackageInput {
    /// Checks every rule and reports all broken ones at once.
    pub fn validate(mut self) -> Result<ValidPackage, ApiError> {
        // Codes are checked before the list is sorted, so `countries[i]` names the entry as sent.
        let mut errs = codes::country_errors("countries", &self.countries);
        if !codes::is_currency(&self.currency) {
            errs.push(codes::currency_error("currency"));
        }
        let mut err = |f: &str, c: &str, m: &str| errs.push(FieldError::new(f, c, m));
        if !is_slug(&self.package_id, 64, b"-_.") {
            err(
                "package_id",
                "invalid_format",
                "must be 1 to 64 characters of a-z, 0-9, '-', '_' or '.'",
            );
        }
        match (self.kind, &self.voice_type) {
            (PackageKind::VoiceAddon, None) => {
                err("voice_type", "required", "is required for voice add-ons")
            }
            (PackageKind::VoiceAddon, Some(v)) if !is_slug(v, 32, b"_") => err(
                "voice_type",
                "invalid_format",
                "must be 1 to 32 characters of a-z and '_'",
            ),
            (PackageKind::Plan | PackageKind::DataAddon, Some(_)) => {
                err("voice_type", "not_allowed", "is only for voice add-ons")
            }
            _ => {}
        }
        // The length as sent (what the contract's maxLength counts), and not only white space.
        let text_ok = |s: &str, max: usize| !s.trim().is_empty() && s.chars().count() <= max;
        if !text_ok(&self.coverage_name, 100) {
            err(
                "coverage_name",
                "length",
                "must be 1 to 100 characters long",
            );
        }
        if !text_ok(&self.region, 64) {
            err("region", "length", "must be 1 to 64 characters long");
        }
        self.countries.sort();
        self.countries.dedup();
        if self.countries.is_empty() {
            err("countries", "required", "must list at least one country");
        }
        if self.coverage_type == CoverageType::Local && self.countries.len() > 1 {
            err(
                "countries",
                "local_single_country",
                "local coverage lists exactly one country",
            );
        }
        match self.kind {
            PackageKind::Plan | PackageKind::DataAddon => {
                match (self.data_allowance_bytes, self.data_unlimited) {
                    (Some(_), true) => err(
                        "data_allowance_bytes",
                        "not_allowed",
                        "must be absent when data_unlimited is true",
                    ),
                    (None, false) => err(
                        "data_allowance_bytes",
                        "required",
                        "is required unless data_unlimited is true",
                    ),
                    (Some(b), false) if b <= 0 => err(
                        "data_allowance_bytes",
                        "out_of_range",
                        "must be a positive number of bytes",
                    ),
                    _ => {}
                }
            }
            PackageKind::VoiceAddon => {
                if self.data_allowance_bytes.is_some() || self.data_unlimited {
                    err(
                        "data_allowance_bytes",
                        "not_allowed",
                        "voice add-ons carry no data",
                    );
                }
            }
        }
        match (self.kind, self.voice_minutes) {
            (PackageKind::VoiceAddon, None) => {
                err("voice_minutes", "required", "is required for voice add-ons")
            }
            (PackageKind::DataAddon, Some(_)) => err(
                "voice_minutes",
                "not_allowed",
                "data add-ons carry no voice minutes",
            ),
            (_, Some(m)) if !(1..=100_000).contains(&m) => err(
                "voice_minutes",
                "out_of_range",
                "must be between 1 and 100000",
            ),
            _ => {}
        }
        if !(1..=365).contains(&self.validity_days) {
            err("validity_days", "out_of_range", "must be between 1 and 365");
        }
        if !(0..=100_000_000).contains(&self.price_minor) {
            err(
                "price_minor",
                "out_of_range",
                "must be between 0 and 100000000 minor units",
            );
        }
        if !errs.is_empty() {
            return Err(ApiError::validation(errs));
        }
        self.coverage_name = self.coverage_name.trim().to_string();
        self.region = self.region.trim().to_string();
        Ok(ValidPackage(self))
    }

    /// The rules of [`PackageInput::validate`] that tie fields together, for the OpenAPI
    /// document (JSON Schema `if`/`then`): a voice add-on has a voice type and minutes and no
    /// data; a plan or data add-on has no voice type, and either unlimited data or an
    /// allowance; a data add-on has no minutes; local coverage lists one country.
    pub fn cross_field_rules() -> serde_json::Value {
        let voice = PackageKind::VoiceAddon.as_str();
        let data = PackageKind::DataAddon.as_str();
        let local = CoverageType::Local.as_str();
        serde_json::json!([
            {
                "if": {"properties": {"kind": {"const": voice}}},
                "then": {
                    "required": ["voice_type", "voice_minutes"],
                    "properties": {
                        "voice_type": {"type": "string"},
                        "voice_minutes": {"type": "integer"},
                        "data_allowance_bytes": {"type": "null"},
                        "data_unlimited": {"const": false}
                    }
                },
                "else": {
                    "properties": {"voice_type": {"type": "null"}},
                    "if": {
                        "required": ["data_unlimited"],
                        "properties": {"data_unlimited": {"const": true}}
                    },
                    "then": {"properties": {"data_allowance_bytes": {"type": "null"}}},
                    "else": {
                        "required": ["data_allowance_bytes"],
                        "properties": {"data_allowance_bytes": {"type": "integer"}}
                    }
                }
            },
            {
                "if": {"properties": {"kind": {"const": data}}},
                "then": {"properties": {"voice_minutes": {"type": "null"}}}
            },
            {
                "if": {"properties": {"coverage_type": {"const": local}}},
                "then": {"properties": {"countries": {"maxItems": 1}}}
            }
        ])
    }
}

impl From<Package> for PackageInput {
    fn from(p: Package) -> PackageInput {
        PackageInput {
            package_id: p.package_id,
            kind: p.kind,
            voice_type: p.voice_type,
            coverage_name: p.coverage_name,
            coverage_type: p.coverage_type,
            region: p.region,
            countries: p.countries,
            data_allowance_bytes: p.data_allowance_bytes,
            data_unlimited: p.data_unlimited,
            voice_minutes: p.voice_minutes,
            validity_days: p.validity_days,
            status: p.status,
            price_minor: p.price_minor,
            currency: p.currency,
            compliance_requirements: p.compliance_requirements,
        }
    }
}

fn write_countries(
    conn: &mut DbConnection,
    id: &str,
    countries: &[String],
) -> Result<(), ApiError> {
    diesel::delete(package_countries::table.filter(package_countries::package_id.eq(id)))
        .execute(conn)?;
    for c in countries {
        diesel::insert_into(package_countries::table)
            .values((
                package_countries::package_id.eq(id),
                package_countries::country.eq(c),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// The columns a package's input decides (everything but id, kind and created_at).
#[derive(Insertable, AsChangeset)]
#[diesel(table_name = packages, treat_none_as_null = true)]
struct Columns<'a> {
    voice_type: Option<&'a str>,
    coverage_name: &'a str,
    coverage_type: &'a str,
    region: &'a str,
    countries: String,
    data_allowance_bytes: Option<i64>,
    data_unlimited: bool,
    voice_minutes: Option<i32>,
    validity_days: i32,
    status: &'a str,
    price_minor: i64,
    currency: &'a str,
    requires_identity_verification: bool,
    updated_at: chrono::NaiveDateTime,
}

impl ValidPackage {
    fn columns(&self, now: DateTime<Utc>) -> Columns<'_> {
        let p = &self.0;
        Columns {
            voice_type: p.voice_type.as_deref(),
            coverage_name: &p.coverage_name,
            coverage_type: p.coverage_type.as_str(),
            region: &p.region,
            countries: p.countries.join(","),
            data_allowance_bytes: p.data_allowance_bytes,
            data_unlimited: p.data_unlimited,
            voice_minutes: p.voice_minutes,
            validity_days: p.validity_days,
            status: p.status.as_str(),
            price_minor: p.price_minor,
            currency: &p.currency,
            requires_identity_verification: p
                .compliance_requirements
                .contains(&ComplianceRequirement::IdentityVerification),
            updated_at: now.naive_utc(),
        }
    }
}

pub fn create(
    conn: &mut DbConnection,
    p: ValidPackage,
    now: DateTime<Utc>,
) -> Result<Package, ApiError> {
    // Partners' catalogue views are cached until the catalogue changes.
    crate::db::mark_changed(conn, crate::db::Change::Catalogue)?;
    let id = p.0.package_id.clone();
    let taken: bool = diesel::select(exists(packages::table.find(&id))).get_result(conn)?;
    if taken {
        return Err(ApiError::Conflict {
            code: "package_exists",
            detail: format!(
                "A package with id `{id}` already exists; choose another id or update that package."
            ),
        });
    }
    diesel::insert_into(packages::table)
        .values((
            packages::id.eq(&id),
            packages::kind.eq(p.0.kind.as_str()),
            packages::created_at.eq(now.naive_utc()),
            p.columns(now),
        ))
        .execute(conn)
        .map_err(|e| match ApiError::conflict_on_unique(e) {
            ApiError::Conflict { .. } => ApiError::Conflict {
                code: "package_exists",
                detail: format!("A package with id `{id}` was just created by another request."),
            },
            other => other,
        })?;
    write_countries(conn, &id, &p.0.countries)?;
    get(conn, &id)
}

/// Replaces every mutable field of an existing package (id and kind never change).
pub fn update(
    conn: &mut DbConnection,
    p: ValidPackage,
    now: DateTime<Utc>,
) -> Result<Package, ApiError> {
    // Partners' catalogue views are cached until the catalogue changes.
    crate::db::mark_changed(conn, crate::db::Change::Catalogue)?;
    let id = p.0.package_id.clone();
    diesel::update(packages::table.find(&id))
        .set(p.columns(now))
        .execute(conn)?;
    write_countries(conn, &id, &p.0.countries)?;
    get(conn, &id)
}

/// Any package by id (operators; and order history, which may refer to retired packages).
pub fn get(conn: &mut DbConnection, id: &str) -> Result<Package, ApiError> {
    crate::db::native!(conn, |c| packages::table
        .find(id)
        .select(Row::as_select())
        .first(c)
        .optional())?
    .ok_or_else(|| ApiError::not_found("package"))
    .and_then(Package::try_from)
}

/// List filters, shared by the partner and operator lists.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PackageFilter {
    /// Only this kind.
    pub kind: Option<PackageKind>,
    /// Only this coverage type.
    pub coverage_type: Option<CoverageType>,
    /// Only this region (exact match), e.g. `Europe`.
    pub region: Option<String>,
    /// Only packages covering this country (ISO 3166-1 alpha-2).
    #[param(value_type = Option<crate::catalogue::codes::CountryCode>)]
    pub country: Option<String>,
    /// Only this status.
    pub status: Option<PackageStatus>,
}

impl PackageFilter {
    pub fn check(&self) -> Result<(), ApiError> {
        match &self.country {
            Some(c) if !codes::is_country(c) => {
                Err(ApiError::validation(vec![codes::country_error("country")]))
            }
            _ => Ok(()),
        }
    }
}

/// Whose view of the catalogue: a partner's (approved and in-market only) or Onyx's (all).
pub enum Viewer<'a> {
    Partner(&'a str),
    Operator,
}

pub fn list(
    conn: &mut DbConnection,
    viewer: Viewer<'_>,
    filter: &PackageFilter,
    page: &PageRequest,
) -> Result<Page<Package>, ApiError> {
    let mut q = paginate!(packages::table, packages, page);
    if let Viewer::Partner(partner_id) = viewer {
        // The partner's markets as a subquery (one statement of one shape, whatever the
        // number of markets, so the prepared statement is reused).
        let markets = partner_markets::table
            .filter(partner_markets::partner_id.eq(partner_id.to_string()))
            .select(partner_markets::country);
        q = q
            .filter(exists(
                package_approvals::table
                    .filter(package_approvals::partner_id.eq(partner_id.to_string()))
                    .filter(package_approvals::package_id.eq(packages::id)),
            ))
            .filter(not(exists(
                package_countries::table
                    .filter(package_countries::package_id.eq(packages::id))
                    .filter(not(package_countries::country.eq_any(markets))),
            )));
    }
    if let Some(k) = filter.kind {
        q = q.filter(packages::kind.eq(k.as_str()));
    }
    if let Some(c) = filter.coverage_type {
        q = q.filter(packages::coverage_type.eq(c.as_str()));
    }
    if let Some(r) = &filter.region {
        q = q.filter(packages::region.eq(r.clone()));
    }
    if let Some(s) = filter.status {
        q = q.filter(packages::status.eq(s.as_str()));
    }
    if let Some(c) = &filter.country {
        q = q.filter(exists(
            package_countries::table
                .filter(package_countries::package_id.eq(packages::id))
                .filter(package_countries::country.eq(c.clone())),
        ));
    }
    let rows: Vec<Row> = q.select(Row::as_select()).load(conn)?;
    Page::try_from_rows(
        rows,
        page,
        |r| (r.created_at, r.id.clone()),
        Package::try_from,
    )
}

/// Why a package is not available to a partner, if it is not (order creation uses the
/// distinct reasons; the catalogue answers 404 for all of them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ineligible {
    NotApproved,
    OutsideMarkets,
}

pub fn eligibility(
    conn: &mut DbConnection,
    partner_id: &str,
    package: &Package,
) -> Result<Option<Ineligible>, ApiError> {
    let approved: bool = crate::db::native!(conn, |c| diesel::select(exists(
        package_approvals::table
            .filter(package_approvals::partner_id.eq(partner_id))
            .filter(package_approvals::package_id.eq(&package.package_id)),
    ))
    .get_result(c))?;
    if !approved {
        return Ok(Some(Ineligible::NotApproved));
    }
    let markets: Vec<String> = crate::db::native!(conn, |c| partner_markets::table
        .filter(partner_markets::partner_id.eq(partner_id))
        .select(partner_markets::country)
        .load(c))?;
    if package.countries.iter().any(|c| !markets.contains(c)) {
        return Ok(Some(Ineligible::OutsideMarkets));
    }
    Ok(None)
}

/// A package as a partner may see it: approved and within its markets, else 404.
pub fn get_for_partner(
    conn: &mut DbConnection,
    partner_id: &str,
    id: &str,
) -> Result<Package, ApiError> {
    let package = get(conn, id)?;
    match eligibility(conn, partner_id, &package)? {
        None => Ok(package),
        Some(_) => Err(ApiError::not_found("package")),
    }
}

pub fn set_markets(
    conn: &mut DbConnection,
    partner_id: &str,
    countries: &[String],
) -> Result<(), ApiError> {
    // Partners' catalogue views are cached until the catalogue changes.
    crate::db::mark_changed(conn, crate::db::Change::Catalogue)?;
    diesel::delete(partner_markets::table.filter(partner_markets::partner_id.eq(partner_id)))
        .execute(conn)?;
    for c in countries {
        diesel::insert_into(partner_markets::table)
            .values((
                partner_markets::partner_id.eq(partner_id),
                partner_markets::country.eq(c),
            ))
            .execute(conn)
            .map_err(ApiError::conflict_on_unique)?;
    }
    Ok(())
}

pub fn markets(conn: &mut DbConnection, partner_id: &str) -> Result<Vec<String>, ApiError> {
    Ok(partner_markets::table
        .filter(partner_markets::partner_id.eq(partner_id))
        .select(partner_markets::country)
        .order(partner_markets::country.asc())
        .load(conn)?)
}

pub fn approve(
    conn: &mut DbConnection,
    partner_id: &str,
    package_id: &str,
    now: DateTime<Utc>,
) -> Result<bool, ApiError> {
    // Partners' catalogue views are cached until the catalogue changes.
    crate::db::mark_changed(conn, crate::db::Change::Catalogue)?;
    // The route names the partner; a package named in the body that does not exist is a
    // refused request (as for an order's items), not a missing route target.
    get(conn, package_id).map_err(|e| {
        e.when_missing(|| ApiError::Unprocessable {
            code: "package_not_found",
            detail: format!(
                "No package `{package_id}` exists; use a package_id from GET /v1/admin/packages."
            ),
        })
    })?;
    let already: bool = diesel::select(exists(
        package_approvals::table
            .filter(package_approvals::partner_id.eq(partner_id))
            .filter(package_approvals::package_id.eq(package_id)),
    ))
    .get_result(conn)?;
    if !already {
        diesel::insert_into(package_approvals::table)
            .values((
                package_approvals::partner_id.eq(partner_id),
                package_approvals::package_id.eq(package_id),
                package_approvals::created_at.eq(now.naive_utc()),
            ))
            .execute(conn)
            .map_err(ApiError::conflict_on_unique)?;
    }
    Ok(!already)
}

pub fn withdraw(
    conn: &mut DbConnection,
    partner_id: &str,
    package_id: &str,
) -> Result<(), ApiError> {
    // Partners' catalogue views are cached until the catalogue changes.
    crate::db::mark_changed(conn, crate::db::Change::Catalogue)?;
    let n = diesel::delete(
        package_approvals::table
            .filter(package_approvals::partner_id.eq(partner_id))
            .filter(package_approvals::package_id.eq(package_id)),
    )
    .execute(conn)?;
    if n == 0 {
        return Err(ApiError::NotFound {
            code: "approval_not_found",
            detail: "This package is not approved for this partner.".into(),
        });
    }
    Ok(())
}

pub fn approvals(conn: &mut DbConnection, partner_id: &str) -> Result<Vec<String>, ApiError> {
    Ok(package_approvals::table
        .filter(package_approvals::partner_id.eq(partner_id))
        .select(package_approvals::package_id)
        .order(package_approvals::package_id.asc())
        .load(conn)?)
}

//! Operator catalogue routes: packages, partner markets and package approvals.

use actix_web::{delete, get, patch, post, put, web, HttpResponse};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{
    codes, ComplianceRequirement, CoverageType, Package, PackageFilter, PackageInput,
    PackageStatus, Viewer,
};
use crate::auth::Operator;
use crate::error::{ApiError, Problem};
use crate::http::Json;
use crate::pagination::{Page, PageQuery};
use crate::state::AppState;

/// Create a package.
#[utoipa::path(
    operation_id = "adminCreatePackage",
    tag = "operator",
    request_body = PackageInput,
    security(("operator_token" = [])),
    responses(
        (status = 201, description = "Created.", body = Package),
        (status = 409, description = "The package id is taken (`package_exists`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/packages")]
pub async fn create(
    state: web::Data<AppState>,
    _op: Operator,
    body: Json<PackageInput>,
) -> Result<HttpResponse, ApiError> {
    let valid = body.into_inner().validate()?;
    let now = state.now();
    let package = state
        .db
        .write(move |c| super::create(c, valid, now))
        .await?;
    Ok(HttpResponse::Created().json(package))
}

/// List every package (all partners' view is a subset).
#[utoipa::path(
    operation_id = "adminListPackages",
    tag = "operator",
    params(PageQuery, PackageFilter),
    security(("operator_token" = [])),
    responses((status = 200, description = "A page of packages, newest first.", body = Page<Package>))
)]
#[get("/packages")]
pub async fn list(
    state: web::Data<AppState>,
    _op: Operator,
    page: web::Query<PageQuery>,
    filter: web::Query<PackageFilter>,
) -> Result<HttpResponse, ApiError> {
    let page = page.parse()?;
    let filter = filter.into_inner();
    filter.check()?;
    let result = state
        .db
        .read(move |c| super::list(c, Viewer::Operator, &filter, &page))
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

/// Read any package.
#[utoipa::path(
    operation_id = "adminGetPackage",
    tag = "operator",
    params(("package_id" = String, Path, description = "Package id.")),
    security(("operator_token" = [])),
    responses(
        (status = 200, description = "The package.", body = Package),
        (status = 404, description = "No such package.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/packages/{package_id}")]
pub async fn get(
    state: web::Data<AppState>,
    _op: Operator,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let package = state.db.read(move |c| super::get(c, &id)).await?;
    Ok(HttpResponse::Ok().json(package))
}

/// Fields an update may change (id and kind never change). Every rule of a new package
/// applies to the result.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"status": "retired"}))]
pub struct PackagePatch {
    #[schema(pattern = "^[a-z_]{1,32}$")]
    pub voice_type: Option<String>,
    #[schema(
        min_length = 1,
        max_length = 100,
        pattern = "^[^\\u0000]*[^\\u0000\\t-\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000][^\\u0000]*$"
    )]
    pub coverage_name: Option<String>,
    pub coverage_type: Option<CoverageType>,
    #[schema(
        min_length = 1,
        max_length = 64,
        pattern = "^[^\\u0000]*[^\\u0000\\t-\\r \\u0085\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000][^\\u0000]*$"
    )]
    pub region: Option<String>,
    #[schema(
        value_type = Option<Vec<crate::catalogue::codes::CountryCode>>,
        min_items = 1
    )]
    pub countries: Option<Vec<String>>,
    /// Setting it turns `data_unlimited` off.
    #[schema(minimum = 1)]
    pub data_allowance_bytes: Option<i64>,
    /// Setting it to true clears `data_allowance_bytes`.
    pub data_unlimited: Option<bool>,
    #[schema(minimum = 1, maximum = 100000)]
    pub voice_minutes: Option<i32>,
    #[schema(minimum = 1, maximum = 365)]
    pub validity_days: Option<i32>,
    pub status: Option<PackageStatus>,
    #[schema(minimum = 0, maximum = 100000000)]
    pub price_minor: Option<i64>,
    #[schema(value_type = Option<crate::catalogue::codes::CurrencyCode>)]
    pub currency: Option<String>,
    pub compliance_requirements: Option<Vec<ComplianceRequirement>>,
}

impl PackagePatch {
    fn apply(self, mut p: PackageInput) -> PackageInput {
        if let Some(v) = self.voice_type {
            p.voice_type = Some(v)
        }
        if let Some(v) = self.coverage_name {
            p.coverage_name = v
        }
        if let Some(v) = self.coverage_type {
            p.coverage_type = v
        }
        if let Some(v) = self.region {
            p.region = v
        }
        if let Some(v) = self.countries {
            p.countries = v
        }
        if let Some(v) = self.data_allowance_bytes {
            p.data_allowance_bytes = Some(v);
            p.data_unlimited = false;
        }
        if let Some(v) = self.data_unlimited {
            p.data_unlimited = v;
            if v {
                p.data_allowance_bytes = None;
            }
        }
        if let Some(v) = self.voice_minutes {
            p.voice_minutes = Some(v)
        }
        if let Some(v) = self.validity_days {
            p.validity_days = v
        }
        if let Some(v) = self.status {
            p.status = v
        }
        if let Some(v) = self.price_minor {
            p.price_minor = v
        }
        if let Some(v) = self.currency {
            p.currency = v
        }
        if let Some(v) = self.compliance_requirements {
            p.compliance_requirements = v
        }
        p
    }
}

/// Update a package (status, price, coverage, allowances…). Retiring keeps it readable.
#[utoipa::path(
    operation_id = "adminUpdatePackage",
    tag = "operator",
    params(("package_id" = String, Path, description = "Package id.")),
    request_body = PackagePatch,
    security(("operator_token" = [])),
    responses(
        (status = 200, description = "Updated.", body = Package),
        (status = 404, description = "No such package.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/packages/{package_id}")]
pub async fn update(
    state: web::Data<AppState>,
    _op: Operator,
    path: web::Path<String>,
    body: Json<PackagePatch>,
) -> Result<HttpResponse, ApiError> {
    let id = path.into_inner();
    let patch = body.into_inner();
    let now = state.now();
    let package = state
        .db
        .write(move |c| {
            let current = super::get(c, &id)?;
            let valid = patch.apply(PackageInput::from(current)).validate()?;
            super::update(c, valid, now)
        })
        .await?;
    Ok(HttpResponse::Ok().json(package))
}

#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Markets {
    /// ISO 3166-1 alpha-2 codes where the partner may sell.
    #[schema(
        example = json!(["DE", "ES", "FR", "IT"]),
        value_type = Vec<crate::catalogue::codes::CountryCode>
    )]
    pub countries: Vec<String>,
}

/// Replace a partner's eligible markets.
#[utoipa::path(
    operation_id = "adminSetMarkets",
    tag = "operator",
    params(("partner_id" = String, Path, description = "Partner id (`ptr_…`).")),
    request_body = Markets,
    security(("operator_token" = [])),
    responses(
        (status = 200, description = "The partner's markets.", body = Markets),
        (status = 404, description = "No such partner.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/partners/{partner_id}/markets")]
pub async fn set_markets(
    state: web::Data<AppState>,
    _op: Operator,
    path: web::Path<String>,
    body: Json<Markets>,
) -> Result<HttpResponse, ApiError> {
    let mut countries = body.into_inner().countries;
    let errors = codes::country_errors("countries", &countries);
    if !errors.is_empty() {
        return Err(ApiError::validation(errors));
    }
    countries.sort();
    countries.dedup();
    let partner_id = path.into_inner();
    let result = state
        .db
        .write(move |c| {
            crate::partners::get(c, &partner_id)?;
            super::set_markets(c, &partner_id, &countries)?;
            super::markets(c, &partner_id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Markets { countries: result }))
}

/// A partner's eligible markets.
#[utoipa::path(
    operation_id = "adminGetMarkets",
    tag = "operator",
    params(("partner_id" = String, Path, description = "Partner id (`ptr_…`).")),
    security(("operator_token" = [])),
    responses(
        (status = 200, description = "The partner's markets.", body = Markets),
        (status = 404, description = "No such partner.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/partners/{partner_id}/markets")]
pub async fn get_markets(
    state: web::Data<AppState>,
    _op: Operator,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let partner_id = path.into_inner();
    let countries = state
        .db
        .read(move |c| {
            crate::partners::get(c, &partner_id)?;
            super::markets(c, &partner_id)
        })
        .await?;
    Ok(HttpResponse::Ok().json(Markets { countries }))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ApprovePackage {
    #[schema(example = "eu-10gb-30d", pattern = "^[a-z0-9._-]{1,64}$")]
    pub package_id: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Approvals {
    #[schema(example = "ptr_8Jd2kQ0vXn4LmT7sWc1aZp9e")]
    pub partner_id: String,
    /// Package ids approved for the partner, sorted.
    #[schema(example = json!(["eu-10gb-30d", "fr-5gb-7d"]))]
    pub package_ids: Vec<String>,
}

/// Approve a package for a partner (repeating it changes nothing).
#[utoipa::path(
    operation_id = "adminApprovePackage",
    tag = "operator",
    params(("partner_id" = String, Path, description = "Partner id (`ptr_…`).")),
    request_body = ApprovePackage,
    security(("operator_token" = [])),
    responses(
        (status = 201, description = "Approved.", body = Approvals),
        (status = 200, description = "Was already approved.", body = Approvals),
        (status = 404, description = "No such partner.", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "No such package (`package_not_found`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/partners/{partner_id}/package-approvals")]
pub async fn approve(
    state: web::Data<AppState>,
    _op: Operator,
    path: web::Path<String>,
    body: Json<ApprovePackage>,
) -> Result<HttpResponse, ApiError> {
    let partner_id = path.into_inner();
    let package_id = body.into_inner().package_id;
    let now = state.now();
    let (created, approvals) = state
        .db
        .write(move |c| {
            crate::partners::get(c, &partner_id)?;
            let created = super::approve(c, &partner_id, &package_id, now)?;
            Ok((
                created,
                Approvals {
                    package_ids: super::approvals(c, &partner_id)?,
                    partner_id,
                },
            ))
        })
        .await?;
    Ok(if created {
        HttpResponse::Created()
    } else {
        HttpResponse::Ok()
    }
    .json(approvals))
}

/// Packages approved for a partner.
#[utoipa::path(
    operation_id = "adminListPackageApprovals",
    tag = "operator",
    params(("partner_id" = String, Path, description = "Partner id (`ptr_…`).")),
    security(("operator_token" = [])),
    responses(
        (status = 200, description = "Approved package ids.", body = Approvals),
        (status = 404, description = "No such partner.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/partners/{partner_id}/package-approvals")]
pub async fn list_approvals(
    state: web::Data<AppState>,
    _op: Operator,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let partner_id = path.into_inner();
    let approvals = state
        .db
        .read(move |c| {
            crate::partners::get(c, &partner_id)?;
            Ok(Approvals {
                package_ids: super::approvals(c, &partner_id)?,
                partner_id,
            })
        })
        .await?;
    Ok(HttpResponse::Ok().json(approvals))
}

/// Withdraw a package approval: the partner no longer sees or orders the package.
#[utoipa::path(
    operation_id = "adminWithdrawPackageApproval",
    tag = "operator",
    params(
        ("partner_id" = String, Path, description = "Partner id (`ptr_…`)."),
        ("package_id" = String, Path, description = "Package id."),
    ),
    security(("operator_token" = [])),
    responses(
        (status = 204, description = "Withdrawn."),
        (status = 404, description = "Not approved, or no such partner.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/partners/{partner_id}/package-approvals/{package_id}")]
pub async fn withdraw(
    state: web::Data<AppState>,
    _op: Operator,
    path: web::Path<(String, String)>,
) -> Result<HttpResponse, ApiError> {
    let (partner_id, package_id) = path.into_inner();
    state
        .db
        .write(move |c| {
            crate::partners::get(c, &partner_id)?;
            super::withdraw(c, &partner_id, &package_id)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn register(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(create)
        .service(list)
        .service(get)
        .service(update)
        .service(set_markets)
        .service(get_markets)
        .service(approve)
        .service(list_approvals)
        .service(withdraw);
}

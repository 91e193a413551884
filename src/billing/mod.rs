//! Billing: the billing profile of each partner (monthly commitment, billing contact, payment
//! terms), billing periods (calendar months in UTC), invoices with their lines and true-up,
//! the period-close job, and invoice documents (PDF).
//!
//! - this module: the profile and periods;
//! - `invoices`: making, reading and moving invoices (`draft → issued → paid | void`);
//! - `close`: the period-close job on the job runtime (exactly once per partner,
//!   environment, currency and period);
//! - `pdf`: the invoice document;
//! - `routes` (partners) and `admin` (operators).

pub mod admin;
pub mod close;
pub mod invoices;
pub mod pdf;
pub mod routes;

use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::db::schema::billing_profiles;
use crate::db::DbConnection;
use crate::error::{ApiError, FieldError};
use crate::time::utc;

/// A billing period: one calendar month in UTC, written `YYYY-MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Period {
    first: NaiveDate,
}

impl Period {
    /// The period holding `t`.
    pub fn of(t: DateTime<Utc>) -> Period {
        Period {
            first: NaiveDate::from_ymd_opt(t.year(), t.month(), 1).unwrap_or_default(),
        }
    }

    /// Reads `YYYY-MM` (years 2000 to 9999).
    pub fn parse(text: &str) -> Option<Period> {
        let (y, m) = text.split_once('-')?;
        if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return None;
        }
        let year: i32 = y.parse().ok()?;
        let month: u32 = m.parse().ok()?;
        if !(2000..=9999).contains(&year) {
            return None;
        }
        Some(Period {
            first: NaiveDate::from_ymd_opt(year, month, 1)?,
        })
    }

    /// The period's first instant.
    pub fn start(self) -> NaiveDateTime {
        self.first.and_hms_opt(0, 0, 0).unwrap_or_default()
    }

    /// The first instant after the period.
    pub fn end(self) -> NaiveDateTime {
        self.next().start()
    }

    pub fn next(self) -> Period {
        Period {
            first: self
                .first
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(self.first),
        }
    }

    pub fn previous(self) -> Period {
        Period {
            first: self
                .first
                .checked_sub_months(chrono::Months::new(1))
                .unwrap_or(self.first),
        }
    }

    /// `YYYY-MM`.
    pub fn label(self) -> String {
        self.first.format("%Y-%m").to_string()
    }
}

/// The 422 for a `period` that is not `YYYY-MM`.
pub fn period_error(field: &str) -> ApiError {
    ApiError::validation(vec![FieldError::new(
        field,
        "invalid_format",
        "must be a calendar month from 2000-01 written YYYY-MM, such as 2026-11",
    )])
}

/// A partner's billing profile.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct BillingProfile {
    #[schema(example = "ptr_0mhx2k9q1002a7f3kq9zt0bw")]
    pub partner_id: String,
    /// The monthly minimum in minor units (0: no commitment). When a period's usage in
    /// `commitment_currency` stays below it, the invoice carries the shortfall as a true-up.
    #[schema(example = 10000)]
    pub commitment_minor: i64,
    #[schema(example = "EUR")]
    pub commitment_currency: String,
    pub billing_contact: Option<BillingContact>,
    /// Days from issue to the invoice's due date.
    #[schema(example = 30)]
    pub payment_terms_days: i32,
    /// When an operator first set the profile (null: the defaults apply).
    pub created_at: Option<DateTime<Utc>>,
    pub updated_at: Option<DateTime<Utc>>,
}

impl BillingProfile {
    /// What applies before an operator sets a profile: no commitment, no contact, 30 days.
    pub fn default_for(partner_id: &str) -> BillingProfile {
        BillingProfile {
            partner_id: partner_id.to_string(),
            commitment_minor: 0,
            commitment_currency: "EUR".into(),
            billing_contact: None,
            payment_terms_days: DEFAULT_PAYMENT_TERMS_DAYS,
            created_at: None,
            updated_at: None,
        }
    }
}

/// Who receives invoices.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BillingContact {
    /// An email address, at most 254 characters.
    #[schema(example = "finance@travelco.example", max_length = 254, format = Email)]
    pub email: String,
    /// 1 to 200 characters.
    #[schema(example = "Ana Ruiz", min_length = 1, max_length = 200)]
    pub name: String,
}

/// The profile an operator sets (the whole profile, replacing any earlier one).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SetBillingProfile {
    /// Monthly commitment in minor units, 0 to 100000000 (0: none).
    #[schema(example = 10000, minimum = 0, maximum = 100000000)]
    pub commitment_minor: i64,
    /// ISO 4217 code of the commitment.
    #[schema(example = "EUR", value_type = crate::catalogue::codes::CurrencyCode)]
    pub commitment_currency: String,
    /// Who receives invoices; null or absent: nobody yet.
    pub billing_contact: Option<BillingContact>,
    /// 0 to 365 days from issue to due date.
    #[schema(example = 30, minimum = 0, maximum = 365)]
    pub payment_terms_days: i32,
}

impl SetBillingProfile {
    /// Every rule of the profile, each broken one listed.
    pub fn check(&self) -> Result<(), ApiError> {
        let mut errors = Vec::new();
        if !(0..=100_000_000).contains(&self.commitment_minor) {
            errors.push(FieldError::new(
                "commitment_minor",
                "out_of_range",
                "must be between 0 and 100000000",
            ));
        }
        if !crate::catalogue::codes::is_currency(&self.commitment_currency) {
            errors.push(crate::catalogue::codes::currency_error(
                "commitment_currency",
            ));
        }
        if !(0..=365).contains(&self.payment_terms_days) {
            errors.push(FieldError::new(
                "payment_terms_days",
                "out_of_range",
                "must be between 0 and 365",
            ));
        }
        if let Some(c) = &self.billing_contact {
            use validator::ValidateEmail;
            let email_ok = c.email.chars().count() <= 254 && c.email.validate_email();
            if !email_ok {
                errors.push(FieldError::new(
                    "billing_contact.email",
                    "email",
                    "must be an email address such as finance@example.com",
                ));
            }
            if !(1..=200).contains(&c.name.chars().count()) {
                errors.push(FieldError::new(
                    "billing_contact.name",
                    "length",
                    "must be 1 to 200 characters long",
                ));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ApiError::validation(errors))
        }
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = billing_profiles)]
struct ProfileRow {
    partner_id: String,
    commitment_minor: i64,
    commitment_currency: String,
    contact_email: Option<String>,
    contact_name: Option<String>,
    payment_terms_days: i32,
    created_at: NaiveDateTime,
    updated_at: NaiveDateTime,
}

impl From<ProfileRow> for BillingProfile {
    fn from(r: ProfileRow) -> BillingProfile {
        BillingProfile {
            partner_id: r.partner_id,
            commitment_minor: r.commitment_minor,
            commitment_currency: r.commitment_currency,
            billing_contact: match (r.contact_email, r.contact_name) {
                (Some(email), Some(name)) => Some(BillingContact { email, name }),
                _ => None,
            },
            payment_terms_days: r.payment_terms_days,
            created_at: Some(utc(r.created_at)),
            updated_at: Some(utc(r.updated_at)),
        }
    }
}

/// Payment terms when a partner has no profile yet.
pub const DEFAULT_PAYMENT_TERMS_DAYS: i32 = 30;

/// The partner's profile, if one was set.
pub fn profile(
    conn: &mut DbConnection,
    partner_id: &str,
) -> Result<Option<BillingProfile>, ApiError> {
    Ok(billing_profiles::table
        .find(partner_id)
        .select(ProfileRow::as_select())
        .first(conn)
        .optional()?
        .map(BillingProfile::from))
}

/// Sets (creates or replaces) a partner's profile; the caller checked the partner exists.
pub fn set_profile(
    conn: &mut DbConnection,
    partner_id: &str,
    p: &SetBillingProfile,
    now: DateTime<Utc>,
) -> Result<BillingProfile, ApiError> {
    let at = now.naive_utc();
    let email = p
        .billing_contact
        .as_ref()
        .map(|c| crate::validation::normalize_email(&c.email));
    let name = p.billing_contact.as_ref().map(|c| c.name.clone());
    crate::db::lock_partner(conn, partner_id)?;
    let updated = diesel::update(billing_profiles::table.find(partner_id))
        .set((
            billing_profiles::commitment_minor.eq(p.commitment_minor),
            billing_profiles::commitment_currency.eq(&p.commitment_currency),
            billing_profiles::contact_email.eq(&email),
            billing_profiles::contact_name.eq(&name),
            billing_profiles::payment_terms_days.eq(p.payment_terms_days),
            billing_profiles::updated_at.eq(at),
        ))
        .execute(conn)?;
    if updated == 0 {
        diesel::insert_into(billing_profiles::table)
            .values((
                billing_profiles::partner_id.eq(partner_id),
                billing_profiles::commitment_minor.eq(p.commitment_minor),
                billing_profiles::commitment_currency.eq(&p.commitment_currency),
                billing_profiles::contact_email.eq(&email),
                billing_profiles::contact_name.eq(&name),
                billing_profiles::payment_terms_days.eq(p.payment_terms_days),
                billing_profiles::created_at.eq(at),
                billing_profiles::updated_at.eq(at),
            ))
            .execute(conn)?;
    }
    profile(conn, partner_id)?.ok_or_else(|| ApiError::internal("billing profile vanished"))
}

/// Whether the partner's billing profile names a billing contact (the readiness checklist
/// asks for one).
pub fn has_billing_contact(conn: &mut DbConnection, partner_id: &str) -> Result<bool, ApiError> {
    let email: Option<Option<String>> = billing_profiles::table
        .find(partner_id)
        .select(billing_profiles::contact_email)
        .first(conn)
        .optional()?;
    Ok(email.flatten().is_some_and(|e| !e.is_empty()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn periods_are_calendar_months() {
        let p = Period::parse("2026-12").unwrap();
        assert_eq!(p.label(), "2026-12");
        assert_eq!(p.next().label(), "2027-01");
        assert_eq!(p.previous().label(), "2026-11");
        assert_eq!(p.end(), Period::parse("2027-01").unwrap().start());
        for bad in [
            "2026-13",
            "2026-1",
            "26-11",
            "2026-00",
            "x",
            "2026-11-01",
            "1999-12",
        ] {
            assert!(Period::parse(bad).is_none(), "{bad}");
        }
    }
}

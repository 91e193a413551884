//! Partners: created, approved, suspended and reinstated by Onyx operators. Creating a
//! partner also creates its owner invitation (the token is returned once).

pub mod routes;

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::audit::{self, AuditActor};
use crate::auth::Role;
use crate::db::schema::partners;
use crate::db::DbConnection;
use crate::error::ApiError;
use crate::paginate;
use crate::pagination::{Page, PageRequest};
use crate::team::{self, CreatedInvitation};
use crate::time::{utc, utc_opt};

crate::stored_enum! {
    /// Partner account states.
    pub enum PartnerStatus {
        /// Created; sandbox works, Onyx has not approved the account yet.
        Pending = "pending",
        /// Approved by Onyx.
        Approved = "approved",
        /// Suspended by Onyx: every call of the partner is refused.
        Suspended = "suspended",
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Partner {
    #[schema(example = "ptr_8Jd2kQ0vXn4LmT7sWc1aZp9e")]
    pub id: String,
    #[schema(example = "Wanderlust Travel")]
    pub name: String,
    #[schema(example = "Wanderlust Travel GmbH")]
    pub legal_entity: String,
    #[schema(example = "billing@wanderlust.example")]
    pub billing_email: String,
    pub status: PartnerStatus,
    /// Whether live credentials and live calls are allowed.
    pub live_enabled: bool,
    pub suspension_reason: Option<String>,
    pub approved_at: Option<DateTime<Utc>>,
    pub suspended_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = partners)]
struct Row {
    id: String,
    name: String,
    legal_entity: String,
    billing_email: String,
    status: String,
    live_enabled: bool,
    suspension_reason: Option<String>,
    approved_at: Option<chrono::NaiveDateTime>,
    suspended_at: Option<chrono::NaiveDateTime>,
    created_at: chrono::NaiveDateTime,
    updated_at: chrono::NaiveDateTime,
}

impl TryFrom<Row> for Partner {
    type Error = ApiError;

    fn try_from(r: Row) -> Result<Partner, ApiError> {
        Ok(Partner {
            id: r.id,
            name: r.name,
            legal_entity: r.legal_entity,
            billing_email: r.billing_email,
            status: PartnerStatus::from_stored(&r.status, "partners.status")?,
            live_enabled: r.live_enabled,
            suspension_reason: r.suspension_reason,
            approved_at: utc_opt(r.approved_at),
            suspended_at: utc_opt(r.suspended_at),
            created_at: utc(r.created_at),
            updated_at: utc(r.updated_at),
        })
    }
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePartner {
    /// Trading name shown to Onyx staff.
    #[validate(length(min = 1, max = 200))]
    #[schema(example = "Wanderlust Travel", min_length = 1, max_length = 200)]
    pub name: String,
    /// Registered legal entity.
    #[validate(length(min = 1, max = 200))]
    #[schema(example = "Wanderlust Travel GmbH", min_length = 1, max_length = 200)]
    pub legal_entity: String,
    /// Where invoices go.
    #[validate(email, length(max = 254))]
    #[schema(example = "billing@wanderlust.example", format = Email, max_length = 254)]
    pub billing_email: String,
    /// The first owner; an invitation is created for this address (which may already belong
    /// to the teams of other partners: membership is per partner).
    #[validate(email, length(max = 254))]
    #[schema(example = "cto@wanderlust.example", format = Email, max_length = 254)]
    pub owner_email: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PartnerCreated {
    pub partner: Partner,
    /// The owner's invitation; its `token` is shown only in this response.
    pub owner_invitation: CreatedInvitation,
}

pub fn create(
    conn: &mut DbConnection,
    req: CreatePartner,
    now: DateTime<Utc>,
    invitation_ttl: chrono::Duration,
) -> Result<PartnerCreated, ApiError> {
    let id = crate::ids::new_id("ptr");
    diesel::insert_into(partners::table)
        .values((
            partners::id.eq(&id),
            partners::name.eq(req.name.trim()),
            partners::legal_entity.eq(req.legal_entity.trim()),
            partners::billing_email.eq(crate::validation::normalize_email(&req.billing_email)),
            partners::status.eq(PartnerStatus::Pending.as_str()),
            partners::live_enabled.eq(false),
            partners::created_at.eq(now.naive_utc()),
            partners::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    let owner_invitation = team::create_invitation(
        conn,
        &id,
        None,
        &req.owner_email,
        Role::Owner,
        AuditActor::operator(),
        now,
        invitation_ttl,
    )?;
    audit::record(
        conn,
        audit::Entry {
            partner_id: Some(&id),
            environment: None,
            actor: AuditActor::operator(),
            action: "partner.created",
            target: Some(("partner", &id)),
            details: serde_json::json!({ "name": req.name.trim() }),
        },
        now,
    )?;
    Ok(PartnerCreated {
        partner: get(conn, &id)?,
        owner_invitation,
    })
}

pub fn get(conn: &mut DbConnection, id: &str) -> Result<Partner, ApiError> {
    partners::table
        .find(id)
        .select(Row::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("partner"))
        .and_then(Partner::try_from)
}

pub fn list(conn: &mut DbConnection, page: &PageRequest) -> Result<Page<Partner>, ApiError> {
    let rows: Vec<Row> = paginate!(partners::table, partners, page)
        .select(Row::as_select())
        .load(conn)?;
    Page::try_from_rows(
        rows,
        page,
        |r| (r.created_at, r.id.clone()),
        Partner::try_from,
    )
}

/// Operator actions on a partner's state.
#[derive(Debug, Clone)]
pub enum Transition {
    Approve,
    Suspend { reason: String },
    Reinstate,
    SetLiveAccess { enabled: bool },
}

/// Applies `t` if the partner's state allows it; one place decides what is allowed.
pub fn transition(
    conn: &mut DbConnection,
    id: &str,
    t: Transition,
    now: DateTime<Utc>,
) -> Result<Partner, ApiError> {
    let current = get(conn, id)?;
    let refuse = |detail: String| ApiError::Conflict {
        code: "invalid_partner_state",
        detail,
    };
    let at = now.naive_utc();
    let (action, details) = match (&t, current.status) {
        (Transition::Approve, PartnerStatus::Pending) => {
            diesel::update(partners::table.find(id))
                .set((
                    partners::status.eq("approved"),
                    partners::approved_at.eq(Some(at)),
                    partners::updated_at.eq(at),
                ))
                .execute(conn)?;
            ("partner.approved", serde_json::json!({}))
        }
        (Transition::Approve, s) => {
            return Err(refuse(format!(
                "Only a pending partner can be approved; this one is {}.",
                s.as_str()
            )))
        }
        (Transition::Suspend { reason }, PartnerStatus::Pending | PartnerStatus::Approved) => {
            diesel::update(partners::table.find(id))
                .set((
                    partners::status.eq("suspended"),
                    partners::suspended_at.eq(Some(at)),
                    partners::suspension_reason.eq(Some(reason.as_str())),
                    partners::updated_at.eq(at),
                ))
                .execute(conn)?;
            ("partner.suspended", serde_json::json!({ "reason": reason }))
        }
        (Transition::Suspend { .. }, PartnerStatus::Suspended) => {
            return Err(refuse("The partner is already suspended.".into()))
        }
        (Transition::Reinstate, PartnerStatus::Suspended) => {
            let back = if current.approved_at.is_some() {
                "approved"
            } else {
                "pending"
            };
            diesel::update(partners::table.find(id))
                .set((
                    partners::status.eq(back),
                    partners::suspended_at.eq(None::<chrono::NaiveDateTime>),
                    partners::suspension_reason.eq(None::<String>),
                    partners::updated_at.eq(at),
                ))
                .execute(conn)?;
            ("partner.reinstated", serde_json::json!({ "status": back }))
        }
        (Transition::Reinstate, s) => {
            return Err(refuse(format!(
                "Only a suspended partner can be reinstated; this one is {}.",
                s.as_str()
            )))
        }
        (Transition::SetLiveAccess { enabled: true }, s) if s != PartnerStatus::Approved => {
            return Err(refuse(format!(
                "Live access can be enabled only for an approved partner; this one is {}.",
                s.as_str()
            )))
        }
        (Transition::SetLiveAccess { enabled }, _) => {
            diesel::update(partners::table.find(id))
                .set((
                    partners::live_enabled.eq(*enabled),
                    partners::updated_at.eq(at),
                ))
                .execute(conn)?;
            (
                if *enabled {
                    "partner.live_enabled"
                } else {
                    "partner.live_disabled"
                },
                serde_json::json!({}),
            )
        }
    };
    // Suspension, reinstatement and live access change who may call: tokens notice at once.
    crate::db::mark_changed(conn, crate::db::Change::Access)?;
    audit::record(
        conn,
        audit::Entry {
            partner_id: Some(id),
            environment: None,
            actor: AuditActor::operator(),
            action,
            target: Some(("partner", id)),
            details,
        },
        now,
    )?;
    get(conn, id)
}

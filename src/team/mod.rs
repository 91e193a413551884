//! Team members and invitations. Invitation tokens are random, single-use, expire, and are
//! stored only as hashes. An organisation always keeps at least one owner.
//!
//! Membership is per partner: one email may be a member of several partners' teams (each
//! membership with its own password and role), and is unique only within one team. Inviting
//! someone who belongs to another team answers exactly as for a fresh address.

pub mod routes;

use chrono::{DateTime, Duration, Utc};
use diesel::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::audit::{self, AuditActor};
use crate::auth::passwords::hash_secret;
use crate::auth::{Caller, Role, Tenant};
use crate::db::schema::{invitations, members};
use crate::db::{lock_partner, DbConnection};
use crate::error::ApiError;
use crate::paginate;
use crate::pagination::{Page, PageRequest};
use crate::time::{utc, utc_opt};
use crate::validation::normalize_email;

pub const INVITATION_TOKEN_PREFIX: &str = "onyx_inv_";

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum InvitationStatus {
    Pending,
    Accepted,
    Expired,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Invitation {
    #[schema(example = "inv_Q2n8sLw0Zx5Tc7Vb1Mk3Jd9r")]
    pub id: String,
    #[schema(example = "dev@wanderlust.example")]
    pub email: String,
    pub role: Role,
    pub status: InvitationStatus,
    pub expires_at: DateTime<Utc>,
    pub accepted_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// A new invitation, with its token (shown only here).
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedInvitation {
    #[schema(example = "inv_Q2n8sLw0Zx5Tc7Vb1Mk3Jd9r")]
    pub id: String,
    #[schema(example = "dev@wanderlust.example")]
    pub email: String,
    pub role: Role,
    pub expires_at: DateTime<Utc>,
    /// Single-use token for `POST /v1/invitations/accept`. Shown once; only a hash is kept.
    #[schema(example = "onyx_inv_4fQk9LmZ2xW8cV1bN7rT3sYh6gJd0pAe5uKi")]
    pub token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Member {
    #[schema(example = "mem_Vb1Mk3Jd9rQ2n8sLw0Zx5Tc7")]
    pub id: String,
    #[schema(example = "dev@wanderlust.example")]
    pub email: String,
    #[schema(example = "Integration Developer")]
    pub name: String,
    pub role: Role,
    pub last_login_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = members)]
pub struct MemberRow {
    pub id: String,
    pub partner_id: String,
    pub email: String,
    pub name: String,
    pub role: String,
    pub password_hash: String,
    pub last_login_at: Option<chrono::NaiveDateTime>,
    pub created_at: chrono::NaiveDateTime,
}

impl TryFrom<MemberRow> for Member {
    type Error = ApiError;

    fn try_from(r: MemberRow) -> Result<Member, ApiError> {
        Ok(Member {
            id: r.id,
            email: r.email,
            name: r.name,
            role: Role::from_stored(&r.role, "members.role")?,
            last_login_at: utc_opt(r.last_login_at),
            created_at: utc(r.created_at),
        })
    }
}

#[derive(Queryable, Selectable)]
#[diesel(table_name = invitations)]
struct InvitationRow {
    id: String,
    partner_id: String,
    email: String,
    role: String,
    expires_at: chrono::NaiveDateTime,
    accepted_at: Option<chrono::NaiveDateTime>,
    created_at: chrono::NaiveDateTime,
    environment: Option<String>,
}

impl InvitationRow {
    /// The time the invitation's expiry is judged at: an invitation sent from a sandbox
    /// session follows the partner's sandbox test clock (`sandbox_offset`), any other the
    /// real clock.
    fn today(&self, now: DateTime<Utc>, sandbox_offset: Duration) -> DateTime<Utc> {
        if self.environment.as_deref() == Some(crate::auth::Environment::Sandbox.as_str()) {
            now + sandbox_offset
        } else {
            now
        }
    }

    fn view(self, now: DateTime<Utc>, sandbox_offset: Duration) -> Result<Invitation, ApiError> {
        let today = self.today(now, sandbox_offset);
        let status = if self.accepted_at.is_some() {
            InvitationStatus::Accepted
        } else if utc(self.expires_at) <= today {
            InvitationStatus::Expired
        } else {
            InvitationStatus::Pending
        };
        Ok(Invitation {
            id: self.id,
            email: self.email,
            role: Role::from_stored(&self.role, "invitations.role")?,
            status,
            expires_at: utc(self.expires_at),
            accepted_at: utc_opt(self.accepted_at),
            created_at: utc(self.created_at),
        })
    }
}

fn already_accepted() -> ApiError {
    ApiError::Conflict {
        code: "invitation_already_accepted",
        detail: "This invitation was already accepted; sign in with POST /v1/auth/login.".into(),
    }
}

fn email_taken() -> ApiError {
    ApiError::Conflict {
        code: "email_taken",
        detail: "A member of your team already has this email; change that member's role instead of inviting them again.".into(),
    }
}

/// Whether `partner_id`'s team has a member with `email`. Only the partner's own team counts:
/// the same person may be a member of other partners, and nothing here may tell.
fn member_exists(conn: &mut DbConnection, partner_id: &str, email: &str) -> Result<bool, ApiError> {
    Ok(diesel::select(diesel::dsl::exists(
        members::table
            .filter(members::partner_id.eq(partner_id))
            .filter(members::email.eq(email)),
    ))
    .get_result(conn)?)
}

/// The password hash of a membership (of any partner) of the email an invitation token was
/// made for, if there is one: the new membership's password is hashed with the same salt
/// (`passwords::hash_password_like`), so one hash computation checks a sign-in against all of
/// that email's memberships. Internal only; what it finds never changes an answer.
pub fn hash_to_share(conn: &mut DbConnection, token: &str) -> Result<Option<String>, ApiError> {
    let email: Option<String> = invitations::table
        .filter(invitations::token_hash.eq(hash_secret(token)))
        .select(invitations::email)
        .first(conn)
        .optional()?;
    let Some(email) = email else {
        return Ok(None);
    };
    Ok(members::table
        .filter(members::email.eq(&email))
        .order((members::created_at.asc(), members::id.asc()))
        .select(members::password_hash)
        .first(conn)
        .optional()?)
}

/// Makes an invitation; `environment` is the environment of the session that sent it
/// (None for Onyx's own): its expiry follows that environment's clock.
#[allow(clippy::too_many_arguments)]
pub fn create_invitation(
    conn: &mut DbConnection,
    partner_id: &str,
    environment: Option<crate::auth::Environment>,
    email: &str,
    role: Role,
    actor: AuditActor,
    now: DateTime<Utc>,
    ttl: Duration,
) -> Result<CreatedInvitation, ApiError> {
    let email = normalize_email(email);
    if member_exists(conn, partner_id, &email)? {
        return Err(email_taken());
    }
    let id = crate::ids::new_id("inv");
    let token = format!("{INVITATION_TOKEN_PREFIX}{}", crate::ids::random_token(40));
    let sandbox = environment == Some(crate::auth::Environment::Sandbox);
    let today = now + crate::clock::offset_of(conn, partner_id, sandbox)?;
    let expires_at = today + ttl;
    diesel::insert_into(invitations::table)
        .values((
            invitations::id.eq(&id),
            invitations::partner_id.eq(partner_id),
            invitations::email.eq(&email),
            invitations::role.eq(role.as_str()),
            invitations::token_hash.eq(hash_secret(&token)),
            invitations::invited_by.eq(actor.id.clone().unwrap_or_else(|| actor.kind.to_string())),
            invitations::expires_at.eq(expires_at.naive_utc()),
            invitations::created_at.eq(now.naive_utc()),
            invitations::environment.eq(environment.map(|e| e.as_str())),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        audit::Entry {
            partner_id: Some(partner_id),
            environment: None,
            actor,
            action: "invitation.created",
            target: Some(("invitation", &id)),
            details: serde_json::json!({ "email": email, "role": role.as_str() }),
        },
        now,
    )?;
    Ok(CreatedInvitation {
        id,
        email,
        role,
        expires_at,
        token,
    })
}

/// Only owners may grant the owner role; admins manage every other role.
pub fn may_assign(actor: Option<Role>, role: Role) -> bool {
    role != Role::Owner || actor == Some(Role::Owner)
}

pub fn list_invitations(
    conn: &mut DbConnection,
    tenant: &Tenant,
    page: &PageRequest,
    now: DateTime<Utc>,
) -> Result<Page<Invitation>, ApiError> {
    let rows: Vec<InvitationRow> = paginate!(
        invitations::table.filter(invitations::partner_id.eq(tenant.partner_id())),
        invitations,
        page
    )
    .select(InvitationRow::as_select())
    .load(conn)?;
    let offset = crate::clock::sandbox_offset(conn, tenant.partner_id())?;
    Page::try_from_rows(
        rows,
        page,
        |r| (r.created_at, r.id.clone()),
        |r| r.view(now, offset),
    )
}

/// Accepts an invitation: creates the member. `password_hash` is computed by the caller
/// (outside the transaction; it is slow on purpose).
pub fn accept(
    conn: &mut DbConnection,
    token: &str,
    name: &str,
    password_hash: String,
    now: DateTime<Utc>,
) -> Result<Member, ApiError> {
    let row: InvitationRow = invitations::table
        .filter(invitations::token_hash.eq(hash_secret(token)))
        .select(InvitationRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::NotFound {
            code: "invitation_not_found",
            detail: "No invitation matches this token; ask your organisation's owner or admin for a new invitation.".into(),
        })?;
    if row.accepted_at.is_some() {
        return Err(already_accepted());
    }
    let offset = crate::clock::sandbox_offset(conn, &row.partner_id)?;
    if utc(row.expires_at) <= row.today(now, offset) {
        return Err(ApiError::Unprocessable {
            code: "invitation_expired",
            detail: "This invitation has expired; ask your organisation's owner or admin to invite you again.".into(),
        });
    }
    lock_partner(conn, &row.partner_id)?;
    if member_exists(conn, &row.partner_id, &row.email)? {
        return Err(email_taken());
    }
    let id = crate::ids::new_id("mem");
    let at = now.naive_utc();
    diesel::insert_into(members::table)
        .values((
            members::id.eq(&id),
            members::partner_id.eq(&row.partner_id),
            members::email.eq(&row.email),
            members::name.eq(name.trim()),
            members::role.eq(&row.role),
            members::password_hash.eq(password_hash),
            members::created_at.eq(at),
            members::updated_at.eq(at),
        ))
        .execute(conn)?;
    // Single use: the update only succeeds while the invitation is still open.
    let claimed = diesel::update(
        invitations::table
            .find(&row.id)
            .filter(invitations::accepted_at.is_null()),
    )
    .set((
        invitations::accepted_at.eq(Some(at)),
        invitations::member_id.eq(Some(&id)),
    ))
    .execute(conn)?;
    if claimed != 1 {
        return Err(already_accepted());
    }
    audit::record(
        conn,
        audit::Entry {
            partner_id: Some(&row.partner_id),
            environment: None,
            actor: AuditActor::member(&id),
            action: "invitation.accepted",
            target: Some(("member", &id)),
            details: serde_json::json!({ "invitation_id": row.id, "role": row.role }),
        },
        now,
    )?;
    get_member(conn, &row.partner_id, &id)
}

pub fn get_member(conn: &mut DbConnection, partner_id: &str, id: &str) -> Result<Member, ApiError> {
    members::table
        .filter(members::partner_id.eq(partner_id))
        .filter(members::id.eq(id))
        .select(MemberRow::as_select())
        .first(conn)
        .optional()?
        .ok_or_else(|| ApiError::not_found("team member"))
        .and_then(Member::try_from)
}

pub fn list_members(
    conn: &mut DbConnection,
    tenant: &Tenant,
    page: &PageRequest,
) -> Result<Page<Member>, ApiError> {
    let rows: Vec<MemberRow> = paginate!(
        members::table.filter(members::partner_id.eq(tenant.partner_id())),
        members,
        page
    )
    .select(MemberRow::as_select())
    .load(conn)?;
    Page::try_from_rows(
        rows,
        page,
        |r| (r.created_at, r.id.clone()),
        Member::try_from,
    )
}

fn owner_count(conn: &mut DbConnection, partner_id: &str) -> Result<i64, ApiError> {
    Ok(members::table
        .filter(members::partner_id.eq(partner_id))
        .filter(members::role.eq(Role::Owner.as_str()))
        .count()
        .get_result(conn)?)
}

fn last_owner(action: &str) -> ApiError {
    ApiError::Conflict {
        code: "last_owner",
        detail: format!("The last owner cannot be {action}; make another member an owner first."),
    }
}

fn owners_only() -> ApiError {
    ApiError::Forbidden {
        code: "owner_required",
        detail: "Only an owner can grant the owner role or change an owner.".into(),
    }
}

/// Changes a member's role, keeping at least one owner.
pub fn change_role(
    conn: &mut DbConnection,
    caller: &Caller,
    member_id: &str,
    role: Role,
    now: DateTime<Utc>,
) -> Result<Member, ApiError> {
    let partner_id = caller.tenant.partner_id().to_string();
    lock_partner(conn, &partner_id)?;
    let current = get_member(conn, &partner_id, member_id)?;
    if !may_assign(caller.role(), role)
        || (current.role == Role::Owner && caller.role() != Some(Role::Owner))
    {
        return Err(owners_only());
    }
    if current.role == Role::Owner && role != Role::Owner && owner_count(conn, &partner_id)? <= 1 {
        return Err(last_owner("demoted"));
    }
    crate::db::mark_changed(conn, crate::db::Change::Access)?;
    diesel::update(members::table.find(member_id))
        .set((
            members::role.eq(role.as_str()),
            members::updated_at.eq(now.naive_utc()),
        ))
        .execute(conn)?;
    audit::record(
        conn,
        audit::Entry {
            partner_id: Some(&partner_id),
            environment: None,
            actor: AuditActor::of(caller),
            action: "member.role_changed",
            target: Some(("member", member_id)),
            details: serde_json::json!({ "from": current.role.as_str(), "to": role.as_str() }),
        },
        now,
    )?;
    get_member(conn, &partner_id, member_id)
}

/// Removes a member (their tokens stop working at once), keeping at least one owner.
pub fn remove(
    conn: &mut DbConnection,
    caller: &Caller,
    member_id: &str,
    now: DateTime<Utc>,
) -> Result<(), ApiError> {
    let partner_id = caller.tenant.partner_id().to_string();
    lock_partner(conn, &partner_id)?;
    let current = get_member(conn, &partner_id, member_id)?;
    if current.role == Role::Owner {
        if caller.role() != Some(Role::Owner) {
            return Err(owners_only());
        }
        if owner_count(conn, &partner_id)? <= 1 {
            return Err(last_owner("removed"));
        }
    }
    crate::db::mark_changed(conn, crate::db::Change::Access)?;
    diesel::delete(members::table.find(member_id)).execute(conn)?;
    audit::record(
        conn,
        audit::Entry {
            partner_id: Some(&partner_id),
            environment: None,
            actor: AuditActor::of(caller),
            action: "member.removed",
            target: Some(("member", member_id)),
            details: serde_json::json!({ "email": current.email, "role": current.role.as_str() }),
        },
        now,
    )?;
    Ok(())
}

//! Team routes: invitations and members.

use actix_web::{delete, get, patch, post, web, HttpResponse};
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use super::{CreatedInvitation, Invitation, Member};
use crate::audit::AuditActor;
use crate::auth::{passwords, Caller, Permission, Role};
use crate::error::{ApiError, Problem};
use crate::http::Json;
use crate::pagination::{Page, PageQuery};
use crate::state::AppState;
use crate::validation::check;

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateInvitation {
    /// The person's work email; they sign in with it.
    #[validate(email, length(max = 254))]
    #[schema(example = "dev@wanderlust.example", format = Email, max_length = 254)]
    pub email: String,
    /// The role they get on accepting (only owners can invite owners).
    pub role: Role,
}

/// Invite a team member (owners and admins). The token is returned once.
#[utoipa::path(
    operation_id = "createInvitation",
    tag = "team",
    request_body = CreateInvitation,
    security(("partner_jwt" = [])),
    responses(
        (status = 201, description = "Invitation created; send the token to the invitee.", body = CreatedInvitation),
        (status = 409, description = "A member of your team already has this email (`email_taken`); members of other partners' teams are never considered.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/invitations")]
pub async fn invite(
    state: web::Data<AppState>,
    caller: Caller,
    body: Json<CreateInvitation>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ManageTeam)?;
    let partner_id = tenant.partner_id().to_string();
    let environment = tenant.environment();
    let req = body.into_inner();
    check(&req)?;
    if !super::may_assign(caller.role(), req.role) {
        return Err(ApiError::Forbidden {
            code: "owner_required",
            detail: "Only an owner can invite another owner.".into(),
        });
    }
    let now = state.now();
    let ttl = chrono::Duration::hours(state.config.invitation_ttl_hours);
    let actor = AuditActor::of(&caller);
    let created = state
        .db
        .write(move |c| {
            super::create_invitation(
                c,
                &partner_id,
                Some(environment),
                &req.email,
                req.role,
                actor,
                now,
                ttl,
            )
        })
        .await?;
    Ok(HttpResponse::Created().json(created))
}

/// List invitations with their status (owners and admins).
#[utoipa::path(
    operation_id = "listInvitations",
    tag = "team",
    params(PageQuery),
    security(("partner_jwt" = [])),
    responses((status = 200, description = "A page of invitations, newest first.", body = Page<Invitation>))
)]
#[get("/invitations")]
pub async fn list_invitations(
    state: web::Data<AppState>,
    caller: Caller,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    let tenant = caller.require(Permission::ManageTeam)?.clone();
    let page = page.parse()?;
    let now = state.now();
    let result = state
        .db
        .read(move |c| super::list_invitations(c, &tenant, &page, now))
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AcceptInvitation {
    /// The invitation token.
    #[validate(length(min = 1, max = 200))]
    #[schema(
        example = "onyx_inv_4fQk9LmZ2xW8cV1bN7rT3sYh6gJd0pAe5uKi",
        min_length = 1,
        max_length = 200
    )]
    pub token: String,
    /// Your name as teammates see it.
    #[validate(length(min = 1, max = 200))]
    #[schema(example = "Integration Developer", min_length = 1, max_length = 200)]
    pub name: String,
    /// 12 to 128 characters.
    #[validate(length(min = 12, max = 128))]
    #[schema(
        example = "a long passphrase you keep secret",
        min_length = 12,
        max_length = 128
    )]
    pub password: String,
}

/// Accept an invitation (no authentication: the token is the proof) and become a member.
#[utoipa::path(
    operation_id = "acceptInvitation",
    tag = "team",
    request_body = AcceptInvitation,
    responses(
        (status = 201, description = "Member created; sign in with POST /v1/auth/login.", body = Member),
        (status = 404, description = "Unknown token (`invitation_not_found`).", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "Already accepted (`invitation_already_accepted`), or a member of the inviting team already has this email (`email_taken`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/invitations/accept")]
pub async fn accept(
    state: web::Data<AppState>,
    body: Json<AcceptInvitation>,
) -> Result<HttpResponse, ApiError> {
    let req = body.into_inner();
    check(&req)?;
    let AcceptInvitation {
        token,
        name,
        password,
    } = req;
    let t = token.clone();
    let share = state.db.read(move |c| super::hash_to_share(c, &t)).await?;
    let hash =
        web::block(move || passwords::hash_password_like(&password, share.as_deref())).await??;
    let now = state.now();
    let member = state
        .db
        .write(move |c| super::accept(c, &token, &name, hash, now))
        .await?;
    Ok(HttpResponse::Created().json(member))
}

/// List team members (every role may see the team).
#[utoipa::path(
    operation_id = "listMembers",
    tag = "team",
    params(PageQuery),
    security(("partner_jwt" = [])),
    responses((status = 200, description = "A page of members, newest first.", body = Page<Member>))
)]
#[get("/members")]
pub async fn list_members(
    state: web::Data<AppState>,
    caller: Caller,
    page: web::Query<PageQuery>,
) -> Result<HttpResponse, ApiError> {
    if caller.role().is_none() {
        caller.require(Permission::ManageTeam)?;
    }
    let tenant = caller.tenant.clone();
    let page = page.parse()?;
    let result = state
        .db
        .read(move |c| super::list_members(c, &tenant, &page))
        .await?;
    Ok(HttpResponse::Ok().json(result))
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[schema(example = json!({"role": "developer"}))]
pub struct UpdateMember {
    /// The new role. The last owner cannot be demoted.
    pub role: Role,
}

/// Change a member's role (owners and admins; only owners change owners).
#[utoipa::path(
    operation_id = "updateMember",
    tag = "team",
    params(("member_id" = String, Path, description = "Member id (`mem_…`).")),
    request_body = UpdateMember,
    security(("partner_jwt" = [])),
    responses(
        (status = 200, description = "Updated member.", body = Member),
        (status = 404, description = "No such member in your organisation.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The last owner cannot be demoted (`last_owner`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/members/{member_id}")]
pub async fn update(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
    body: Json<UpdateMember>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ManageTeam)?;
    let id = path.into_inner();
    let role = body.into_inner().role;
    let now = state.now();
    let member = state
        .db
        .write(move |c| super::change_role(c, &caller, &id, role, now))
        .await?;
    Ok(HttpResponse::Ok().json(member))
}

/// Remove a member; their tokens stop working at once (owners and admins).
#[utoipa::path(
    operation_id = "removeMember",
    tag = "team",
    params(("member_id" = String, Path, description = "Member id (`mem_…`).")),
    security(("partner_jwt" = [])),
    responses(
        (status = 204, description = "Removed."),
        (status = 404, description = "No such member in your organisation.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The last owner cannot be removed (`last_owner`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/members/{member_id}")]
pub async fn remove(
    state: web::Data<AppState>,
    caller: Caller,
    path: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    caller.require(Permission::ManageTeam)?;
    let id = path.into_inner();
    let now = state.now();
    state
        .db
        .write(move |c| super::remove(c, &caller, &id, now))
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn register(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(invite)
        .service(list_invitations)
        .service(accept)
        .service(list_members)
        .service(update)
        .service(remove);
}

//! Team: members (every member sees them, as in the API), invitations, role changes and
//! removal (owners and admins), and accepting an invitation (no session yet).

use actix_web::http::StatusCode;
use actix_web::{web, HttpRequest, HttpResponse};
use maud::{html, Markup};
use serde_json::json;

use super::page_of;
use crate::attempt;
use crate::audit::AuditActor;
use crate::auth::{passwords, Permission, Role};
use crate::console::session::{self, Action, Console, Form};
use crate::console::ui::{self, badge, s, time, value};
use crate::error::ApiError;
use crate::state::AppState;

async fn team_page(
    ctx: &Console,
    req: &HttpRequest,
    shown: Option<Markup>,
    error: Option<String>,
) -> HttpResponse {
    let tenant = ctx.tenant();
    let page = attempt!(ctx, page_of(req));
    let manage = ctx.can(Permission::ManageTeam);
    let now = ctx.state.now();
    let (members, invitations) = attempt!(
        ctx,
        ctx.state
            .db
            .read(move |c| {
                let members = value(&crate::team::list_members(c, &tenant, &page)?)?;
                let invitations = if manage {
                    Some(value(&crate::team::list_invitations(
                        c,
                        &tenant,
                        &super::first(20),
                        now,
                    )?)?)
                } else {
                    None
                };
                Ok((members, invitations))
            })
            .await
    );
    let rows = members["data"].as_array().cloned().unwrap_or_default();
    let assignable: Vec<&str> = Role::ALL
        .iter()
        .filter(|r| crate::team::may_assign(ctx.caller.role(), **r))
        .map(|r| r.as_str())
        .collect();
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let body = html! {
        h1 { "Team" }
        @if let Some(m) = shown { (m) }
        @if let Some(e) = &error { (ui::notice(true, e)) }
        table.list {
            thead { tr { th { "Name" } th { "Email" } th { "Role" } th { "Last sign-in" } @if manage { th { "Actions" } } } }
            tbody {
                @for m in &rows {
                    @let id = s(m, "id");
                    tr {
                        td data-label="Name" { (s(m, "name")) }
                        td data-label="Email" { (s(m, "email")) }
                        td data-label="Role" { (badge(s(m, "role"))) }
                        td data-label="Last sign-in" { (time(&m["last_login_at"])) }
                        @if manage {
                            td data-label="Actions" {
                                @if id != ctx.caller.actor_id() && s(m, "role") != "owner" {
                                    div.actions {
                                        form.inline method="post" action=(format!("/console/team/members/{id}/role")) {
                                            (ui::csrf(ctx))
                                            label.sr for=(format!("role-{id}")) { "Role of " (s(m, "name")) }
                                            select id=(format!("role-{id}")) name="role" {
                                                @for r in &assignable { option value=(r) selected[*r == s(m, "role")] { (r) } }
                                            }
                                            button type="submit" { "Change role" }
                                        }
                                        form.inline method="post" action=(format!("/console/team/members/{id}/remove")) {
                                            (ui::csrf(ctx))
                                            button.danger type="submit" data-confirm="Remove this member? Their access ends at once." { "Remove" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        (ui::pager(req, &members))
        @if let Some(inv) = &invitations {
            h2 { "Invitations" }
            @let list = inv["data"].as_array().cloned().unwrap_or_default();
            @if list.is_empty() {
                (ui::empty("No invitation yet.", "Invite the people who need access, with the role their work needs."))
            } @else {
                table.list {
                    thead { tr { th { "Email" } th { "Role" } th { "Status" } th { "Expires" } } }
                    tbody {
                        @for i in &list {
                            tr {
                                td data-label="Email" { (s(i, "email")) }
                                td data-label="Role" { (s(i, "role")) }
                                td data-label="Status" { (badge(s(i, "status"))) }
                                td data-label="Expires" { (time(&i["expires_at"])) }
                            }
                        }
                    }
                }
            }
            h2 { "Invite a member" }
            form.stack method="post" action="/console/team/invitations" {
                (ui::csrf(ctx))
                label for="invite-email" { "Email" }
                input #invite-email type="email" name="email" required maxlength="254";
                (ui::select("role", "Role", &assignable, "viewer", false))
                button.primary type="submit" { "Send invitation" }
            }
        }
    };
    ui::page_status(ctx, status, "Team", body)
}

pub async fn team(ctx: Console, req: HttpRequest) -> HttpResponse {
    team_page(&ctx, &req, None, None).await
}

pub async fn invite(action: Action, req: HttpRequest) -> HttpResponse {
    let Action { ctx, form } = action;
    let tenant = attempt!(ctx, ctx.require(Permission::ManageTeam));
    let request: crate::team::routes::CreateInvitation = match crate::http::json::from_value(
        json!({ "email": form.text("email"), "role": form.text("role") }),
    )
    .and_then(|r: crate::team::routes::CreateInvitation| crate::validation::check(&r).map(|_| r))
    {
        Ok(r) => r,
        Err(e) => return team_page(&ctx, &req, None, Some(ui::sentence(&e))).await,
    };
    if !crate::team::may_assign(ctx.caller.role(), request.role) {
        return ui::error_page(
            &ctx,
            ApiError::Forbidden {
                code: "owner_required",
                detail: "Only an owner can invite another owner.".into(),
            },
        );
    }
    let now = ctx.state.now();
    let ttl = chrono::Duration::hours(ctx.state.config.invitation_ttl_hours);
    let actor = AuditActor::of(&ctx.caller);
    let pid = tenant.partner_id().to_string();
    let environment = tenant.environment();
    let created = ctx
        .state
        .db
        .write(move |c| {
            crate::team::create_invitation(
                c,
                &pid,
                Some(environment),
                &request.email,
                request.role,
                actor,
                now,
                ttl,
            )
        })
        .await;
    match created {
        Ok(inv) => {
            let host = req.connection_info().host().to_string();
            let scheme = req.connection_info().scheme().to_string();
            let link = format!(
                "{scheme}://{host}/console/accept?token={}",
                url::form_urlencoded::byte_serialize(inv.token.as_bytes()).collect::<String>()
            );
            let shown = html! {
                div.card role="status" {
                    h2 { "Invitation created" }
                    p { "Send this link to " (inv.email) " (shown once; it works until " (time(&json!(inv.expires_at))) "):" }
                    p.secret { a #invite-link href=(link) { (link) } }
                }
            };
            team_page(&ctx, &req, Some(shown), None).await
        }
        Err(e) => team_page(&ctx, &req, None, Some(ui::sentence(&e))).await,
    }
}

pub async fn change_role(action: Action, path: web::Path<String>) -> HttpResponse {
    let Action { ctx, form } = action;
    attempt!(ctx, ctx.require(Permission::ManageTeam));
    let role: Role = attempt!(ctx, crate::http::json::from_value(json!(form.text("role"))));
    let id = path.into_inner();
    let now = ctx.state.now();
    let caller = ctx.caller.clone();
    attempt!(
        ctx,
        ctx.state
            .db
            .write(move |c| crate::team::change_role(c, &caller, &id, role, now))
            .await
    );
    ui::see_other("/console/team")
}

pub async fn remove(action: Action, path: web::Path<String>) -> HttpResponse {
    let ctx = action.ctx;
    attempt!(ctx, ctx.require(Permission::ManageTeam));
    let id = path.into_inner();
    let now = ctx.state.now();
    let caller = ctx.caller.clone();
    attempt!(
        ctx,
        ctx.state
            .db
            .write(move |c| crate::team::remove(c, &caller, &id, now))
            .await
    );
    ui::see_other("/console/team")
}

#[derive(serde::Deserialize)]
pub struct AcceptQuery {
    token: Option<String>,
}

fn accept_page(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    token: &str,
    name: &str,
    error: Option<String>,
) -> HttpResponse {
    let (form_token, cookie) = session::form_token(req, state);
    let body = html! {
        h1 { "Join your team" }
        p.muted { "Choose your name and a password (at least 12 characters) to accept the invitation." }
        @if let Some(e) = &error { (ui::notice(true, e)) }
        form.stack method="post" action="/console/accept" {
            input type="hidden" name="form_token" value=(form_token);
            input type="hidden" name="token" value=(token);
            label for="name" { "Your name" }
            input #name name="name" required maxlength="200" value=(name) autocomplete="name";
            label for="password" { "Password" }
            input #password type="password" name="password" required minlength="12" maxlength="128" autocomplete="new-password";
            button.primary type="submit" { "Accept invitation" }
        }
    };
    let mut resp = ui::bare_frame(status, "Join your team", body);
    let _ = resp.add_cookie(&cookie);
    resp
}

/// `GET /console/accept?token=…`.
pub async fn accept_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    q: web::Query<AcceptQuery>,
) -> HttpResponse {
    accept_page(
        &req,
        &state,
        StatusCode::OK,
        q.token.as_deref().unwrap_or(""),
        "",
        None,
    )
}

/// `POST /console/accept`: the API's invitation acceptance (same password hashing).
pub async fn accept(
    req: HttpRequest,
    state: web::Data<AppState>,
    body: web::Bytes,
) -> HttpResponse {
    let form = Form::parse(&body).unwrap_or_default();
    let token = form.text("token");
    let name = form.text("name");
    if !session::form_token_ok(&req, &form) {
        return accept_page(
            &req,
            &state,
            StatusCode::FORBIDDEN,
            &token,
            &name,
            Some("This form has expired; submit it again.".into()),
        );
    }
    let request: crate::team::routes::AcceptInvitation = match crate::http::json::from_value(
        json!({ "token": token, "name": name, "password": form.get("password").unwrap_or("") }),
    )
    .and_then(|r: crate::team::routes::AcceptInvitation| crate::validation::check(&r).map(|_| r))
    {
        Ok(r) => r,
        Err(e) => {
            return accept_page(
                &req,
                &state,
                ui::StatusOf::status_code_of(&e),
                &token,
                &name,
                Some(ui::sentence(&e)),
            )
        }
    };
    let t = request.token.clone();
    let result: Result<(), ApiError> = async {
        let share = state
            .db
            .read(move |c| crate::team::hash_to_share(c, &t))
            .await?;
        let password = request.password.clone();
        let hash = web::block(move || passwords::hash_password_like(&password, share.as_deref()))
            .await
            .map_err(ApiError::internal)??;
        let now = state.now();
        let (tok, nm) = (request.token.clone(), request.name.clone());
        state
            .db
            .write(move |c| crate::team::accept(c, &tok, &nm, hash, now))
            .await?;
        Ok(())
    }
    .await;
    match result {
        Ok(()) => ui::see_other("/console/login?reason=accepted"),
        Err(e) => accept_page(
            &req,
            &state,
            ui::StatusOf::status_code_of(&e),
            &token,
            &name,
            Some(ui::sentence(&e)),
        ),
    }
}

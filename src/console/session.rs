//! Console sessions: sign-in, the [`Console`] extractor every page takes, the [`Action`]
//! extractor every POST takes (session + CSRF check), sign-out and the environment switch.
//!
//! The cookie `onyx_console` holds a random token; `console_sessions` keeps its SHA-256 only.
//! The cookie is `HttpOnly`, `SameSite=Strict`, scoped to `/console`, and `Secure` when the
//! request came over https (directly or as told by `X-Forwarded-Proto`/`Forwarded`) or when
//! `ONYX_CONSOLE_SECURE_COOKIE` is set. A session ends on sign-out, after
//! `ONYX_CONSOLE_IDLE_SECS` without a request, `ONYX_CONSOLE_MAX_SECS` after sign-in, and at
//! once when its member is removed (the member is read with the session on every request).

use std::future::Future;
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::http::StatusCode;
use actix_web::{web, FromRequest, HttpRequest, HttpResponse, ResponseError};
use chrono::Duration;
use diesel::prelude::*;
use maud::html;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::ui;
use crate::auth::{Caller, Environment, Permission, Role, Tenant};
use crate::db::schema::{console_sessions as cs, members, partners};
use crate::error::ApiError;
use crate::state::AppState;

pub const COOKIE: &str = "onyx_console";
/// The pre-session cookie whose value the sign-in and invitation forms repeat (login CSRF).
pub const FORM_COOKIE: &str = "onyx_console_form";
/// How often `last_seen_at` is written at most (the idle timeout's resolution).
const SEEN_RESOLUTION_SECS: i64 = 15;

/// The signed-in member of a console request.
pub struct Console {
    pub caller: Caller,
    pub session_id: String,
    pub csrf: String,
    pub member_name: String,
    pub member_email: String,
    pub partner_name: String,
    pub live_enabled: bool,
    pub state: web::Data<AppState>,
}

impl Console {
    pub fn role(&self) -> Role {
        match self.caller.role() {
            Some(r) => r,
            None => Role::Viewer,
        }
    }

    pub fn environment(&self) -> Environment {
        self.caller.tenant.environment()
    }

    /// Whether the member's role has `permission` (the API's matrix).
    pub fn can(&self, permission: Permission) -> bool {
        crate::auth::allows(self.caller.role(), permission)
    }

    /// The tenant, when the role has `permission` (else the API's 403).
    pub fn require(&self, permission: Permission) -> Result<Tenant, ApiError> {
        self.caller.require(permission).cloned()
    }

    pub fn tenant(&self) -> Tenant {
        self.caller.tenant.clone()
    }
}

/// Why a console request has no usable session.
#[derive(Debug)]
pub enum NoSession {
    /// Not signed in, signed out, or timed out: sign in (again).
    SignIn(&'static str),
    /// The partner may not use the console now (suspended).
    Refused(String),
    /// Too many requests for this member.
    RateLimited,
    /// Server fault reading the session.
    Fault(ApiError),
}

impl std::fmt::Display for NoSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "no console session")
    }
}

impl ResponseError for NoSession {
    fn status_code(&self) -> StatusCode {
        match self {
            NoSession::SignIn(_) => StatusCode::SEE_OTHER,
            NoSession::Refused(_) => StatusCode::FORBIDDEN,
            NoSession::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            NoSession::Fault(e) => e.status_code(),
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            NoSession::SignIn(reason) => {
                let mut cookie = Cookie::new(COOKIE, "");
                cookie.set_path("/console");
                cookie.make_removal();
                HttpResponse::SeeOther()
                    .insert_header((
                        actix_web::http::header::LOCATION,
                        format!("/console/login?reason={reason}"),
                    ))
                    .cookie(cookie)
                    .finish()
            }
            NoSession::Refused(why) => ui::bare_page(StatusCode::FORBIDDEN, "Access refused", why),
            NoSession::RateLimited => ui::bare_page(
                StatusCode::TOO_MANY_REQUESTS,
                "Too many requests",
                "You sent too many requests in a short time; wait a minute and try again.",
            ),
            NoSession::Fault(e) => {
                ui::bare_page(e.status_code(), "Something went wrong", &e.problem().detail)
            }
        }
    }
}

pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Whether the request reached us over https (or the cookie is configured `Secure`).
pub fn is_secure(req: &HttpRequest, state: &AppState) -> bool {
    state.config.console_secure_cookie || req.connection_info().scheme() == "https"
}

fn session_cookie(value: &str, secure: bool) -> Cookie<'static> {
    let mut c = Cookie::new(COOKIE, value.to_string());
    c.set_path("/console");
    c.set_http_only(true);
    c.set_same_site(SameSite::Strict);
    c.set_secure(secure);
    c
}

type SessionRow = (
    (String, String, String, String, String),
    (chrono::NaiveDateTime, chrono::NaiveDateTime),
    (String, String, String),
    (String, String, bool),
);

async fn load(req: HttpRequest) -> Result<Console, NoSession> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| NoSession::Fault(ApiError::internal("app state missing")))?;
    let token = req
        .cookie(COOKIE)
        .map(|c| c.value().to_string())
        .filter(|v| !v.is_empty() && v.len() <= 200)
        .ok_or(NoSession::SignIn("signed_out"))?;
    let hash = hash_token(&token);
    let now = state.now();
    let h = hash.clone();
    let row: Option<SessionRow> = state
        .db
        .read(move |c| {
            Ok(cs::table
                .inner_join(partners::table)
                .inner_join(
                    members::table.on(members::id
                        .eq(cs::member_id)
                        .and(members::partner_id.eq(cs::partner_id))),
                )
                .filter(cs::token_hash.eq(&h))
                .select((
                    (
                        cs::id,
                        cs::csrf_token,
                        cs::partner_id,
                        cs::member_id,
                        cs::environment,
                    ),
                    (cs::created_at, cs::last_seen_at),
                    (members::role, members::name, members::email),
                    (partners::name, partners::status, partners::live_enabled),
                ))
                .first(c)
                .optional()?)
        })
        .await
        .map_err(NoSession::Fault)?;
    let Some((
        (id, csrf, partner_id, member_id, environment),
        (created_at, last_seen_at),
        (role, member_name, member_email),
        (partner_name, partner_status, live_enabled),
    )) = row
    else {
        return Err(NoSession::SignIn("signed_out"));
    };
    let idle =
        now - crate::time::utc(last_seen_at) > Duration::seconds(state.config.console_idle_secs);
    let aged =
        now - crate::time::utc(created_at) > Duration::seconds(state.config.console_max_secs);
    if idle || aged {
        let sid = id.clone();
        state
            .db
            .write(move |c| {
                diesel::delete(cs::table.find(sid)).execute(c)?;
                Ok(())
            })
            .await
            .map_err(NoSession::Fault)?;
        return Err(NoSession::SignIn(if idle { "idle" } else { "expired" }));
    }
    let tenant = Tenant::of_row(&partner_id, &environment, "console_sessions.environment")
        .map_err(NoSession::Fault)?;
    if let Err(e) =
        crate::auth::check_partner_gate(&partner_status, live_enabled, tenant.environment())
    {
        return Err(NoSession::Refused(e.problem().detail));
    }
    let role = Role::from_stored(&role, "members.role").map_err(NoSession::Fault)?;
    state
        .rate_limiter
        .check_key(&member_id)
        .map_err(|_| NoSession::RateLimited)?;
    if now - crate::time::utc(last_seen_at) >= Duration::seconds(SEEN_RESOLUTION_SECS) {
        let sid = id.clone();
        let at = now.naive_utc();
        state
            .db
            .write(move |c| {
                diesel::update(cs::table.find(sid))
                    .set(cs::last_seen_at.eq(at))
                    .execute(c)?;
                Ok(())
            })
            .await
            .map_err(NoSession::Fault)?;
    }
    Ok(Console {
        caller: crate::auth::console_caller(tenant, member_id, role),
        session_id: id,
        csrf,
        member_name,
        member_email,
        partner_name,
        live_enabled,
        state,
    })
}

impl FromRequest for Console {
    type Error = NoSession;
    type Future = Pin<Box<dyn Future<Output = Result<Console, NoSession>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(load(req.clone()))
    }
}

/// A submitted form's fields.
#[derive(Debug, Default)]
pub struct Form(pub Vec<(String, String)>);

impl Form {
    /// The trimmed value of `name`, when sent and not blank.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    pub fn text(&self, name: &str) -> String {
        self.get(name).unwrap_or("").to_string()
    }

    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(k, v)| k == name && !v.trim().is_empty())
            .map(|(_, v)| v.trim().to_string())
            .collect()
    }

    pub fn parse(body: &[u8]) -> Option<Form> {
        serde_urlencoded::from_bytes::<Vec<(String, String)>>(body)
            .ok()
            .filter(|pairs| {
                !pairs
                    .iter()
                    .any(|(k, v)| k.contains('\0') || v.contains('\0'))
            })
            .map(Form)
    }
}

/// A POST from a signed-in member: the session and the form, whose `csrf` field matched
/// the session's token (else 403, nothing done).
pub struct Action {
    pub ctx: Console,
    pub form: Form,
}

/// Why a POST was refused before its handler ran.
#[derive(Debug)]
pub enum ActionRefused {
    NoSession(NoSession),
    Csrf,
    BadForm,
}

impl std::fmt::Display for ActionRefused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "console form refused")
    }
}

impl ResponseError for ActionRefused {
    fn status_code(&self) -> StatusCode {
        match self {
            ActionRefused::NoSession(n) => n.status_code(),
            ActionRefused::Csrf => StatusCode::FORBIDDEN,
            ActionRefused::BadForm => StatusCode::BAD_REQUEST,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ActionRefused::NoSession(n) => n.error_response(),
            ActionRefused::Csrf => ui::bare_page(
                StatusCode::FORBIDDEN,
                "Form refused",
                "This form did not come from your console session (its security token is missing or out of date), so nothing was changed. Reload the page and submit it again.",
            ),
            ActionRefused::BadForm => ui::bare_page(
                StatusCode::BAD_REQUEST,
                "Form not understood",
                "The form could not be read; reload the page and submit it again.",
            ),
        }
    }
}

/// Whether `Origin` (when sent) names the host the request was sent to.
fn same_origin(req: &HttpRequest) -> bool {
    let Some(origin) = req
        .headers()
        .get(actix_web::http::header::ORIGIN)
        .and_then(|v| v.to_str().ok())
    else {
        return true;
    };
    let host = req.connection_info().host().to_string();
    url::Url::parse(origin)
        .ok()
        .and_then(|u| {
            u.host_str().map(|h| match u.port() {
                Some(p) => format!("{h}:{p}"),
                None => h.to_string(),
            })
        })
        .is_some_and(|o| o.eq_ignore_ascii_case(&host))
}

pub fn tokens_match(a: &str, b: &str) -> bool {
    !a.is_empty() && bool::from(a.as_bytes().ct_eq(b.as_bytes()))
}

impl FromRequest for Action {
    type Error = ActionRefused;
    type Future = Pin<Box<dyn Future<Output = Result<Action, ActionRefused>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let body = web::Bytes::from_request(&req, payload);
        Box::pin(async move {
            let body = body.await.map_err(|_| ActionRefused::BadForm)?;
            let ctx = load(req.clone()).await.map_err(ActionRefused::NoSession)?;
            let form = Form::parse(&body).ok_or(ActionRefused::BadForm)?;
            let sent = form.get("csrf").unwrap_or("");
            if !same_origin(&req) || !tokens_match(sent, &ctx.csrf) {
                tracing::info!(status = 403, "console form refused: csrf");
                return Err(ActionRefused::Csrf);
            }
            Ok(Action { ctx, form })
        })
    }
}

/// A fresh form token and the cookie that carries it (sign-in and invitation forms).
pub fn form_token(req: &HttpRequest, state: &AppState) -> (String, Cookie<'static>) {
    let token = req
        .cookie(FORM_COOKIE)
        .map(|c| c.value().to_string())
        .filter(|v| v.len() == 32)
        .unwrap_or_else(|| crate::ids::random_token(32));
    let mut c = Cookie::new(FORM_COOKIE, token.clone());
    c.set_path("/console");
    c.set_http_only(true);
    c.set_same_site(SameSite::Strict);
    c.set_secure(is_secure(req, state));
    (token, c)
}

/// Whether a pre-session form repeats its cookie's token.
pub fn form_token_ok(req: &HttpRequest, form: &Form) -> bool {
    let cookie = req.cookie(FORM_COOKIE).map(|c| c.value().to_string());
    same_origin(req)
        && cookie.is_some_and(|c| tokens_match(form.get("form_token").unwrap_or(""), &c))
}

#[derive(serde::Deserialize)]
pub struct LoginQuery {
    reason: Option<String>,
}

fn reason_text(reason: Option<&str>) -> Option<&'static str> {
    match reason? {
        "idle" => Some("You were signed out after a period of inactivity. Sign in again."),
        "expired" => Some("Your session reached its maximum length. Sign in again."),
        "signed_out" => Some("Sign in to continue."),
        "logged_out" => Some("You signed out."),
        "accepted" => Some("Your account is ready. Sign in with your email and password."),
        _ => None,
    }
}

/// `GET /console/login`.
pub async fn login_form(
    req: HttpRequest,
    state: web::Data<AppState>,
    query: web::Query<LoginQuery>,
) -> HttpResponse {
    let note = reason_text(query.reason.as_deref()).map(|s| (false, s.to_string()));
    login_page(&req, &state, StatusCode::OK, "", note, &[])
}

fn login_page(
    req: &HttpRequest,
    state: &AppState,
    status: StatusCode,
    email: &str,
    note: Option<(bool, String)>,
    partners: &[crate::sessions::PartnerChoice],
) -> HttpResponse {
    let (token, cookie) = form_token(req, state);
    let body = html! {
        h1 { "Sign in" }
        p.muted { "Use the email and password of your team membership." }
        @if let Some((error, text)) = &note {
            p class=(if *error { "notice error" } else { "notice" }) role=(if *error { "alert" } else { "status" }) { (text) }
        }
        form method="post" action="/console/login" .stack {
            input type="hidden" name="form_token" value=(token);
            label for="email" { "Email" }
            input #email type="email" name="email" value=(email) autocomplete="username" required;
            label for="password" { "Password" }
            input #password type="password" name="password" autocomplete="current-password" required;
            @if !partners.is_empty() {
                label for="partner_id" { "Organisation" }
                select #partner_id name="partner_id" {
                    @for p in partners { option value=(p.partner_id) { (p.name) } }
                }
            }
            button type="submit" .primary { "Sign in" }
        }
    };
    let mut resp = ui::bare_frame(status, "Sign in", body);
    let _ = resp.add_cookie(&cookie);
    resp
}

/// `POST /console/login`: the API's member sign-in, then a console session.
pub async fn login(req: HttpRequest, state: web::Data<AppState>, body: web::Bytes) -> HttpResponse {
    let Some(form) = Form::parse(&body) else {
        return login_page(
            &req,
            &state,
            StatusCode::BAD_REQUEST,
            "",
            Some((true, "The form could not be read; try again.".into())),
            &[],
        );
    };
    let email = form.text("email");
    if !form_token_ok(&req, &form) {
        return login_page(
            &req,
            &state,
            StatusCode::FORBIDDEN,
            &email,
            Some((true, "This sign-in form has expired; sign in again.".into())),
            &[],
        );
    }
    let request = crate::sessions::LoginRequest {
        email: email.clone(),
        password: form.get("password").unwrap_or("").to_string(),
        environment: Some(Environment::Sandbox),
        partner_id: form.get("partner_id").map(str::to_string),
    };
    if let Err(e) = crate::validation::check(&request) {
        return login_page(
            &req,
            &state,
            e.status_code(),
            &email,
            Some((true, ui::sentence(&e))),
            &[],
        );
    }
    let signed_in = match crate::sessions::login(&state, request).await {
        Ok(crate::sessions::Login::SignedIn(s)) => s,
        Ok(crate::sessions::Login::ChoosePartner(partners)) => {
            return login_page(
                &req,
                &state,
                StatusCode::CONFLICT,
                &email,
                Some((false, "This email belongs to several organisations: choose one and enter your password again.".into())),
                &partners,
            )
        }
        Err(e) => {
            return login_page(&req, &state, e.status_code(), &email, Some((true, ui::sentence(&e))), &[]);
        }
    };
    let token = crate::ids::random_token(43);
    let hash = hash_token(&token);
    let csrf = crate::ids::random_token(32);
    let now = state.now().naive_utc();
    let id = crate::ids::new_id("cses");
    let (pid, mid) = (signed_in.partner_id.clone(), signed_in.member.id.clone());
    let idle = Duration::seconds(state.config.console_idle_secs);
    let max = Duration::seconds(state.config.console_max_secs);
    let created = state
        .db
        .write(move |c| {
            // Sessions past either timeout (of anyone) are dropped as new ones start.
            diesel::delete(
                cs::table.filter(
                    cs::last_seen_at
                        .lt(now - idle)
                        .or(cs::created_at.lt(now - max)),
                ),
            )
            .execute(c)?;
            diesel::insert_into(cs::table)
                .values((
                    cs::id.eq(&id),
                    cs::token_hash.eq(&hash),
                    cs::csrf_token.eq(&csrf),
                    cs::partner_id.eq(&pid),
                    cs::member_id.eq(&mid),
                    cs::environment.eq(Environment::Sandbox.as_str()),
                    cs::created_at.eq(now),
                    cs::last_seen_at.eq(now),
                ))
                .execute(c)?;
            Ok(())
        })
        .await;
    if let Err(e) = created {
        return login_page(
            &req,
            &state,
            e.status_code(),
            &email,
            Some((true, ui::sentence(&e))),
            &[],
        );
    }
    let mut resp = ui::see_other("/console/");
    let _ = resp.add_cookie(&session_cookie(&token, is_secure(&req, &state)));
    resp
}

/// `POST /console/logout`: the session row is deleted (the cookie opens nothing after).
pub async fn logout(action: Action) -> HttpResponse {
    let ctx = action.ctx;
    let id = ctx.session_id.clone();
    if let Err(e) = ctx
        .state
        .db
        .write(move |c| {
            diesel::delete(cs::table.find(id)).execute(c)?;
            Ok(())
        })
        .await
    {
        return ui::error_page(&ctx, e);
    }
    let mut cookie = Cookie::new(COOKIE, "");
    cookie.set_path("/console");
    cookie.make_removal();
    let mut resp = ui::see_other("/console/login?reason=logged_out");
    let _ = resp.add_cookie(&cookie);
    resp
}

/// `POST /console/environment`: sandbox or live (live only once Onyx enabled it).
pub async fn switch_environment(action: Action) -> HttpResponse {
    let Action { ctx, form } = action;
    let Some(environment) = form.get("environment").and_then(Environment::parse) else {
        return ui::error_page(
            &ctx,
            ApiError::validation(vec![crate::error::FieldError::new(
                "environment",
                "invalid_value",
                "choose sandbox or live",
            )]),
        );
    };
    if environment == Environment::Live && !ctx.live_enabled {
        return ui::error_page(
            &ctx,
            ApiError::Forbidden {
                code: "live_access_not_enabled",
                detail: "Live access is not enabled for your account yet; keep using sandbox until Onyx approves your production readiness (see Readiness).".into(),
            },
        );
    }
    let id = ctx.session_id.clone();
    if let Err(e) = ctx
        .state
        .db
        .write(move |c| {
            diesel::update(cs::table.find(id))
                .set(cs::environment.eq(environment.as_str()))
                .execute(c)?;
            Ok(())
        })
        .await
    {
        return ui::error_page(&ctx, e);
    }
    ui::see_other("/console/")
}

//! `POST /v1/oauth/token` (machine credentials → access token), `POST /v1/auth/login`
//! (team member email + password → access token) and `GET /v1/me`: request parsing and the
//! RFC 6749 error shape here, the sign-in rules in the `sessions` module.

use actix_web::dev::Payload;
use actix_web::http::header::{self, ContentType};
use actix_web::{get, post, web, HttpRequest, HttpResponse, ResponseError};
use base64::Engine;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{Grant, Login, LoginRequest, LoginResponse, PartnerChoice};
use crate::auth::{Caller, Environment, Role};
use crate::error::{ApiError, Problem, PROBLEM_CONTENT_TYPE};
use crate::http::json::{is_json_content_type, read_body, BodyLimit};
use crate::http::{request_id, Json};
use crate::state::AppState;
use crate::validation::check;

/// OAuth 2.0 client-credentials request (RFC 6749 §4.4), form-encoded or JSON. The client
/// may also authenticate with HTTP Basic (`client_id:client_secret`).
#[derive(Debug, Deserialize, ToSchema)]
pub struct TokenRequest {
    /// Must be `client_credentials`.
    #[schema(
        example = "client_credentials",
        value_type = String,
        required = true,
        pattern = "^client_credentials$"
    )]
    pub grant_type: Option<String>,
    /// Required here unless sent as HTTP Basic credentials (which then take precedence).
    #[schema(
        example = "onyx_ci_test_8sLw0Zx5Tc7Vb1Mk3Jd9",
        value_type = String,
        required = true,
        min_length = 1,
        max_length = 200
    )]
    pub client_id: Option<String>,
    /// Required here unless sent as HTTP Basic credentials (which then take precedence).
    #[schema(
        example = "onyx_sk_test_4fQk9LmZ2xW8cV1bN7rT3sYh6gJd0pAe5uKiWq2R",
        value_type = String,
        required = true,
        min_length = 1,
        max_length = 200
    )]
    pub client_secret: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer <access_token>`.
    #[schema(example = "eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJl")]
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Seconds until the token expires.
    #[schema(example = 900)]
    pub expires_in: i64,
    /// The environment the token acts in.
    pub environment: Environment,
}

/// OAuth 2.0 error (RFC 6749 §5.2), used only by the token endpoint.
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({"error": "invalid_client", "error_description": "Client authentication failed.", "request_id": "req_9f2c1d0b7a6e4c3f"}))]
pub struct OAuthError {
    /// `invalid_request`, `invalid_client`, `unsupported_grant_type` or `unauthorized_client`.
    pub error: String,
    pub error_description: String,
    pub request_id: String,
}

fn oauth_error(status: u16, error: &str, description: &str) -> HttpResponse {
    let mut resp = HttpResponse::build(
        actix_web::http::StatusCode::from_u16(status)
            .unwrap_or(actix_web::http::StatusCode::BAD_REQUEST),
    );
    resp.insert_header((header::CACHE_CONTROL, "no-store"));
    if status == 401 {
        resp.insert_header((header::WWW_AUTHENTICATE, "Basic realm=\"onyx\""));
    }
    resp.json(OAuthError {
        error: error.into(),
        error_description: description.into(),
        request_id: request_id::current().unwrap_or_default(),
    })
}

fn basic_credentials(req: &HttpRequest) -> Option<(String, String)> {
    let raw = req.headers().get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, value) = raw.split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(value.trim())
        .ok()?;
    let text = String::from_utf8(decoded).ok()?;
    let (id, secret) = text.split_once(':')?;
    Some((id.to_string(), secret.to_string()))
}

/// Exchange a client id and secret for a short-lived access token.
///
/// The body is form-encoded as OAuth 2.0 asks (RFC 6749 §4.4); the same fields as a JSON
/// object (`Content-Type: application/json`) are accepted too. The document names the form
/// only: client generators read two media types of one schema as two bodies.
#[utoipa::path(
    operation_id = "createAccessToken",
    tag = "auth",
    request_body(content(
        (TokenRequest = "application/x-www-form-urlencoded"),
    )),
    responses(
        (status = 200, description = "Access token issued.", body = TokenResponse),
        (status = 400, description = "Malformed request, unsupported grant type, or the partner may not get tokens (suspended, live not enabled).", body = OAuthError),
        (status = 401, description = "Client authentication failed (`invalid_client`); no hint says which part was wrong.", body = OAuthError),
        (status = 429, description = "Too many failed attempts for this client id; see `Retry-After`.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/oauth/token")]
pub async fn token(
    state: web::Data<AppState>,
    req: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let limit = req
        .app_data::<BodyLimit>()
        .map(|l| l.0)
        .unwrap_or(crate::config::DEFAULT_MAX_BODY_BYTES);
    let mut raw: Payload = payload.into_inner();
    let body = read_body(&req, &mut raw, limit).await?;
    let content_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let parsed: Result<TokenRequest, String> = if content_type
        == "application/x-www-form-urlencoded"
    {
        serde_urlencoded::from_bytes(&body).map_err(|e| e.to_string())
    } else if is_json_content_type(&req) {
        crate::http::json::parse(&body).map_err(|e| e.problem().detail)
    } else {
        Err("send the request as application/x-www-form-urlencoded or application/json".to_string())
    };
    let request = match parsed {
        Ok(r) => r,
        Err(why) => {
            return Ok(oauth_error(
                400,
                "invalid_request",
                &format!("The token request is malformed: {why}."),
            ))
        }
    };
    match request.grant_type.as_deref() {
        Some("client_credentials") => {}
        None => {
            return Ok(oauth_error(
                400,
                "invalid_request",
                "`grant_type` is required; use `client_credentials`.",
            ))
        }
        Some(_) => {
            return Ok(oauth_error(
                400,
                "unsupported_grant_type",
                "Only the `client_credentials` grant is supported.",
            ))
        }
    }
    let (client_id, secret) =
        match (
            basic_credentials(&req),
            request.client_id,
            request.client_secret,
        ) {
            (Some(pair), _, _) => pair,
            (None, Some(id), Some(secret)) if !id.is_empty() && !secret.is_empty() => (id, secret),
            _ => return Ok(oauth_error(
                400,
                "invalid_request",
                "Send `client_id` and `client_secret` in the body or as HTTP Basic credentials.",
            )),
        };
    if client_id.len() > 200
        || secret.len() > 200
        || client_id.contains('\0')
        || secret.contains('\0')
    {
        return Ok(oauth_error(
            401,
            "invalid_client",
            "Client authentication failed.",
        ));
    }
    let now = state.now();
    let (jwt_secret, ttl) = (state.config.jwt_secret.clone(), state.config.token_ttl_secs);
    let outcome = state
        .db
        .write(move |c| {
            super::exchange_client_credentials(c, &jwt_secret, ttl, &client_id, &secret, now)
        })
        .await?;
    Ok(match outcome {
        Grant::Issued(issued, environment) => HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .insert_header((header::PRAGMA, "no-cache"))
            .json(TokenResponse {
                access_token: issued.token,
                token_type: "Bearer".into(),
                expires_in: issued.expires_in,
                environment,
            }),
        Grant::BadClient => oauth_error(401, "invalid_client", "Client authentication failed."),
        Grant::Refused(e) => oauth_error(400, "unauthorized_client", &e.problem().detail),
    })
}

/// Sign in as a team member; returns an access token carrying your role.
#[utoipa::path(
    operation_id = "login",
    tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in.", body = LoginResponse),
        (status = 401, description = "Wrong email or password, or no membership of `partner_id` (`invalid_login`).", body = Problem, content_type = "application/problem+json"),
        (status = 403, description = "The partner is suspended, or live access is not enabled.", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "This email and password open the teams of several partners and no `partner_id` was sent (`partner_choice_required`): `partners` lists them; send the request again with one of their ids.", body = PartnerChoiceRequired, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts for this email, or too many sign-ins at once for the service; see `Retry-After`.", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/auth/login")]
pub async fn login(
    state: web::Data<AppState>,
    body: Json<LoginRequest>,
) -> Result<HttpResponse, ApiError> {
    let req = body.into_inner();
    check(&req)?;
    Ok(match super::login(&state, req).await? {
        Login::SignedIn(session) => HttpResponse::Ok()
            .insert_header((header::CACHE_CONTROL, "no-store"))
            .json(session),
        Login::ChoosePartner(partners) => {
            let refusal = super::partner_choice_required();
            HttpResponse::build(refusal.status_code())
                .insert_header((header::CONTENT_TYPE, PROBLEM_CONTENT_TYPE))
                .insert_header((header::CACHE_CONTROL, "no-store"))
                .json(PartnerChoiceRequired {
                    problem: refusal.problem(),
                    partners,
                })
        }
    })
}

/// 409 `partner_choice_required`: a problem whose `partners` lists the partners this email
/// and password sign in to (only those).
#[derive(Debug, Serialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:onyx:problem:partner_choice_required",
    "title": "Conflict",
    "status": 409,
    "detail": "This email and password sign in to the teams of several partners; send the login again with `partner_id` set to one of `partners`.",
    "code": "partner_choice_required",
    "request_id": "req_9f2c1d0b7a6e4c3f",
    "partners": [
        {"partner_id": "ptr_8Jd2kQ0vXn4LmT7sWc1aZp9e", "name": "Wanderlust Travel"},
        {"partner_id": "ptr_2Lm8Qv0xTc4Jd9rK7sWn1aZp", "name": "Nomad Mobile"}
    ]
}))]
pub struct PartnerChoiceRequired {
    #[serde(flatten)]
    pub problem: Problem,
    pub partners: Vec<PartnerChoice>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct Me {
    #[schema(example = "ptr_8Jd2kQ0vXn4LmT7sWc1aZp9e")]
    pub partner_id: String,
    pub environment: Environment,
    /// `member` or `credential`.
    #[schema(example = "credential")]
    pub actor_type: String,
    #[schema(example = "cred_Zx5Tc7Vb1Mk3Jd9rQ2n8sLw0")]
    pub actor_id: String,
    /// The member's current role; null for a machine credential.
    pub role: Option<Role>,
}

/// Who the access token belongs to: partner, environment, member role or credential.
#[utoipa::path(
    operation_id = "getMe",
    tag = "auth",
    security(("partner_jwt" = [])),
    responses((status = 200, description = "The caller.", body = Me))
)]
#[get("/me")]
pub async fn me(caller: Caller) -> HttpResponse {
    let role = caller.role();
    HttpResponse::Ok()
        .content_type(ContentType::json())
        .json(Me {
            partner_id: caller.tenant.partner_id().to_string(),
            environment: caller.tenant.environment(),
            actor_type: caller.actor_type().into(),
            actor_id: caller.actor_id().into(),
            role,
        })
}

pub fn register(cfg: &mut utoipa_actix_web::service_config::ServiceConfig) {
    cfg.service(token).service(login).service(me);
}

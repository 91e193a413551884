//! Response headers every client can rely on:
//!
//! - `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset` on every answer to a partner
//!   bearer token (the per-credential or per-member limit, its remaining burst and the seconds
//!   until it is full again), 429 included. `auth::authenticate` leaves the numbers in the
//!   request's extensions; this middleware writes them.
//! - `ETag` on every successful `GET` under `/v1` (a hash of the body), and `304 Not
//!   Modified` without a body when `If-None-Match` names it, so catalogue and object reads can
//!   be revalidated cheaply.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderName, HeaderValue, ETAG, IF_NONE_MATCH};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::HttpMessage as _;
use sha2::{Digest, Sha256};

/// The rate-limit state of the caller, as of this request.
#[derive(Debug, Clone, Copy)]
pub struct RateLimitInfo {
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until the full limit is available again.
    pub reset_secs: u64,
}

impl RateLimitInfo {
    /// The state of a limit of `limit` requests per minute with `remaining` left.
    pub fn per_minute(limit: u32, remaining: u32) -> RateLimitInfo {
        let used = u64::from(limit.saturating_sub(remaining));
        RateLimitInfo {
            limit,
            remaining,
            reset_secs: (used * 60).div_ceil(u64::from(limit.max(1))),
        }
    }
}

/// The ETag of a body: a quoted, truncated SHA-256.
pub fn etag_of(body: &[u8]) -> String {
    let digest = Sha256::digest(body);
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    format!("\"{hex}\"")
}

/// Whether an `If-None-Match` value names `etag` (or is `*`); weak tags compare by value.
pub fn matches(if_none_match: &str, etag: &str) -> bool {
    if_none_match
        .split(',')
        .map(|t| t.trim().trim_start_matches("W/"))
        .any(|t| t == "*" || t == etag)
}

pub async fn headers<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let revalidate = req.method() == Method::GET && req.path().starts_with("/v1/");
    let if_none_match = req
        .headers()
        .get(IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let res = next.call(req).await?;
    let limit = res.request().extensions().get::<RateLimitInfo>().copied();
    let mut res = res.map_into_boxed_body();
    if let Some(info) = limit {
        let h = res.headers_mut();
        for (name, value) in [
            ("ratelimit-limit", info.limit.to_string()),
            ("ratelimit-remaining", info.remaining.to_string()),
            ("ratelimit-reset", info.reset_secs.to_string()),
        ] {
            if let Ok(v) = HeaderValue::from_str(&value) {
                h.insert(HeaderName::from_static(name), v);
            }
        }
    }
    if !revalidate || res.status() != StatusCode::OK {
        return Ok(res);
    }
    let (request, response) = res.into_parts();
    let (head, body) = response.into_parts();
    let bytes = actix_web::body::to_bytes(body)
        .await
        .map_err(|_| actix_web::error::ErrorInternalServerError("response body"))?;
    let etag = etag_of(&bytes);
    let mut response = if if_none_match.as_deref().is_some_and(|v| matches(v, &etag)) {
        let mut not_modified = head.set_body(BoxBody::new(()));
        *not_modified.status_mut() = StatusCode::NOT_MODIFIED;
        not_modified
            .headers_mut()
            .remove(actix_web::http::header::CONTENT_TYPE);
        not_modified
    } else {
        head.set_body(BoxBody::new(bytes))
    };
    if let Ok(v) = HeaderValue::from_str(&etag) {
        response.headers_mut().insert(ETAG, v);
    }
    Ok(ServiceResponse::new(request, response))
}

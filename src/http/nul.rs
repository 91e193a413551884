//! The NUL character (U+0000) never reaches the database: PostgreSQL refuses it in text
//! (a 500 before), SQLite would store it. A path holding one answers 404 (no id contains it),
//! a query string 400 `invalid_query`; JSON bodies are checked by the JSON extractor (422
//! `invalid_character` naming the field) and form bodies by their handler.

use actix_web::body::{EitherBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;

use crate::error::ApiError;

/// Whether raw (percent-encoded) URL text holds a NUL, encoded or not.
pub fn has_nul(raw: &str) -> bool {
    raw.contains('\0')
        || raw
            .as_bytes()
            .windows(3)
            .any(|w| w[0] == b'%' && w[1] == b'0' && w[2] == b'0')
}

/// Middleware: refuses paths and query strings that hold a NUL.
pub async fn refuse_nul<B: MessageBody + 'static>(
    req: ServiceRequest,
    next: Next<B>,
) -> Result<ServiceResponse<EitherBody<B>>, actix_web::Error> {
    let refused = if has_nul(req.uri().path()) {
        Some(ApiError::NotFound {
            code: "route_not_found",
            detail: "No resource matches this path; ids never contain the NUL character.".into(),
        })
    } else if req.uri().query().is_some_and(has_nul) {
        Some(ApiError::BadRequest {
            code: "invalid_query",
            detail: "The query string holds the NUL character (%00), which no parameter accepts; remove it.".into(),
        })
    } else {
        None
    };
    match refused {
        // Answered here, inside the request-id scope, like any other refusal.
        Some(e) => Ok(req.error_response(e).map_into_right_body()),
        None => Ok(next.call(req).await?.map_into_left_body()),
    }
}

#[cfg(test)]
mod tests {
    use super::has_nul;

    #[test]
    fn finds_encoded_and_raw_nul_only() {
        assert!(has_nul("/v1/orders/ord%00x"));
        assert!(has_nul("a=b%00"));
        assert!(has_nul("a\0b"));
        assert!(!has_nul("/v1/orders/ord_100x"));
        assert!(
            !has_nul("limit=100&cursor=x%2500"),
            "an encoded percent sign is not a NUL"
        );
    }
}

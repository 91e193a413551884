//! The one error type of the API, rendered as RFC 9457 `application/problem+json`.
//!
//! When to use what:
//! - `BadRequest`: the request cannot be read at all (malformed JSON, bad query string).
//! - `Validation`: the request was read but fields break rules; list every field in `errors`.
//! - `Unauthenticated` / `Forbidden`: no valid credential / the caller's role may not do this.
//! - `NotFound`: the object does not exist *or belongs to another tenant* (never say which).
//! - `Conflict`: the request clashes with current state (duplicate id, idempotency in flight).
//! - `Unprocessable`: a business rule refuses the request (insufficient funds, wrong state).
//! - `Internal`: a bug or an unexpected failure; the cause is logged, never sent.
//!
//! Every variant carries a stable, machine-readable `code` and a sentence a partner engineer
//! can act on. Bodies never contain secrets: do not put request values into `detail`.

use actix_web::http::header::{self, HeaderValue};
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::request_context;

pub const PROBLEM_CONTENT_TYPE: &str = "application/problem+json";

/// One field that failed validation.
#[derive(Debug, Clone, Serialize, ToSchema, PartialEq, Eq)]
pub struct FieldError {
    /// JSON path of the field, e.g. `items[0].package_id`; empty for the whole body.
    #[schema(example = "customer_reference")]
    pub field: String,
    /// Stable rule code, e.g. `required`, `too_long`, `unknown_field`.
    #[schema(example = "too_long")]
    pub code: String,
    /// What is wrong and how to fix it.
    #[schema(example = "must be at most 64 characters")]
    pub message: String,
}

impl FieldError {
    pub fn new(
        field: impl Into<String>,
        code: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        FieldError {
            field: field.into(),
            code: code.into(),
            message: message.into(),
        }
    }
}

/// RFC 9457 problem details, as every error of this API is answered.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the problem type: `urn:onyx:problem:<code>`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Short summary of the HTTP status.
    pub title: String,
    /// HTTP status code.
    pub status: u16,
    /// What happened and what to do about it.
    pub detail: String,
    /// Stable machine-readable error code; every code with its status and meaning is listed
    /// in `docs/errors.md` (`onyx error-codes`).
    pub code: String,
    /// The request id (also in the `x-request-id` response header); quote it to support.
    pub request_id: String,
    /// Field-level errors, present for validation failures.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("{detail}")]
    BadRequest { code: &'static str, detail: String },
    #[error("{detail}")]
    Validation {
        detail: String,
        errors: Vec<FieldError>,
    },
    #[error("{detail}")]
    Unauthenticated { code: &'static str, detail: String },
    #[error("{detail}")]
    Forbidden { code: &'static str, detail: String },
    #[error("{detail}")]
    NotFound { code: &'static str, detail: String },
    #[error("this route does not accept {method}")]
    MethodNotAllowed { method: String, allow: Vec<String> },
    #[error("{detail}")]
    Conflict { code: &'static str, detail: String },
    #[error("request body larger than {limit} bytes")]
    PayloadTooLarge { limit: usize },
    #[error("{detail}")]
    UnsupportedMediaType { detail: String },
    #[error("{detail}")]
    NotAcceptable { detail: String },
    #[error("{detail}")]
    Unprocessable { code: &'static str, detail: String },
    #[error("too many requests; retry after {retry_after_secs} s")]
    RateLimited { retry_after_secs: u64 },
    #[error("{detail}")]
    Unavailable { code: &'static str, detail: String },
    /// The message is logged, never returned.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    pub fn not_found(what: &str) -> Self {
        ApiError::NotFound {
            code: "not_found",
            detail: format!("No {what} with this id exists for your account and environment."),
        }
    }

    pub fn validation(errors: Vec<FieldError>) -> Self {
        let detail = match errors.as_slice() {
            [one] if one.field.is_empty() => {
                format!("The request body is invalid: {}.", one.message)
            }
            [one] => format!("Field `{}` is invalid: {}.", one.field, one.message),
            _ => format!(
                "{} fields are invalid; see `errors` for each field and rule.",
                errors.len()
            ),
        };
        ApiError::Validation { detail, errors }
    }

    pub fn internal(cause: impl std::fmt::Display) -> Self {
        ApiError::Internal(cause.to_string())
    }

    /// The stable machine-readable code.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest { code, .. }
            | ApiError::Unauthenticated { code, .. }
            | ApiError::Forbidden { code, .. }
            | ApiError::NotFound { code, .. }
            | ApiError::Conflict { code, .. }
            | ApiError::Unprocessable { code, .. }
            | ApiError::Unavailable { code, .. } => code,
            ApiError::Validation { .. } => "validation_failed",
            ApiError::MethodNotAllowed { .. } => "method_not_allowed",
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::UnsupportedMediaType { .. } => "unsupported_media_type",
            ApiError::NotAcceptable { .. } => "not_acceptable",
            ApiError::RateLimited { .. } => "rate_limited",
            ApiError::Internal(_) => "internal_error",
        }
    }

    fn detail(&self) -> String {
        match self {
            ApiError::MethodNotAllowed { method, allow } => format!(
                "This route does not accept {method}; use one of: {}.",
                allow.join(", ")
            ),
            ApiError::PayloadTooLarge { limit } => format!(
                "The request body is larger than the {limit}-byte limit; send a smaller body."
            ),
            ApiError::RateLimited { retry_after_secs } => format!(
                "Too many requests; wait {retry_after_secs} s (see Retry-After) before trying again."
            ),
            ApiError::Internal(_) => "Something went wrong on our side. Retry later; if it keeps happening, contact Onyx support with the request id.".into(),
            other => other.to_string(),
        }
    }

    fn field_errors(&self) -> Vec<FieldError> {
        match self {
            ApiError::Validation { errors, .. } => errors.clone(),
            _ => Vec::new(),
        }
    }

    /// The problem body for this error, with the current request id.
    pub fn problem(&self) -> Problem {
        let status = self.status_code();
        Problem {
            kind: format!("urn:onyx:problem:{}", self.code()),
            title: status.canonical_reason().unwrap_or("Error").to_string(),
            status: status.as_u16(),
            detail: self.detail(),
            code: self.code().to_string(),
            request_id: request_context::current().unwrap_or_default(),
            errors: self.field_errors(),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::Validation { .. } | ApiError::Unprocessable { .. } => {
                StatusCode::UNPROCESSABLE_ENTITY
            }
            ApiError::Unauthenticated { .. } => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden { .. } => StatusCode::FORBIDDEN,
            ApiError::NotFound { .. } => StatusCode::NOT_FOUND,
            ApiError::MethodNotAllowed { .. } => StatusCode::METHOD_NOT_ALLOWED,
            ApiError::Conflict { .. } => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::UnsupportedMediaType { .. } => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            ApiError::NotAcceptable { .. } => StatusCode::NOT_ACCEPTABLE,
            ApiError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
            ApiError::Unavailable { .. } => StatusCode::SERVICE_UNAVAILABLE,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Internal(cause) => {
                tracing::error!(code = "internal_error", %cause, "request failed")
            }
            other => tracing::info!(
                code = other.code(),
                status = other.status_code().as_u16(),
                "request refused"
            ),
        }
        let mut resp = HttpResponse::build(self.status_code());
        resp.insert_header((header::CONTENT_TYPE, PROBLEM_CONTENT_TYPE));
        resp.insert_header((header::CACHE_CONTROL, "no-store"));
        match self {
            ApiError::MethodNotAllowed { allow, .. } => {
                if let Ok(v) = HeaderValue::from_str(&allow.join(", ")) {
                    resp.insert_header((header::ALLOW, v));
                }
            }
            ApiError::RateLimited { retry_after_secs } => {
                resp.insert_header((header::RETRY_AFTER, retry_after_secs.to_string()));
            }
            ApiError::Unauthenticated { .. } => {
                resp.insert_header((header::WWW_AUTHENTICATE, "Bearer"));
            }
            _ => {}
        }
        let body = serde_json::to_vec(&self.problem()).unwrap_or_default();
        resp.body(body)
    }
}

impl From<diesel::result::Error> for ApiError {
    /// A serialization failure is a lost race the caller resolves by retrying (409). Every
    /// other database error, a unique-index violation included, is a server fault (500 with a
    /// log line): where a duplicate means a client conflict, the call site says so with
    /// [`ApiError::conflict_on_unique`] or its own code.
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => {
                tracing::info!(error = %e, "concurrent change refused");
                concurrent_change()
            }
            other => ApiError::Internal(format!("database: {other}")),
        }
    }
}

fn concurrent_change() -> ApiError {
    ApiError::Conflict {
        code: "concurrent_change",
        detail: "Another request changed the same data at the same moment; read the current state and retry.".into(),
    }
}

impl ApiError {
    /// For a write where two callers racing to create the same thing is the clients' conflict
    /// (two operators approving one package at once): a unique-index violation answers 409
    /// `concurrent_change`; anything else converts as usual.
    pub fn conflict_on_unique(e: diesel::result::Error) -> ApiError {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                tracing::info!(error = %e, "concurrent creation refused");
                concurrent_change()
            }
            other => other.into(),
        }
    }

    /// Turns "no such row" into the caller's own refusal (`package_not_found` for an order
    /// item, say), keeping every other error (a lost database connection is a server fault,
    /// never a client's mistake).
    pub fn when_missing(self, refusal: impl FnOnce() -> ApiError) -> ApiError {
        match self {
            ApiError::NotFound { .. } => refusal(),
            other => other,
        }
    }
}

impl From<diesel::r2d2::PoolError> for ApiError {
    fn from(e: diesel::r2d2::PoolError) -> Self {
        tracing::warn!(error = %e, "database pool unavailable");
        ApiError::Unavailable {
            code: "database_unavailable",
            detail: "The service cannot reach its database right now; retry in a few seconds."
                .into(),
        }
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        ApiError::Internal(format!("blocking task: {e}"))
    }
}

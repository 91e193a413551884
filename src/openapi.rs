//! The OpenAPI 3.1 document: base information and security schemes here, paths collected
//! from the registered handlers (`app::register`), then the responses every operation can
//! produce added by `finish`, so no handler has to repeat them.

use utoipa::openapi::path::Operation;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr};
use utoipa::{Modify, OpenApi as _};

use crate::error::{FieldError, Problem, PROBLEM_CONTENT_TYPE};

/// Security scheme names used in `#[utoipa::path(security(...))]`.
pub const PARTNER_JWT: &str = "partner_jwt";
pub const OPERATOR_TOKEN: &str = "operator_token";

#[derive(utoipa::OpenApi)]
#[openapi(
    info(
        title = "Onyx Partner API",
        version = "1.0.0",
        description = "Sell Onyx eSIM connectivity from your own backend: browse the approved \
catalogue, create orders, follow provisioning, fetch activation materials, pay from a prepaid \
wallet and receive signed webhooks.\n\n\
**Errors** are RFC 9457 `application/problem+json` bodies with a stable `code`, a `detail` \
sentence you can act on, field-level `errors` for validation failures, and the `request_id` \
(also sent as the `x-request-id` header on every response; send your own to correlate).\n\n\
**Bodies** are JSON (`Content-Type: application/json`), at most 64 KiB by default; unknown \
fields are refused. Timestamps are RFC 3339 UTC; ids are prefixed strings (`ord_...`); money \
is an integer count of minor units with an ISO 4217 currency.\n\n\
**Environments**: every partner has `sandbox` and `live`; a credential belongs to one, and \
objects of the other environment or of another partner answer 404."
    ),
    modifiers(&SecuritySchemes),
    components(schemas(Problem, FieldError)),
    tags(
        (name = "operations", description = "Liveness, readiness, metrics and this document."),
    )
)]
pub struct ApiDoc;

struct SecuritySchemes;

impl Modify for SecuritySchemes {
    fn modify(&self, doc: &mut OpenApi) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            PARTNER_JWT,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some(
                        "Access token from `POST /v1/oauth/token` (machine credential) or \
                         `POST /v1/auth/login` (team member).",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            OPERATOR_TOKEN,
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .description(Some(
                        "Onyx operator token (`ONYX_ADMIN_TOKEN`), for `/v1/admin` only.",
                    ))
                    .build(),
            ),
        );
    }
}

/// Reusable error responses: (component name, status, description, example code, detail).
const COMMON: &[(&str, &str, &str, &str, &str)] = &[
    ("BadRequest", "400", "The request cannot be read (malformed JSON, bad query string).", "malformed_json", "The request body is not valid JSON (line 1, column 9): expected value. Send a JSON object."),
    ("Unauthenticated", "401", "Missing, invalid or expired credentials.", "unauthenticated", "Send `Authorization: Bearer <token>` with a valid access token."),
    ("Forbidden", "403", "Your role may not do this.", "forbidden", "Your role does not allow this action."),
    ("Conflict", "409", "The request conflicts with the current state, or with a concurrent change (`concurrent_change`: read again and retry).", "concurrent_change", "Another request changed the same data at the same moment; read the current state and retry."),
    ("PayloadTooLarge", "413", "The body is larger than the limit.", "payload_too_large", "The request body is larger than the 65536-byte limit; send a smaller body."),
    ("UnsupportedMediaType", "415", "The body is not JSON.", "unsupported_media_type", "This endpoint takes a JSON body; send `Content-Type: application/json`."),
    ("ValidationFailed", "422", "Fields break the rules; `errors` names each field and rule.", "validation_failed", "Field `customer_reference` is invalid: must be at most 64 characters."),
    ("RateLimited", "429", "Too many requests; see `Retry-After`.", "rate_limited", "Too many requests; wait 30 s (see Retry-After) before trying again."),
    ("InternalError", "500", "An unexpected failure on Onyx's side; quote the request id to support.", "internal_error", "Something went wrong on our side. Retry later; if it keeps happening, contact Onyx support with the request id."),
    ("ServiceUnavailable", "503", "The database is unreachable; retry shortly.", "database_unavailable", "The service cannot reach its database right now; retry in a few seconds."),
];

fn problem_response(description: &str, code: &str, detail: &str, status: &str) -> Response {
    let example = serde_json::json!({
        "type": format!("urn:onyx:problem:{code}"),
        "title": actix_web::http::StatusCode::from_bytes(status.as_bytes())
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("Error"),
        "status": status.parse::<u16>().unwrap_or(500),
        "detail": detail,
        "code": code,
        "request_id": "req_9f2c1d0b7a6e4c3f"
    });
    ResponseBuilder::new()
        .description(description)
        .content(
            PROBLEM_CONTENT_TYPE,
            ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("Problem")))
                .example(Some(example))
                .build(),
        )
        .build()
}

fn add(op: &mut Operation, status: &str) {
    let name = COMMON
        .iter()
        .find(|c| c.1 == status)
        .map(|c| c.0)
        .expect("known common status");
    op.responses
        .responses
        .entry(status.to_string())
        .or_insert_with(|| RefOr::Ref(Ref::from_response_name(name)));
}

/// Adds the shared error responses to every operation, by what the operation does.
pub fn finish(mut doc: OpenApi) -> OpenApi {
    let components = doc.components.get_or_insert_with(Default::default);
    for (name, status, description, code, detail) in COMMON {
        components.responses.insert(
            name.to_string(),
            RefOr::T(problem_response(description, code, detail, status)),
        );
    }
    for (path, item) in doc.paths.paths.iter_mut() {
        let in_v1 = path.starts_with("/v1/") && path != "/v1/openapi.json";
        for (is_read, op) in [
            (true, &mut item.get),
            (false, &mut item.post),
            (false, &mut item.put),
            (false, &mut item.patch),
            (false, &mut item.delete),
        ]
        .into_iter()
        .filter_map(|(read, op)| op.as_mut().map(|o| (read, o)))
        {
            add(op, "500");
            if in_v1 {
                add(op, "503");
            }
            if op.request_body.is_some() {
                for s in ["400", "413", "415", "422"] {
                    add(op, s);
                }
            }
            if in_v1 && !is_read {
                // Writes can meet a concurrent change of the same data.
                add(op, "409");
            }
            use utoipa::openapi::path::ParameterIn;
            let has = |place: fn(&ParameterIn) -> bool| {
                op.parameters
                    .as_ref()
                    .is_some_and(|ps| ps.iter().any(|p| place(&p.parameter_in)))
            };
            let (query, header) = (
                has(|p| matches!(p, ParameterIn::Query)),
                has(|p| matches!(p, ParameterIn::Header)),
            );
            if query {
                // 400 for a query string that cannot be read, 422 for values out of range.
                add(op, "400");
                add(op, "422");
            }
            if header {
                // 400 for a header value that breaks its format (e.g. Idempotency-Key).
                add(op, "400");
            }
            let idempotent = op
                .parameters
                .as_ref()
                .is_some_and(|ps| ps.iter().any(|p| p.name == "Idempotency-Key"));
            if idempotent {
                // 422 `idempotency_key_reused`: the key was used for another request.
                add(op, "422");
            }
            if op.security.as_ref().is_some_and(|s| !s.is_empty()) {
                for s in ["401", "403", "429"] {
                    add(op, s);
                }
            }
        }
    }
    doc
}

/// The base document before paths are collected.
pub fn base() -> OpenApi {
    ApiDoc::openapi()
}

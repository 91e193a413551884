//! The OpenAPI 3.1 document: base information and security schemes here, paths collected
//! from the registered handlers (`app::register`), then the responses every operation can
//! produce added by `finish`, so no handler has to repeat them.
//!
//! The request schemas state every rule the server checks (lengths, ranges, patterns, the
//! values of a list), so that a request valid by this document is never refused as invalid
//! (Schemathesis' `positive_data_acceptance` runs in CI) and an invalid one is never accepted.
//! Most rules are attributes next to the fields; `finish` adds what attributes cannot say:
//! no string may hold U+0000, optional bodies are objects that may be left out, and the
//! rules that tie one field to another (`if`/`then` of JSON Schema 2020-12).

use std::collections::BTreeSet;

use utoipa::openapi::example::ExampleBuilder;
use utoipa::openapi::path::Operation;
use utoipa::openapi::request_body::RequestBody;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::SchemaFormat;
use utoipa::openapi::schema::{
    AdditionalProperties, ArrayItems, Object, ObjectBuilder, Schema, SchemaType, Type,
};
use utoipa::openapi::security::{
    ClientCredentials, Flow, HttpAuthScheme, HttpBuilder, OAuth2, Scopes, SecurityRequirement,
    SecurityScheme,
};
use utoipa::openapi::server::ServerBuilder;
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Required};
use utoipa::{Modify, OpenApi as _};

use crate::error::{FieldError, Problem, PROBLEM_CONTENT_TYPE};

/// Security scheme names used in `#[utoipa::path(security(...))]`.
pub const PARTNER_JWT: &str = "partner_jwt";
pub const OPERATOR_TOKEN: &str = "operator_token";
/// The OAuth 2.0 client-credentials flow of `POST /v1/oauth/token`: an alternative to
/// [`PARTNER_JWT`] on every partner operation, so tools can fetch the token themselves.
pub const PARTNER_OAUTH: &str = "partner_oauth";

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
        (name = "auth", description = "Access tokens for machine credentials (OAuth 2.0 client credentials) and team members."),
        (name = "catalogue", description = "The packages approved for you."),
        (name = "orders", description = "Orders: activations, top-ups, swaps and cancellations; follow them to completion."),
        (name = "services", description = "Subscriptions (eSIM services) and their usage."),
        (name = "activation", description = "Activation materials, QR codes, install guidance and recovery."),
        (name = "sandbox", description = "Sandbox helpers that simulate what a customer or the network does (sandbox credentials only)."),
        (name = "webhooks", description = "Webhook endpoints, events, replays and deliveries. The event types and their payloads are in this document's `webhooks` section."),
        (name = "money", description = "Prepaid wallet, ledger, refunds, invoices and reconciliation."),
        (name = "credentials", description = "Machine credentials (client id and secret)."),
        (name = "team", description = "Team members and invitations."),
        (name = "support", description = "Support cases."),
        (name = "readiness", description = "The production-readiness checklist and the request for live access."),
        (name = "audit", description = "Your organisation's audit log."),
        (name = "operator", description = "**Operator only**: Onyx staff routes under `/v1/admin`, authenticated with the operator token (`ONYX_ADMIN_TOKEN`). Partners cannot call them; the partner document (`onyx openapi --partner`, committed as `openapi/partner.json`) leaves them out, and it is the one to generate clients from."),
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
                         `POST /v1/auth/login` (team member): send \
                         `Authorization: Bearer <access_token>`.",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            PARTNER_OAUTH,
            SecurityScheme::OAuth2(OAuth2::with_description(
                [Flow::ClientCredentials(ClientCredentials::new(
                    "/v1/oauth/token",
                    Scopes::new(),
                ))],
                "OAuth 2.0 client credentials: exchange a machine credential's `client_id` and \
                 `client_secret` (in the body or as HTTP Basic) at `POST /v1/oauth/token` for an \
                 access token, then send it as a bearer token. The same token as `partner_jwt`.",
            )),
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

/// Adds the shared error responses to every operation, by what the operation does, and the
/// request rules attributes cannot state. `cross_field` pairs a component schema with the
/// rules tying its fields together, stated by its area.
pub fn finish(mut doc: OpenApi, cross_field: Vec<(&str, serde_json::Value)>) -> OpenApi {
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
    // An operation without credentials says so (`security: []`), so it reads as public on
    // purpose rather than forgotten.
    for op in operations(&mut doc) {
        op.security.get_or_insert_with(Vec::new);
    }
    response_headers(&mut doc);
    problem_examples(&mut doc);
    binary_content(&mut doc);
    oauth_alternative(&mut doc);
    doc.servers = Some(vec![ServerBuilder::new()
        .url("/")
        .description(Some(
            "The service that serves this document (sandbox and live share it: the credential \
             chooses the environment).",
        ))
        .build()]);
    optional_bodies(&mut doc);
    cross_field_rules(&mut doc, cross_field);
    no_nul_in_requests(&mut doc);
    doc
}

/// The code an error response without a code in its description answers with, by status.
fn generic_code(status: &str) -> Option<&'static str> {
    Some(match status {
        "400" => "bad_request",
        "401" => "unauthenticated",
        "403" => "forbidden",
        "404" => "not_found",
        "406" => "not_acceptable",
        "409" => "concurrent_change",
        "422" => "validation_failed",
        "429" => "rate_limited",
        "500" => "internal_error",
        "503" => "database_unavailable",
        _ => return None,
    })
}

/// A problem body of `code` answered with `status`, as an example.
fn problem_example(code: &str, status: u16, detail: &str) -> serde_json::Value {
    serde_json::json!({
        "type": format!("urn:onyx:problem:{code}"),
        "title": actix_web::http::StatusCode::from_u16(status)
            .ok()
            .and_then(|s| s.canonical_reason())
            .unwrap_or("Error"),
        "status": status,
        "detail": detail,
        "code": code,
        "request_id": "req_9f2c1d0b7a6e4c3f"
    })
}

/// Every problem response an operation states itself gets examples of its real codes: the
/// codes its description names (`` `code` ``) that are answered with its status
/// (`problem_codes`), or the generic code of the status. An example never shows another
/// status than the response's.
fn problem_examples(doc: &mut OpenApi) {
    let code_re = regex::Regex::new(r"`([a-z_]+)`").expect("valid pattern");
    for op in operations(doc) {
        for (status, response) in op.responses.responses.iter_mut() {
            let RefOr::T(response) = response else {
                continue;
            };
            let Some(content) = response.content.get_mut(PROBLEM_CONTENT_TYPE) else {
                continue;
            };
            if content.example.is_some() || !content.examples.is_empty() {
                continue;
            }
            // A problem with members of its own (`PartnerChoiceRequired`, ...) shows the
            // example of its schema.
            let plain = matches!(&content.schema, Some(RefOr::Ref(r))
                if r.ref_location == "#/components/schemas/Problem");
            if !plain {
                continue;
            }
            let Ok(number) = status.parse::<u16>() else {
                continue;
            };
            let mut codes: Vec<&crate::problem_codes::ProblemCode> = Vec::new();
            for found in code_re.captures_iter(&response.description) {
                if let Some(c) = crate::problem_codes::problem_code(&found[1], number) {
                    if !codes.iter().any(|k| k.code == c.code) {
                        codes.push(c);
                    }
                }
            }
            if codes.is_empty() {
                if let Some(c) =
                    generic_code(status).and_then(|c| crate::problem_codes::problem_code(c, number))
                {
                    codes.push(c);
                }
            }
            if let [only] = codes.as_slice() {
                content.example = Some(problem_example(only.code, number, only.meaning));
            } else {
                for c in codes {
                    content.examples.insert(
                        c.code.to_string(),
                        RefOr::T(
                            ExampleBuilder::new()
                                .summary(c.code)
                                .value(Some(problem_example(c.code, number, c.meaning)))
                                .build(),
                        ),
                    );
                }
            }
        }
    }
}

/// Images and PDF documents are binary strings (`format: binary`), so generated clients
/// return bytes (or a file) instead of reading them as JSON.
fn binary_content(doc: &mut OpenApi) {
    for op in operations(doc) {
        for response in op.responses.responses.values_mut() {
            let RefOr::T(response) = response else {
                continue;
            };
            for (media_type, content) in response.content.iter_mut() {
                if media_type.starts_with("image/png") || media_type == "application/pdf" {
                    content.schema = Some(RefOr::T(Schema::Object(
                        ObjectBuilder::new()
                            .schema_type(Type::String)
                            .format(Some(SchemaFormat::Custom("binary".into())))
                            .content_media_type(media_type.clone())
                            .build(),
                    )));
                }
            }
        }
    }
}

fn header(description: &str, integer: bool) -> utoipa::openapi::header::Header {
    let kind = if integer { Type::Integer } else { Type::String };
    let mut h = utoipa::openapi::header::Header::new(ObjectBuilder::new().schema_type(kind));
    h.description = Some(description.to_string());
    h
}

/// `RateLimit-*` on every answer of an operation a partner token opens (`http::caching`),
/// and `ETag` / `If-None-Match` / 304 on the reads under `/v1`.
fn response_headers(doc: &mut OpenApi) {
    use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
    let jwt = SecurityRequirement::new(PARTNER_JWT, Vec::<String>::new());
    for (path, item) in doc.paths.paths.iter_mut() {
        let revalidated = path.starts_with("/v1/");
        for (is_get, op) in [
            (true, &mut item.get),
            (false, &mut item.post),
            (false, &mut item.put),
            (false, &mut item.patch),
            (false, &mut item.delete),
        ]
        .into_iter()
        .filter_map(|(get, op)| op.as_mut().map(|o| (get, o)))
        {
            let limited = op.security.as_ref().is_some_and(|s| s.contains(&jwt));
            for (status, response) in op.responses.responses.iter_mut() {
                let RefOr::T(response) = response else {
                    continue;
                };
                if limited {
                    for (name, text) in [
                        (
                            "RateLimit-Limit",
                            "Requests per minute allowed for this credential or member.",
                        ),
                        (
                            "RateLimit-Remaining",
                            "Requests left in the current window.",
                        ),
                        (
                            "RateLimit-Reset",
                            "Seconds until the full limit is available again.",
                        ),
                    ] {
                        response.headers.insert(name.into(), header(text, true));
                    }
                }
                if is_get && revalidated && status == "200" {
                    response.headers.insert(
                        "ETag".into(),
                        header(
                            "A tag of this representation; send it as `If-None-Match` to get 304 while it is unchanged.",
                            false,
                        ),
                    );
                }
            }
            if is_get && revalidated {
                op.parameters.get_or_insert_with(Vec::new).push(
                    ParameterBuilder::new()
                        .name("If-None-Match")
                        .parameter_in(ParameterIn::Header)
                        .required(Required::False)
                        .description(Some(
                            "An `ETag` from an earlier answer: 304 without a body while the \
                             representation is unchanged.",
                        ))
                        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                        .build(),
                );
                op.responses.responses.insert(
                    "304".into(),
                    RefOr::T(
                        ResponseBuilder::new()
                            .description("Not modified: the `If-None-Match` tag is current.")
                            .header("ETag", header("The current tag (the one sent).", false))
                            .build(),
                    ),
                );
            }
        }
    }
}

/// Every operation a partner bearer token opens may also name the OAuth 2.0 flow that issues
/// it (one of the two suffices), so Swagger UI's Authorize and generated clients can fetch
/// the token from a client id and secret.
fn oauth_alternative(doc: &mut OpenApi) {
    let jwt = SecurityRequirement::new(PARTNER_JWT, Vec::<String>::new());
    let oauth = SecurityRequirement::new(PARTNER_OAUTH, Vec::<String>::new());
    for op in operations(doc) {
        if let Some(security) = op.security.as_mut() {
            if security.contains(&jwt) && !security.contains(&oauth) {
                security.push(oauth.clone());
            }
        }
    }
}

/// The pattern of a string that holds no U+0000: the server refuses that character in every
/// string (body, query, path), before any database sees it (`http::json`, `http::nul`).
const NO_NUL: &str = "^[^\\u0000]*$";

/// Declares a schema-only string type whose values are a list the server checks against
/// (`listed_strings!(/// doc, Name, LIST)`), to name in `#[schema(value_type = Name)]`.
macro_rules! listed_strings {
    ($(#[doc = $doc:literal])* $name:ident, $list:expr) => {
        $(#[doc = $doc])*
        pub struct $name;

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .description(Some(concat!($($doc, "\n"),*).trim()))
                    .enum_values(Some($list.iter().copied()))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($name))
            }
        }
    };
}
pub(crate) use listed_strings;

/// `metadata` of an order: up to 20 keys of 1 to 40 characters, string values of at most 500
/// characters (`orders::checks`).
pub fn order_metadata() -> Object {
    let text = |max: usize| {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .max_length(Some(max))
            .build()
    };
    let mut keys = text(40);
    keys.min_length = Some(1);
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Object, Type::Null]))
        .description(Some(
            "Your own key-value pairs: up to 20 keys of 1 to 40 characters, each value a string \
             of at most 500 characters.",
        ))
        .max_properties(Some(20))
        .property_names(Some(keys))
        .additional_properties(Some(RefOr::T(Schema::Object(text(500)))))
        .build()
}

/// The operations of `doc`, mutably.
fn operations(doc: &mut OpenApi) -> impl Iterator<Item = &mut Operation> {
    doc.paths.paths.values_mut().flat_map(|item| {
        [
            &mut item.get,
            &mut item.post,
            &mut item.put,
            &mut item.patch,
            &mut item.delete,
        ]
        .into_iter()
        .filter_map(|op| op.as_mut())
    })
}

/// A body the server reads as "absent when empty" (`http::json::OptionalJson`) is an object
/// that may be left out, not an object-or-`null` (a JSON `null` body is refused).
fn optional_bodies(doc: &mut OpenApi) {
    for op in operations(doc) {
        let Some(body) = op.request_body.as_mut() else {
            continue;
        };
        let mut optional = false;
        for content in body.content.values_mut() {
            let Some(RefOr::T(Schema::OneOf(one_of))) = &content.schema else {
                continue;
            };
            let (nulls, others): (Vec<_>, Vec<_>) =
                one_of.items.iter().cloned().partition(is_null_schema);
            if nulls.len() == 1 && others.len() == 1 {
                content.schema = others.into_iter().next();
                optional = true;
            }
        }
        if optional {
            body.required = Some(Required::False);
        }
    }
}

fn is_null_schema(schema: &RefOr<Schema>) -> bool {
    matches!(schema, RefOr::T(Schema::Object(o)) if o.schema_type == SchemaType::Type(Type::Null))
}

/// Adds rules that tie one field to another (JSON Schema `if`/`then` under `allOf`) to the
/// component schemas they name. Each area states its rules next to the checks they mirror.
fn cross_field_rules(doc: &mut OpenApi, rules: Vec<(&str, serde_json::Value)>) {
    let schemas = &mut doc.components.get_or_insert_with(Default::default).schemas;
    for (name, rules) in rules {
        match schemas.get_mut(name) {
            Some(RefOr::T(Schema::Object(object))) => {
                object
                    .extensions
                    .get_or_insert_with(Default::default)
                    .insert("allOf".into(), rules);
            }
            _ => panic!("cross-field rules name `{name}`, which is no object schema"),
        }
    }
}

/// Adds [`NO_NUL`] to every string a request can carry that has no pattern, format or list
/// of values of its own (those exclude U+0000 already). An object that admits other members
/// than its properties (the OAuth token request ignores unknown parameters) admits them
/// without U+0000 in any key or string inside ([`JSON_WITHOUT_NUL`]).
fn no_nul_in_requests(doc: &mut OpenApi) {
    let mut referenced = Vec::new();
    for op in operations(doc) {
        for parameter in op.parameters.iter_mut().flatten() {
            if let Some(schema) = parameter.schema.as_mut() {
                forbid_nul(schema, &mut referenced);
            }
        }
        if let Some(RequestBody { content, .. }) = op.request_body.as_mut() {
            for schema in content.values_mut().filter_map(|c| c.schema.as_mut()) {
                forbid_nul(schema, &mut referenced);
            }
        }
    }
    let schemas = &mut doc.components.get_or_insert_with(Default::default).schemas;
    schemas.insert(JSON_WITHOUT_NUL.to_string(), json_without_nul());
    let mut done = BTreeSet::new();
    while let Some(name) = referenced.pop() {
        if !done.insert(name.clone()) {
            continue;
        }
        if let Some(schema) = schemas.get_mut(&name) {
            forbid_nul(schema, &mut referenced);
        }
    }
}

/// The component of any JSON value without U+0000 in a key or string.
const JSON_WITHOUT_NUL: &str = "JsonWithoutNul";

fn no_nul_text() -> ObjectBuilder {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .pattern(Some(NO_NUL))
}

/// Two levels, not a recursive schema: client generators (openapi-python-client) cannot
/// read a union that refers to itself, and dropped the token endpoint whose request admits
/// such members.
fn json_without_nul() -> RefOr<Schema> {
    use utoipa::openapi::schema::{AnyOfBuilder, ArrayBuilder};
    let scalars = || {
        AnyOfBuilder::new()
            .item(ObjectBuilder::new().schema_type(Type::Null))
            .item(ObjectBuilder::new().schema_type(Type::Boolean))
            .item(ObjectBuilder::new().schema_type(Type::Number))
            .item(no_nul_text())
    };
    scalars()
        .description(Some(
            "A JSON scalar in which no string holds U+0000, or an array or object of such \
             scalars.",
        ))
        .item(ArrayBuilder::new().items(scalars()))
        .item(
            ObjectBuilder::new()
                .schema_type(Type::Object)
                .property_names(Some(no_nul_text()))
                .additional_properties(Some(RefOr::T(Schema::AnyOf(scalars().build())))),
        )
        .into()
}

fn forbid_nul(schema: &mut RefOr<Schema>, referenced: &mut Vec<String>) {
    match schema {
        RefOr::Ref(r) => {
            if let Some(name) = r.ref_location.strip_prefix("#/components/schemas/") {
                referenced.push(name.to_string());
            }
        }
        RefOr::T(schema) => forbid_nul_in(schema, referenced),
    }
}

fn forbid_nul_in(schema: &mut Schema, referenced: &mut Vec<String>) {
    match schema {
        Schema::Object(object) => {
            let is_string = match &object.schema_type {
                SchemaType::Type(t) => *t == Type::String,
                SchemaType::Array(types) => types.contains(&Type::String),
                SchemaType::AnyValue => false,
            };
            if is_string
                && object.pattern.is_none()
                && object.format.is_none()
                && object.enum_values.is_none()
            {
                object.pattern = Some(NO_NUL.to_string());
            }
            let is_object = object.schema_type == SchemaType::Type(Type::Object);
            if is_object && !object.properties.is_empty() && object.additional_properties.is_none()
            {
                object.property_names = Some(Box::new(no_nul_text().into()));
                object.additional_properties =
                    Some(Box::new(Ref::from_schema_name(JSON_WITHOUT_NUL).into()));
            }
            for property in object.properties.values_mut() {
                forbid_nul(property, referenced);
            }
            if let Some(AdditionalProperties::RefOr(schema)) =
                object.additional_properties.as_deref_mut()
            {
                forbid_nul(schema, referenced);
            }
            if let Some(names) = object.property_names.as_deref_mut() {
                forbid_nul_in(names, referenced);
            }
        }
        Schema::Array(array) => {
            if let ArrayItems::RefOrSchema(items) = &mut array.items {
                forbid_nul(items, referenced);
            }
        }
        Schema::OneOf(one_of) => one_of
            .items
            .iter_mut()
            .for_each(|s| forbid_nul(s, referenced)),
        Schema::AllOf(all_of) => all_of
            .items
            .iter_mut()
            .for_each(|s| forbid_nul(s, referenced)),
        Schema::AnyOf(any_of) => any_of
            .items
            .iter_mut()
            .for_each(|s| forbid_nul(s, referenced)),
        _ => {}
    }
}

/// The base document before paths are collected.
pub fn base() -> OpenApi {
    let mut doc = ApiDoc::openapi();
    // One version: the crate's (CHANGELOG.md), also answered by /healthz.
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    doc
}

/// The partner document: `doc` without the operator routes (`/v1/admin`, tag `operator`),
/// the operator security scheme and the components only they use. Partners generate clients
/// from this one (`onyx openapi --partner`, committed as `openapi/partner.json`).
pub fn partner_document(doc: &OpenApi) -> serde_json::Value {
    use serde_json::Value;
    let mut value = serde_json::to_value(doc).expect("the OpenAPI document renders as JSON");
    if let Some(paths) = value.get_mut("paths").and_then(Value::as_object_mut) {
        paths.retain(|path, _| !path.starts_with("/v1/admin"));
    }
    if let Some(tags) = value.get_mut("tags").and_then(Value::as_array_mut) {
        tags.retain(|t| t.get("name").and_then(Value::as_str) != Some("operator"));
    }
    if let Some(schemes) = value
        .pointer_mut("/components/securitySchemes")
        .and_then(Value::as_object_mut)
    {
        schemes.remove(OPERATOR_TOKEN);
    }
    // Keep only the components reachable from the paths and webhooks.
    let mut used = BTreeSet::new();
    let mut pending = Vec::new();
    collect_refs(value.get("paths"), &mut pending);
    collect_refs(value.get("webhooks"), &mut pending);
    while let Some(reference) = pending.pop() {
        if !used.insert(reference.clone()) {
            continue;
        }
        let pointer = reference.trim_start_matches('#').to_string();
        let target = value.pointer(&pointer).cloned();
        collect_refs(target.as_ref(), &mut pending);
    }
    if let Some(components) = value.get_mut("components").and_then(Value::as_object_mut) {
        for (kind, entries) in components.iter_mut() {
            if kind == "securitySchemes" {
                continue;
            }
            if let Some(entries) = entries.as_object_mut() {
                entries.retain(|name, _| used.contains(&format!("#/components/{kind}/{name}")));
            }
        }
    }
    if let Some(info) = value.get_mut("info").and_then(Value::as_object_mut) {
        if let Some(Value::String(d)) = info.get_mut("description") {
            d.push_str(
                "\n\n**This is the partner document**: every operation a partner can call, \
                 without Onyx's operator routes.",
            );
        }
    }
    value
}

fn collect_refs(value: Option<&serde_json::Value>, out: &mut Vec<String>) {
    use serde_json::Value;
    match value {
        Some(Value::Object(map)) => {
            for (key, v) in map {
                match (key.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r.clone()),
                    _ => collect_refs(Some(v), out),
                }
            }
        }
        Some(Value::Array(items)) => items.iter().for_each(|v| collect_refs(Some(v), out)),
        _ => {}
    }
}

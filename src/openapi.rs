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

use utoipa::openapi::path::Operation;
use utoipa::openapi::request_body::RequestBody;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{
    AdditionalProperties, ArrayItems, Object, ObjectBuilder, Schema, SchemaType, Type,
};
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, Required};
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
    optional_bodies(&mut doc);
    cross_field_rules(&mut doc, cross_field);
    no_nul_in_requests(&mut doc);
    doc
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

fn json_without_nul() -> RefOr<Schema> {
    use utoipa::openapi::schema::{AnyOfBuilder, ArrayBuilder};
    let itself = || Ref::from_schema_name(JSON_WITHOUT_NUL);
    AnyOfBuilder::new()
        .description(Some(
            "Any JSON value in which no key or string holds U+0000.",
        ))
        .item(ObjectBuilder::new().schema_type(SchemaType::from_iter([
            Type::Null,
            Type::Boolean,
            Type::Number,
        ])))
        .item(no_nul_text())
        .item(ArrayBuilder::new().items(itself()))
        .item(
            ObjectBuilder::new()
                .schema_type(Type::Object)
                .property_names(Some(no_nul_text()))
                .additional_properties(Some(itself())),
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
    ApiDoc::openapi()
}

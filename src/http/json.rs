//! The JSON body extractor used by every handler that takes a body.
//!
//! It answers with problem+json instead of actix's defaults: 415 for a missing or non-JSON
//! content type, 413 past the configured size, 400 for syntax errors and 422 naming the field
//! for type errors, missing fields and unknown fields (request types deny unknown fields).

use actix_web::dev::Payload;
use actix_web::http::header::CONTENT_TYPE;
use actix_web::{web, FromRequest, HttpRequest};
use futures_util::future::LocalBoxFuture;
use futures_util::{FutureExt, StreamExt};
use serde::de::DeserializeOwned;

use crate::error::{ApiError, FieldError};

/// Largest body accepted, shared through app data.
#[derive(Clone, Copy, Debug)]
pub struct BodyLimit(pub usize);

/// A JSON request body of type `T`.
#[derive(Debug)]
pub struct Json<T>(pub T);

impl<T> Json<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

/// True for `application/json` and any `application/*+json`, with or without parameters.
pub fn is_json_content_type(req: &HttpRequest) -> bool {
    let Some(raw) = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
    else {
        return false;
    };
    let essence = raw
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    essence == "application/json"
        || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Reads the whole body, refusing it as soon as it passes `limit` bytes.
pub async fn read_body(
    req: &HttpRequest,
    payload: &mut Payload,
    limit: usize,
) -> Result<web::BytesMut, ApiError> {
    let declared = req
        .headers()
        .get(actix_web::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(ApiError::PayloadTooLarge { limit });
    }
    let mut body = web::BytesMut::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::BadRequest {
            code: "unreadable_body",
            detail: format!("The request body could not be read ({e}); send it again."),
        })?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::PayloadTooLarge { limit });
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

/// Parses `bytes` as `T`, turning serde's errors into problem details. Every request body
/// of this API is a JSON object (serde would otherwise accept an array for a struct).
/// The JSON path of the first string (key or value) holding a NUL character (`\u0000`),
/// if any. No database stores it (PostgreSQL refuses it in text), so it is refused at the
/// edge on both backends alike.
fn nul_in(bytes: &[u8]) -> Option<String> {
    let escaped = bytes.windows(6).any(|w| w.eq_ignore_ascii_case(b"\\u0000"));
    if !escaped {
        return None;
    }
    fn walk(v: &serde_json::Value, path: &str) -> Option<String> {
        match v {
            serde_json::Value::String(s) if s.contains('\0') => Some(path.to_string()),
            serde_json::Value::Array(items) => items
                .iter()
                .enumerate()
                .find_map(|(i, item)| walk(item, &format!("{path}[{i}]"))),
            serde_json::Value::Object(map) => map.iter().find_map(|(k, item)| {
                let here = if path.is_empty() {
                    k.clone()
                } else {
                    format!("{path}.{k}")
                };
                if k.contains('\0') {
                    Some(here.replace('\0', "\\u0000"))
                } else {
                    walk(item, &here)
                }
            }),
            _ => None,
        }
    }
    let value: serde_json::Value = serde_json::from_slice(bytes).ok()?;
    walk(&value, "")
}

pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if let Some(path) = nul_in(bytes) {
        return Err(ApiError::validation(vec![FieldError::new(
            path,
            "invalid_character",
            "must not contain the NUL character (U+0000)",
        )]));
    }
    let starts_as_object = bytes
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'{');
    if !starts_as_object && serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_ok() {
        return Err(ApiError::validation(vec![FieldError::new(
            "",
            "invalid_type",
            "must be a JSON object",
        )]));
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let mut parsed: Result<T, _> = serde_path_to_error::deserialize(de);
    if parsed.as_ref().is_err_and(|e| {
        e.inner()
            .to_string()
            .starts_with("invalid type: floating point")
    }) {
        // JSON has one number type: `2.0` and `2e3` are integers too (JSON Schema says so, and
        // clients that keep numbers as floats send them); serde only reads them as floats.
        if let Some(rewritten) = whole_numbers_as_integers(bytes) {
            let de = &mut serde_json::Deserializer::from_slice(&rewritten);
            parsed = serde_path_to_error::deserialize(de);
        }
    }
    let value = parsed.map_err(|err| {
        let path = err.path().to_string();
        let inner = err.into_inner();
        use serde_json::error::Category;
        match inner.classify() {
            Category::Syntax | Category::Eof | Category::Io => ApiError::BadRequest {
                code: "malformed_json",
                detail: format!(
                    "The request body is not valid JSON (line {}, column {}): {}. Send a JSON object.",
                    inner.line(),
                    inner.column(),
                    syntax_reason(&inner)
                ),
            },
            Category::Data if serde_json::from_slice::<serde::de::IgnoredAny>(bytes).is_err() => {
                // The type error came first, but the body is not even JSON.
                let syntax = serde_json::from_slice::<serde::de::IgnoredAny>(bytes).unwrap_err();
                ApiError::BadRequest {
                    code: "malformed_json",
                    detail: format!(
                        "The request body is not valid JSON (line {}, column {}): {}. Send a JSON object.",
                        syntax.line(),
                        syntax.column(),
                        syntax_reason(&syntax)
                    ),
                }
            }
            Category::Data => {
                let (field, code, message) = describe_data_error(&path, &inner.to_string());
                ApiError::validation(vec![FieldError::new(field, code, message)])
            }
        }
    })?;
    Ok(value)
}

/// `bytes` with every number outside strings that has a fraction or an exponent but a whole
/// value (`58733.0`, `1.5e3`, `-0.0`) written as an integer, or `None` when there is none.
/// Numbers with a true fraction, or too large for 64 bits, are left as they are (and refused
/// by the type that expects an integer).
fn whole_numbers_as_integers(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(bytes.len());
    let mut changed = false;
    let (mut i, mut in_string) = (0, false);
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            out.push(b);
            match b {
                b'\\' if i + 1 < bytes.len() => {
                    out.push(bytes[i + 1]);
                    i += 1;
                }
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        if b == b'"' {
            in_string = true;
        }
        if b != b'-' && !b.is_ascii_digit() {
            out.push(b);
            i += 1;
            continue;
        }
        let start = i;
        while i < bytes.len() && matches!(bytes[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
        {
            i += 1;
        }
        let token = &bytes[start..i];
        match whole_integer(token) {
            Some(integer) => {
                out.extend_from_slice(integer.as_bytes());
                changed = true;
            }
            None => out.extend_from_slice(token),
        }
    }
    changed.then_some(out)
}

/// The integer a JSON number token with a fraction or exponent stands for, when it is whole
/// and fits 64 bits.
fn whole_integer(token: &[u8]) -> Option<String> {
    let text = std::str::from_utf8(token).ok()?;
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (mantissa, exponent) = match unsigned.find(['e', 'E']) {
        Some(at) => (&unsigned[..at], unsigned[at + 1..].parse::<i64>().ok()?),
        None if unsigned.contains('.') => (unsigned, 0),
        None => return None,
    };
    let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
    if whole.is_empty() || !(whole.bytes().chain(fraction.bytes())).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let mut digits: String = format!("{whole}{fraction}");
    let mut scale = exponent.checked_sub(fraction.len() as i64)?;
    while scale < 0 && digits.ends_with('0') {
        digits.pop();
        scale += 1;
    }
    if scale < 0 {
        return None;
    }
    let digits = digits.trim_start_matches('0');
    if digits.is_empty() {
        return Some("0".into());
    }
    if digits.len() as i64 + scale > 20 {
        return None;
    }
    let integer = format!(
        "{}{digits}{}",
        if negative { "-" } else { "" },
        "0".repeat(scale as usize)
    );
    // Beyond 64 bits serde refuses the integer as it refused the float.
    (integer.parse::<i64>().is_ok() || integer.parse::<u64>().is_ok()).then_some(integer)
}

/// Reads an already parsed JSON value as `T`, with the same field errors as [`parse`].
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, ApiError> {
    serde_path_to_error::deserialize(value).map_err(|err| {
        let path = err.path().to_string();
        let (field, code, message) = describe_data_error(&path, &err.into_inner().to_string());
        ApiError::validation(vec![FieldError::new(field, code, message)])
    })
}

fn syntax_reason(e: &serde_json::Error) -> String {
    // serde_json's message ends with " at line X column Y"; the position is given separately.
    let s = e.to_string();
    match s.find(" at line ") {
        Some(i) => s[..i].to_string(),
        None => s,
    }
}

/// Maps a serde data error to (field path, rule code, message) without echoing values.
fn describe_data_error(path: &str, message: &str) -> (String, &'static str, String) {
    let msg = match message.find(" at line ") {
        Some(i) => &message[..i],
        None => message,
    };
    let field = if path == "." {
        String::new()
    } else {
        path.to_string()
    };
    if let Some(rest) = msg.strip_prefix("unknown field `") {
        // serde_path_to_error's path already ends with the unknown field's name.
        let name = rest.split('`').next().unwrap_or_default();
        let full = if field.is_empty() {
            name.to_string()
        } else {
            field.clone()
        };
        let expected = rest.split_once(", expected ").map(|(_, e)| e.to_string());
        let hint = match expected {
            Some(e) => format!("is not a field of this request; expected {e}"),
            None => "is not a field of this request".into(),
        };
        return (full, "unknown_field", hint);
    }
    if let Some(rest) = msg.strip_prefix("missing field `") {
        let name = rest.split('`').next().unwrap_or_default();
        let full = if field.is_empty() {
            name.to_string()
        } else {
            format!("{field}.{name}")
        };
        return (full, "required", "is required".into());
    }
    if msg.starts_with("invalid type") {
        let expected = msg
            .split_once(", expected ")
            .map(|(_, e)| e)
            .unwrap_or("another type");
        return (field, "invalid_type", format!("must be {expected}"));
    }
    if msg.starts_with("unknown variant") {
        let expected = msg
            .split_once(", expected ")
            .map(|(_, e)| e)
            .unwrap_or("a known value");
        return (field, "invalid_value", format!("must be {expected}"));
    }
    if msg.starts_with("invalid value") || msg.starts_with("invalid length") {
        let expected = msg
            .split_once(", expected ")
            .map(|(_, e)| e)
            .unwrap_or("a valid value");
        return (field, "invalid_value", format!("must be {expected}"));
    }
    (field, "invalid_value", msg.to_string())
}

async fn extract<T: DeserializeOwned>(
    req: HttpRequest,
    mut payload: Payload,
    optional: bool,
) -> Result<Option<T>, ApiError> {
    let limit = req
        .app_data::<BodyLimit>()
        .map(|l| l.0)
        .unwrap_or(crate::config::DEFAULT_MAX_BODY_BYTES);
    let json = is_json_content_type(&req);
    let body = read_body(&req, &mut payload, limit).await?;
    let empty = body.iter().all(u8::is_ascii_whitespace);
    if optional && empty {
        return Ok(None);
    }
    if !json {
        return Err(ApiError::UnsupportedMediaType {
            detail: "This endpoint takes a JSON body; send `Content-Type: application/json`."
                .into(),
        });
    }
    if empty {
        return Err(ApiError::BadRequest {
            code: "malformed_json",
            detail: "The request body is empty; send a JSON object.".into(),
        });
    }
    parse(&body).map(Some)
}

/// A JSON body that may be left out entirely (an empty body is `None`).
#[derive(Debug)]
pub struct OptionalJson<T>(pub Option<T>);

impl<T: DeserializeOwned + 'static> FromRequest for OptionalJson<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        Box::pin(extract(req.clone(), payload.take(), true).map(|r| r.map(OptionalJson)))
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Json<T> {
    type Error = ApiError;
    type Future = LocalBoxFuture<'static, Result<Self, Self::Error>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let payload = payload.take();
        Box::pin(async move {
            let value = extract(req, payload, false).await?;
            value
                .map(Json)
                .ok_or_else(|| ApiError::internal("required body missing"))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Req {
        name: String,
        count: u32,
    }

    #[test]
    fn syntax_errors_are_bad_requests() {
        let err = parse::<Req>(b"{\"name\": ").unwrap_err();
        assert_eq!(err.code(), "malformed_json");
    }

    #[test]
    fn data_errors_name_the_field() {
        let err = parse::<Req>(br#"{"name":"a","count":1,"extra":true}"#).unwrap_err();
        let p = err.problem();
        assert_eq!(p.code, "validation_failed");
        assert_eq!(p.errors[0].field, "extra");
        assert_eq!(p.errors[0].code, "unknown_field");

        let err = parse::<Req>(br#"{"name":"a"}"#).unwrap_err();
        assert_eq!(err.problem().errors[0].field, "count");
        assert_eq!(err.problem().errors[0].code, "required");

        let err = parse::<Req>(br#"{"name":"a","count":"x"}"#).unwrap_err();
        assert_eq!(err.problem().errors[0].field, "count");
        assert_eq!(err.problem().errors[0].code, "invalid_type");
    }
}

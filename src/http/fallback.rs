//! What answers when no handler does: 404 for unknown routes, 405 with `Allow` for a known
//! route and a wrong method, and a safety net that turns any non-problem error response
//! produced inside actix into problem+json.
//!
//! The route table is built from the OpenAPI document, so the contract and the `Allow`
//! header cannot drift apart.

use actix_web::dev::ServiceResponse;
use actix_web::http::{header, Method, StatusCode};
use actix_web::middleware::ErrorHandlerResponse;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use utoipa::openapi::OpenApi;

use crate::error::{ApiError, PROBLEM_CONTENT_TYPE};

/// Path templates of the API with the methods each one accepts.
#[derive(Debug, Default)]
pub struct RouteTable {
    routes: Vec<(Vec<String>, Vec<String>)>,
}

impl RouteTable {
    pub fn from_openapi(doc: &OpenApi) -> Self {
        let routes = doc
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let methods = [
                    ("GET", item.get.is_some()),
                    ("POST", item.post.is_some()),
                    ("PUT", item.put.is_some()),
                    ("PATCH", item.patch.is_some()),
                    ("DELETE", item.delete.is_some()),
                ]
                .into_iter()
                .filter(|(_, present)| *present)
                .map(|(m, _)| m.to_string())
                .collect();
                (segments(path), methods)
            })
            .collect();
        RouteTable { routes }
    }

    /// Methods accepted at `path` (empty when no route matches the path).
    pub fn methods_for(&self, path: &str) -> Vec<String> {
        let wanted = segments(path);
        let mut out: Vec<String> = Vec::new();
        for (template, methods) in &self.routes {
            let matches = template.len() == wanted.len()
                && template
                    .iter()
                    .zip(&wanted)
                    .all(|(t, w)| (t.starts_with('{') && !w.is_empty()) || t == w);
            if matches {
                for m in methods {
                    if !out.contains(m) {
                        out.push(m.clone());
                    }
                }
            }
        }
        out
    }
}

fn segments(path: &str) -> Vec<String> {
    path.trim_end_matches('/')
        .split('/')
        .map(str::to_string)
        .collect()
}

/// The app's default service.
pub async fn fallback(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    let allowed = req
        .app_data::<web::Data<RouteTable>>()
        .map(|t| t.methods_for(req.path()))
        .unwrap_or_default();
    if allowed.is_empty() {
        return Err(route_not_found());
    }
    if req.method() == Method::OPTIONS {
        let mut allow = allowed.clone();
        allow.push("OPTIONS".into());
        return Ok(HttpResponse::NoContent()
            .insert_header((header::ALLOW, allow.join(", ")))
            .finish());
    }
    Err(ApiError::MethodNotAllowed {
        method: req.method().to_string(),
        allow: allowed,
    })
}

fn route_not_found() -> ApiError {
    ApiError::NotFound {
        code: "route_not_found",
        detail: "No route matches this path; check the method and path against /v1/openapi.json."
            .into(),
    }
}

/// Error-handler middleware body: responses of 400 and above that are not JSON (actix's own
/// errors) are rewritten as problem+json.
pub fn normalize_errors<B>(res: ServiceResponse<B>) -> actix_web::Result<ErrorHandlerResponse<B>> {
    // Our handlers answer JSON (problem+json, or OAuth's JSON errors); only actix's own
    // plain-text or empty error bodies are rewritten.
    let is_json = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with(PROBLEM_CONTENT_TYPE) || v.starts_with("application/json"));
    // The console's pages answer errors as HTML pages of their own.
    let is_page = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("text/html"))
        && res.request().path().starts_with("/console");
    if is_json || is_page || res.status().as_u16() < 400 {
        return Ok(ErrorHandlerResponse::Response(res.map_into_left_body()));
    }
    let err = match res.status() {
        StatusCode::NOT_FOUND => route_not_found(),
        StatusCode::METHOD_NOT_ALLOWED => {
            let allow = res
                .request()
                .app_data::<web::Data<RouteTable>>()
                .map(|t| t.methods_for(res.request().path()))
                .filter(|m| !m.is_empty())
                .unwrap_or_else(|| vec!["GET".into()]);
            ApiError::MethodNotAllowed {
                method: res.request().method().to_string(),
                allow,
            }
        }
        StatusCode::PAYLOAD_TOO_LARGE => ApiError::PayloadTooLarge {
            limit: res
                .request()
                .app_data::<crate::http::json::BodyLimit>()
                .map(|l| l.0)
                .unwrap_or(crate::config::DEFAULT_MAX_BODY_BYTES),
        },
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ApiError::UnsupportedMediaType {
            detail: "This content type is not accepted here; send `Content-Type: application/json`."
                .into(),
        },
        s if s.is_server_error() => ApiError::Internal(format!("unhandled {s} from the framework")),
        _ => ApiError::BadRequest {
            code: "bad_request",
            detail: "The request could not be understood; check the path, query and headers against /v1/openapi.json.".into(),
        },
    };
    let (req, _) = res.into_parts();
    let new = ServiceResponse::new(req, err.error_response()).map_into_right_body();
    Ok(ErrorHandlerResponse::Response(new))
}

#[cfg(test)]
mod tests {
    use super::*;
    use utoipa::openapi::path::{HttpMethod, OperationBuilder, PathItem, PathsBuilder};
    use utoipa::openapi::OpenApiBuilder;

    #[test]
    fn matches_templates_and_collects_methods() {
        let op = || OperationBuilder::new().build();
        let doc = OpenApiBuilder::new()
            .paths(
                PathsBuilder::new()
                    .path("/v1/orders", PathItem::new(HttpMethod::Get, op()))
                    .path(
                        "/v1/orders/{order_id}",
                        PathItem::new(HttpMethod::Get, op()),
                    )
                    .path(
                        "/v1/orders/{order_id}/cancel",
                        PathItem::new(HttpMethod::Post, op()),
                    ),
            )
            .build();
        let t = RouteTable::from_openapi(&doc);
        assert_eq!(t.methods_for("/v1/orders/ord_1"), vec!["GET"]);
        assert_eq!(t.methods_for("/v1/orders/ord_1/cancel"), vec!["POST"]);
        assert!(t.methods_for("/v1/nothing").is_empty());
        assert!(t.methods_for("/v1/orders/ord_1/cancel/x").is_empty());
    }
}

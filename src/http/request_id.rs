//! `x-request-id` on every response: the caller's own id when it sends a sane one, otherwise
//! a new `req_…` id. The id is available to the whole request (error bodies, log spans)
//! through a task-local, and one access-log line is written per request.

use std::future::{ready, Ready};
use std::rc::Rc;
use std::sync::Arc;
use std::time::Instant;

use actix_web::dev::{forward_ready, Service, ServiceRequest, ServiceResponse, Transform};
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{Error, HttpMessage};
use futures_util::future::LocalBoxFuture;

use crate::metrics::Metrics;

pub const HEADER: &str = "x-request-id";

pub use crate::request_context::current;

/// The id stored in request extensions.
#[derive(Clone, Debug)]
pub struct RequestId(pub String);

/// Accepts a caller-supplied id of 1..=128 visible ASCII characters (no spaces or quotes);
/// anything else is replaced so that ids are safe to log and to echo.
fn accept(candidate: Option<&HeaderValue>) -> Option<String> {
    let s = candidate?.to_str().ok()?;
    let ok = !s.is_empty()
        && s.len() <= 128
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.:/+=".contains(&b));
    ok.then(|| s.to_string())
}

pub fn generate() -> String {
    format!("req_{}", crate::ids::random_token(20))
}

/// The middleware; it records per-route request metrics into its own handle.
pub struct RequestIdMiddleware {
    pub metrics: Arc<Metrics>,
}

impl<S, B> Transform<S, ServiceRequest> for RequestIdMiddleware
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Transform = RequestIdService<S>;
    type InitError = ();
    type Future = Ready<Result<Self::Transform, Self::InitError>>;

    fn new_transform(&self, service: S) -> Self::Future {
        ready(Ok(RequestIdService {
            service: Rc::new(service),
            metrics: Arc::clone(&self.metrics),
        }))
    }
}

pub struct RequestIdService<S> {
    service: Rc<S>,
    metrics: Arc<Metrics>,
}

impl<S, B> Service<ServiceRequest> for RequestIdService<S>
where
    S: Service<ServiceRequest, Response = ServiceResponse<B>, Error = Error> + 'static,
    B: 'static,
{
    type Response = ServiceResponse<B>;
    type Error = Error;
    type Future = LocalBoxFuture<'static, Result<Self::Response, Self::Error>>;

    forward_ready!(service);

    fn call(&self, req: ServiceRequest) -> Self::Future {
        let id = accept(req.headers().get(HEADER)).unwrap_or_else(generate);
        req.extensions_mut().insert(RequestId(id.clone()));
        let method = req.method().to_string();
        // Metric labels stay bounded: a made-up method counts as OTHER.
        let method_label = match req.method().as_str() {
            m @ ("GET" | "POST" | "PUT" | "PATCH" | "DELETE" | "HEAD" | "OPTIONS") => m.to_string(),
            _ => "OTHER".to_string(),
        };
        let path = req.path().to_string();
        let metrics = Arc::clone(&self.metrics);
        let started = Instant::now();
        let service = Rc::clone(&self.service);
        Box::pin(crate::request_context::scope(id.clone(), async move {
            let result = service.call(req).await;
            let elapsed = started.elapsed().as_secs_f64();
            let elapsed_ms = elapsed * 1000.0;
            match result {
                Ok(mut res) => {
                    let route = res.request().match_pattern();
                    let route = route.as_deref().unwrap_or("unmatched");
                    metrics.observe(&method_label, route, res.status().as_u16(), elapsed);
                    if let Ok(v) = HeaderValue::from_str(&id) {
                        res.headers_mut().insert(HeaderName::from_static(HEADER), v);
                    }
                    tracing::info!(
                        target: "onyx::access",
                        request_id = %id,
                        method = %method,
                        path = %path,
                        status = res.status().as_u16(),
                        latency_ms = format!("{elapsed_ms:.1}"),
                        "request completed"
                    );
                    Ok(res)
                }
                Err(e) => Err(e),
            }
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_sane_ids_and_replaces_others() {
        let hv = |s: &str| HeaderValue::from_str(s).unwrap();
        assert_eq!(accept(Some(&hv("abc-123"))), Some("abc-123".into()));
        assert_eq!(accept(Some(&hv("has space"))), None);
        assert_eq!(accept(Some(&hv(&"a".repeat(129)))), None);
        assert_eq!(accept(None), None);
        assert!(generate().starts_with("req_"));
    }
}

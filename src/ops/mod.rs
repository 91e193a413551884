//! Operations endpoints: liveness, readiness, metrics and the OpenAPI document.

use actix_web::{get, web, HttpResponse};
use serde::Serialize;
use utoipa::ToSchema;

use crate::db;
use crate::error::{ApiError, Problem};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct Health {
    /// Always `ok` when the process answers.
    #[schema(example = "ok")]
    pub status: String,
    /// The service version: the crate version, also the OpenAPI document's `info.version`
    /// (see CHANGELOG.md).
    #[schema(example = "1.1.0")]
    pub version: String,
}

#[derive(Serialize, ToSchema)]
pub struct Readiness {
    /// `ready` when the database answers.
    #[schema(example = "ready")]
    pub status: String,
    /// The database backend in use: `sqlite` or `postgres`.
    #[schema(example = "sqlite")]
    pub database: String,
}

/// Liveness: the process is up and answering.
#[utoipa::path(
    operation_id = "checkHealth",
    tag = "operations",
    responses((status = 200, description = "The process is alive.", body = Health))
)]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(Health {
        status: "ok".into(),
        version: env!("CARGO_PKG_VERSION").into(),
    })
}

/// Readiness: the database is reachable, so requests can be served.
#[utoipa::path(
    operation_id = "checkReadiness",
    tag = "operations",
    responses(
        (status = 200, description = "Ready to serve.", body = Readiness),
        (status = 503, description = "The database is unreachable (`database_unavailable`).", body = Problem, content_type = "application/problem+json"),
    )
)]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    let backend = state.db.backend();
    state
        .db
        .read(db::ping)
        .await
        .map_err(|_| ApiError::Unavailable {
            code: "database_unavailable",
            detail: "The database does not answer; the service is not ready.".into(),
        })?;
    Ok(HttpResponse::Ok().json(Readiness {
        status: "ready".into(),
        database: backend.name().into(),
    }))
}

/// Prometheus metrics: requests, database pool and background jobs.
///
/// Request counts and latency per route and status, pool gauges, and the background jobs:
/// queue depth, running, dead and oldest due age per kind; outcomes; the event-to-delivery
/// latency histogram of webhooks.
#[utoipa::path(
    operation_id = "getMetrics",
    tag = "operations",
    responses((status = 200, description = "Prometheus text exposition format.", body = String, content_type = "text/plain"))
)]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let pool = state.db.pool_state();
    let mut body = state.metrics.render(
        pool.0,
        pool.1,
        state.db.statements(),
        state.db.write_counts(),
    );
    let now = state.now();
    match state
        .db
        .read(move |c| crate::jobs::queue_stats(c, now))
        .await
    {
        Ok(queues) => body.push_str(&state.metrics.render_jobs(&queues)),
        Err(e) => {
            tracing::warn!(error = %e, "queue metrics unavailable");
            body.push_str(&state.metrics.render_jobs(&[]));
        }
    }
    HttpResponse::Ok()
        .content_type("text/plain; version=0.0.4")
        .body(body)
}

/// This OpenAPI 3.1 document.
#[utoipa::path(
    operation_id = "getOpenApiDocument",
    tag = "operations",
    responses((status = 200, description = "The OpenAPI 3.1 document of this API.", body = Object))
)]
#[get("/openapi.json")]
pub async fn openapi_json(doc: web::Data<OpenApiJson>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type("application/json")
        .body(doc.0.clone())
}

/// The OpenAPI document as served: rendered once when the server starts.
pub struct OpenApiJson(pub web::Bytes);

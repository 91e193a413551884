//! Builds the actix application: every route is registered once, here, through
//! utoipa-actix-web, so the served OpenAPI document, the route table behind 404/405 and the
//! handlers come from the same list.

use std::net::{SocketAddr, TcpListener};
use std::sync::Arc;

use actix_web::middleware::ErrorHandlers;
use actix_web::{web, App, HttpServer};
use tracing_actix_web::TracingLogger;
use utoipa::openapi::OpenApi;
use utoipa_actix_web::service_config::ServiceConfig;
use utoipa_actix_web::{scope, AppExt};
use utoipa_swagger_ui::SwaggerUi;

use crate::error::ApiError;
use crate::http::fallback::{fallback, normalize_errors, RouteTable};
use crate::http::json::BodyLimit;
use crate::http::request_id::RequestIdMiddleware;
use crate::http::span::OnyxRootSpan;
use crate::state::AppState;
use crate::{
    activation, audit, billing, catalogue, credentials, openapi, ops, orders, partners,
    provisioning, readiness, reconciliation, refunds, sandbox_clock, services, sessions, support,
    team, wallet, webhooks,
};

/// Threads of each runtime's blocking pool (database work, password hashing): as many as
/// database connections (at least 4). actix's default, 512 per process, let a burst of
/// requests start dozens of threads that only waited for a connection and stayed resident.
pub fn blocking_threads(config: &crate::config::Config) -> usize {
    (config.db_pool_size as usize).max(4)
}

/// Every route of the service. Add a resource area's routes here (one `configure` call).
pub fn register(cfg: &mut ServiceConfig) {
    cfg.service(ops::healthz)
        .service(ops::readyz)
        .service(ops::metrics)
        .service(
            scope::scope("/v1")
                .service(ops::openapi_json)
                .configure(sessions::routes::register)
                .configure(catalogue::routes::register)
                .configure(orders::routes::register)
                .configure(services::routes::register)
                .configure(activation::routes::register)
                .configure(services::usage_routes::register)
                .configure(services::alerts_routes::register)
                .configure(sandbox_clock::routes::register)
                .configure(webhooks::routes::register)
                .configure(wallet::routes::register)
                .configure(billing::routes::register)
                .configure(refunds::routes::register)
                .configure(reconciliation::routes::register)
                .configure(credentials::routes::register)
                .configure(team::routes::register)
                .configure(support::routes::register)
                .configure(readiness::routes::register)
                .service(audit::routes::list)
                .service(
                    scope::scope("/admin")
                        .configure(partners::routes::register)
                        .configure(catalogue::admin::register)
                        .configure(wallet::admin::register)
                        .configure(billing::admin::register)
                        .configure(refunds::routes::register_admin)
                        .configure(provisioning::admin::register)
                        .configure(services::usage_routes::register_admin)
                        .configure(support::admin::register)
                        .configure(readiness::admin::register),
                ),
        );
}

/// The complete OpenAPI document of the service.
pub fn openapi_document() -> OpenApi {
    let (_, doc) = App::new()
        .into_utoipa_app()
        .openapi(openapi::base())
        .configure(register)
        .split_for_parts();
    let mut doc = openapi::finish(
        doc,
        vec![
            ("CreateOrder", orders::checks::request_rules()),
            ("PackageInput", catalogue::PackageInput::cross_field_rules()),
            (
                "AlertSettingsUpdate",
                services::alerts::AlertSettingsUpdate::schema_rules(),
            ),
            ("AdvanceClock", sandbox_clock::AdvanceClock::schema_rules()),
        ],
    );
    crate::event_catalogue::document(&mut doc);
    doc
}

fn query_error(
    err: actix_web::error::QueryPayloadError,
    _req: &actix_web::HttpRequest,
) -> actix_web::Error {
    ApiError::BadRequest {
        code: "invalid_query",
        detail: format!("The query string is invalid: {err}. Check parameter names and types against /v1/openapi.json."),
    }
    .into()
}

fn path_error(
    _err: actix_web::error::PathError,
    _req: &actix_web::HttpRequest,
) -> actix_web::Error {
    ApiError::NotFound {
        code: "route_not_found",
        detail: "No resource matches this path; check the id in the path.".into(),
    }
    .into()
}

/// A started server: the address it listens on and the future that runs it.
pub struct Running {
    pub addr: SocketAddr,
    pub server: actix_web::dev::Server,
}

/// Binds `state.config.listen` (port 0 picks a free port) and builds the server.
/// The returned server must be awaited or spawned to run.
pub fn start(state: AppState) -> std::io::Result<Running> {
    let doc = openapi_document();
    let table = web::Data::new(RouteTable::from_openapi(&doc));
    // Served as rendered once here; the document's object tree is not kept.
    let doc_data = web::Data::new(crate::ops::OpenApiJson(web::Bytes::from(
        serde_json::to_vec(&doc).map_err(std::io::Error::other)?,
    )));
    drop(doc);
    // One access cache for every worker thread of this server (see `auth::cache`).
    let access_cache = web::Data::new(crate::auth::cache::new_cache());
    let catalogue_views = web::Data::new(crate::catalogue::routes::new_views());
    let order_pages = web::Data::new(crate::orders::routes::new_pages());
    let listener = TcpListener::bind(state.config.listen)?;
    let addr = listener.local_addr()?;
    // Outbound calls (webhooks) learn the bound port here, so they can refuse to call it.
    state.listening.add(addr);
    let body_limit = BodyLimit(state.config.max_body_bytes);
    let workers = state.config.http_workers;
    let blocking = blocking_threads(&state.config);
    let metrics = Arc::clone(&state.metrics);
    let data = web::Data::new(state);
    let server = HttpServer::new(move || {
        let (app, _) = App::new()
            .into_utoipa_app()
            .configure(register)
            .split_for_parts();
        app.app_data(data.clone())
            .app_data(table.clone())
            .app_data(access_cache.clone())
            .app_data(catalogue_views.clone())
            .app_data(order_pages.clone())
            .app_data(doc_data.clone())
            .app_data(body_limit)
            .app_data(web::QueryConfig::default().error_handler(query_error))
            .app_data(web::PathConfig::default().error_handler(path_error))
            .configure(crate::console::register)
            .service(
                SwaggerUi::new("/docs/{_:.*}")
                    .config(utoipa_swagger_ui::Config::new(["/v1/openapi.json"])),
            )
            .default_service(web::to(fallback))
            .wrap(actix_web::middleware::from_fn(crate::http::nul::refuse_nul))
            .wrap(actix_web::middleware::from_fn(
                crate::http::caching::headers,
            ))
            .wrap(ErrorHandlers::new().default_handler(normalize_errors))
            .wrap(TracingLogger::<OnyxRootSpan>::new())
            .wrap(RequestIdMiddleware {
                metrics: Arc::clone(&metrics),
            })
    })
    .workers(workers)
    .worker_max_blocking_threads(blocking)
    .listen(listener)?
    .run();
    Ok(Running { addr, server })
}

//! The Partner Portal: a web console for team members at `/console`, served by the same
//! process as the API.
//!
//! - Server-rendered HTML with `maud` (compile-time templates: a typo in a page is a build
//!   error, nothing to ship or load at run time, and every interpolation is escaped).
//! - Progressive enhancement: every form is a plain HTML form; the one script
//!   (`assets/console.js`, served from the binary) only shows times in the viewer's zone.
//!   The Content-Security-Policy allows scripts and styles from the console itself only.
//! - Sign-in reuses `sessions::login` (the API's password check, throttling and audit); the
//!   session lives in `console_sessions` (only the hash of the cookie token), is read on every
//!   request joined with the member (removal and role changes apply at once), and ends after
//!   the idle or absolute timeout. Every POST carries the session's CSRF token
//!   ([`session::Action`]).
//! - Pages call the same domain functions as the API handlers, with a [`crate::auth::Caller`]
//!   made from the session: the role matrix (`auth::allows`) and the tenant scope are the
//!   API's.

pub mod assets;
pub mod pages;
pub mod session;
pub mod ui;

use actix_web::http::header;
use actix_web::middleware::DefaultHeaders;
use actix_web::{web, HttpRequest, HttpResponse};

/// The console's Content-Security-Policy: scripts, styles, images and forms from the console
/// only; no inline scripts or styles; never framed.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// Registers `/console` and everything under it.
pub fn register(cfg: &mut web::ServiceConfig) {
    use pages::*;
    cfg.service(
        web::scope("/console")
            .wrap(
                DefaultHeaders::new()
                    .add((header::CONTENT_SECURITY_POLICY, CSP))
                    .add((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
                    .add((header::X_FRAME_OPTIONS, "DENY"))
                    .add((header::REFERRER_POLICY, "same-origin"))
                    .add((header::CACHE_CONTROL, "no-store")),
            )
            .route("", web::get().to(to_overview))
            .route("/", web::get().to(overview::overview))
            .route("/assets/console.css", web::get().to(assets::css))
            .route("/assets/console.js", web::get().to(assets::js))
            .route("/login", web::get().to(session::login_form))
            .route("/login", web::post().to(session::login))
            .route("/logout", web::post().to(session::logout))
            .route("/environment", web::post().to(session::switch_environment))
            .route("/accept", web::get().to(team::accept_form))
            .route("/accept", web::post().to(team::accept))
            .route("/catalogue", web::get().to(catalogue::list))
            .route("/orders", web::get().to(orders::list))
            .route("/orders", web::post().to(orders::create))
            .route("/orders/new", web::get().to(orders::new_form))
            .route("/orders/{id}", web::get().to(orders::detail))
            .route("/orders/{id}/cancel", web::post().to(orders::cancel))
            .route("/orders/{id}/retry", web::post().to(orders::retry))
            .route("/services", web::get().to(services::list))
            .route("/services/{id}", web::get().to(services::detail))
            .route(
                "/services/{id}/activation",
                web::post().to(services::reveal),
            )
            .route(
                "/services/{id}/install",
                web::post().to(services::sandbox_install),
            )
            .route(
                "/services/{id}/activation/qr.png",
                web::get().to(services::qr),
            )
            .route("/wallet", web::get().to(money::wallet))
            .route("/ledger.csv", web::get().to(money::ledger_csv))
            .route("/invoices", web::get().to(money::invoices))
            .route("/invoices/{id}/pdf", web::get().to(money::invoice_pdf))
            .route("/webhooks", web::get().to(developers::webhooks))
            .route("/webhooks", web::post().to(developers::create_endpoint))
            .route(
                "/webhooks/{id}/rotate",
                web::post().to(developers::rotate_endpoint),
            )
            .route(
                "/webhooks/{id}/test",
                web::post().to(developers::test_endpoint),
            )
            .route("/deliveries", web::get().to(developers::deliveries))
            .route("/events/{id}", web::get().to(developers::event))
            .route("/events/{id}/replay", web::post().to(developers::replay))
            .route("/credentials", web::get().to(developers::credentials))
            .route(
                "/credentials",
                web::post().to(developers::create_credential),
            )
            .route(
                "/credentials/{id}/rotate",
                web::post().to(developers::rotate_credential),
            )
            .route(
                "/credentials/{id}/revoke",
                web::post().to(developers::revoke_credential),
            )
            .route("/team", web::get().to(team::team))
            .route("/team/invitations", web::post().to(team::invite))
            .route("/team/members/{id}/role", web::post().to(team::change_role))
            .route("/team/members/{id}/remove", web::post().to(team::remove))
            .route("/support", web::get().to(support::list))
            .route("/support", web::post().to(support::open))
            .route("/support/new", web::get().to(support::new_form))
            .route("/support/{id}", web::get().to(support::detail))
            .route("/support/{id}/comments", web::post().to(support::comment))
            .route("/readiness", web::get().to(readiness::readiness))
            .route(
                "/readiness/live-request",
                web::post().to(readiness::request_live),
            )
            .route("/audit", web::get().to(readiness::audit))
            .default_service(web::to(not_found)),
    );
}

async fn to_overview() -> HttpResponse {
    ui::see_other("/console/")
}

/// Any other path under `/console`: an HTML 404 page.
async fn not_found(req: HttpRequest) -> HttpResponse {
    ui::bare_page(
        actix_web::http::StatusCode::NOT_FOUND,
        "Page not found",
        &format!(
            "There is no console page at {}. Go back to the overview.",
            req.path()
        ),
    )
}

//! The console at /console: sessions, CSRF, the role matrix and the tenant scope, as a
//! browser would meet them (cookies and forms over HTTP).

use reqwest::header::{COOKIE, SET_COOKIE};
use reqwest::Method;
use serde_json::Value;

use crate::helpers::{Fetch, Org, Response, TestApp, TestOptions, PASSWORD};
use crate::orders::{activate, create_order, shop};

/// A browser's view of the console: its session cookie and the page's CSRF token.
struct Browser<'a> {
    app: &'a TestApp,
    cookie: String,
    csrf: String,
}

fn cookie_value(resp: &Response, name: &str) -> Option<String> {
    resp.headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(|v| {
            v[name.len() + 1..]
                .split(';')
                .next()
                .unwrap_or("")
                .to_string()
        })
}

fn set_cookie<'r>(resp: &'r Response, name: &str) -> &'r str {
    resp.headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .unwrap_or_else(|| panic!("no {name} cookie set"))
}

fn hidden(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')? + start;
    Some(html[start..end].to_string())
}

async fn post_login(
    app: &TestApp,
    email: &str,
    password: &str,
    headers: &[(&str, &str)],
) -> Response {
    let form = app
        .anon()
        .request(Method::GET, "/console/login")
        .fetch()
        .await;
    assert_eq!(form.status, 200, "{}", form.text());
    let token = cookie_value(&form, "onyx_console_form").expect("form cookie");
    assert_eq!(
        hidden(&form.text(), "form_token").as_deref(),
        Some(token.as_str())
    );
    let mut req = app
        .anon()
        .request(Method::POST, "/console/login")
        .header(COOKIE, format!("onyx_console_form={token}"))
        .form(&[
            ("form_token", token.as_str()),
            ("email", email),
            ("password", password),
        ]);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    req.fetch().await
}

impl<'a> Browser<'a> {
    async fn sign_in(app: &'a TestApp, email: &str) -> Browser<'a> {
        let resp = post_login(app, email, PASSWORD, &[]).await;
        assert_eq!(resp.status, 303, "{}", resp.text());
        assert_eq!(resp.header("location"), Some("/console/"));
        let cookie = cookie_value(&resp, "onyx_console").expect("session cookie");
        let mut b = Browser {
            app,
            cookie,
            csrf: String::new(),
        };
        let page = b.get("/console/").await;
        assert_eq!(page.status, 200, "{}", page.text());
        b.csrf = hidden(&page.text(), "csrf").expect("csrf token in the page");
        b
    }

    async fn get(&self, path: &str) -> Response {
        self.app
            .anon()
            .request(Method::GET, path)
            .header(COOKIE, format!("onyx_console={}", self.cookie))
            .fetch()
            .await
    }

    /// A form POST; `csrf` is added unless `None`.
    async fn post(&self, path: &str, csrf: Option<&str>, fields: &[(&str, &str)]) -> Response {
        let mut form: Vec<(&str, &str)> = fields.to_vec();
        if let Some(t) = csrf {
            form.push(("csrf", t));
        }
        self.app
            .anon()
            .request(Method::POST, path)
            .header(COOKIE, format!("onyx_console={}", self.cookie))
            .form(&form)
            .fetch()
            .await
    }
}

async fn orders_of(app: &TestApp, org: &Org) -> Vec<Value> {
    let body = app.bearer(&org.owner.token).get_ok("/v1/orders").await;
    body["data"].as_array().unwrap().clone()
}

fn order_form(reference: &str) -> Vec<(&'static str, String)> {
    vec![
        ("type", "activate_subscription".into()),
        ("customer_reference", reference.into()),
        ("package_id", "fr-plan".into()),
    ]
}

fn fields<'a>(v: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    v.iter().map(|(k, s)| (*k, s.as_str())).collect()
}

#[tokio::test]
async fn console_session_cookie_flags_and_headers() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Flags").await;
    let resp = post_login(&app, &org.owner.email, PASSWORD, &[]).await;
    assert_eq!(resp.status, 303, "{}", resp.text());
    let cookie = set_cookie(&resp, "onyx_console");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(cookie.contains("Path=/console"), "{cookie}");
    assert!(!cookie.contains("Secure"), "plain http: {cookie}");
    // Behind a TLS-terminating proxy the cookie is Secure.
    let resp = post_login(
        &app,
        &org.owner.email,
        PASSWORD,
        &[("x-forwarded-proto", "https")],
    )
    .await;
    assert_eq!(resp.status, 303, "{}", resp.text());
    let cookie = set_cookie(&resp, "onyx_console");
    assert!(cookie.contains("Secure"), "{cookie}");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    // Only the hash of the token is stored.
    let token = cookie_value(&resp, "onyx_console").unwrap();
    let stored: Vec<String> = app.db_query(|c| {
        use diesel::prelude::*;
        onyx::db::schema::console_sessions::table
            .select(onyx::db::schema::console_sessions::token_hash)
            .load(c)
            .unwrap()
    });
    assert_eq!(stored.len(), 2);
    assert!(!stored.contains(&token));
    assert!(stored.contains(&onyx::console::session::hash_token(&token)));
    // Pages: a CSP without inline scripts, no caching, no framing.
    let b = Browser::sign_in(&app, &org.owner.email).await;
    let page = b.get("/console/").await;
    let csp = page.header("content-security-policy").unwrap();
    assert!(
        csp.contains("default-src 'self'") && csp.contains("script-src 'self'"),
        "{csp}"
    );
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(page.header("cache-control"), Some("no-store"));
    assert_eq!(page.header("x-frame-options"), Some("DENY"));
    assert!(!page.text().contains("<script>"), "no inline script");
    assert!(page.text().contains("SANDBOX"));
}

#[tokio::test]
async fn console_wrong_password_is_refused_like_the_api() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Guess").await;
    let resp = post_login(&app, &org.owner.email, "not the password", &[]).await;
    assert_eq!(resp.status, 401);
    assert!(resp.text().contains("The email or password is wrong."));
    assert!(cookie_value(&resp, "onyx_console").is_none());
    // The API's guessing limit counts console attempts too.
    for _ in 0..4 {
        post_login(&app, &org.owner.email, "not the password", &[]).await;
    }
    let resp = post_login(&app, &org.owner.email, PASSWORD, &[]).await;
    assert_eq!(resp.status, 429, "{}", resp.text());
    // A sign-in form without its form token is refused.
    let resp = app
        .anon()
        .request(Method::POST, "/console/login")
        .form(&[("email", org.owner.email.as_str()), ("password", PASSWORD)])
        .fetch()
        .await;
    assert_eq!(resp.status, 403);
}

#[tokio::test]
async fn console_post_without_the_csrf_token_is_refused() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let b = Browser::sign_in(&app, &shop.org.owner.email).await;
    let form = order_form("csrf-1");
    for csrf in [None, Some(""), Some("not-the-token")] {
        let resp = b.post("/console/orders", csrf, &fields(&form)).await;
        assert_eq!(resp.status, 403, "{csrf:?}: {}", resp.text());
        assert!(
            resp.text().contains("nothing was changed"),
            "{}",
            resp.text()
        );
    }
    // Another session's token does not open this one.
    let other = Browser::sign_in(&app, &shop.org.owner.email).await;
    let resp = b
        .post("/console/orders", Some(&other.csrf), &fields(&form))
        .await;
    assert_eq!(resp.status, 403);
    // A POST from another origin is refused even with the token.
    let resp = app
        .anon()
        .request(Method::POST, "/console/orders")
        .header(COOKIE, format!("onyx_console={}", b.cookie))
        .header("origin", "https://attacker.example")
        .form(&[
            ("csrf", b.csrf.as_str()),
            ("type", "activate_subscription"),
            ("customer_reference", "csrf-1"),
            ("package_id", "fr-plan"),
        ])
        .fetch()
        .await;
    assert_eq!(resp.status, 403);
    assert!(orders_of(&app, &shop.org).await.is_empty());
    // With the token the same form creates the order.
    let resp = b
        .post("/console/orders", Some(&b.csrf), &fields(&form))
        .await;
    assert_eq!(resp.status, 303, "{}", resp.text());
    let orders = orders_of(&app, &shop.org).await;
    assert_eq!(orders.len(), 1);
    assert_eq!(
        resp.header("location").unwrap(),
        format!("/console/orders/{}", orders[0]["id"].as_str().unwrap())
    );
}

#[tokio::test]
async fn console_viewer_forged_order_form_is_refused() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let viewer = app.add_member(&shop.org, "viewer").await;
    let b = Browser::sign_in(&app, &viewer.email).await;
    let orders = b.get("/console/orders").await;
    assert_eq!(orders.status, 200);
    assert!(
        !orders.text().contains("Create an order"),
        "not shown to a viewer"
    );
    let resp = b
        .post(
            "/console/orders",
            Some(&b.csrf),
            &fields(&order_form("forged")),
        )
        .await;
    assert_eq!(resp.status, 403, "{}", resp.text());
    assert!(resp
        .text()
        .contains("The viewer role may not create, cancel or retry orders"));
    assert_eq!(
        resp.header("content-type"),
        Some("text/html; charset=utf-8")
    );
    assert!(orders_of(&app, &shop.org).await.is_empty());
    // The form page itself is refused too, and so are other areas outside the matrix.
    assert_eq!(b.get("/console/orders/new").await.status, 403);
    assert_eq!(b.get("/console/webhooks").await.status, 403);
    assert_eq!(b.get("/console/credentials").await.status, 403);
    assert_eq!(b.get("/console/wallet").await.status, 200);
    // A role change applies at once: the same session may now order.
    let owner = Browser::sign_in(&app, &shop.org.owner.email).await;
    let resp = owner
        .post(
            &format!("/console/team/members/{}/role", viewer.id),
            Some(&owner.csrf),
            &[("role", "support")],
        )
        .await;
    assert_eq!(resp.status, 303, "{}", resp.text());
    let resp = b
        .post(
            "/console/orders",
            Some(&b.csrf),
            &fields(&order_form("now-allowed")),
        )
        .await;
    assert_eq!(resp.status, 303, "{}", resp.text());
    assert_eq!(orders_of(&app, &shop.org).await.len(), 1);
    // Removal ends the session at once.
    let resp = owner
        .post(
            &format!("/console/team/members/{}/remove", viewer.id),
            Some(&owner.csrf),
            &[],
        )
        .await;
    assert_eq!(resp.status, 303, "{}", resp.text());
    let resp = b.get("/console/orders").await;
    assert_eq!(resp.status, 303);
    assert!(resp
        .header("location")
        .unwrap()
        .starts_with("/console/login"));
}

#[tokio::test]
async fn console_other_tenants_ids_are_404_pages() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let order = create_order(&app, &shop.machine.token, &activate(&["fr-plan"])).await;
    let order_id = order["id"].as_str().unwrap();
    let service_id = order["service_id"].as_str().unwrap();
    let case = app
        .bearer(&shop.org.owner.token)
        .post(
            "/v1/support-cases",
            &serde_json::json!({"subject": "Help", "issue": "No data since this morning.", "category": "connectivity", "order_id": order_id}),
        )
        .await
        .expect(201);
    let case_id = case["id"].as_str().unwrap();
    // Its own owner sees them.
    let mine = Browser::sign_in(&app, &shop.org.owner.email).await;
    assert_eq!(
        mine.get(&format!("/console/orders/{order_id}"))
            .await
            .status,
        200
    );
    assert_eq!(
        mine.get(&format!("/console/services/{service_id}"))
            .await
            .status,
        200
    );
    assert_eq!(
        mine.get(&format!("/console/support/{case_id}"))
            .await
            .status,
        200
    );
    // Another partner's owner gets 404 pages, and cannot act on them.
    let other = app.onboard("Other").await;
    let b = Browser::sign_in(&app, &other.owner.email).await;
    for path in [
        format!("/console/orders/{order_id}"),
        format!("/console/services/{service_id}"),
        format!("/console/support/{case_id}"),
        "/console/orders/ord_doesnotexist".to_string(),
    ] {
        let resp = b.get(&path).await;
        assert_eq!(resp.status, 404, "{path}: {}", resp.text());
        assert!(resp.text().contains("Not found"), "{path}");
        assert_eq!(
            resp.header("content-type"),
            Some("text/html; charset=utf-8")
        );
    }
    let resp = b
        .post(
            &format!("/console/orders/{order_id}/cancel"),
            Some(&b.csrf),
            &[],
        )
        .await;
    assert_eq!(resp.status, 404, "{}", resp.text());
    let resp = b
        .post(
            &format!("/console/services/{service_id}/activation"),
            Some(&b.csrf),
            &[],
        )
        .await;
    assert_eq!(resp.status, 404, "{}", resp.text());
    let state = app
        .bearer(&shop.org.owner.token)
        .get_ok(&format!("/v1/orders/{order_id}"))
        .await;
    assert_ne!(state["state"], "cancelled");
    // An unknown console path is an HTML 404 too.
    let resp = b.get("/console/nothing-here").await;
    assert_eq!(resp.status, 404);
    assert!(resp.text().contains("Page not found"));
}

#[tokio::test]
async fn console_logout_invalidates_the_session() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Leave").await;
    let b = Browser::sign_in(&app, &org.owner.email).await;
    assert_eq!(b.get("/console/team").await.status, 200);
    // Sign-out is a form like any other: without the token it does nothing.
    assert_eq!(b.post("/console/logout", None, &[]).await.status, 403);
    assert_eq!(b.get("/console/team").await.status, 200);
    let resp = b.post("/console/logout", Some(&b.csrf), &[]).await;
    assert_eq!(resp.status, 303);
    assert_eq!(
        resp.header("location"),
        Some("/console/login?reason=logged_out")
    );
    // The old cookie opens nothing, for pages and forms alike.
    let resp = b.get("/console/team").await;
    assert_eq!(resp.status, 303);
    assert_eq!(
        resp.header("location"),
        Some("/console/login?reason=signed_out")
    );
    let resp = b
        .post(
            "/console/team/invitations",
            Some(&b.csrf),
            &[("email", "x@example.com"), ("role", "viewer")],
        )
        .await;
    assert_eq!(resp.status, 303);
    let invitations = app.bearer(&org.owner.token).get_ok("/v1/invitations").await;
    assert!(
        !invitations["data"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["email"] == "x@example.com"),
        "{invitations}"
    );
}

#[tokio::test]
async fn console_sessions_end_after_the_idle_and_absolute_timeouts() {
    let mut opts = TestOptions::default();
    opts.env.push(("ONYX_CONSOLE_IDLE_SECS", "1800".into()));
    opts.env.push(("ONYX_CONSOLE_MAX_SECS", "3600".into()));
    let app = TestApp::spawn_with(opts).await;
    let org = app.onboard("Clock").await;
    // Idle: 30 minutes without a request.
    let b = Browser::sign_in(&app, &org.owner.email).await;
    app.clock.advance(chrono::Duration::seconds(1790));
    assert_eq!(
        b.get("/console/").await.status,
        200,
        "still within the idle timeout"
    );
    app.clock.advance(chrono::Duration::seconds(1801));
    let resp = b.get("/console/").await;
    assert_eq!(resp.status, 303);
    assert_eq!(resp.header("location"), Some("/console/login?reason=idle"));
    assert_eq!(
        b.get("/console/").await.header("location"),
        Some("/console/login?reason=signed_out")
    );
    // Absolute: an hour after sign-in, however active.
    let b = Browser::sign_in(&app, &org.owner.email).await;
    for _ in 0..2 {
        app.clock.advance(chrono::Duration::seconds(1500));
        assert_eq!(b.get("/console/").await.status, 200);
    }
    app.clock.advance(chrono::Duration::seconds(1500));
    let resp = b.get("/console/").await;
    assert_eq!(resp.status, 303);
    assert_eq!(
        resp.header("location"),
        Some("/console/login?reason=expired")
    );
}

#[tokio::test]
async fn console_live_switch_needs_live_access() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Switch").await;
    let b = Browser::sign_in(&app, &org.owner.email).await;
    let resp = b
        .post(
            "/console/environment",
            Some(&b.csrf),
            &[("environment", "live")],
        )
        .await;
    assert_eq!(resp.status, 403, "{}", resp.text());
    assert!(b.get("/console/").await.text().contains("SANDBOX"));
    app.enable_live(&org.partner_id).await;
    let resp = b
        .post(
            "/console/environment",
            Some(&b.csrf),
            &[("environment", "live")],
        )
        .await;
    assert_eq!(resp.status, 303, "{}", resp.text());
    let page = b.get("/console/").await.text();
    assert!(page.contains("env-live") && page.contains("LIVE"), "{page}");
}

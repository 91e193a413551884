//! Findings of the hostile review (one test per item; see the closing notes).

use serde_json::json;

use crate::helpers::{Fetch, TestApp};
use crate::orders::{activate, shop};

/// Item 1: a NUL character anywhere in the input is refused before the database sees it, on
/// both backends alike, and nothing is written.
#[tokio::test]
async fn nul_characters_are_refused_at_the_edge_and_write_nothing() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let token = &shop.machine.token;

    // JSON bodies: 422 naming the field, unauthenticated routes included.
    let p = app
        .anon()
        .post(
            "/v1/auth/login",
            &json!({"email": "a\u{0}b@x.example", "password": "whatever-long-enough"}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(p["errors"][0]["field"], "email", "{p}");
    assert_eq!(p["errors"][0]["code"], "invalid_character", "{p}");
    let mut order = activate(&["fr-plan"]);
    order["customer_reference"] = json!("cust\u{0}42");
    let p = app
        .bearer(token)
        .post("/v1/orders", &order)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(p["errors"][0]["field"], "customer_reference", "{p}");
    let mut order = activate(&["fr-plan"]);
    order["metadata"] = json!({"k\u{0}": "v"});
    let p = app
        .bearer(token)
        .post("/v1/orders", &order)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(p["errors"][0]["field"], "metadata.k\\u0000", "{p}");

    // Paths and query strings.
    app.bearer(token)
        .get("/v1/orders/ord%00x")
        .await
        .expect_problem(404, "route_not_found");
    app.bearer(token)
        .get("/v1/packages/fr%00plan")
        .await
        .expect_problem(404, "route_not_found");
    app.bearer(token)
        .get("/v1/orders?customer_reference=a%00b")
        .await
        .expect_problem(400, "invalid_query");
    app.bearer(token)
        .get("/v1/orders?created_from=2026-11-01T00:00:00Z%00")
        .await
        .expect_problem(400, "invalid_query");

    // The token endpoint's form body: a client id with NUL is simply a failed client.
    let r = app
        .anon()
        .request(reqwest::Method::POST, "/v1/oauth/token")
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials&client_id=a%00b&client_secret=s")
        .fetch()
        .await;
    assert_eq!(r.status, 401, "{}", r.text());
    assert_eq!(r.body["error"], "invalid_client");

    // Nothing was written: no order, and the guessing counter holds no NUL identifier.
    let orders = app.bearer(token).get_ok("/v1/orders").await;
    assert_eq!(orders["data"].as_array().unwrap().len(), 0);
}

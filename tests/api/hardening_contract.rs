//! Issue 12 item 19: the contract tells the truth. A request valid by the OpenAPI document is
//! accepted, and the document states the rules the server checks (Schemathesis runs
//! `--checks all` against it in CI: .ci/schemathesis.sh). These tests pin the server fixes
//! the contract run led to, and the rules the document states.

use reqwest::Method;
use serde_json::json;

use crate::catalogue::package;
use crate::helpers::{Fetch, TestApp};
use crate::orders::{activate, create_order, shop};

/// JSON has one number type and JSON Schema calls `5000.0` an integer: a whole number written
/// with a fraction or an exponent is read as the integer it is; a true fraction is refused.
#[tokio::test]
async fn whole_numbers_written_as_floats_are_integers() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    let credits = format!("/v1/admin/partners/{}/wallet-credits", org.partner_id);
    let raw = |amount: &str| {
        app.operator()
            .request(Method::POST, &credits)
            .header("content-type", "application/json")
            .body(format!(
                r#"{{"environment": "sandbox", "currency": "EUR", "amount_minor": {amount}}}"#
            ))
            .fetch()
    };
    raw("5000.0").await.expect(201);
    raw("2.5e3").await.expect(201);
    raw("25000E-1").await.expect(201);
    for refused in ["5000.5", "1e30", "-0.5"] {
        let p = raw(refused).await.expect_problem(422, "validation_failed");
        assert_eq!(p["errors"][0]["field"], "amount_minor", "{refused}: {p}");
    }
    let wallets = app.bearer(&org.owner.token).get_ok("/v1/wallet").await;
    let eur = wallets["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["currency"] == "EUR")
        .expect("an EUR wallet");
    assert_eq!(eur["available"], 10_000, "{wallets}");
    // A number inside a string is text, never rewritten.
    app.operator()
        .request(Method::POST, &credits)
        .header("content-type", "application/json")
        .body(r#"{"environment": "sandbox", "currency": "EUR", "amount_minor": 1.0, "description": "1.0 of 2e3"}"#)
        .fetch()
        .await
        .expect(201);
    let ledger = app.bearer(&org.owner.token).get_ok("/v1/ledger").await;
    assert_eq!(ledger["data"][0]["description"], "1.0 of 2e3", "{ledger}");
}

/// `created_from` / `created_to` are RFC 3339 date-times: every time RFC 3339 can write is
/// accepted (years 0000 to 9999 at any offset) and selects the rows it means.
#[tokio::test]
async fn every_rfc3339_time_is_accepted_in_time_filters() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let token = &shop.machine.token;
    let order = create_order(&app, token, &activate(&["fr-plan"])).await;
    let widest =
        "created_from=0000-01-01T00:00:00%2B23:59&created_to=9999-12-31T23:59:59.999999-23:59";
    for list in ["/v1/orders", "/v1/events"] {
        let page = app.bearer(token).get_ok(&format!("{list}?{widest}")).await;
        assert!(
            !page["data"].as_array().unwrap().is_empty(),
            "{list}: {page}"
        );
        let before_1970 = "created_from=1969-07-20T20:17:40Z&created_to=1969-12-31T23:59:59Z";
        let page = app
            .bearer(token)
            .get_ok(&format!("{list}?{before_1970}"))
            .await;
        assert!(
            page["data"].as_array().unwrap().is_empty(),
            "{list}: {page}"
        );
    }
    let page = app
        .bearer(token)
        .get_ok(&format!("/v1/orders?{widest}"))
        .await;
    assert_eq!(page["data"][0]["id"], order["id"], "{page}");
    // Times RFC 3339 cannot write are still refused, naming the field.
    let p = app
        .bearer(token)
        .get("/v1/orders?created_to=-5000-01-01T00:00:00Z")
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(p["errors"][0]["field"], "created_to", "{p}");
}

/// The route of a package approval names the partner: a package in the body that does not
/// exist is a refused request (422 `package_not_found`, as for an order's items), not a
/// missing route target (a 404 there says the partner does not exist).
#[tokio::test]
async fn approving_a_package_that_does_not_exist_is_refused_not_missing() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    let approvals = format!("/v1/admin/partners/{}/package-approvals", org.partner_id);
    app.operator()
        .post(&approvals, &json!({"package_id": "no-such-package"}))
        .await
        .expect_problem(422, "package_not_found");
    app.operator()
        .post(
            "/v1/admin/partners/ptr_nope/package-approvals",
            &json!({"package_id": "no-such-package"}),
        )
        .await
        .expect_problem(404, "not_found");
}

/// A package's coverage name and region are 1 to 100 (64) characters as sent (the document's
/// `maxLength`), and not only white space; they are stored trimmed.
#[tokio::test]
async fn package_texts_are_measured_as_sent() {
    let app = TestApp::spawn().await;
    let padded = format!(" {} ", "a".repeat(99));
    let mut body = package("fr-padded");
    body["coverage_name"] = json!(padded);
    let p = app
        .operator()
        .post("/v1/admin/packages", &body)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(p["errors"][0]["field"], "coverage_name", "{p}");
    body["coverage_name"] = json!(" France ");
    body["region"] = json!(format!(" {} ", "r".repeat(63)));
    let p = app
        .operator()
        .post("/v1/admin/packages", &body)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(p["errors"][0]["field"], "region", "{p}");
    body["region"] = json!("\u{3000}\t");
    app.operator()
        .post("/v1/admin/packages", &body)
        .await
        .expect_problem(422, "validation_failed");
    body["region"] = json!(" Europe ");
    let created = app
        .operator()
        .post("/v1/admin/packages", &body)
        .await
        .expect(201);
    assert_eq!(created["coverage_name"], "France", "{created}");
    assert_eq!(created["region"], "Europe", "{created}");
}

/// A webhook URL has the form the document states (https to a host name, or http to
/// loopback in sandbox, in ASCII): what the URL parser would also take — a `*` in a host
/// name, an IP address literal over https, a space or a non-ASCII character in the path — is
/// refused, after the more specific reasons.
#[tokio::test]
async fn webhook_urls_hold_to_the_documented_form() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Hooks").await;
    let sandbox = app.machine(&org.owner.token).await;
    for url in [
        "https://m.0.O.A*",
        "https://93.184.216.34/hook",
        "https://hooks.example.com/a b",
        "https://hooks.example.com/\u{fc}",
        "https://b\u{fc}cher.example/hook",
        "http://0177.0.0.1:8080/hook",
    ] {
        let p = app
            .bearer(&sandbox.token)
            .post("/v1/webhook-endpoints", &json!({"url": url}))
            .await
            .expect_problem(422, "validation_failed");
        assert_eq!(p["errors"][0]["code"], "invalid_url", "{url}: {p}");
    }
    let created = app
        .bearer(&sandbox.token)
        .post(
            "/v1/webhook-endpoints",
            &json!({"url": "https://xn--bcher-kva.example/hook"}),
        )
        .await
        .expect(201);
    let id = created["id"].as_str().unwrap();
    for url in [
        "http://LOCALHOST.:8080/hook?x=1#y",
        "http://[::1]:9/x",
        "http://127.10.0.1",
        "https://hooks.example.com./onyx",
    ] {
        app.bearer(&sandbox.token)
            .patch(&format!("/v1/webhook-endpoints/{id}"), &json!({"url": url}))
            .await
            .expect(200);
    }
    // The specific reasons still come first.
    let p = app
        .bearer(&sandbox.token)
        .post(
            "/v1/webhook-endpoints",
            &json!({"url": "https://10.0.0.8/x"}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(p["errors"][0]["code"], "forbidden_address", "{p}");
}

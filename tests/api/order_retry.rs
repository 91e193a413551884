//! A retry runs the same subscription checks as creating the order would.

use serde_json::{json, Value};

use crate::helpers::TestApp;
use crate::orders::{activate, create_order, post_order, shop, wallet};

/// An active subscription: an activation completed and installed.
async fn active_service(app: &TestApp, token: &str) -> String {
    let order = create_order(app, token, &activate(&["fr-plan"])).await;
    app.drain().await;
    let svc = order["service_id"].as_str().unwrap().to_string();
    app.bearer(token)
        .post_empty(&format!("/v1/sandbox/services/{svc}/install"))
        .await
        .expect(200);
    svc
}

/// A top-up of `svc` that failed retryably (so that, on its own, a retry is allowed).
async fn failed_top_up(app: &TestApp, token: &str, svc: &str) -> String {
    let body = json!({"type": "top_up_subscription", "customer_reference": "cust-42", "service_id": svc,
        "items": [{"package_id": "eu-data-1"}], "sandbox_scenario": "failed_retryable"});
    let o = create_order(app, token, &body).await;
    app.drain().await;
    let id = o["id"].as_str().unwrap().to_string();
    let now = app.bearer(token).get_ok(&format!("/v1/orders/{id}")).await;
    assert_eq!(
        (now["state"].as_str(), now["retry_allowed"].as_bool()),
        (Some("failed"), Some(true))
    );
    id
}

fn entry_types(detail: &Value) -> Vec<String> {
    detail["ledger_entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["entry_type"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn a_retried_top_up_of_a_cancelled_subscription_is_refused_and_captures_nothing() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let token = &shop.machine.token;
    let svc = active_service(&app, token).await;
    let top_up = failed_top_up(&app, token, &svc).await;

    // The subscription is cancelled (a completed cancel order).
    let cancel =
        json!({"type": "cancel_subscription", "customer_reference": "cust-42", "service_id": svc});
    let c = create_order(&app, token, &cancel).await;
    app.drain().await;
    let c = app
        .bearer(token)
        .get_ok(&format!("/v1/orders/{}", c["id"].as_str().unwrap()))
        .await;
    assert_eq!(c["state"], "completed");
    let s = app
        .bearer(token)
        .get_ok(&format!("/v1/services/{svc}"))
        .await;
    assert_eq!(s["state"], "cancelled");

    // Creating that top-up now would be refused with service_not_active; so is its retry.
    let again = json!({"type": "top_up_subscription", "customer_reference": "cust-42", "service_id": svc,
        "items": [{"package_id": "eu-data-1"}]});
    post_order(&app, token, &again)
        .await
        .expect_problem(422, "service_not_active");
    let money_before = wallet(&app, token, "EUR").await;
    let problem = app
        .bearer(token)
        .post_empty(&format!("/v1/orders/{top_up}/retry"))
        .await
        .expect_problem(422, "service_not_active");
    assert!(
        problem["detail"].as_str().unwrap().contains("cancelled"),
        "{problem}"
    );
    app.drain().await;

    // Nothing changed: the order stays failed on its first attempt, no reservation and no
    // capture were made, the wallet is as before.
    let d = app
        .bearer(token)
        .get_ok(&format!("/v1/orders/{top_up}"))
        .await;
    assert_eq!(
        (d["state"].as_str(), d["attempt"].as_i64()),
        (Some("failed"), Some(1))
    );
    assert_eq!(entry_types(&d), vec!["reserve", "release"]);
    assert_eq!(wallet(&app, token, "EUR").await, money_before);
}

#[tokio::test]
async fn a_retry_while_a_cancel_is_open_is_refused_as_busy() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let token = &shop.machine.token;
    let svc = active_service(&app, token).await;
    let top_up = failed_top_up(&app, token, &svc).await;

    // A cancel order that stays open (the manual scenario waits for an operator report).
    let cancel = json!({"type": "cancel_subscription", "customer_reference": "cust-42", "service_id": svc,
        "sandbox_scenario": "manual"});
    let c = create_order(&app, token, &cancel).await;
    app.drain().await;
    let money_before = wallet(&app, token, "EUR").await;
    app.bearer(token)
        .post_empty(&format!("/v1/orders/{top_up}/retry"))
        .await
        .expect_problem(409, "service_busy");

    // Still one open order on the subscription: the cancel.
    let open = app
        .bearer(token)
        .get_ok("/v1/orders?state=pending&limit=100")
        .await;
    let processing = app
        .bearer(token)
        .get_ok("/v1/orders?state=processing&limit=100")
        .await;
    let open_ids: Vec<&str> = open["data"]
        .as_array()
        .unwrap()
        .iter()
        .chain(processing["data"].as_array().unwrap())
        .filter(|o| o["service_id"] == svc.as_str())
        .map(|o| o["id"].as_str().unwrap())
        .collect();
    assert_eq!(open_ids, vec![c["id"].as_str().unwrap()]);
    let d = app
        .bearer(token)
        .get_ok(&format!("/v1/orders/{top_up}"))
        .await;
    assert_eq!(entry_types(&d), vec!["reserve", "release"]);
    assert_eq!(wallet(&app, token, "EUR").await, money_before);
}

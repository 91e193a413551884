//! Orders, provisioning and the wallet reservation that pays for them.

use diesel::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};

use crate::catalogue::{approve, create_package, package, set_markets};
use crate::helpers::{Caller, Fetch, Machine, Org, Response, ResponseFuture, TestApp};

pub struct Shop {
    pub org: Org,
    pub machine: Machine,
}

fn pkg(id: &str, kind: &str, countries: &[&str], price: i64, currency: &str) -> Value {
    let mut p = package(id);
    p["kind"] = json!(kind);
    p["countries"] = json!(countries);
    p["coverage_type"] = json!(if countries.len() > 1 {
        "regional"
    } else {
        "local"
    });
    p["price_minor"] = json!(price);
    p["currency"] = json!(currency);
    if kind == "voice_addon" {
        p["data_allowance_bytes"] = json!(null);
        p["voice_minutes"] = json!(100);
    }
    p
}

/// An approved partner with a catalogue, markets FR/DE/JP/US, EUR 100.00 in the sandbox
/// wallet and a machine credential.
pub async fn shop(app: &TestApp) -> Shop {
    let org = app.onboard("Shop").await;
    set_markets(app, &org.partner_id, &["DE", "FR", "JP", "US"]).await;
    let mut specs = vec![
        pkg("fr-plan", "plan", &["FR"], 1300, "EUR"),
        pkg("fr-plan-b", "plan", &["FR"], 900, "EUR"),
        pkg("eu-data-1", "data_addon", &["FR", "DE"], 500, "EUR"),
        pkg("eu-voice-dom", "voice_addon", &["FR", "DE"], 300, "EUR"),
        pkg("eu-voice-dom-2", "voice_addon", &["FR", "DE"], 350, "EUR"),
        pkg("eu-voice-intl", "voice_addon", &["FR", "DE"], 400, "EUR"),
        pkg("jp-id-plan", "plan", &["JP"], 2000, "USD"),
        pkg("us-plan", "plan", &["US"], 1500, "USD"),
        pkg("fr-paused", "plan", &["FR"], 1000, "EUR"),
        pkg("gb-plan", "plan", &["GB"], 1000, "GBP"),
    ];
    specs[3]["voice_type"] = json!("domestic");
    specs[4]["voice_type"] = json!("domestic");
    specs[5]["voice_type"] = json!("international");
    specs[6]["compliance_requirements"] = json!(["identity_verification"]);
    specs[8]["status"] = json!("unavailable");
    for s in &specs {
        create_package(app, s).await;
        approve(app, &org.partner_id, s["package_id"].as_str().unwrap()).await;
    }
    create_package(app, &pkg("fr-unapproved", "plan", &["FR"], 1000, "EUR")).await;
    app.fund(&org.partner_id, "sandbox", "EUR", 10_000).await;
    let machine = app.machine(&org.owner.token).await;
    Shop { org, machine }
}

pub fn activate(items: &[&str]) -> Value {
    json!({
        "type": "activate_subscription",
        "customer_reference": "cust-42",
        "items": items.iter().map(|p| json!({"package_id": p})).collect::<Vec<_>>(),
    })
}

/// An activation of `items` that runs the sandbox `scenario`.
pub fn activate_with(items: &[&str], scenario: &str) -> Value {
    let mut body = activate(items);
    body["sandbox_scenario"] = json!(scenario);
    body
}

/// The order an order response names, as it is now.
async fn order_now(caller: &Caller<'_>, order: &Value) -> Value {
    let id = order["id"].as_str().unwrap();
    caller.get_ok(&format!("/v1/orders/{id}")).await
}

/// The service an order response names, as it is now.
async fn service_now(caller: &Caller<'_>, order: &Value) -> Value {
    let id = order["service_id"].as_str().unwrap();
    caller.get_ok(&format!("/v1/services/{id}")).await
}

/// The ledger entry types of an order, in order.
fn entry_types(order: &Value) -> Vec<&str> {
    order["ledger_entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["entry_type"].as_str().unwrap())
        .collect()
}

pub async fn post_order(app: &TestApp, token: &str, body: &Value) -> Response {
    app.bearer(token).post("/v1/orders", body).await
}

pub async fn create_order(app: &TestApp, token: &str, body: &Value) -> Value {
    post_order(app, token, body).await.expect(201)
}

/// (available, reserved, spent_this_period) of a wallet.
pub async fn wallet(app: &TestApp, token: &str, currency: &str) -> (i64, i64, i64) {
    let body = app.bearer(token).get_ok("/v1/wallet").await;
    let w = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["currency"] == currency)
        .cloned()
        .unwrap_or(json!({"available": 0, "reserved": 0, "spent_this_period": 0}));
    (
        w["available"].as_i64().unwrap(),
        w["reserved"].as_i64().unwrap(),
        w["spent_this_period"].as_i64().unwrap(),
    )
}

async fn order_events(app: &TestApp) -> i64 {
    app.db_query(|c| {
        onyx::db::schema::events::table
            .filter(onyx::db::schema::events::event_type.like("order.%"))
            .count()
            .get_result(c)
            .unwrap()
    })
}

/// Nothing of a refused order exists: no order, no reservation, no event, no service.
async fn assert_nothing_written(app: &TestApp, shop: &Shop, services_before: usize) {
    let owner = app.bearer(&shop.org.owner.token);
    let orders = owner.get_ok("/v1/orders").await;
    assert_eq!(orders["data"].as_array().unwrap().len(), 0, "no order row");
    assert_eq!(
        wallet(app, &shop.org.owner.token, "EUR").await,
        (10_000, 0, 0),
        "no reservation"
    );
    let ledger = owner.get_ok("/v1/ledger").await;
    assert_eq!(
        ledger["data"].as_array().unwrap().len(),
        1,
        "only the credit in the ledger"
    );
    assert_eq!(order_events(app).await, 0, "no event");
    let services = owner.get_ok("/v1/services").await;
    assert_eq!(
        services["data"].as_array().unwrap().len(),
        services_before,
        "no service"
    );
}

async fn refused(app: &TestApp, shop: &Shop, body: Value, status: u16, code: &str) -> Value {
    let problem = post_order(app, &shop.machine.token, &body)
        .await
        .expect_problem(status, code);
    assert_nothing_written(app, shop, 0).await;
    problem
}

#[tokio::test]
async fn an_activation_goes_from_pending_to_an_installed_service_and_pays_exactly_once() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let token = &shop.machine.token;
    let machine = app.bearer(token);
    let mut body = activate(&["fr-plan", "eu-data-1", "eu-voice-dom"]);
    body["metadata"] = json!({"trip": "Lisbon"});
    let order = create_order(&app, token, &body).await;
    assert_eq!(order["state"], "pending");
    assert_eq!(order["type"], "activate_subscription");
    assert_eq!(order["total_minor"], 2100);
    assert_eq!(order["currency"], "EUR");
    assert_eq!(order["sandbox_scenario"], "success");
    assert_eq!(order["metadata"]["trip"], "Lisbon");
    assert_eq!(order["items"].as_array().unwrap().len(), 3);
    assert!(order["next_step"].as_str().unwrap().len() > 20);
    let service_id = order["service_id"].as_str().unwrap().to_string();
    assert_eq!(wallet(&app, token, "EUR").await, (7_900, 2_100, 0));
    let svc = machine.get_ok(&format!("/v1/services/{service_id}")).await;
    assert_eq!(svc["state"], "preparing");
    assert!(svc["iccid"].is_null());

    app.drain().await;
    let id = order["id"].as_str().unwrap();
    let detail = machine.get_ok(&format!("/v1/orders/{id}")).await;
    assert_eq!(detail["state"], "completed");
    assert!(detail["completed_at"].is_string());
    assert_eq!(wallet(&app, token, "EUR").await, (7_900, 0, 2_100));
    let entries: Vec<(&str, i64)> = detail["ledger_entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["entry_type"].as_str().unwrap(),
                e["amount"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(entries, vec![("reserve", 2100), ("capture", 2100)]);
    let events: Vec<&str> = detail["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        events,
        vec![
            "order.created",
            "order.processing",
            "activation.ready",
            "service.ready_to_install",
            "order.completed"
        ]
    );

    let svc = machine.get_ok(&format!("/v1/services/{service_id}")).await;
    assert_eq!(svc["state"], "ready_to_install");
    assert_eq!(svc["install_state"], "not_installed");
    assert_eq!(svc["package_id"], "fr-plan");
    assert_eq!(svc["data_allowance_bytes"], 5_368_709_120_i64 * 2);
    let iccid = svc["iccid"].as_str().unwrap();
    assert_eq!(iccid.len(), 19);
    assert!(svc["next_step"]
        .as_str()
        .unwrap()
        .contains("activation materials"));

    let install = format!("/v1/sandbox/services/{service_id}/install");
    let svc = machine.post_empty(&install).await.expect(200);
    assert_eq!(svc["state"], "active");
    assert_eq!(svc["install_state"], "installed");
    assert_eq!(svc["activated_at"], "2026-11-01T09:00:00Z");
    assert_eq!(
        svc["expires_at"], "2026-12-01T09:00:00Z",
        "30 days of validity"
    );
    machine
        .post_empty(&install)
        .await
        .expect_problem(409, "service_not_ready");
}

#[tokio::test]
async fn item_rules_are_enforced_one_code_each_and_write_nothing() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    refused(&app, &shop, activate(&["eu-data-1"]), 422, "plan_required").await;
    refused(
        &app,
        &shop,
        activate(&["fr-plan", "fr-plan-b"]),
        422,
        "too_many_plans",
    )
    .await;
    let mut sixteen = vec!["fr-plan"];
    sixteen.extend(std::iter::repeat_n("eu-data-1", 16));
    refused(&app, &shop, activate(&sixteen), 422, "too_many_data_addons").await;
    refused(
        &app,
        &shop,
        activate(&["fr-plan", "eu-voice-dom", "eu-voice-dom-2"]),
        422,
        "duplicate_voice_type",
    )
    .await;

    // Fifteen data add-ons and one voice add-on of each type are fine.
    let mut fifteen = vec!["fr-plan", "eu-voice-dom", "eu-voice-intl"];
    fifteen.extend(std::iter::repeat_n("eu-data-1", 15));
    let total = 1300 + 300 + 400 + 15 * 500;
    app.fund(&shop.org.partner_id, "sandbox", "EUR", total)
        .await;
    let order = create_order(&app, &shop.machine.token, &activate(&fifteen)).await;
    assert_eq!(order["total_minor"], total);

    // Shape rules of the other types.
    let svc = order["service_id"].as_str().unwrap();
    for (body, field, code) in [
        (
            json!({"type": "top_up_subscription", "customer_reference": "c", "items": []}),
            "service_id",
            "required",
        ),
        (
            json!({"type": "cancel_subscription", "customer_reference": "c", "service_id": svc, "items": [{"package_id": "fr-plan"}]}),
            "items",
            "not_allowed",
        ),
        (
            json!({"type": "swap_sim", "customer_reference": "c", "service_id": svc, "items": [{"package_id": "fr-plan"}]}),
            "items",
            "not_allowed",
        ),
        (
            json!({"type": "activate_subscription", "customer_reference": "c", "service_id": svc, "items": [{"package_id": "fr-plan"}]}),
            "service_id",
            "not_allowed",
        ),
        (
            json!({"type": "activate_subscription", "customer_reference": "has space", "items": [{"package_id": "fr-plan"}]}),
            "customer_reference",
            "invalid_format",
        ),
        (
            json!({"type": "activate_subscription", "customer_reference": "x".repeat(65), "items": [{"package_id": "fr-plan"}]}),
            "customer_reference",
            "invalid_format",
        ),
        (
            json!({"type": "activate_subscription", "customer_reference": "c", "metadata": {"n": 1}, "items": [{"package_id": "fr-plan"}]}),
            "metadata.n",
            "invalid_type",
        ),
        (
            json!({"type": "activate_subscription", "customer_reference": "c", "metadata": {"k": "v".repeat(501)}, "items": [{"package_id": "fr-plan"}]}),
            "metadata.k",
            "too_long",
        ),
        (
            json!({"type": "activate_subscription", "customer_reference": "c", "metadata": (0..21).map(|i| (format!("k{i}"), json!("v"))).collect::<serde_json::Map<_, _>>(), "items": [{"package_id": "fr-plan"}]}),
            "metadata",
            "too_many_keys",
        ),
        (
            json!({"type": "gift_card", "customer_reference": "c"}),
            "type",
            "invalid_value",
        ),
    ] {
        let problem = post_order(&app, &shop.machine.token, &body)
            .await
            .expect_problem(422, "validation_failed");
        assert!(
            problem["errors"]
                .as_array()
                .unwrap()
                .iter()
                .any(|e| e["field"] == field && e["code"] == code),
            "{field}/{code}: {problem}"
        );
    }
    post_order(&app, &shop.machine.token, &json!({"type": "top_up_subscription", "customer_reference": "c", "service_id": svc, "items": []})).await.expect_problem(422, "items_required");
    let orders = app.bearer(&shop.org.owner.token).get_ok("/v1/orders").await;
    assert_eq!(
        orders["data"].as_array().unwrap().len(),
        1,
        "only the valid order exists"
    );
}

#[tokio::test]
async fn every_creation_check_has_its_code_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    refused(
        &app,
        &shop,
        activate(&["no-such-package"]),
        422,
        "package_not_found",
    )
    .await;
    refused(
        &app,
        &shop,
        activate(&["fr-paused"]),
        422,
        "package_unavailable",
    )
    .await;
    refused(
        &app,
        &shop,
        activate(&["fr-unapproved"]),
        422,
        "package_not_approved",
    )
    .await;
    refused(
        &app,
        &shop,
        activate(&["gb-plan"]),
        422,
        "market_not_eligible",
    )
    .await;
    refused(
        &app,
        &shop,
        activate(&["jp-id-plan"]),
        422,
        "compliance_requirements_not_met",
    )
    .await;
    refused(
        &app,
        &shop,
        activate(&[
            "fr-plan",
            "eu-data-1",
            "eu-data-1",
            "eu-data-1",
            "eu-data-1",
            "eu-data-1",
            "eu-data-1",
            "eu-data-1",
            "eu-data-1",
            "eu-data-1",
            "eu-data-1",
            "eu-data-1",
            "eu-data-1",
            "eu-data-1",
            "eu-data-1",
            "eu-data-1",
            "eu-data-1",
            "eu-data-1",
            "eu-data-1",
        ]),
        422,
        "too_many_data_addons",
    )
    .await;
    let mut mixed = activate(&["fr-plan"]);
    mixed["items"] = json!([{"package_id": "us-plan"}, {"package_id": "eu-data-1"}]);
    refused(&app, &shop, mixed, 422, "mixed_currencies").await;
    // Identity attested, but there is no USD money: payment is the last check.
    let mut verified = activate(&["jp-id-plan"]);
    verified["compliance"] = json!({"identity_verified": true});
    let problem = refused(&app, &shop, verified, 422, "insufficient_funds").await;
    assert!(problem["detail"].as_str().unwrap().contains("USD"));
    for (kind, code) in [
        ("top_up_subscription", "service_not_found"),
        ("cancel_subscription", "service_not_found"),
        ("swap_sim", "service_not_found"),
    ] {
        let mut body = json!({"type": kind, "customer_reference": "c", "service_id": "svc_nope"});
        if kind == "top_up_subscription" {
            body["items"] = json!([{"package_id": "eu-data-1"}]);
        }
        refused(&app, &shop, body, 422, code).await;
    }

    // Account state: a partner Onyx has not approved cannot order.
    let (pending, invitation) = app.create_partner("Pending", "owner@pending.example").await;
    app.accept(&invitation, "Owner").await;
    let token = app.login_token("owner@pending.example", "sandbox").await;
    post_order(&app, &token, &activate(&["fr-plan"]))
        .await
        .expect_problem(403, "partner_not_approved");
    let orders = app.bearer(&token).get_ok("/v1/orders").await;
    assert!(orders["data"].as_array().unwrap().is_empty(), "{pending}");

    // Roles: viewers and billing cannot order; support can.
    let viewer = app.add_member(&shop.org, "viewer").await;
    post_order(&app, &viewer.token, &activate(&["fr-plan"]))
        .await
        .expect_problem(403, "forbidden");
    assert_nothing_written(&app, &shop, 0).await;
}

#[tokio::test]
async fn subscription_state_decides_top_up_cancel_and_swap() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let token = &shop.machine.token;
    let machine = app.bearer(token);
    let order = create_order(&app, token, &activate(&["fr-plan"])).await;
    let svc = order["service_id"].as_str().unwrap().to_string();

    // While the activation is open the subscription is busy / not active.
    let top_up = json!({"type": "top_up_subscription", "customer_reference": "cust-42", "service_id": svc, "items": [{"package_id": "eu-data-1"}]});
    post_order(&app, token, &top_up)
        .await
        .expect_problem(422, "service_not_active");
    let cancel =
        json!({"type": "cancel_subscription", "customer_reference": "cust-42", "service_id": svc});
    post_order(&app, token, &cancel)
        .await
        .expect_problem(409, "service_busy");
    let swap = json!({"type": "swap_sim", "customer_reference": "cust-42", "service_id": svc});
    post_order(&app, token, &swap)
        .await
        .expect_problem(422, "service_not_swappable");

    app.drain().await;
    machine
        .post_empty(&format!("/v1/sandbox/services/{svc}/install"))
        .await;
    let before = machine.get_ok(&format!("/v1/services/{svc}")).await;

    // Top-up: more data, same service, paid.
    let t = create_order(&app, token, &top_up).await;
    assert_eq!(t["total_minor"], 500);
    app.drain().await;
    let after = machine.get_ok(&format!("/v1/services/{svc}")).await;
    assert_eq!(after["state"], "active");
    assert_eq!(
        after["data_allowance_bytes"].as_i64().unwrap(),
        before["data_allowance_bytes"].as_i64().unwrap() + 5_368_709_120
    );
    assert_eq!(
        wallet(&app, token, "EUR").await,
        (10_000 - 1300 - 500, 0, 1800)
    );

    // Swap: new materials (new ICCID), ready to install again, nothing charged.
    let s = create_order(&app, token, &swap).await;
    assert_eq!(s["total_minor"], 0);
    assert!(s["currency"].is_null());
    app.drain().await;
    let swapped = machine.get_ok(&format!("/v1/services/{svc}")).await;
    assert_eq!(swapped["state"], "ready_to_install");
    assert_ne!(swapped["iccid"], before["iccid"]);

    // Cancel: the subscription ends; a second cancel is refused.
    create_order(&app, token, &cancel).await;
    app.drain().await;
    let ended = machine.get_ok(&format!("/v1/services/{svc}")).await;
    assert_eq!(ended["state"], "cancelled");
    post_order(&app, token, &cancel)
        .await
        .expect_problem(422, "service_not_cancellable");
    post_order(&app, token, &top_up)
        .await
        .expect_problem(422, "service_not_active");
    assert_eq!(wallet(&app, token, "EUR").await, (8_200, 0, 1800));
}

#[tokio::test]
async fn sandbox_scenarios_run_end_to_end() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let token = &shop.machine.token;
    let machine = app.bearer(token);
    let with = |scenario: &str| activate_with(&["fr-plan"], scenario);

    // delayed: preparing → delayed → ready, observed step by step.
    let o = create_order(&app, token, &with("delayed")).await;
    let (id, svc) = (
        o["id"].as_str().unwrap().to_string(),
        o["service_id"].as_str().unwrap().to_string(),
    );
    app.step().await;
    assert_eq!(
        machine.get_ok(&format!("/v1/orders/{id}")).await["state"],
        "processing"
    );
    app.step().await;
    let s = machine.get_ok(&format!("/v1/services/{svc}")).await;
    assert_eq!(s["state"], "delayed");
    assert!(s["next_step"]
        .as_str()
        .unwrap()
        .contains("longer than usual"));
    app.step().await;
    assert_eq!(
        machine.get_ok(&format!("/v1/orders/{id}")).await["state"],
        "completed"
    );

    // failed: the known reason, not retryable, funds released.
    let o = create_order(&app, token, &with("failed")).await;
    app.drain().await;
    let f = order_now(&machine, &o).await;
    assert_eq!(f["state"], "failed");
    assert_eq!(f["failure_code"], "network_rejected");
    assert!(f["failure_message"].as_str().unwrap().contains("rejected"));
    assert_eq!(
        (f["retryable"].as_bool(), f["retry_allowed"].as_bool()),
        (Some(false), Some(false))
    );
    assert!(f["next_step"]
        .as_str()
        .unwrap()
        .contains("must not be retried"));
    let entries = entry_types(&f);
    assert_eq!(entries, vec!["reserve", "release"]);
    assert_eq!(service_now(&machine, &o).await["state"], "failed");

    // unavailable.
    let o = create_order(&app, token, &with("unavailable")).await;
    app.drain().await;
    let u = order_now(&machine, &o).await;
    assert_eq!(
        (u["state"].as_str(), u["failure_code"].as_str()),
        (Some("failed"), Some("service_unavailable"))
    );
    assert_eq!(service_now(&machine, &o).await["state"], "unavailable");

    // failed_retryable: retry once, then it succeeds; money exactly once per attempt.
    let o = create_order(&app, token, &with("failed_retryable")).await;
    let rid = o["id"].as_str().unwrap().to_string();
    app.drain().await;
    let f = machine.get_ok(&format!("/v1/orders/{rid}")).await;
    assert_eq!(
        (f["failure_code"].as_str(), f["retry_allowed"].as_bool()),
        (Some("upstream_timeout"), Some(true))
    );
    let retried = machine
        .post_empty(&format!("/v1/orders/{rid}/retry"))
        .await
        .expect(200);
    assert_eq!(
        (retried["state"].as_str(), retried["attempt"].as_i64()),
        (Some("pending"), Some(2))
    );
    assert!(retried["failure_code"].is_null());
    app.drain().await;
    let done = machine.get_ok(&format!("/v1/orders/{rid}")).await;
    assert_eq!(done["state"], "completed");
    let entries = entry_types(&done);
    assert_eq!(entries, vec!["reserve", "release", "reserve", "capture"]);

    // Totals: two completed orders captured; every failure released.
    assert_eq!(
        wallet(&app, token, "EUR").await,
        (10_000 - 2 * 1300, 0, 2 * 1300)
    );
    machine
        .post_empty(&format!("/v1/orders/{rid}/retry"))
        .await
        .expect_problem(409, "order_not_failed");
}

#[tokio::test]
async fn retries_need_a_change_or_onyx_guidance() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let token = &shop.machine.token;
    let machine = app.bearer(token);
    let o = create_order(&app, token, &activate_with(&["fr-plan"], "manual")).await;
    let id = o["id"].as_str().unwrap().to_string();
    app.drain().await;
    assert_eq!(
        machine.get_ok(&format!("/v1/orders/{id}")).await["state"],
        "processing",
        "manual waits for Onyx"
    );
    let provisioning = format!("/v1/admin/orders/{id}/provisioning");
    let report = |b: Value| app.operator().post(&provisioning, &b);

    // A non-retryable failure cannot be retried.
    let r = report(json!({"state": "failed", "failure_code": "sim_pool_empty", "failure_message": "No SIM profiles left.", "retryable": false})).await.expect(200);
    assert_eq!(r["state"], "failed");
    let retry = || machine.post_empty(&format!("/v1/orders/{id}/retry"));
    retry().await.expect_problem(409, "retry_not_allowed");
    retry().await.expect_problem(409, "retry_not_allowed");

    // Onyx marks it retryable: one retry is accepted.
    let r = report(json!({"state": "retryable"})).await.expect(200);
    assert_eq!(r["retry_allowed"], true);
    retry().await.expect(200);
    app.drain().await;
    // The same failure again, even flagged retryable, needs a change first.
    report(json!({"state": "failed", "failure_code": "sim_pool_empty", "retryable": true})).await;
    let o = machine.get_ok(&format!("/v1/orders/{id}")).await;
    assert_eq!(
        (o["retryable"].as_bool(), o["retry_allowed"].as_bool()),
        (Some(true), Some(false))
    );
    retry().await.expect_problem(409, "retry_not_allowed");
    report(json!({"state": "retryable"})).await;
    retry().await.expect(200);
    app.drain().await;
    let r = report(json!({"state": "ready"})).await.expect(200);
    assert_eq!(
        (r["state"].as_str(), r["attempt"].as_i64()),
        (Some("completed"), Some(3))
    );
    // Reports on a closed order are refused.
    report(json!({"state": "delayed"}))
        .await
        .expect_problem(409, "order_closed");

    // Money: three reservations, two releases, one capture.
    let d = machine.get_ok(&format!("/v1/orders/{id}")).await;
    let entries = entry_types(&d);
    assert_eq!(
        entries,
        vec!["reserve", "release", "reserve", "release", "reserve", "capture"]
    );
    assert_eq!(wallet(&app, token, "EUR").await, (8_700, 0, 1_300));

    // A retry that the wallet cannot cover is refused and changes nothing.
    let o = create_order(
        &app,
        token,
        &activate_with(&["fr-plan"], "failed_retryable"),
    )
    .await;
    app.drain().await;
    let spend = create_order(
        &app,
        token,
        &activate(&[
            "fr-plan",
            "eu-data-1",
            "eu-data-1",
            "eu-data-1",
            "eu-data-1",
            "eu-data-1",
            "eu-data-1",
            "eu-data-1",
            "eu-data-1",
            "eu-data-1",
            "eu-data-1",
            "eu-data-1",
            "eu-data-1",
            "eu-data-1",
        ]),
    )
    .await;
    assert_eq!(spend["total_minor"], 1300 + 13 * 500);
    let before = wallet(&app, token, "EUR").await;
    machine
        .post_empty(&format!("/v1/orders/{}/retry", o["id"].as_str().unwrap()))
        .await
        .expect_problem(422, "insufficient_funds");
    assert_eq!(wallet(&app, token, "EUR").await, before);
    assert_eq!(order_now(&machine, &o).await["retry_allowed"], true);
}

#[tokio::test]
async fn cancelling_releases_the_reservation_exactly_once() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let token = &shop.machine.token;
    let machine = app.bearer(token);
    let o = create_order(&app, token, &activate(&["fr-plan"])).await;
    let id = o["id"].as_str().unwrap();
    let c = machine
        .post_empty(&format!("/v1/orders/{id}/cancel"))
        .await
        .expect(200);
    assert_eq!(c["state"], "cancelled");
    assert_eq!(wallet(&app, token, "EUR").await, (10_000, 0, 0));
    assert_eq!(app.drain().await, 0, "provisioning stopped");
    assert_eq!(service_now(&machine, &o).await["state"], "cancelled");
    machine
        .post_empty(&format!("/v1/orders/{id}/cancel"))
        .await
        .expect_problem(409, "order_not_cancellable");

    // Completed orders cannot be cancelled; processing ones can.
    let done = create_order(&app, token, &activate(&["fr-plan"])).await;
    app.drain().await;
    machine
        .post_empty(&format!(
            "/v1/orders/{}/cancel",
            done["id"].as_str().unwrap()
        ))
        .await
        .expect_problem(409, "order_not_cancellable");
    let m = create_order(&app, token, &activate_with(&["fr-plan-b"], "manual")).await;
    app.drain().await;
    let r = machine
        .post_empty(&format!("/v1/orders/{}/cancel", m["id"].as_str().unwrap()))
        .await;
    assert_eq!(r.body["state"], "cancelled");
    // A report arriving after the cancellation is refused; the money stays released.
    app.operator()
        .post(
            &format!(
                "/v1/admin/orders/{}/provisioning",
                m["id"].as_str().unwrap()
            ),
            &json!({"state": "ready"}),
        )
        .await
        .expect_problem(409, "order_closed");
    assert_eq!(wallet(&app, token, "EUR").await, (8_700, 0, 1_300));
    let d = machine
        .get_ok(&format!("/v1/orders/{}", m["id"].as_str().unwrap()))
        .await;
    let entries = entry_types(&d);
    assert_eq!(entries, vec!["reserve", "release"]);
}

#[tokio::test]
async fn idempotency_keys_replay_refuse_mismatches_and_in_flight_use() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let token = &shop.machine.token;
    let machine = app.bearer(token);
    let send = |key: &str, body: Value| keyed_order(&machine, key, &body);

    let r = send("key-1", activate(&["fr-plan"])).await;
    let first = r.expect(201);
    assert!(r.header("idempotent-replayed").is_none());
    // Same key, same body (keys in another order): the original response, marked.
    let reordered = json!({"items": [{"package_id": "fr-plan"}], "customer_reference": "cust-42", "type": "activate_subscription"});
    let r = send("key-1", reordered).await;
    let second = r.expect(201);
    assert_eq!(r.header("idempotent-replayed"), Some("true"));
    assert_eq!(second["id"], first["id"]);
    assert_eq!(
        second["state"], "pending",
        "the original response, not the current state"
    );
    // Same key, different body.
    send("key-1", activate(&["fr-plan-b"]))
        .await
        .expect_problem(422, "idempotency_key_reused");
    // One order and one reservation only.
    let list = machine.get_ok("/v1/orders").await;
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    assert_eq!(wallet(&app, token, "EUR").await, (8_700, 1_300, 0));

    // A failed request frees its key for a corrected retry.
    send("key-2", activate(&["fr-paused"]))
        .await
        .expect_problem(422, "package_unavailable");
    send("key-2", activate(&["fr-plan-b"])).await.expect(201);

    // While a request with the key is in flight, the key is refused with 409.
    app.db_query(|c| {
        use onyx::db::schema::idempotency_keys as ik;
        diesel::insert_into(ik::table)
            .values((
                ik::partner_id.eq(&shop.org.partner_id),
                ik::environment.eq("sandbox"),
                ik::key.eq("key-3"),
                ik::request_hash.eq(onyx::idempotency::request_hash(
                    "POST",
                    "/v1/orders",
                    &activate(&["fr-plan"]),
                )),
                ik::state.eq("in_flight"),
                ik::created_at.eq(app.clock_now()),
                ik::expires_at.eq(app.clock_now() + chrono::Duration::hours(24)),
                ik::lease_until.eq(Some(app.clock_now() + onyx::idempotency::LEASE)),
            ))
            .execute(c)
            .unwrap();
    });
    send("key-3", activate(&["fr-plan"]))
        .await
        .expect_problem(409, "idempotency_key_in_use");

    // Keys are per environment and partner: another partner may use key-1 freely.
    let other = shop_for(&app, "Other").await;
    let r = keyed_order(&app.bearer(&other.token), "key-1", &activate(&["fr-plan"])).await;
    let b = r.expect(201);
    assert!(r.header("idempotent-replayed").is_none());
    assert_ne!(b["id"], first["id"]);

    // Kept 24 hours, then the key is new again.
    app.clock.advance(chrono::Duration::hours(24));
    let token = app
        .client_token(&shop.machine.client_id, &shop.machine.secret)
        .await;
    let machine = app.bearer(&token);
    keyed_order(&machine, "key-1", &activate(&["fr-plan-b"]))
        .await
        .expect(201);
    keyed_order(&machine, "", &activate(&["fr-plan-b"]))
        .await
        .expect_problem(400, "invalid_idempotency_key");
}

/// `POST /v1/orders` with an `Idempotency-Key`.
fn keyed_order(caller: &Caller, key: &str, body: &Value) -> impl ResponseFuture {
    caller
        .request(Method::POST, "/v1/orders")
        .header("Idempotency-Key", key)
        .json(body)
        .fetch()
}

/// A second approved partner with the same catalogue approvals, funded, with a machine token.
async fn shop_for(app: &TestApp, name: &str) -> Machine {
    let org = app.onboard(name).await;
    set_markets(app, &org.partner_id, &["FR"]).await;
    approve(app, &org.partner_id, "fr-plan").await;
    app.fund(&org.partner_id, "sandbox", "EUR", 5_000).await;
    app.machine(&org.owner.token).await
}

#[tokio::test]
async fn concurrent_uses_of_one_key_create_one_order() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let mut handles = Vec::new();
    let machine = app.bearer(&shop.machine.token);
    for _ in 0..8 {
        handles.push(tokio::spawn(keyed_order(
            &machine,
            "same",
            &activate(&["fr-plan"]),
        )));
    }
    let mut ids = std::collections::BTreeSet::new();
    for h in handles {
        let r = h.await.unwrap();
        let (s, b) = (r.status, &r.body);
        assert!(s == 201 || s == 409, "{s} {b}");
        if s == 201 {
            ids.insert(b["id"].as_str().unwrap().to_string());
        } else {
            assert_eq!(b["code"], "idempotency_key_in_use");
        }
    }
    assert_eq!(ids.len(), 1, "every success is the same order");
    let list = machine.get_ok("/v1/orders").await;
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    assert_eq!(
        wallet(&app, &shop.machine.token, "EUR").await,
        (8_700, 1_300, 0)
    );
}

#[tokio::test]
async fn concurrent_orders_never_overdraw_the_wallet() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    // EUR 100.00 affords seven orders of EUR 13.00 (91.00), not eight.
    let mut handles = Vec::new();
    for i in 0..20 {
        let mut body = activate(&["fr-plan"]);
        body["customer_reference"] = json!(format!("cust-{i}"));
        handles.push(tokio::spawn(
            app.bearer(&shop.machine.token).post("/v1/orders", &body),
        ));
    }
    let (mut ok, mut broke) = (0, 0);
    for h in handles {
        let r = h.await.unwrap();
        let (s, b) = (r.status, &r.body);
        match s {
            201 => ok += 1,
            422 => {
                assert_eq!(b["code"], "insufficient_funds");
                broke += 1;
            }
            other => panic!("unexpected {other}: {b}"),
        }
    }
    assert_eq!((ok, broke), (7, 13));
    assert_eq!(
        wallet(&app, &shop.machine.token, "EUR").await,
        (900, 9_100, 0)
    );
    app.drain().await;
    assert_eq!(
        wallet(&app, &shop.machine.token, "EUR").await,
        (900, 0, 9_100)
    );
    // The wallet equals the sum of its ledger.
    let ledger = app
        .bearer(&shop.org.owner.token)
        .get_ok("/v1/ledger?limit=100")
        .await;
    let sum = |t: &str| -> i64 {
        ledger["data"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["entry_type"] == t)
            .map(|e| e["amount"].as_i64().unwrap())
            .sum()
    };
    assert_eq!(sum("credit") - sum("reserve") + sum("release"), 900);
    assert_eq!(sum("reserve") - sum("capture") - sum("release"), 0);
    assert_eq!(sum("capture"), 9_100);
}

#[tokio::test]
async fn order_history_filters_and_pages() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let token = &shop.machine.token;
    let mut ids = Vec::new();
    for i in 0..5 {
        app.clock.advance(chrono::Duration::minutes(1));
        let mut body = activate(&["fr-plan-b"]);
        body["customer_reference"] = json!(if i % 2 == 0 { "even" } else { "odd" });
        if i == 4 {
            body["sandbox_scenario"] = json!("failed");
        }
        ids.push(
            create_order(&app, token, &body).await["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    app.drain().await;
    let token = app
        .client_token(&shop.machine.client_id, &shop.machine.secret)
        .await;
    let machine = &app.bearer(&token);
    let got = |q: &'static str| async move {
        machine.get_ok(&format!("/v1/orders?limit=100{q}")).await["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| o["id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        got("").await,
        ids.iter().rev().cloned().collect::<Vec<_>>(),
        "newest first"
    );
    assert_eq!(
        got("&customer_reference=odd").await,
        vec![ids[3].clone(), ids[1].clone()]
    );
    assert_eq!(got("&state=failed").await, vec![ids[4].clone()]);
    assert_eq!(
        got("&state=completed&customer_reference=even").await,
        vec![ids[2].clone(), ids[0].clone()]
    );
    assert_eq!(got("&type=swap_sim").await.len(), 0);
    assert_eq!(
        got("&created_from=2026-11-01T09:02:00Z&created_to=2026-11-01T09:04:00Z").await,
        vec![ids[2].clone(), ids[1].clone()]
    );
    let page = machine.get_ok("/v1/orders?limit=2").await;
    assert_eq!(page["has_more"], true);
    let page2 = machine
        .get_ok(&format!(
            "/v1/orders?limit=2&cursor={}",
            page["next_cursor"].as_str().unwrap()
        ))
        .await;
    assert_eq!(page2["data"][0]["id"], ids[2].as_str());
    machine
        .get("/v1/orders?state=lost")
        .await
        .expect_problem(400, "invalid_query");
    machine
        .get("/v1/orders/ord_nope")
        .await
        .expect_problem(404, "not_found");
}

#[tokio::test]
async fn live_orders_refuse_scenarios_and_follow_operator_reports() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    app.enable_live(&shop.org.partner_id).await;
    let live_owner = app.login_token(&shop.org.owner.email, "live").await;
    let live = app.machine(&live_owner).await;
    app.fund(&shop.org.partner_id, "live", "EUR", 2_000).await;

    let body = activate_with(&["fr-plan"], "success");
    let problem = post_order(&app, &live.token, &body)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["code"], "sandbox_scenario_not_allowed");

    let o = create_order(&app, &live.token, &activate(&["fr-plan"])).await;
    assert!(o["sandbox_scenario"].is_null());
    assert_eq!(o["environment"], "live");
    assert_eq!(wallet(&app, &live.token, "EUR").await, (700, 1_300, 0));
    assert_eq!(
        wallet(&app, &shop.machine.token, "EUR").await,
        (10_000, 0, 0),
        "sandbox money untouched"
    );
    app.drain().await;
    let id = o["id"].as_str().unwrap();
    assert_eq!(
        app.bearer(&live.token)
            .get_ok(&format!("/v1/orders/{id}"))
            .await["state"],
        "processing"
    );
    let r = app
        .operator()
        .post(
            &format!("/v1/admin/orders/{id}/provisioning"),
            &json!({"state": "ready"}),
        )
        .await;
    assert_eq!(r.body["state"], "completed");
    assert_eq!(wallet(&app, &live.token, "EUR").await, (700, 0, 1_300));

    // Environments never see each other's orders or services.
    let sandbox = app.bearer(&shop.machine.token);
    let sandbox_orders = sandbox.get_ok("/v1/orders").await;
    assert!(sandbox_orders["data"].as_array().unwrap().is_empty());
    sandbox
        .get(&format!("/v1/orders/{id}"))
        .await
        .expect_problem(404, "not_found");
    // Sandbox helpers do not exist in live.
    app.bearer(&live.token)
        .post_empty(&format!(
            "/v1/sandbox/services/{}/install",
            o["service_id"].as_str().unwrap()
        ))
        .await
        .expect_problem(404, "route_not_found");
}

#[tokio::test]
async fn the_http_upstream_drives_live_orders_with_bounded_retries() {
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let upstream = MockServer::start().await;
    let mut opts = crate::helpers::TestOptions::default();
    opts.env.push(("ONYX_UPSTREAM_URL", upstream.uri()));
    let app = TestApp::spawn_with(opts).await;
    let shop = shop(&app).await;
    app.enable_live(&shop.org.partner_id).await;
    let live = app
        .machine(&app.login_token(&shop.org.owner.email, "live").await)
        .await;
    app.fund(&shop.org.partner_id, "live", "EUR", 2_000).await;

    // Two 503s, then an answer: the adapter retries within one step.
    Mock::given(method("POST"))
        .and(path("/provisioning/steps"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(2)
        .mount(&upstream)
        .await;
    Mock::given(method("POST"))
        .and(path("/provisioning/steps"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"state": "failed", "failure_code": "imsi_blocked", "failure_message": "The network blocked the profile.", "retryable": false})))
        .mount(&upstream)
        .await;
    let o = create_order(&app, &live.token, &activate(&["fr-plan"])).await;
    app.drain().await;
    let f = order_now(&app.bearer(&live.token), &o).await;
    assert_eq!(
        (f["state"].as_str(), f["failure_code"].as_str()),
        (Some("failed"), Some("imsi_blocked"))
    );
    let requests = upstream.received_requests().await.unwrap();
    assert_eq!(requests.len(), 3, "two retries, then the answer");
    let sent: Value = serde_json::from_slice(&requests[2].body).unwrap();
    assert_eq!(sent["order_id"], o["id"]);
    assert_eq!(sent["package_ids"], json!(["fr-plan"]));
    assert_eq!(wallet(&app, &live.token, "EUR").await, (2_000, 0, 0));
}

impl TestApp {
    pub fn clock_now(&self) -> chrono::NaiveDateTime {
        use onyx::clock::Clock;
        self.clock.now().naive_utc()
    }
}

/// An order belongs to its partner: another partner's credential reads, cancels and retries
/// it as an order that does not exist, and nothing changes.
#[tokio::test]
async fn another_partners_order_answers_as_missing() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let order = create_order(&app, &shop.machine.token, &activate(&["fr-plan"])).await;
    let id = order["id"].as_str().unwrap();
    let other = app.onboard("Other Shop").await;
    let stranger = app.machine(&other.owner.token).await;
    let caller = app.bearer(&stranger.token);
    caller
        .get(&format!("/v1/orders/{id}"))
        .await
        .expect_problem(404, "not_found");
    caller
        .post_empty(&format!("/v1/orders/{id}/cancel"))
        .await
        .expect_problem(404, "not_found");
    let mine = app
        .bearer(&shop.machine.token)
        .get_ok(&format!("/v1/orders/{id}"))
        .await;
    assert_eq!(mine["state"], "pending");
}

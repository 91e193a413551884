//! Live readiness: the checklist moves item by item as a partner does the real sandbox steps;
//! live requests are refused while incomplete, approved (live opens) or declined with a
//! reason; the audit log's filters.

use futures_util::future::LocalBoxFuture;
use serde_json::{json, Value};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::catalogue::{approve, package, set_markets};
use crate::helpers::{Org, TestApp};
use crate::orders::{activate, activate_with, create_order};
use crate::support::receiver;

/// A partner doing its sandbox homework.
struct Partner<'a> {
    app: &'a TestApp,
    org: Org,
}

/// One sandbox step; returns the id the checklist must show as evidence.
type Step = for<'a> fn(&'a Partner<'a>) -> LocalBoxFuture<'a, String>;

/// The checklist items (in the order of GET /v1/readiness) and the sandbox step that
/// completes each. An item added to `readiness::checklist` is one more line here.
const STEPS: &[(&str, Step)] = &[
    ("sandbox_credential_used", |p| Box::pin(use_a_credential(p))),
    ("webhook_delivery_succeeded", |p| {
        Box::pin(receive_a_webhook(p))
    }),
    ("sandbox_order_completed", |p| {
        Box::pin(complete_an_order(p))
    }),
    ("failed_order_handled", |p| {
        Box::pin(retry_a_failed_order(p))
    }),
    ("billing_member", |p| Box::pin(invite_billing(p))),
    ("billing_contact", |p| Box::pin(record_a_billing_contact(p))),
];

fn keys() -> Vec<&'static str> {
    STEPS.iter().map(|(k, _)| *k).collect()
}

async fn use_a_credential(p: &Partner<'_>) -> String {
    p.app.machine(&p.org.owner.token).await.id
}

async fn receive_a_webhook(p: &Partner<'_>) -> String {
    let owner = p.app.bearer(&p.org.owner.token);
    // A receiver that answers 500 does not count.
    let failing = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&failing)
        .await;
    let bad = owner
        .post(
            "/v1/webhook-endpoints",
            &json!({"url": format!("{}/hooks", failing.uri()), "event_types": ["webhook.test"]}),
        )
        .await
        .expect(201);
    let bad = bad["id"].as_str().unwrap().to_string();
    owner
        .post_empty(&format!("/v1/webhook-endpoints/{bad}/test"))
        .await
        .expect(202);
    assert_eq!(p.app.deliver().await, 1);
    assert_eq!(failing.received_requests().await.unwrap().len(), 1);
    let item = item_of(&readiness(p).await, "webhook_delivery_succeeded");
    assert_eq!(item["done"], false, "{item}");
    owner
        .delete(&format!("/v1/webhook-endpoints/{bad}"))
        .await
        .expect(204);

    let rx = receiver().await;
    let we = owner
        .post(
            "/v1/webhook-endpoints",
            &json!({"url": format!("{}/hooks", rx.uri()), "event_types": ["webhook.test"]}),
        )
        .await
        .expect(201);
    let we = we["id"].as_str().unwrap().to_string();
    owner
        .post_empty(&format!("/v1/webhook-endpoints/{we}/test"))
        .await
        .expect(202);
    assert_eq!(p.app.deliver().await, 1);
    assert_eq!(rx.received_requests().await.unwrap().len(), 1);
    let delivery = owner
        .get_ok(&format!("/v1/webhook-deliveries?endpoint_id={we}"))
        .await;
    delivery["data"][0]["id"].as_str().unwrap().to_string()
}

async fn complete_an_order(p: &Partner<'_>) -> String {
    let order = create_order(p.app, &p.org.owner.token, &activate(&["fr-plan"])).await;
    p.app.drain().await;
    let svc = order["service_id"].as_str().unwrap();
    p.app
        .bearer(&p.org.owner.token)
        .post_empty(&format!("/v1/sandbox/services/{svc}/install"))
        .await
        .expect(200);
    order["id"].as_str().unwrap().to_string()
}

async fn retry_a_failed_order(p: &Partner<'_>) -> String {
    let owner = p.app.bearer(&p.org.owner.token);
    let order = create_order(
        p.app,
        &p.org.owner.token,
        &activate_with(&["fr-plan"], "failed_retryable"),
    )
    .await;
    p.app.drain().await;
    let id = order["id"].as_str().unwrap().to_string();
    assert_eq!(
        owner.get_ok(&format!("/v1/orders/{id}")).await["state"],
        "failed"
    );
    owner
        .post_empty(&format!("/v1/orders/{id}/retry"))
        .await
        .expect(200);
    p.app.drain().await;
    id
}

async fn invite_billing(p: &Partner<'_>) -> String {
    p.app.add_member(&p.org, "billing").await.id
}

async fn record_a_billing_contact(p: &Partner<'_>) -> String {
    let path = format!("/v1/admin/partners/{}/billing-profile", p.org.partner_id);
    // A profile without a contact does not count.
    let profile =
        json!({"commitment_minor": 0, "commitment_currency": "EUR", "payment_terms_days": 30});
    p.app.operator().put(&path, &profile).await.expect(200);
    let items = p
        .app
        .bearer(&p.org.owner.token)
        .get_ok("/v1/readiness")
        .await;
    let item = items["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|i| i["key"] == "billing_contact")
        .cloned()
        .unwrap_or(Value::Null);
    assert_eq!(item["done"], false, "{items}");
    let mut with_contact = profile;
    with_contact["billing_contact"] =
        json!({"email": "billing@example.com", "name": "Billing team"});
    p.app.operator().put(&path, &with_contact).await.expect(200);
    p.org.partner_id.clone()
}

/// An approved partner with a French plan and a funded EUR sandbox wallet, nothing else.
async fn fresh_partner<'a>(app: &'a TestApp, name: &str) -> Partner<'a> {
    let org = app.onboard(name).await;
    set_markets(app, &org.partner_id, &["FR"]).await;
    // Packages are global: the first partner's call creates it.
    let created = app
        .operator()
        .post("/v1/admin/packages", &package("fr-plan"))
        .await;
    assert!(
        created.status == 201 || created.status == 409,
        "{}",
        created.text()
    );
    approve(app, &org.partner_id, "fr-plan").await;
    app.fund(&org.partner_id, "sandbox", "EUR", 10_000).await;
    Partner { app, org }
}

/// Every step done: the checklist is complete.
async fn ready_partner<'a>(app: &'a TestApp, name: &str) -> Partner<'a> {
    let p = fresh_partner(app, name).await;
    for (_, step) in STEPS {
        step(&p).await;
    }
    assert_eq!(readiness(&p).await["ready"], true);
    p
}

async fn readiness(p: &Partner<'_>) -> Value {
    p.app
        .bearer(&p.org.owner.token)
        .get_ok("/v1/readiness")
        .await
}

fn item_of(readiness: &Value, key: &str) -> Value {
    readiness["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["key"] == key)
        .cloned()
        .unwrap()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| s.as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn the_checklist_moves_item_by_item_as_the_partner_works_in_sandbox() {
    let app = TestApp::spawn().await;
    let p = fresh_partner(&app, "Ready").await;
    let start = readiness(&p).await;
    let listed: Vec<String> = start["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["key"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(listed, keys(), "the test's steps follow the checklist");
    assert_eq!(start["ready"], false);
    assert_eq!(start["live_enabled"], false);
    assert_eq!(strings(&start["missing"]), keys());
    for item in start["items"].as_array().unwrap() {
        assert_eq!(item["done"], false);
        assert_eq!(item["evidence"], json!([]));
        assert!(!item["how_to_complete"].as_str().unwrap().is_empty());
    }

    for (i, (key, step)) in STEPS.iter().enumerate() {
        // Before the step the request is refused with exactly the open items.
        let refused = app
            .bearer(&p.org.owner.token)
            .post_empty("/v1/readiness/live-request")
            .await
            .expect_problem(422, "readiness_incomplete");
        assert_eq!(strings(&refused["missing"]), keys()[i..].to_vec());

        let evidence_id = step(&p).await;
        let now = readiness(&p).await;
        for (j, item) in now["items"].as_array().unwrap().iter().enumerate() {
            assert_eq!(item["done"], j <= i, "after {key}: {item}");
        }
        let item = &now["items"][i];
        let ids: Vec<&str> = item["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["id"].as_str().unwrap())
            .collect();
        assert!(ids.contains(&evidence_id.as_str()), "{key}: {item}");
        assert!(item["evidence"][0]["at"].as_str().is_some());
        assert_eq!(strings(&now["missing"]), keys()[i + 1..].to_vec());
    }
    let done = readiness(&p).await;
    assert_eq!(done["ready"], true);
    let handled = &done["items"][3]["evidence"][0]["details"];
    assert_eq!(handled["handled_by"], "order.retried");

    // Developers and viewers read it too.
    let developer = app.add_member(&p.org, "developer").await;
    assert_eq!(
        app.bearer(&developer.token).get_ok("/v1/readiness").await["ready"],
        true
    );
    // The refusals were audited with what was missing.
    let refused = app
        .bearer(&p.org.owner.token)
        .get_ok("/v1/audit-log?action=live_access.request_refused&limit=100")
        .await;
    assert_eq!(refused["data"].as_array().unwrap().len(), STEPS.len());
    // Another partner's sandbox work does not count for this one.
    let other = fresh_partner(&app, "Other").await;
    assert_eq!(strings(&readiness(&other).await["missing"]), keys());
}

#[tokio::test]
async fn an_approved_request_opens_live_and_a_live_credential_works() {
    let app = TestApp::spawn().await;
    let p = ready_partner(&app, "Golive").await;
    let owner = app.bearer(&p.org.owner.token);
    app.login(&p.org.owner.email, "live")
        .await
        .expect_problem(403, "live_access_not_enabled");

    let request = owner
        .post_empty("/v1/readiness/live-request")
        .await
        .expect(201);
    let id = request["id"].as_str().unwrap().to_string();
    assert_eq!(request["status"], "pending");
    assert_eq!(request["checklist"].as_array().unwrap().len(), STEPS.len());
    owner
        .post_empty("/v1/readiness/live-request")
        .await
        .expect_problem(409, "live_request_pending");

    let op = app.operator();
    let pending = op
        .get_ok(&format!(
            "/v1/admin/live-requests?status=pending&partner_id={}",
            p.org.partner_id
        ))
        .await;
    assert_eq!(pending["data"].as_array().unwrap().len(), 1);
    assert_eq!(pending["data"][0]["id"], id.as_str());
    assert_eq!(
        op.get_ok("/v1/admin/live-requests?status=approved").await["data"],
        json!([])
    );
    let approved = op
        .post_empty(&format!("/v1/admin/live-requests/{id}/approve"))
        .await
        .expect(200);
    assert_eq!(approved["status"], "approved");
    assert!(approved["decided_at"].as_str().is_some());
    op.post_empty(&format!("/v1/admin/live-requests/{id}/approve"))
        .await
        .expect_problem(409, "live_request_not_pending");

    // The one live-access switch is on: the operator's partner view shows it.
    let partner = op
        .get_ok(&format!("/v1/admin/partners/{}", p.org.partner_id))
        .await;
    assert_eq!(partner["live_enabled"], true);
    let now = readiness(&p).await;
    assert_eq!(now["live_enabled"], true);
    assert_eq!(now["live_request"]["status"], "approved");
    owner
        .post_empty("/v1/readiness/live-request")
        .await
        .expect_problem(409, "live_access_already_enabled");

    // Live sign-in, a live credential, its token, the live wallet.
    let live_owner = app.login_token(&p.org.owner.email, "live").await;
    let live = app.machine(&live_owner).await;
    assert!(live.secret.starts_with("onyx_sk_live_"));
    app.fund(&p.org.partner_id, "live", "EUR", 5_000).await;
    let wallet = app.bearer(&live.token).get_ok("/v1/wallet").await;
    assert_eq!(wallet["data"][0]["available"], 5_000);
    let me = app.bearer(&live.token).get_ok("/v1/me").await;
    assert_eq!(me["environment"], "live");

    // Events to the partner's sandbox, every step audited.
    let events = owner.get_ok("/v1/events?limit=100").await;
    let types: Vec<&str> = events["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .filter(|t| t.starts_with("live_access."))
        .collect();
    assert_eq!(types, vec!["live_access.approved", "live_access.requested"]);
    let audit = owner.get_ok("/v1/audit-log?limit=100").await;
    let actions: Vec<&str> = audit["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for action in [
        "live_access.requested",
        "live_access.approved",
        "partner.live_enabled",
    ] {
        assert!(actions.contains(&action), "{action}");
    }

    // One mechanism: the operator's live-access flag closes what the approval opened.
    op.post(
        &format!("/v1/admin/partners/{}/live-access", p.org.partner_id),
        &json!({"enabled": false}),
    )
    .await
    .expect(200);
    app.bearer(&live.token)
        .get("/v1/wallet")
        .await
        .expect_problem(403, "live_access_not_enabled");
}

#[tokio::test]
async fn a_declined_request_carries_its_reason_and_can_be_made_again() {
    let app = TestApp::spawn().await;
    let p = ready_partner(&app, "Declined").await;
    let owner = app.bearer(&p.org.owner.token);
    let first = owner
        .post_empty("/v1/readiness/live-request")
        .await
        .expect(201);
    let id = first["id"].as_str().unwrap();
    let op = app.operator();
    op.post(&format!("/v1/admin/live-requests/{id}/decline"), &json!({}))
        .await
        .expect_problem(422, "validation_failed");
    let reason = "Your webhook handler does not verify signatures yet.";
    let declined = op
        .post(
            &format!("/v1/admin/live-requests/{id}/decline"),
            &json!({"reason": reason}),
        )
        .await
        .expect(200);
    assert_eq!(declined["status"], "declined");
    assert_eq!(declined["reason"], reason);
    op.post_empty(&format!("/v1/admin/live-requests/{id}/approve"))
        .await
        .expect_problem(409, "live_request_not_pending");

    let now = readiness(&p).await;
    assert_eq!(now["live_enabled"], false);
    assert_eq!(now["live_request"]["status"], "declined");
    assert_eq!(now["live_request"]["reason"], reason);
    let events = owner.get_ok("/v1/events?type=live_access.declined").await;
    assert_eq!(events["data"][0]["data"]["reason"], reason);
    app.login(&p.org.owner.email, "live")
        .await
        .expect_problem(403, "live_access_not_enabled");

    // Fixed and asked again: a new request waits.
    let again = owner
        .post_empty("/v1/readiness/live-request")
        .await
        .expect(201);
    assert_ne!(again["id"], first["id"]);
    assert_eq!(again["status"], "pending");
    let declined_list = op.get_ok("/v1/admin/live-requests?status=declined").await;
    assert_eq!(declined_list["data"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn the_audit_log_filters_by_actor_action_and_time() {
    let app = TestApp::spawn().await;
    let p = fresh_partner(&app, "Audited").await;
    let owner = app.bearer(&p.org.owner.token);
    let machine = app.machine(&p.org.owner.token).await;
    app.clock.advance(chrono::Duration::minutes(5));
    let later = app.clock_now_rfc3339();
    let machine_token = app.client_token(&machine.client_id, &machine.secret).await;
    let owner_token = app.login_token(&p.org.owner.email, "sandbox").await;
    app.bearer(&machine_token)
        .post(
            "/v1/support-cases",
            &json!({"subject": "Audit", "issue": "Audit me", "category": "other"}),
        )
        .await
        .expect(201);
    let owner = {
        let _ = owner;
        app.bearer(&owner_token)
    };
    let entries = |b: &Value| -> Vec<(String, String)> {
        b["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| {
                (
                    e["action"].as_str().unwrap().to_string(),
                    e["actor_id"].as_str().unwrap_or("").to_string(),
                )
            })
            .collect()
    };
    let by_machine = owner
        .get_ok(&format!(
            "/v1/audit-log?actor_type=credential&actor_id={}",
            machine.id
        ))
        .await;
    assert_eq!(
        entries(&by_machine),
        vec![("support_case.opened".to_string(), machine.id.clone())]
    );
    let by_owner = owner
        .get_ok(&format!(
            "/v1/audit-log?actor_id={}&action=credential.created",
            p.org.owner.id
        ))
        .await;
    assert_eq!(
        entries(&by_owner),
        vec![("credential.created".to_string(), p.org.owner.id.clone())]
    );
    let since = owner
        .get_ok(&format!("/v1/audit-log?created_from={}", urlencode(&later)))
        .await;
    let since: Vec<String> = entries(&since).into_iter().map(|(a, _)| a).collect();
    assert!(
        since.contains(&"support_case.opened".to_string()),
        "{since:?}"
    );
    assert!(
        !since.contains(&"credential.created".to_string()),
        "{since:?}"
    );
    let before = owner
        .get_ok(&format!("/v1/audit-log?created_to={}", urlencode(&later)))
        .await;
    let before: Vec<String> = entries(&before).into_iter().map(|(a, _)| a).collect();
    assert!(before.contains(&"credential.created".to_string()));
    assert!(!before.contains(&"support_case.opened".to_string()));
    let operator = owner.get_ok("/v1/audit-log?actor_type=operator").await;
    assert!(entries(&operator)
        .iter()
        .any(|(a, _)| a == "partner.approved"));
    // An unknown kind is refused like any value outside a documented enum, naming the kinds.
    let unknown = owner
        .get("/v1/audit-log?actor_type=robot")
        .await
        .expect_problem(400, "invalid_query");
    assert!(
        unknown["detail"].as_str().unwrap().contains("credential"),
        "{unknown}"
    );
    owner
        .get("/v1/audit-log?created_from=not-a-time")
        .await
        .expect_problem(400, "invalid_query");
}

fn urlencode(s: &str) -> String {
    s.replace(':', "%3A").replace('+', "%2B")
}

trait ClockText {
    fn clock_now_rfc3339(&self) -> String;
}

impl ClockText for TestApp {
    fn clock_now_rfc3339(&self) -> String {
        use onyx::clock::Clock;
        self.clock.now().to_rfc3339()
    }
}

//! Services over time and the sandbox test clock (issue 15): expiry alerts and expiry,
//! partner-chosen usage thresholds, usage freshness, and a sandbox clock that every
//! time-based rule of that partner's sandbox follows (and nothing else does).

use std::sync::Arc;

use chrono::Duration;
use diesel::prelude::*;
use onyx::db::{Backend, Db};
use onyx::state::AppState;
use serde_json::{json, Value};

use crate::helpers::{Fetch, TestApp};
use crate::orders::{activate, create_order, shop, Shop};

/// An installed (active) sandbox service on `fr-plan` (30 days, 5 GiB); its id.
async fn active_service(app: &TestApp, shop: &Shop) -> String {
    let order = create_order(app, &shop.machine.token, &activate(&["fr-plan"])).await;
    app.drain().await;
    let svc = order["service_id"].as_str().unwrap().to_string();
    app.bearer(&shop.machine.token)
        .post_empty(&format!("/v1/sandbox/services/{svc}/install"))
        .await
        .expect(200);
    svc
}

const ALLOWANCE: i64 = 5_368_709_120;

/// The partner's events of a type, oldest first (through the API).
async fn events_of(app: &TestApp, token: &str, event_type: &str) -> Vec<Value> {
    let mut data = app
        .bearer(token)
        .get_ok(&format!("/v1/events?type={event_type}&limit=100"))
        .await["data"]
        .as_array()
        .unwrap()
        .clone();
    data.reverse();
    data
}

/// Every event of a type in the database (all partners and environments).
fn all_events(app: &TestApp, event_type: &str) -> Vec<Value> {
    app.db_query(|c| {
        use onyx::db::schema::events;
        events::table
            .filter(events::event_type.eq(event_type))
            .order(events::id.asc())
            .select(events::data)
            .load::<String>(c)
            .unwrap()
    })
    .iter()
    .map(|d| serde_json::from_str(d).unwrap())
    .collect()
}

async fn advance(app: &TestApp, token: &str, body: Value) -> Value {
    app.bearer(token)
        .post("/v1/sandbox/clock/advance", &body)
        .await
        .expect(200)
}

#[tokio::test]
async fn a_sandbox_service_is_warned_3_days_then_1_day_ahead_then_expires_once_and_a_top_up_renews_it(
) {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let token = shop.machine.token.clone();
    let svc = active_service(&app, &shop).await;
    let machine = app.bearer(&token);
    let service = machine.get_ok(&format!("/v1/services/{svc}")).await;
    assert_eq!(service["expires_at"], "2026-12-01T09:00:00Z");

    let clock = machine.get_ok("/v1/sandbox/clock").await;
    assert_eq!(clock["offset"], "PT0S");
    assert_eq!(clock["test_time"], "2026-11-01T09:00:00Z");

    // 26 days: nothing yet.
    let moved = advance(&app, &token, json!({"by": "P26D"})).await;
    assert_eq!(moved["service_events"], 0);
    assert!(events_of(&app, &token, "service.expiring").await.is_empty());

    // 27 days: 3 days left.
    let moved = advance(&app, &token, json!({"to": "2026-11-28T09:00:00Z"})).await;
    assert_eq!(moved["service_events"], 1);
    assert_eq!(moved["moved_by"], "P1D");
    assert_eq!(moved["clock"]["offset"], "P27D");
    assert_eq!(moved["clock"]["real_time"], "2026-11-01T09:00:00Z");
    let expiring = events_of(&app, &token, "service.expiring").await;
    assert_eq!(expiring.len(), 1);
    assert_eq!(expiring[0]["data"]["lead"], "P3D");
    assert_eq!(expiring[0]["data"]["expires_at"], "2026-12-01T09:00:00Z");
    assert_eq!(expiring[0]["data"]["service_id"], svc.as_str());
    // The event carries the real time and the test time.
    assert_eq!(expiring[0]["created_at"], "2026-11-01T09:00:00Z");
    assert_eq!(expiring[0]["test_clock_time"], "2026-11-28T09:00:00Z");

    // The scheduled scan, run again (by this instance's job), adds nothing.
    assert_eq!(
        onyx::services::alerts::run_due(&app.state, None)
            .await
            .unwrap(),
        0
    );
    // 2 days left: between the two leads.
    let moved = advance(&app, &token, json!({"by": "P1D"})).await;
    assert_eq!(moved["service_events"], 0);
    // 1 day left.
    let moved = advance(&app, &token, json!({"by": "PT24H"})).await;
    assert_eq!(moved["service_events"], 1);
    let expiring = events_of(&app, &token, "service.expiring").await;
    assert_eq!(expiring.len(), 2);
    assert_eq!(expiring[1]["data"]["lead"], "P1D");
    assert!(events_of(&app, &token, "service.expired").await.is_empty());
    assert_eq!(
        machine.get_ok(&format!("/v1/services/{svc}")).await["state"],
        "active"
    );

    assert!(events_of(&app, &token, "invoice.issued").await.is_empty());

    // Validity ends; the move also passes the end of November on the sandbox clock, which
    // closes the sandbox billing period (the activation's capture is invoiced).
    let moved = advance(&app, &token, json!({"by": "P1D"})).await;
    assert_eq!(moved["service_events"], 1);
    assert_eq!(moved["invoices_issued"], 1);
    let issued = events_of(&app, &token, "invoice.issued").await;
    assert_eq!(issued.len(), 1);
    assert_eq!(issued[0]["test_clock_time"], "2026-12-01T09:00:00Z");
    let invoices = app
        .bearer(&shop.org.owner.token)
        .get_ok("/v1/invoices")
        .await;
    let invoice = &invoices["data"][0];
    assert_eq!(invoice["period"], "2026-11");
    assert_eq!(invoice["period_end"], "2026-12-01T00:00:00Z");
    for _ in 0..3 {
        onyx::services::alerts::run_due(&app.state, None)
            .await
            .unwrap();
    }
    let expired = events_of(&app, &token, "service.expired").await;
    assert_eq!(expired.len(), 1);
    assert_eq!(expired[0]["data"]["service"]["state"], "expired");
    assert_eq!(events_of(&app, &token, "service.expiring").await.len(), 2);
    let service = machine.get_ok(&format!("/v1/services/{svc}")).await;
    assert_eq!(service["state"], "expired");
    assert!(service["next_step"].as_str().unwrap().contains("top-up"));
    // Usage stops.
    machine
        .post(
            &format!("/v1/sandbox/services/{svc}/usage"),
            &json!({"bytes_used": 1}),
        )
        .await
        .expect_problem(409, "service_not_active");

    // A top-up renews it: 30 more days from the test time, and the alerts re-armed.
    create_order(
        &app,
        &token,
        &json!({"type": "top_up_subscription", "customer_reference": "cust-42", "service_id": svc, "items": [{"package_id": "fr-plan"}]}),
    )
    .await;
    app.drain().await;
    let service = machine.get_ok(&format!("/v1/services/{svc}")).await;
    assert_eq!(service["state"], "active");
    assert_eq!(service["expires_at"], "2026-12-31T09:00:00Z");
    let moved = advance(&app, &token, json!({"by": "P27D"})).await;
    assert_eq!(moved["service_events"], 1);
    let expiring = events_of(&app, &token, "service.expiring").await;
    assert_eq!(expiring.len(), 3);
    assert_eq!(expiring[2]["data"]["expires_at"], "2026-12-31T09:00:00Z");
    assert_eq!(expiring[2]["data"]["lead"], "P3D");

    // The clock never moves back, nor leaps more than 400 days; neither request moves it.
    let before = machine.get_ok("/v1/sandbox/clock").await;
    machine
        .post(
            "/v1/sandbox/clock/advance",
            &json!({"to": "2026-11-02T09:00:00Z"}),
        )
        .await
        .expect_problem(422, "clock_not_forward");
    machine
        .post("/v1/sandbox/clock/advance", &json!({"by": "P401D"}))
        .await
        .expect_problem(422, "clock_jump_too_large");
    for bad in [
        json!({}),
        json!({"by": "P1D", "to": "2027-01-01T00:00:00Z"}),
        json!({"by": "1 day"}),
        json!({"by": "P1M"}),
    ] {
        machine
            .post("/v1/sandbox/clock/advance", &bad)
            .await
            .expect_problem(422, "validation_failed");
    }
    assert_eq!(machine.get_ok("/v1/sandbox/clock").await, before);
}

#[tokio::test]
async fn partner_thresholds_fire_once_each_a_top_up_rearms_them_and_snapshots_go_stale() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let token = shop.machine.token.clone();
    let machine = app.bearer(&token);
    let defaults = machine.get_ok("/v1/settings/alerts").await;
    assert_eq!(defaults["usage_thresholds"], json!([80, 100]));
    assert_eq!(defaults["expiry_lead_times"], json!(["P3D", "P1D"]));
    assert_eq!(defaults["expiry_lead_hours"], json!([72, 24]));
    assert_eq!(defaults["default"], true);

    // Bad settings: every problem named, nothing changed.
    let body = machine
        .put(
            "/v1/settings/alerts",
            &json!({"usage_thresholds": [0, 50, 50], "expiry_lead_hours": [0, 721]}),
        )
        .await
        .expect_problem(422, "validation_failed");
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        vec![
            "usage_thresholds[0]",
            "usage_thresholds[2]",
            "expiry_lead_hours[0]",
            "expiry_lead_hours[1]"
        ]
    );
    machine
        .put(
            "/v1/settings/alerts",
            &json!({"usage_thresholds": [1, 2, 3, 4, 5, 6], "expiry_lead_hours": [24]}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(machine.get_ok("/v1/settings/alerts").await, defaults);

    let svc = active_service(&app, &shop).await;
    let set = machine
        .put(
            "/v1/settings/alerts",
            &json!({"usage_thresholds": [90, 50], "expiry_lead_hours": [72, 12]}),
        )
        .await
        .expect(200);
    assert_eq!(set["usage_thresholds"], json!([50, 90]));
    assert_eq!(set["expiry_lead_times"], json!(["P3D", "PT12H"]));
    assert_eq!(set["expiry_lead_hours"], json!([72, 12]));
    assert_eq!(set["default"], false);

    let report = |bytes: i64| {
        machine.post(
            &format!("/v1/sandbox/services/{svc}/usage"),
            &json!({"bytes_used": bytes}),
        )
    };
    let thresholds = || {
        all_events(&app, "usage.threshold_reached")
            .iter()
            .map(|e| {
                (
                    e["threshold_percent"].as_i64().unwrap(),
                    e["data_allowance_bytes"].as_i64().unwrap(),
                )
            })
            .collect::<Vec<_>>()
    };
    for (percent, expected) in [
        (10, vec![]),
        (49, vec![]),
        (55, vec![(50, ALLOWANCE)]),
        (60, vec![(50, ALLOWANCE)]),
        (85, vec![(50, ALLOWANCE)]),
        (95, vec![(50, ALLOWANCE), (90, ALLOWANCE)]),
        (100, vec![(50, ALLOWANCE), (90, ALLOWANCE)]),
        (110, vec![(50, ALLOWANCE), (90, ALLOWANCE)]),
    ] {
        app.clock.advance(Duration::seconds(10));
        report(ALLOWANCE * percent / 100).await.expect(201);
        assert_eq!(thresholds(), expected, "after {percent}%");
    }
    let first_use = events_of(&app, &token, "service.first_use").await;
    assert_eq!(first_use.len(), 1);
    assert_eq!(first_use[0]["data"]["bytes_used"], ALLOWANCE / 10);
    let depleted = events_of(&app, &token, "service.depleted").await;
    assert_eq!(depleted.len(), 1);
    assert_eq!(depleted[0]["data"]["data_allowance_bytes"], ALLOWANCE);

    // A top-up doubles the allowance and re-arms the thresholds.
    create_order(
        &app,
        &token,
        &json!({"type": "top_up_subscription", "customer_reference": "cust-42", "service_id": svc, "items": [{"package_id": "fr-plan"}]}),
    )
    .await;
    app.drain().await;
    app.clock.advance(Duration::seconds(10));
    report(ALLOWANCE * 2 * 60 / 100).await.expect(201);
    assert_eq!(
        thresholds(),
        vec![(50, ALLOWANCE), (90, ALLOWANCE), (50, 2 * ALLOWANCE)]
    );
    assert_eq!(events_of(&app, &token, "service.first_use").await.len(), 1);

    // Settings are per environment: live still has the defaults.
    app.enable_live(&shop.org.partner_id).await;
    let live = app.login_token(&shop.org.owner.email, "live").await;
    let live_settings = app.bearer(&live).get_ok("/v1/settings/alerts").await;
    assert_eq!(live_settings["usage_thresholds"], json!([80, 100]));

    // Freshness: a snapshot is current for 6 hours of the environment's clock.
    let usage = machine.get_ok(&format!("/v1/services/{svc}/usage")).await;
    assert_eq!(usage["latest"]["stale"], false);
    let as_of =
        chrono::DateTime::parse_from_rfc3339(usage["latest"]["as_of"].as_str().unwrap()).unwrap();
    let stale_after =
        chrono::DateTime::parse_from_rfc3339(usage["latest"]["stale_after"].as_str().unwrap())
            .unwrap();
    assert_eq!(stale_after - as_of, Duration::hours(6));
    advance(&app, &token, json!({"by": "PT7H"})).await;
    let usage = machine.get_ok(&format!("/v1/services/{svc}/usage")).await;
    assert_eq!(usage["latest"]["stale"], true);
    assert_eq!(
        machine.get_ok(&format!("/v1/services/{svc}")).await["usage"]["stale"],
        true
    );
    // Simulated usage is reported at the test time, so it is current again.
    report(ALLOWANCE * 2 * 70 / 100).await.expect(201);
    let usage = machine.get_ok(&format!("/v1/services/{svc}/usage")).await;
    assert_eq!(usage["latest"]["stale"], false);
    assert_eq!(usage["latest"]["as_of"], usage["judged_at"]);
}

#[tokio::test]
async fn advancing_past_a_rotated_credentials_grace_stops_the_old_secret_and_idempotency_keys_expire(
) {
    let app = TestApp::spawn().await;
    let org = app.onboard("Grace").await;
    let old = app.machine(&org.owner.token).await;
    let owner = app.bearer(&org.owner.token);
    let new = owner
        .post(
            &format!("/v1/credentials/{}/rotate", old.id),
            &json!({"grace_period_seconds": 3600}),
        )
        .await
        .expect(201);
    let old_caller = app.bearer(&old.token);
    old_caller.get_ok("/v1/me").await;

    advance(&app, &org.owner.token, json!({"by": "PT59M"})).await;
    old_caller.get_ok("/v1/me").await;
    app.client_token(&old.client_id, &old.secret).await;

    advance(&app, &org.owner.token, json!({"by": "PT1M"})).await;
    old_caller
        .get("/v1/me")
        .await
        .expect_problem(401, "credential_expired");
    let body = app
        .token_request(&old.client_id, &old.secret)
        .await
        .expect(401);
    assert_eq!(body["error"], "invalid_client");
    let new_token = app
        .client_token(
            new["client_id"].as_str().unwrap(),
            new["client_secret"].as_str().unwrap(),
        )
        .await;
    app.bearer(&new_token).get_ok("/v1/me").await;

    // Idempotency keys are kept 24 hours of the sandbox clock.
    let send = |subject: &str| {
        app.bearer(&new_token)
            .request(reqwest::Method::POST, "/v1/support-cases")
            .header("Idempotency-Key", "clock-key-1")
            .json(&json!({
                "subject": subject,
                "issue": "The customer installed the eSIM but has no data; roaming is on.",
                "category": "connectivity",
            }))
            .fetch()
    };
    let first = send("No data after install").await.expect(201);
    send("Another case")
        .await
        .expect_problem(422, "idempotency_key_reused");
    advance(&app, &org.owner.token, json!({"by": "P1DT1M"})).await;
    let second = send("Another case").await.expect(201);
    assert_ne!(first["id"], second["id"]);
}

#[tokio::test]
async fn an_invitation_sent_from_sandbox_expires_by_the_sandbox_clock() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Invites").await;
    let owner = app.bearer(&org.owner.token);
    let invitation = owner
        .post(
            "/v1/invitations",
            &json!({"email": "dev@invites.example", "role": "developer"}),
        )
        .await
        .expect(201);
    assert_eq!(invitation["expires_at"], "2026-11-08T09:00:00Z");
    // Another partner's owner invitation (made by Onyx) follows the real clock.
    let (_, other) = app.create_partner("Other", "owner@other.example").await;

    advance(&app, &org.owner.token, json!({"by": "P7D"})).await;
    let list = owner.get_ok("/v1/invitations").await;
    let row = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == invitation["id"])
        .unwrap()
        .clone();
    assert_eq!(row["status"], "expired");
    app.anon()
        .post(
            "/v1/invitations/accept",
            &json!({"token": invitation["token"], "name": "Dev", "password": crate::helpers::PASSWORD}),
        )
        .await
        .expect_problem(422, "invitation_expired");
    app.accept(&other, "Other owner").await;

    // Sent at the moved test time, a new invitation lasts 7 days from it.
    let again = owner
        .post(
            "/v1/invitations",
            &json!({"email": "dev2@invites.example", "role": "developer"}),
        )
        .await
        .expect(201);
    assert_eq!(again["expires_at"], "2026-11-15T09:00:00Z");
    app.accept(again["token"].as_str().unwrap(), "Dev").await;
}

#[tokio::test]
async fn one_partners_clock_moves_neither_another_partner_nor_live() {
    let app = TestApp::spawn().await;
    let a = shop(&app).await;
    let a_svc = active_service(&app, &a).await;
    // Live of partner A: a rotated live credential with one hour of grace.
    app.enable_live(&a.org.partner_id).await;
    let live_owner = app.login_token(&a.org.owner.email, "live").await;
    let live_machine = app.machine(&live_owner).await;
    app.bearer(&live_owner)
        .post(
            &format!("/v1/credentials/{}/rotate", live_machine.id),
            &json!({"grace_period_seconds": 3600}),
        )
        .await
        .expect(201);
    app.bearer(&live_machine.token)
        .get("/v1/sandbox/clock")
        .await
        .expect_problem(404, "route_not_found");
    app.bearer(&live_machine.token)
        .post("/v1/sandbox/clock/advance", &json!({"by": "P1D"}))
        .await
        .expect_problem(404, "route_not_found");

    // Partner B, with a sandbox service of its own.
    let b = app.onboard("Bystander").await;
    crate::catalogue::set_markets(&app, &b.partner_id, &["FR"]).await;
    crate::catalogue::approve(&app, &b.partner_id, "fr-plan").await;
    app.fund(&b.partner_id, "sandbox", "EUR", 10_000).await;
    let b_machine = app.machine(&b.owner.token).await;
    let b_shop = Shop {
        org: b.clone(),
        machine: b_machine.clone(),
    };
    let b_svc = active_service(&app, &b_shop).await;

    advance(&app, &a.machine.token, json!({"by": "P29D"})).await;
    assert_eq!(
        events_of(&app, &a.machine.token, "service.expiring")
            .await
            .len(),
        1
    );
    // B: clock, service, events untouched, even after the scheduled scan.
    onyx::services::alerts::run_due(&app.state, None)
        .await
        .unwrap();
    let b_clock = app
        .bearer(&b_machine.token)
        .get_ok("/v1/sandbox/clock")
        .await;
    assert_eq!(b_clock["offset"], "PT0S");
    assert_eq!(b_clock["test_time"], "2026-11-01T09:00:00Z");
    assert!(events_of(&app, &b_machine.token, "service.expiring")
        .await
        .is_empty());
    let b_service = app
        .bearer(&b_machine.token)
        .get_ok(&format!("/v1/services/{b_svc}"))
        .await;
    assert_eq!(b_service["state"], "active");
    // B's events carry no test time.
    let b_events = app
        .bearer(&b_machine.token)
        .get_ok("/v1/events?limit=100")
        .await;
    assert!(b_events["data"]
        .as_array()
        .unwrap()
        .iter()
        .all(|e| e.get("test_clock_time").is_none()));
    // A's live credential still has its grace (live follows real time only).
    app.bearer(&live_machine.token).get_ok("/v1/me").await;
    app.client_token(&live_machine.client_id, &live_machine.secret)
        .await;
    assert_eq!(
        app.bearer(&a.machine.token)
            .get_ok(&format!("/v1/services/{a_svc}"))
            .await["state"],
        "active"
    );
}

/// Another instance over the app's database with the app's clock: on PostgreSQL its own
/// pool (another process); one SQLite file serves one process, so there the pool is shared.
fn instance(app: &TestApp) -> AppState {
    let db = match app.state.db.backend() {
        Backend::Postgres => Db::connect(&app.db.url, 4).expect("second pool"),
        Backend::Sqlite => app.state.db.clone(),
    };
    AppState::new(db, (*app.state.config).clone(), Arc::new(app.clock.clone()))
}

#[tokio::test]
async fn two_instances_scanning_at_once_emit_each_alert_exactly_once() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let mut services = Vec::new();
    for _ in 0..3 {
        services.push(active_service(&app, &shop).await);
    }
    let (a, b) = (instance(&app), instance(&app));
    let both = || async {
        for _ in 0..5 {
            let (x, y) = tokio::join!(
                onyx::services::alerts::run_due(&a, None),
                onyx::services::alerts::run_due(&b, None)
            );
            x.unwrap();
            y.unwrap();
        }
    };
    // Real time moves (the scheduled scans of both instances find the work).
    app.clock.advance(Duration::days(27));
    both().await;
    let expiring = all_events(&app, "service.expiring");
    assert_eq!(expiring.len(), 3, "{expiring:?}");
    let mut warned: Vec<&str> = expiring
        .iter()
        .map(|e| e["service_id"].as_str().unwrap())
        .collect();
    warned.sort();
    let mut expected: Vec<&str> = services.iter().map(|s| s.as_str()).collect();
    expected.sort();
    assert_eq!(warned, expected);
    app.clock.advance(Duration::days(3));
    both().await;
    assert_eq!(all_events(&app, "service.expiring").len(), 3);
    assert_eq!(all_events(&app, "service.expired").len(), 3);
    // Live time, no clock involved: the events carry no test time.
    let token = &app
        .client_token(&shop.machine.client_id, &shop.machine.secret)
        .await;
    assert!(events_of(&app, token, "service.expired")
        .await
        .iter()
        .all(|e| e.get("test_clock_time").is_none()));
}

#[tokio::test]
async fn a_webhook_retry_is_due_when_the_sandbox_clock_passes_its_wait() {
    use wiremock::matchers::method;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let app = TestApp::spawn().await;
    let org = app.onboard("Retries").await;
    let m = app.machine(&org.owner.token).await;
    let rx = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .mount(&rx)
        .await;
    let we = app
        .bearer(&m.token)
        .post("/v1/webhook-endpoints", &json!({"url": rx.uri()}))
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_string();
    app.bearer(&m.token)
        .post_empty(&format!("/v1/webhook-endpoints/{we}/test"))
        .await
        .expect(202);
    assert_eq!(app.deliver().await, 1);
    // The first retry comes after 5 s of real time; the second waits 5 minutes.
    app.clock.advance(Duration::seconds(6));
    assert_eq!(app.deliver().await, 1);
    assert_eq!(app.deliver().await, 0);
    let moved = advance(&app, &m.token, json!({"by": "PT150S"})).await;
    assert_eq!(moved["webhook_retries_moved"], 1);
    assert_eq!(app.deliver().await, 0, "half way: still waiting");
    advance(&app, &m.token, json!({"by": "PT200S"})).await;
    assert_eq!(app.deliver().await, 1, "the retry ran on the sandbox clock");
    assert_eq!(rx.received_requests().await.unwrap().len(), 3);
}

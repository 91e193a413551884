//! Webhooks: signed, retried, observable, replayable delivery.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use diesel::prelude::*;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::helpers::{Org, TestApp};
use crate::orders::{activate, create_order, shop};

/// An independent check of the Standard Webhooks scheme: HMAC-SHA256 over
/// `{webhook-id}.{webhook-timestamp}.{body}` keyed with the base64 part of `whsec_…`.
fn verify(secret: &str, req: &Request) -> usize {
    let header = |n: &str| req.headers.get(n).unwrap().to_str().unwrap().to_string();
    let key = STANDARD
        .decode(secret.trim_start_matches("whsec_"))
        .unwrap();
    let signed = format!(
        "{}.{}.{}",
        header("webhook-id"),
        header("webhook-timestamp"),
        String::from_utf8(req.body.clone()).unwrap()
    );
    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
    mac.update(signed.as_bytes());
    let expected = format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()));
    header("webhook-signature")
        .split(' ')
        .filter(|s| *s == expected)
        .count()
}

async fn endpoint(app: &TestApp, token: &str, url: &str, types: Value) -> (String, String) {
    let b = app
        .bearer(token)
        .post(
            "/v1/webhook-endpoints",
            &json!({"url": url, "event_types": types}),
        )
        .await
        .expect(201);
    (
        b["id"].as_str().unwrap().to_string(),
        b["secret"].as_str().unwrap().to_string(),
    )
}

async fn receiver(status: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(status).set_body_string("thanks"))
        .mount(&server)
        .await;
    server
}

/// Asks for a `webhook.test` message to endpoint `we`; the answer (event and delivery ids).
async fn send_test(app: &TestApp, token: &str, we: &str) -> Value {
    app.bearer(token)
        .post_empty(&format!("/v1/webhook-endpoints/{we}/test"))
        .await
        .expect(202)
}

async fn deliveries(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let b = app
        .bearer(token)
        .get_ok(&format!("/v1/webhook-deliveries?limit=100{query}"))
        .await;
    b["data"].as_array().unwrap().clone()
}

#[tokio::test]
async fn deliveries_are_signed_and_verify_with_an_independent_implementation() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let rx = receiver(200).await;
    let token = &shop.machine.token;
    let machine = app.bearer(token);
    let (we, secret) = endpoint(
        &app,
        token,
        &format!("{}/hooks", rx.uri()),
        json!(["order.completed", "activation.ready"]),
    )
    .await;
    assert!(secret.starts_with("whsec_"));
    let listed = machine.get_ok(&format!("/v1/webhook-endpoints/{we}")).await;
    assert!(listed.get("secret").is_none() && !listed.to_string().contains(&secret));

    let order = create_order(&app, token, &activate(&["fr-plan"])).await;
    app.drain().await;
    assert_eq!(app.deliver().await, 2);
    let got = rx.received_requests().await.unwrap();
    assert_eq!(got.len(), 2, "only the subscribed types");
    let mut types = Vec::new();
    for req in &got {
        assert_eq!(verify(&secret, req), 1, "signature verifies");
        assert_eq!(req.headers.get("content-type").unwrap(), "application/json");
        let body: Value = serde_json::from_slice(&req.body).unwrap();
        assert_eq!(
            req.headers.get("webhook-id").unwrap().to_str().unwrap(),
            body["id"].as_str().unwrap()
        );
        assert_eq!(body["api_version"], "2026-11-01");
        assert_eq!(body["environment"], "sandbox");
        assert!(req.body.len() < 20 * 1024, "thin envelope");
        types.push(body["type"].as_str().unwrap().to_string());
    }
    types.sort();
    assert_eq!(types, vec!["activation.ready", "order.completed"]);
    let completed: Value = got
        .iter()
        .map(|r| serde_json::from_slice::<Value>(&r.body).unwrap())
        .find(|b| b["type"] == "order.completed")
        .unwrap();
    assert_eq!(completed["data"]["order"]["id"], order["id"]);

    // A tampered body does not verify.
    let mut tampered = got[0].clone();
    tampered.body.push(b' ');
    assert_eq!(verify(&secret, &tampered), 0);

    // Activation materials never travel in webhooks.
    let svc = order["service_id"].as_str().unwrap();
    let m = machine
        .get_ok(&format!("/v1/services/{svc}/activation"))
        .await;
    for req in &got {
        let text = String::from_utf8_lossy(&req.body);
        assert!(!text.contains(m["matching_id"].as_str().unwrap()) && !text.contains("LPA:1$"));
    }

    let list = deliveries(&app, token, &format!("&endpoint_id={we}")).await;
    assert_eq!(list.len(), 2);
    for d in &list {
        assert_eq!(d["status"], "succeeded");
        assert_eq!(d["attempts"][0]["status_code"], 200);
        // The receiver is on loopback: only its status is kept, never its answer (see
        // hardening_webhooks::a_loopback_receiver_is_not_a_read_channel).
        assert_eq!(d["attempts"][0]["response_excerpt"], Value::Null);
        assert!(d["attempts"][0]["latency_ms"].as_i64().unwrap() >= 0);
    }
}

#[tokio::test]
async fn failures_retry_on_the_documented_schedule_then_disable_the_endpoint() {
    let app = TestApp::spawn().await;
    let org: Org = app.onboard("Hooks").await;
    let m = app.machine(&org.owner.token).await;
    let rx = receiver(500).await;
    let other = receiver(200).await;
    let (we, _) = endpoint(&app, &m.token, &rx.uri(), json!([])).await;
    let (_, other_secret) = endpoint(
        &app,
        &m.token,
        &other.uri(),
        json!(["webhook_endpoint.disabled"]),
    )
    .await;
    let test = send_test(&app, &m.token, &we).await;
    let delivery = test["delivery_id"].as_str().unwrap().to_string();

    let schedule = onyx::webhooks::delivery::SCHEDULE_SECS;
    let mut total = 0;
    for (i, delay) in schedule.iter().enumerate() {
        assert_eq!(app.deliver().await, 1, "attempt {}", i + 1);
        let d: (Option<chrono::NaiveDateTime>, i32) = app.db_query(|c| {
            use onyx::db::schema::webhook_deliveries as wd;
            wd::table
                .find(&delivery)
                .select((wd::next_attempt_at, wd::attempts))
                .first(c)
                .unwrap()
        });
        let wait = (d.0.unwrap() - app.clock_now()).num_seconds();
        assert!(
            (*delay as f64 * 0.89) as i64 <= wait && wait <= (*delay as f64 * 1.11) as i64 + 1,
            "attempt {}: waits {wait}s, schedule {delay}s",
            i + 1
        );
        assert_eq!(d.1, i as i32 + 1);
        // Not due yet: nothing is sent early.
        assert_eq!(app.deliver().await, 0);
        app.clock.advance(chrono::Duration::seconds(wait));
        total += wait;
    }
    assert!(
        (60 * 3600..84 * 3600).contains(&total),
        "about three days: {total}s"
    );
    assert_eq!(
        app.deliver().await,
        2,
        "the last attempt, then the disabled notice to the other endpoint"
    );
    assert_eq!(
        rx.received_requests().await.unwrap().len(),
        schedule.len() + 1
    );

    let token = app.client_token(&m.client_id, &m.secret).await;
    let failed = deliveries(&app, &token, "&status=failed").await;
    assert_eq!(failed.len(), 1);
    assert_eq!(failed[0]["attempts"].as_array().unwrap().len(), 10);
    assert_eq!(failed[0]["last_status_code"], 500);
    let e = app
        .bearer(&token)
        .get_ok(&format!("/v1/webhook-endpoints/{we}"))
        .await;
    assert_eq!(e["enabled"], false);
    assert!(e["disabled_reason"]
        .as_str()
        .unwrap()
        .contains("three days"));
    // The partner is told: a webhook_endpoint.disabled event, delivered to the other endpoint.
    let events = app
        .bearer(&token)
        .get_ok("/v1/events?type=webhook_endpoint.disabled")
        .await;
    assert_eq!(events["data"].as_array().unwrap().len(), 1);
    let told = other.received_requests().await.unwrap();
    assert_eq!(told.len(), 1);
    assert_eq!(verify(&other_secret, &told[0]), 1);
    let body: Value = serde_json::from_slice(&told[0].body).unwrap();
    assert_eq!(body["data"]["endpoint_id"], we.as_str());
}

#[tokio::test]
async fn gone_disables_at_once_and_retry_after_is_honoured() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Hooks").await;
    let m = app.machine(&org.owner.token).await;
    let gone = receiver(410).await;
    let (we, _) = endpoint(&app, &m.token, &gone.uri(), json!([])).await;
    send_test(&app, &m.token, &we).await;
    assert_eq!(app.deliver().await, 1);
    let e = app
        .bearer(&m.token)
        .get_ok(&format!("/v1/webhook-endpoints/{we}"))
        .await;
    assert_eq!(
        (e["enabled"].as_bool(), e["disabled_reason"].as_str()),
        (Some(false), Some("the endpoint answered 410 Gone"))
    );
    // Disabled endpoints receive nothing more.
    app.bearer(&org.owner.token)
        .post("/v1/credentials", &json!({"name": "x"}))
        .await;
    assert_eq!(app.deliver().await, 0);

    let busy = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503).insert_header("retry-after", "3600"))
        .mount(&busy)
        .await;
    let (we2, _) = endpoint(&app, &m.token, &busy.uri(), json!([])).await;
    let test = send_test(&app, &m.token, &we2).await;
    let delivery = test["delivery_id"].as_str().unwrap().to_string();
    app.deliver().await;
    let next: Option<chrono::NaiveDateTime> = app.db_query(|c| {
        use onyx::db::schema::webhook_deliveries as wd;
        wd::table
            .find(&delivery)
            .select(wd::next_attempt_at)
            .first(c)
            .unwrap()
    });
    assert_eq!(
        (next.unwrap() - app.clock_now()).num_seconds(),
        3600,
        "Retry-After beats the 5 s step"
    );
}

#[tokio::test]
async fn replays_resend_the_same_message_and_rotation_signs_twice_during_grace() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Hooks").await;
    let m = app.machine(&org.owner.token).await;
    let rx = receiver(200).await;
    let (we, old_secret) = endpoint(&app, &m.token, &rx.uri(), json!([])).await;
    let test = send_test(&app, &m.token, &we).await;
    let event_id = test["event_id"].as_str().unwrap().to_string();
    app.deliver().await;

    let machine = app.bearer(&m.token);
    let replay = format!("/v1/events/{event_id}/replay");
    let replayed = machine.post_empty(&replay).await.expect(202);
    assert_eq!(replayed["delivery_ids"].as_array().unwrap().len(), 1);
    machine
        .post(&replay, &json!({"endpoint_id": we}))
        .await
        .expect(202);
    app.deliver().await;
    let got = rx.received_requests().await.unwrap();
    assert_eq!(got.len(), 3);
    assert!(
        got.iter()
            .all(|r| r.headers.get("webhook-id").unwrap() == event_id.as_str()),
        "one message id, so receivers deduplicate"
    );
    let list = deliveries(&app, &m.token, &format!("&event_id={event_id}")).await;
    assert_eq!(list.iter().filter(|d| d["replay"] == true).count(), 2);

    // Rotation: both secrets sign during the grace period, then only the new one.
    let rotated = machine
        .post(
            &format!("/v1/webhook-endpoints/{we}/rotate-secret"),
            &json!({"grace_period_seconds": 3600}),
        )
        .await
        .expect(200);
    let new_secret = rotated["secret"].as_str().unwrap().to_string();
    assert_ne!(new_secret, old_secret);
    send_test(&app, &m.token, &we).await;
    app.deliver().await;
    let last = rx.received_requests().await.unwrap().pop().unwrap();
    assert_eq!(
        last.headers
            .get("webhook-signature")
            .unwrap()
            .to_str()
            .unwrap()
            .split(' ')
            .count(),
        2
    );
    assert_eq!(
        (verify(&old_secret, &last), verify(&new_secret, &last)),
        (1, 1)
    );
    app.clock.advance(chrono::Duration::seconds(3601));
    let token = app.client_token(&m.client_id, &m.secret).await;
    send_test(&app, &token, &we).await;
    app.deliver().await;
    let last = rx.received_requests().await.unwrap().pop().unwrap();
    assert_eq!(
        (verify(&old_secret, &last), verify(&new_secret, &last)),
        (0, 1)
    );

    // Events older than 30 days are not replayable.
    app.clock.advance(chrono::Duration::days(31));
    let token = app.client_token(&m.client_id, &m.secret).await;
    app.bearer(&token)
        .post_empty(&format!("/v1/events/{event_id}/replay"))
        .await
        .expect_problem(409, "event_not_replayable");
}

#[tokio::test]
async fn webhook_urls_are_guarded_against_server_side_request_forgery() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Hooks").await;
    app.enable_live(&org.partner_id).await;
    let live = app
        .machine(&app.login_token(&org.owner.email, "live").await)
        .await;
    let sandbox = app.machine(&org.owner.token).await;
    let refused: &[(&str, &Value, &str)] = &[
        ("http://hooks.example.com/x", &json!("live"), "insecure_url"),
        ("https://127.0.0.1/x", &json!("live"), "forbidden_address"),
        ("https://10.0.0.8/x", &json!("live"), "forbidden_address"),
        ("https://172.16.5.4/x", &json!("live"), "forbidden_address"),
        ("https://192.168.1.1/x", &json!("live"), "forbidden_address"),
        (
            "https://169.254.169.254/latest/meta-data",
            &json!("live"),
            "forbidden_address",
        ),
        ("https://100.64.0.1/x", &json!("live"), "forbidden_address"),
        ("https://0.0.0.0/x", &json!("live"), "forbidden_address"),
        ("https://[::1]/x", &json!("live"), "forbidden_address"),
        ("https://[fe80::1]/x", &json!("live"), "forbidden_address"),
        ("https://[fd00::1]/x", &json!("live"), "forbidden_address"),
        (
            "https://[::ffff:127.0.0.1]/x",
            &json!("live"),
            "forbidden_address",
        ),
        (
            "https://[::ffff:a9fe:a9fe]/x",
            &json!("live"),
            "forbidden_address",
        ),
        ("https://localhost/x", &json!("live"), "forbidden_address"),
        // The absolute form and RFC 6761 names are loopback too (refused at creation).
        (
            "https://localhost.:8443/x",
            &json!("live"),
            "forbidden_address",
        ),
        ("https://LOCALHOST./x", &json!("live"), "forbidden_address"),
        (
            "https://hooks.localhost/x",
            &json!("live"),
            "forbidden_address",
        ),
        (
            "https://user:pw@hooks.example.com/x",
            &json!("live"),
            "credentials_in_url",
        ),
        ("ftp://hooks.example.com/x", &json!("live"), "invalid_url"),
        ("http://10.0.0.8/x", &json!("sandbox"), "insecure_url"),
        ("https://10.0.0.8/x", &json!("sandbox"), "forbidden_address"),
        (
            "https://169.254.169.254/x",
            &json!("sandbox"),
            "forbidden_address",
        ),
    ];
    for (url, env, code) in refused {
        let token = if *env == "live" {
            &live.token
        } else {
            &sandbox.token
        };
        let problem = app
            .bearer(token)
            .post("/v1/webhook-endpoints", &json!({"url": url}))
            .await
            .expect_problem(422, "validation_failed");
        assert_eq!(problem["errors"][0]["code"], *code, "{url} in {env}");
    }
    // Accepted: public https anywhere, loopback http in sandbox.
    for (token, url) in [
        (&live.token, "https://hooks.example.com/onyx"),
        (&sandbox.token, "http://127.0.0.1:9/x"),
    ] {
        app.bearer(token)
            .post("/v1/webhook-endpoints", &json!({"url": url}))
            .await
            .expect(201);
    }

    // The check runs again at delivery time, inside DNS resolution, so a name that resolves
    // to a loopback address (rebinding) is refused for a live endpoint and nothing is sent.
    let rx = receiver(200).await;
    let port = rx.address().port();
    let (we, _) = endpoint(
        &app,
        &live.token,
        "https://hooks.example.com/onyx2",
        json!([]),
    )
    .await;
    app.db_query(|c| {
        use onyx::db::schema::webhook_endpoints as t;
        diesel::update(t::table.find(&we))
            .set(t::url.eq(format!("http://localhost:{port}/rebound")))
            .execute(c)
            .unwrap()
    });
    send_test(&app, &live.token, &we).await;
    app.deliver().await;
    assert!(
        rx.received_requests().await.unwrap().is_empty(),
        "nothing reached the loopback receiver"
    );
    let list = deliveries(&app, &live.token, &format!("&endpoint_id={we}")).await;
    let error = list[0]["attempts"][0]["error"].as_str().unwrap();
    assert!(error.contains("may not reach"), "{error}");
}

#[tokio::test]
async fn a_delivery_claimed_by_a_dead_worker_is_sent_later() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Hooks").await;
    let m = app.machine(&org.owner.token).await;
    let rx = receiver(200).await;
    let (we, secret) = endpoint(&app, &m.token, &rx.uri(), json!([])).await;
    let test = send_test(&app, &m.token, &we).await;
    let event_id = test["event_id"].as_str().unwrap().to_string();
    // A worker claims the delivery and dies before sending.
    let now = onyx::clock::Clock::now(&app.clock);
    let dead = onyx::jobs::Owner::new();
    let lease = onyx::jobs::Lease::from_std(app.state.config.job_lease);
    let claimed = app
        .state
        .db
        .write_blocking(|c| onyx::webhooks::delivery::claim(c, &dead, lease, now, 10, 1))
        .unwrap();
    assert_eq!(claimed.len(), 1);
    assert_eq!(
        app.deliver().await,
        0,
        "leased: no second worker sends it meanwhile"
    );
    app.clock.advance(chrono::Duration::seconds(61));
    assert_eq!(app.deliver().await, 1, "the stale lease is reclaimed");
    let got = rx.received_requests().await.unwrap();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].headers.get("webhook-id").unwrap(), event_id.as_str());
    assert_eq!(verify(&secret, &got[0]), 1);
    let token = app.client_token(&m.client_id, &m.secret).await;
    let list = deliveries(&app, &token, "").await;
    assert_eq!(list[0]["status"], "succeeded");
    assert_eq!(
        list[0]["attempts"][0]["attempt"], 2,
        "attempt 1 died with its worker"
    );
}

#[tokio::test]
async fn two_workers_racing_over_a_thousand_events_send_each_attempt_once() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Hooks").await;
    let m = app.machine(&org.owner.token).await;
    let rx = receiver(200).await;
    endpoint(&app, &m.token, &rx.uri(), json!(["webhook.test"])).await;
    let tenant = onyx::auth::Operator::process()
        .acting_for(&org.partner_id, onyx::auth::Environment::Sandbox);
    let now = onyx::clock::Clock::now(&app.clock);
    app.state
        .db
        .write_blocking(|c| {
            for i in 0..1000 {
                onyx::outbox::emit(c, &tenant, "webhook.test", "we_race", json!({"n": i}), now)?;
            }
            Ok(())
        })
        .unwrap();
    let worker = |context: onyx::workers::Context| async move {
        let mut sent = 0;
        loop {
            let n = context.run_webhooks().await.unwrap();
            if n == 0 {
                return sent;
            }
            sent += n;
        }
    };
    let (a, b) = tokio::join!(
        tokio::spawn(worker(onyx::workers::Context::new(app.state.clone()))),
        tokio::spawn(worker(onyx::workers::Context::new(app.state.clone())))
    );
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a + b, 1000, "{a} + {b}");
    let got = rx.received_requests().await.unwrap();
    let ids: std::collections::BTreeSet<String> = got
        .iter()
        .map(|r| {
            r.headers
                .get("webhook-id")
                .unwrap()
                .to_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        (got.len(), ids.len()),
        (1000, 1000),
        "each message sent exactly once"
    );
    let attempts: Vec<i32> = app.db_query(|c| {
        onyx::db::schema::webhook_attempts::table
            .select(onyx::db::schema::webhook_attempts::attempt)
            .load(c)
            .unwrap()
    });
    assert_eq!(attempts.len(), 1000);
    assert!(attempts.iter().all(|a| *a == 1));
}

#[tokio::test]
async fn endpoints_and_events_can_be_managed_and_filtered() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let token = &shop.machine.token;
    let machine = app.bearer(token);
    let rx = receiver(200).await;
    let (we, _) = endpoint(&app, token, &rx.uri(), json!(["order.created"])).await;
    let p = machine
        .post(
            "/v1/webhook-endpoints",
            &json!({"url": rx.uri(), "event_types": ["order.exploded"]}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(p["errors"][0]["code"], "unknown_event_type");

    let path = format!("/v1/webhook-endpoints/{we}");
    let e = machine.patch(&path, &json!({"enabled": false})).await.body;
    assert_eq!(
        (e["enabled"].as_bool(), e["disabled_reason"].as_str()),
        (Some(false), Some("disabled by you"))
    );
    create_order(&app, token, &activate(&["fr-plan"])).await;
    assert_eq!(app.deliver().await, 0, "disabled endpoints get nothing");
    let r = machine
        .patch(&path, &json!({"enabled": true, "event_types": []}))
        .await;
    assert_eq!(r.body["disabled_reason"], Value::Null);
    create_order(&app, token, &activate(&["fr-plan-b"])).await;
    app.drain().await;
    assert!(app.deliver().await >= 5, "every type now");

    let all = machine.get_ok("/v1/events?limit=100").await;
    let created = machine.get_ok("/v1/events?type=order.created").await;
    assert_eq!(created["data"].as_array().unwrap().len(), 2);
    assert!(all["data"].as_array().unwrap().len() > 5);
    let id = created["data"][0]["id"].as_str().unwrap();
    let e = machine.get_ok(&format!("/v1/events/{id}")).await;
    assert_eq!(e["type"], "order.created");
    let none = machine
        .get_ok("/v1/events?created_from=2027-01-01T00:00:00Z")
        .await;
    assert!(none["data"].as_array().unwrap().is_empty());

    let list = machine.get_ok("/v1/webhook-endpoints").await;
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    machine.delete(&path).await.expect(204);
    machine.get(&path).await.expect_problem(404, "not_found");
    // Another partner sees none of it.
    let other = app.onboard("Other").await;
    let om = app.machine(&other.owner.token).await;
    let theirs = app.bearer(&om.token);
    theirs
        .get(&format!("/v1/events/{id}"))
        .await
        .expect_problem(404, "not_found");
    let theirs = theirs.get_ok("/v1/webhook-deliveries").await;
    assert!(theirs["data"].as_array().unwrap().is_empty());
}

#[tokio::test]
async fn redirects_are_not_followed() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Hooks").await;
    let m = app.machine(&org.owner.token).await;
    let elsewhere = receiver(200).await;
    let redirecting = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(307)
                .insert_header("location", format!("{}/stolen", elsewhere.uri()).as_str()),
        )
        .mount(&redirecting)
        .await;
    let (we, _) = endpoint(&app, &m.token, &redirecting.uri(), json!([])).await;
    send_test(&app, &m.token, &we).await;
    assert_eq!(app.deliver().await, 1);
    assert!(
        elsewhere.received_requests().await.unwrap().is_empty(),
        "the redirect target got nothing"
    );
    let list = deliveries(&app, &m.token, "").await;
    assert_eq!(
        list[0]["status"], "pending",
        "a redirect is a failed attempt, retried later"
    );
    assert_eq!(list[0]["attempts"][0]["status_code"], 307);
    assert_eq!(list[0]["attempts"][0]["error"], "receiver answered 307");
}

/// A receiver that fails: its first attempt leaves a retry queued, and a second message waits
/// unsent. Returns (endpoint id, receiver).
async fn failing_endpoint_with_queued_work(app: &TestApp, token: &str) -> (String, MockServer) {
    let rx = receiver(500).await;
    let (we, _) = endpoint(app, token, &rx.uri(), json!([])).await;
    send_test(app, token, &we).await;
    assert_eq!(app.deliver().await, 1);
    send_test(app, token, &we).await;
    let queued = deliveries(app, token, &format!("&endpoint_id={we}")).await;
    assert_eq!(queued.len(), 2);
    assert!(
        queued
            .iter()
            .all(|d| d["status"] == "pending" && d["next_attempt_at"].is_string()),
        "a retry and a first attempt are queued: {queued:?}"
    );
    assert_eq!(rx.received_requests().await.unwrap().len(), 1);
    (we, rx)
}

/// After `stop`, past every queued time the worker sends the endpoint nothing more, and each
/// of its deliveries reads as stopped with `why`.
async fn assert_stopped(app: &TestApp, token: &str, we: &str, rx: &MockServer, why: &str) {
    app.clock.advance(chrono::Duration::seconds(120));
    assert_eq!(app.deliver().await, 0, "nothing is sent to the endpoint");
    assert_eq!(
        rx.received_requests().await.unwrap().len(),
        1,
        "the receiver got only the first attempt"
    );
    let list = deliveries(app, token, &format!("&endpoint_id={we}")).await;
    assert_eq!(list.len(), 2);
    for d in &list {
        assert_eq!(
            (
                d["status"].as_str(),
                d["last_error"].as_str(),
                &d["next_attempt_at"]
            ),
            (Some("failed"), Some(why), &Value::Null),
            "{d}"
        );
        assert!(d["completed_at"].is_string());
    }
    let failed = deliveries(app, token, &format!("&endpoint_id={we}&status=failed")).await;
    assert_eq!(failed.len(), 2);
}

#[tokio::test]
async fn disabling_an_endpoint_stops_its_queued_deliveries_and_retries() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Hooks").await;
    let m = app.machine(&org.owner.token).await;
    let (we, rx) = failing_endpoint_with_queued_work(&app, &m.token).await;
    app.bearer(&m.token)
        .patch(
            &format!("/v1/webhook-endpoints/{we}"),
            &json!({"enabled": false}),
        )
        .await
        .expect(200);
    assert_stopped(&app, &m.token, &we, &rx, "endpoint disabled").await;

    // Enabling it again does not bring the stopped deliveries back.
    app.bearer(&m.token)
        .patch(
            &format!("/v1/webhook-endpoints/{we}"),
            &json!({"enabled": true}),
        )
        .await
        .expect(200);
    assert_eq!(app.deliver().await, 0);
    assert_eq!(rx.received_requests().await.unwrap().len(), 1);
}

#[tokio::test]
async fn deleting_an_endpoint_stops_its_queued_deliveries_and_retries() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Hooks").await;
    let m = app.machine(&org.owner.token).await;
    let (we, rx) = failing_endpoint_with_queued_work(&app, &m.token).await;
    app.bearer(&m.token)
        .delete(&format!("/v1/webhook-endpoints/{we}"))
        .await
        .expect(204);
    assert_stopped(&app, &m.token, &we, &rx, "endpoint deleted").await;
}

#[tokio::test]
async fn a_test_message_to_a_disabled_endpoint_is_refused_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Hooks").await;
    let m = app.machine(&org.owner.token).await;
    let rx = receiver(200).await;
    let (we, _) = endpoint(&app, &m.token, &rx.uri(), json!([])).await;
    let machine = app.bearer(&m.token);
    let path = format!("/v1/webhook-endpoints/{we}");
    machine
        .patch(&path, &json!({"enabled": false}))
        .await
        .expect(200);
    let p = machine
        .post_empty(&format!("{path}/test"))
        .await
        .expect_problem(409, "endpoint_disabled");
    assert!(p["detail"].as_str().unwrap().contains("enable it"), "{p}");
    let events = machine.get_ok("/v1/events?type=webhook.test").await;
    assert!(events["data"].as_array().unwrap().is_empty(), "no event");
    assert!(
        deliveries(&app, &m.token, "").await.is_empty(),
        "no delivery"
    );
    assert_eq!(app.deliver().await, 0);
    assert!(rx.received_requests().await.unwrap().is_empty());

    // Enabled again, the test message goes out.
    machine
        .patch(&path, &json!({"enabled": true}))
        .await
        .expect(200);
    send_test(&app, &m.token, &we).await;
    assert_eq!(app.deliver().await, 1);
    assert_eq!(rx.received_requests().await.unwrap().len(), 1);
}

/// The worker's own check: a pending delivery whose endpoint is disabled or deleted is never
/// claimed, however it came to be pending (here the rows are changed behind the API's back,
/// as an event committed concurrently with the disabling could leave them).
#[tokio::test]
async fn the_worker_never_claims_deliveries_of_disabled_or_deleted_endpoints() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Hooks").await;
    let m = app.machine(&org.owner.token).await;
    let rx = receiver(200).await;
    let (disabled, _) = endpoint(&app, &m.token, &rx.uri(), json!([])).await;
    let (deleted, _) = endpoint(&app, &m.token, &rx.uri(), json!([])).await;
    send_test(&app, &m.token, &disabled).await;
    send_test(&app, &m.token, &deleted).await;
    let now = app.clock_now();
    app.db_query(|c| {
        use onyx::db::schema::webhook_endpoints as t;
        diesel::update(t::table.find(&disabled))
            .set(t::enabled.eq(false))
            .execute(c)
            .unwrap();
        diesel::update(t::table.find(&deleted))
            .set(t::deleted_at.eq(Some(now)))
            .execute(c)
            .unwrap();
    });
    assert_eq!(app.deliver().await, 0, "nothing claimed");
    assert!(rx.received_requests().await.unwrap().is_empty());
}

#[tokio::test]
async fn an_environment_has_a_bounded_number_of_endpoints() {
    let mut opts = crate::helpers::TestOptions::default();
    opts.env.push(("ONYX_WEBHOOK_ENDPOINTS_MAX", "2".into()));
    let app = TestApp::spawn_with(opts).await;
    let org = app.onboard("Many hooks").await;
    let m = app.machine(&org.owner.token).await;
    let rx = receiver(200).await;
    let (first, _) = endpoint(&app, &m.token, &rx.uri(), json!([])).await;
    endpoint(&app, &m.token, &rx.uri(), json!([])).await;
    let body = json!({"url": rx.uri(), "event_types": []});
    let p = app
        .bearer(&m.token)
        .post("/v1/webhook-endpoints", &body)
        .await
        .expect_problem(409, "endpoint_limit_reached");
    assert!(p["detail"].as_str().unwrap().contains('2'), "{p}");
    let list = app.bearer(&m.token).get_ok("/v1/webhook-endpoints").await;
    assert_eq!(
        list["data"].as_array().unwrap().len(),
        2,
        "nothing was written"
    );
    // A deleted endpoint frees its place.
    app.bearer(&m.token)
        .delete(&format!("/v1/webhook-endpoints/{first}"))
        .await
        .expect(204);
    app.bearer(&m.token)
        .post("/v1/webhook-endpoints", &body)
        .await
        .expect(201);
}

/// Finished attempts are recorded together (group commit); one that cannot be recorded (here:
/// its attempt row already exists) is released for a retry on its own, and the others of its
/// batch are recorded as delivered.
#[tokio::test]
async fn an_attempt_that_cannot_be_recorded_never_takes_its_batch_with_it() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Batch Co").await;
    let token = &org.owner.token;
    let rx = receiver(204).await;
    let mut sent = Vec::new();
    for _ in 0..4 {
        let (we, _) = endpoint(
            &app,
            token,
            &format!("{}/hook", rx.uri()),
            json!(["webhook.test"]),
        )
        .await;
        sent.push(
            send_test(&app, token, &we).await["delivery_id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    // The first delivery's first attempt is already on record: recording it again fails.
    let bad = sent[0].clone();
    app.db_query(move |c| {
        use onyx::db::schema::webhook_attempts as wa;
        diesel::insert_into(wa::table)
            .values((
                wa::id.eq("att_injected"),
                wa::delivery_id.eq(&bad),
                wa::attempt.eq(1),
                wa::latency_ms.eq(0),
                wa::created_at.eq(chrono::Utc::now().naive_utc()),
            ))
            .execute(c)
            .unwrap()
    });
    assert_eq!(app.deliver().await, 4);
    assert_eq!(rx.received_requests().await.unwrap().len(), 4);
    let all = deliveries(&app, token, "").await;
    let status = |id: &str| {
        all.iter()
            .find(|d| d["id"] == id)
            .map(|d| d["status"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert_eq!(status(&sent[0]), "pending", "{all:?}");
    for id in &sent[1..] {
        assert_eq!(status(id), "succeeded", "{all:?}");
    }
}

//! Support cases: the flow with operator replies and events, secret refusal in every text
//! field (nothing stored, nothing logged), and tenant checks on references.

use diesel::prelude::*;
use serde_json::{json, Value};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::{logs, TestApp};
use crate::orders::{activate, create_order, shop};

/// A receiver answering every webhook with 200.
pub async fn receiver() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    server
}

fn open_body(order_id: &str) -> Value {
    json!({
        "subject": "No data after install",
        "issue": "The customer installed the eSIM in Lisbon but has no data; roaming is on.",
        "category": "connectivity",
        "priority": "high",
        "order_id": order_id,
    })
}

async fn events_of(app: &TestApp, token: &str, event_type: &str) -> Vec<Value> {
    let b = app
        .bearer(token)
        .get_ok(&format!("/v1/events?type={event_type}&limit=100"))
        .await;
    let mut events = b["data"].as_array().unwrap().clone();
    events.reverse();
    events
}

#[tokio::test]
async fn a_case_runs_from_open_to_closed_with_operator_replies_and_events() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let token = &shop.machine.token;
    let rx = receiver().await;
    app.bearer(token)
        .post(
            "/v1/webhook-endpoints",
            &json!({"url": format!("{}/hooks", rx.uri()), "event_types": ["support_case.updated"]}),
        )
        .await
        .expect(201);
    let support = app.add_member(&shop.org, "support").await;
    let viewer = app.add_member(&shop.org, "viewer").await;

    let order = create_order(&app, token, &activate(&["fr-plan"])).await;
    app.drain().await;
    let order_id = order["id"].as_str().unwrap();
    let service_id = order["service_id"].as_str().unwrap();

    // Opened by a support member naming only the order: Onyx fills in the rest.
    let case = app
        .bearer(&support.token)
        .post("/v1/support-cases", &open_body(order_id))
        .await
        .expect(201);
    let id = case["id"].as_str().unwrap().to_string();
    assert!(id.starts_with("case_"));
    assert_eq!(case["status"], "open");
    assert_eq!(case["priority"], "high");
    assert_eq!(case["service_id"], service_id);
    assert_eq!(case["package_id"], "fr-plan");
    assert_eq!(case["customer_reference"], "cust-42");
    assert_eq!(
        case["opened_by"],
        json!({"type": "member", "id": support.id})
    );
    assert_eq!(case["state_at_open"]["order"]["state"], "completed");
    assert_eq!(
        case["state_at_open"]["service"]["state"],
        "ready_to_install"
    );
    assert_eq!(case["comments"], json!([]));

    // The current state is read fresh: the customer installs, the case shows it.
    app.bearer(token)
        .post_empty(&format!("/v1/sandbox/services/{service_id}/install"))
        .await
        .expect(200);
    let read = app
        .bearer(&viewer.token)
        .get_ok(&format!("/v1/support-cases/{id}"))
        .await;
    assert_eq!(read["current_state"]["service"]["state"], "active");
    assert_eq!(
        read["current_state"]["service"]["install_state"],
        "installed"
    );
    assert_eq!(
        read["state_at_open"]["service"]["state"],
        "ready_to_install"
    );

    // Operators find it by status and partner.
    let listed = app
        .operator()
        .get_ok(&format!(
            "/v1/admin/support-cases?status=open&partner_id={}",
            shop.org.partner_id
        ))
        .await;
    assert_eq!(listed["data"].as_array().unwrap().len(), 1);
    assert_eq!(listed["data"][0]["id"], id.as_str());
    assert_eq!(
        listed["data"][0]["partner_id"],
        shop.org.partner_id.as_str()
    );
    let none = app
        .operator()
        .get_ok("/v1/admin/support-cases?status=resolved")
        .await;
    assert_eq!(none["data"], json!([]));

    // Onyx replies: the case waits for the partner.
    let replied = app
        .operator()
        .post(
            &format!("/v1/admin/support-cases/{id}/replies"),
            &json!({"body": "Please ask the customer to restart the phone."}),
        )
        .await
        .expect(201);
    assert_eq!(replied["status"], "awaiting_partner");
    assert_eq!(
        replied["comments"][0]["author"],
        json!({"type": "operator", "id": null})
    );

    // The partner answers (a machine credential may): back to Onyx.
    let answered = app
        .bearer(token)
        .post(
            &format!("/v1/support-cases/{id}/comments"),
            &json!({"body": "Restarted; still no data."}),
        )
        .await
        .expect(201);
    assert_eq!(answered["status"], "awaiting_onyx");
    assert_eq!(answered["comments"][1]["author"]["type"], "credential");
    assert_eq!(answered["comments"][1]["body"], "Restarted; still no data.");

    // Resolved; a comment within the window reopens it.
    let resolved = app
        .operator()
        .post(
            &format!("/v1/admin/support-cases/{id}/status"),
            &json!({"status": "resolved", "reason": "Network fix deployed."}),
        )
        .await
        .expect(200);
    assert_eq!(resolved["status"], "resolved");
    let resolved_at: chrono::DateTime<chrono::Utc> =
        resolved["resolved_at"].as_str().unwrap().parse().unwrap();
    let until: chrono::DateTime<chrono::Utc> =
        resolved["reopen_until"].as_str().unwrap().parse().unwrap();
    assert_eq!(until - resolved_at, chrono::Duration::days(14));
    app.clock.advance(chrono::Duration::days(13));
    // Access tokens live 15 minutes: sign in again after the clock jumps.
    let owner = app.login_token(&shop.org.owner.email, "sandbox").await;
    let reopened = app
        .bearer(&owner)
        .post(
            &format!("/v1/support-cases/{id}/comments"),
            &json!({"body": "It came back this morning."}),
        )
        .await
        .expect(201);
    assert_eq!(reopened["status"], "awaiting_onyx");
    assert_eq!(reopened["resolved_at"], Value::Null);

    // Resolved again and left past the window: no reopening; then closed for good.
    app.operator()
        .post(
            &format!("/v1/admin/support-cases/{id}/status"),
            &json!({"status": "resolved"}),
        )
        .await
        .expect(200);
    app.clock.advance(chrono::Duration::days(15));
    let fresh = app
        .client_token(&shop.machine.client_id, &shop.machine.secret)
        .await;
    let token = &fresh;
    let owner = app.login_token(&shop.org.owner.email, "sandbox").await;
    app.bearer(token)
        .post(
            &format!("/v1/support-cases/{id}/comments"),
            &json!({"body": "Again?"}),
        )
        .await
        .expect_problem(409, "case_not_reopenable");
    app.operator()
        .post(
            &format!("/v1/admin/support-cases/{id}/status"),
            &json!({"status": "closed"}),
        )
        .await
        .expect(200);
    app.bearer(token)
        .post(
            &format!("/v1/support-cases/{id}/comments"),
            &json!({"body": "Again?"}),
        )
        .await
        .expect_problem(409, "case_closed");
    app.operator()
        .post(
            &format!("/v1/admin/support-cases/{id}/replies"),
            &json!({"body": "Closed."}),
        )
        .await
        .expect_problem(409, "case_closed");

    // Moves outside the flow are refused, and change nothing.
    let other = app
        .bearer(token)
        .post("/v1/support-cases", &open_body(order_id))
        .await
        .expect(201);
    let other_id = other["id"].as_str().unwrap();
    app.operator()
        .post(
            &format!("/v1/admin/support-cases/{other_id}/status"),
            &json!({"status": "closed"}),
        )
        .await
        .expect_problem(409, "invalid_case_state");
    let still = app
        .bearer(token)
        .get_ok(&format!("/v1/support-cases/{other_id}"))
        .await;
    assert_eq!(still["status"], "open");

    // Every change after opening was one support_case.updated event, delivered.
    let events = events_of(&app, token, "support_case.updated").await;
    let seen: Vec<(String, String)> = events
        .iter()
        .map(|e| {
            (
                e["data"]["change"].as_str().unwrap().to_string(),
                e["data"]["status"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let expected = [
        ("reply_added", "awaiting_partner"),
        ("comment_added", "awaiting_onyx"),
        ("status_changed", "resolved"),
        ("comment_added", "awaiting_onyx"),
        ("status_changed", "resolved"),
        ("status_changed", "closed"),
    ];
    assert_eq!(
        seen,
        expected
            .iter()
            .map(|(a, b)| (a.to_string(), b.to_string()))
            .collect::<Vec<_>>()
    );
    assert!(events
        .iter()
        .all(|e| e["data"]["support_case_id"] == id.as_str()));
    assert_eq!(events[3]["data"]["reopened"], true);
    assert_eq!(app.deliver().await, 6);
    assert_eq!(rx.received_requests().await.unwrap().len(), 6);

    // Every step is in the audit log.
    let audit = app.bearer(&owner).get_ok("/v1/audit-log?limit=100").await;
    let actions: Vec<&str> = audit["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["target_id"] == id.as_str())
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for action in [
        "support_case.opened",
        "support_case.replied",
        "support_case.commented",
        "support_case.status_changed",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }

    // The partner's list filters by status.
    let open = app
        .bearer(token)
        .get_ok("/v1/support-cases?status=open")
        .await;
    assert_eq!(open["data"].as_array().unwrap().len(), 1);
    assert_eq!(open["data"][0]["id"], other_id);
}

#[tokio::test]
async fn operators_filter_cases_by_status_partner_environment_and_age() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let other = app.onboard("Other").await;
    let body = json!({"subject": "Question", "issue": "How do top-ups work?", "category": "other"});
    let old = app
        .bearer(&shop.machine.token)
        .post("/v1/support-cases", &body)
        .await
        .expect(201);
    app.clock.advance(chrono::Duration::hours(30));
    let other_token = app.login_token(&other.owner.email, "sandbox").await;
    let new = app
        .bearer(&other_token)
        .post("/v1/support-cases", &body)
        .await
        .expect(201);
    assert_eq!(new["priority"], "normal");
    let ids = |b: &Value| -> Vec<String> {
        b["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    };
    let op = app.operator();
    let all = op.get_ok("/v1/admin/support-cases").await;
    assert_eq!(
        ids(&all),
        vec![new["id"].as_str().unwrap(), old["id"].as_str().unwrap()]
    );
    let aged = op
        .get_ok("/v1/admin/support-cases?older_than_hours=24")
        .await;
    assert_eq!(ids(&aged), vec![old["id"].as_str().unwrap()]);
    let by_partner = op
        .get_ok(&format!(
            "/v1/admin/support-cases?partner_id={}",
            other.partner_id
        ))
        .await;
    assert_eq!(ids(&by_partner), vec![new["id"].as_str().unwrap()]);
    let live = op.get_ok("/v1/admin/support-cases?environment=live").await;
    assert!(ids(&live).is_empty());
    op.get("/v1/admin/support-cases?older_than_hours=-1")
        .await
        .expect_problem(422, "validation_failed");
    let one = op
        .get_ok(&format!(
            "/v1/admin/support-cases/{}",
            old["id"].as_str().unwrap()
        ))
        .await;
    assert_eq!(one["partner_id"], shop.org.partner_id.as_str());
    // Partners see only their own.
    let mine = app.bearer(&other_token).get_ok("/v1/support-cases").await;
    assert_eq!(ids(&mine), vec![new["id"].as_str().unwrap()]);
}

/// One sample per detector: (kind, text, a fragment that must never be stored or logged;
/// long enough not to turn up by chance in the log this whole test binary shares).
fn samples() -> Vec<(&'static str, String, &'static str)> {
    vec![
        (
            "lpa_activation_code",
            "Code was LPA:1$smdp.onyx.example$Q7RWT-9KXZ2-HMP4C-V3NJD".into(),
            "Q7RWT-9KXZ2-HMP4C-V3NJD",
        ),
        (
            "matching_id",
            "matching id Q8RWT-9KXZ2-HMP4C-V3NJE please".into(),
            "Q8RWT-9KXZ2-HMP4C-V3NJE",
        ),
        (
            "confirmation_code",
            "confirmation code 73915046".into(),
            "code 73915046",
        ),
        (
            "onyx_secret",
            "our key onyx_sk_test_Zq81mVx0pLr7Tw3kYc5nB2hD9sF4gJ6a".into(),
            "Zq81mVx0pLr7Tw3kYc5nB2hD9sF4gJ6a",
        ),
        (
            "webhook_secret",
            "whsec_Pq7Lm2Vx9Tk4Rw8Yc1Nb5Hd3Sf6Gj0Az".into(),
            "Pq7Lm2Vx9Tk4Rw8Yc1Nb5Hd3Sf6Gj0Az",
        ),
        (
            "jwt",
            "token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzdXBwb3J0LXRlc3QifQ.Uz9xQw7PkLm3Vn5Rt8Yb2Hc4"
                .into(),
            "Uz9xQw7PkLm3Vn5Rt8Yb2Hc4",
        ),
        (
            "bearer_token",
            "sent Bearer Kx7Pq2Lm9Vt4Rw8Yc1Nb5Hd3".into(),
            "Kx7Pq2Lm9Vt4Rw8Yc1Nb5Hd3",
        ),
        (
            "iban",
            "refund to GB33 BUKB 2020 1555 5555 55".into(),
            "GB33 BUKB 2020 1555 5555 55",
        ),
        (
            "card_number",
            "card 4539-1488-0343-6467 expired".into(),
            "4539-1488-0343-6467",
        ),
        (
            "identity_document",
            "passport number K7Q40219X".into(),
            "K7Q40219X",
        ),
    ]
}

/// Everything the service keeps as text about support: case and comment rows, audit details,
/// event data and stored idempotent responses.
fn stored_text(app: &TestApp) -> String {
    use onyx::db::schema::{
        audit_log, events, idempotency_keys, support_cases as sc, support_comments as cm,
    };
    app.db_query(|c| {
        let mut all = String::new();
        let cases: Vec<(String, String, Option<String>, String)> = sc::table
            .select((
                sc::subject,
                sc::issue,
                sc::customer_reference,
                sc::state_at_open,
            ))
            .load(c)
            .unwrap();
        for (a, b, r, s) in cases {
            all.push_str(&format!("{a}\n{b}\n{r:?}\n{s}\n"));
        }
        for body in cm::table.select(cm::body).load::<String>(c).unwrap() {
            all.push_str(&body);
        }
        for d in audit_log::table
            .select(audit_log::details)
            .load::<String>(c)
            .unwrap()
        {
            all.push_str(&d);
        }
        for d in events::table
            .select(events::data)
            .load::<String>(c)
            .unwrap()
        {
            all.push_str(&d);
        }
        for d in idempotency_keys::table
            .select(idempotency_keys::response_body)
            .load::<Option<String>>(c)
            .unwrap()
            .into_iter()
            .flatten()
        {
            all.push_str(&d);
        }
        all
    })
}

#[tokio::test]
async fn every_detector_refuses_its_secret_in_every_text_field_and_nothing_is_kept() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let token = &shop.machine.token;
    let base = json!({"subject": "Install question", "issue": "Customer asks about install.", "category": "activation"});
    let case = app
        .bearer(token)
        .post("/v1/support-cases", &base)
        .await
        .expect(201);
    let id = case["id"].as_str().unwrap().to_string();
    let cases_before: i64 = app.db_query(|c| {
        onyx::db::schema::support_cases::table
            .count()
            .get_result(c)
            .unwrap()
    });

    for (kind, text, fragment) in samples() {
        // (route, caller is operator, field, body)
        let mut attempts: Vec<(String, bool, &str, Value)> = Vec::new();
        for field in ["subject", "issue", "customer_reference"] {
            let mut body = base.clone();
            body[field] = json!(text);
            attempts.push(("/v1/support-cases".into(), false, field, body));
        }
        attempts.push((
            format!("/v1/support-cases/{id}/comments"),
            false,
            "body",
            json!({"body": text}),
        ));
        attempts.push((
            format!("/v1/admin/support-cases/{id}/replies"),
            true,
            "body",
            json!({"body": text}),
        ));
        attempts.push((
            format!("/v1/admin/support-cases/{id}/status"),
            true,
            "reason",
            json!({"status": "awaiting_onyx", "reason": text}),
        ));
        for (path, operator, field, body) in attempts {
            let caller = if operator {
                app.operator()
            } else {
                app.bearer(token)
            };
            let resp = caller.post(&path, &body).await;
            let problem = resp.expect_problem(422, "validation_failed");
            assert_eq!(problem["errors"].as_array().unwrap().len(), 1, "{problem}");
            assert_eq!(problem["errors"][0]["field"], field, "{kind} in {field}");
            assert_eq!(problem["errors"][0]["code"], "secret_in_text");
            assert!(
                problem["errors"][0]["message"]
                    .as_str()
                    .unwrap()
                    .contains(&format!("`{kind}`")),
                "{kind} named: {problem}"
            );
            assert!(!resp.text().contains(fragment), "echoed: {}", resp.text());
        }
    }

    // Nothing was written: no new case, no comment, no status change, no event.
    let (cases, comments): (i64, i64) = app.db_query(|c| {
        (
            onyx::db::schema::support_cases::table
                .count()
                .get_result(c)
                .unwrap(),
            onyx::db::schema::support_comments::table
                .count()
                .get_result(c)
                .unwrap(),
        )
    });
    assert_eq!((cases, comments), (cases_before, 0));
    let still = app
        .bearer(token)
        .get_ok(&format!("/v1/support-cases/{id}"))
        .await;
    assert_eq!(still["status"], "open");
    assert!(events_of(&app, token, "support_case.updated")
        .await
        .is_empty());

    // Neither stored anywhere nor logged.
    let stored = stored_text(&app);
    let logged = logs().contents();
    for (kind, _, fragment) in samples() {
        assert!(!stored.contains(fragment), "{kind} stored");
        assert!(!logged.contains(fragment), "{kind} logged");
    }
}

#[tokio::test]
async fn references_are_checked_against_the_callers_tenant() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let order = create_order(&app, &shop.machine.token, &activate(&["fr-plan"])).await;
    app.drain().await;
    let order_id = order["id"].as_str().unwrap();
    let service_id = order["service_id"].as_str().unwrap();
    let theirs = app
        .bearer(&shop.machine.token)
        .post("/v1/support-cases", &open_body(order_id))
        .await
        .expect(201);

    let other = app.onboard("Other").await;
    let them = app.bearer(&other.owner.token);
    let mut by_service = open_body(order_id);
    by_service.as_object_mut().unwrap().remove("order_id");
    by_service["service_id"] = json!(service_id);
    let mut by_package = open_body(order_id);
    by_package.as_object_mut().unwrap().remove("order_id");
    by_package["package_id"] = json!("fr-plan");
    for body in [open_body(order_id), by_service, by_package] {
        let p = them
            .post("/v1/support-cases", &body)
            .await
            .expect_problem(404, "not_found");
        assert!(!p.to_string().contains(order_id), "{p}");
    }
    let case_id = theirs["id"].as_str().unwrap();
    them.get(&format!("/v1/support-cases/{case_id}"))
        .await
        .expect_problem(404, "not_found");
    them.post(
        &format!("/v1/support-cases/{case_id}/comments"),
        &json!({"body": "hello"}),
    )
    .await
    .expect_problem(404, "not_found");
    assert_eq!(them.get_ok("/v1/support-cases").await["data"], json!([]));

    // Within one tenant, an order and a service that do not belong together are refused.
    let second = create_order(&app, &shop.machine.token, &activate(&["fr-plan-b"])).await;
    let mut mismatch = open_body(order_id);
    mismatch["service_id"] = second["service_id"].clone();
    app.bearer(&shop.machine.token)
        .post("/v1/support-cases", &mismatch)
        .await
        .expect_problem(422, "reference_mismatch");
    let count: i64 = app.db_query(|c| {
        onyx::db::schema::support_cases::table
            .count()
            .get_result(c)
            .unwrap()
    });
    assert_eq!(count, 1);
}

/// A page of cases costs the same statements whatever its length: the current state of every
/// case's order and service is read for the whole page at once (before, each case read its
/// order, its items, its service and its usage).
#[tokio::test]
async fn a_page_of_cases_costs_the_same_statements_whatever_its_length() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let token = &shop.machine.token;
    let open = |order_id: String| {
        let app = &app;
        async move {
            app.bearer(token)
                .post("/v1/support-cases", &open_body(&order_id))
                .await
                .expect(201)
        }
    };
    let order = || async {
        create_order(&app, token, &activate(&["fr-plan"])).await["id"]
            .as_str()
            .unwrap()
            .to_string()
    };
    open(order().await).await;
    let one = crate::hardening_data::statements_for(&app, token, "/v1/support-cases").await;
    for _ in 0..4 {
        open(order().await).await;
    }
    let page = app.bearer(token).get_ok("/v1/support-cases").await;
    assert_eq!(page["data"].as_array().unwrap().len(), 5);
    assert!(page["data"][0]["current_state"]["order"]["state"].is_string());
    let five = crate::hardening_data::statements_for(&app, token, "/v1/support-cases").await;
    assert_eq!(one, five, "1 case: {one} statements, 5 cases: {five}");
}

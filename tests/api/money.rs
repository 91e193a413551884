//! Money (issue 13): billing profiles, the complete ledger with filters and CSV, refunds,
//! invoices with commitment and true-up, the period-close job (once with two instances),
//! reconciliation, PDF documents, the role matrix, and a seeded property test of random
//! sequences keeping the books straight.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::TimeZone;
use diesel::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};

use crate::catalogue::{approve, create_package, package, set_markets};
use crate::helpers::{Fetch, Org, TestApp};
use crate::orders::create_order;

/// Packages every test's partners may order: EUR plans at 30.00, 13.00 and 70.00, a USD plan.
async fn catalogue(app: &TestApp) {
    for (id, price, currency) in [
        ("m-plan-30", 3000, "EUR"),
        ("m-plan-13", 1300, "EUR"),
        ("m-plan-70", 7000, "EUR"),
        ("m-plan-usd", 1500, "USD"),
    ] {
        let mut p = package(id);
        p["price_minor"] = json!(price);
        p["currency"] = json!(currency);
        create_package(app, &p).await;
    }
}

/// An approved partner with the money packages, markets FR and `eur` in its sandbox wallet.
async fn account(app: &TestApp, name: &str, eur: i64) -> Org {
    let org = app.onboard(name).await;
    set_markets(app, &org.partner_id, &["FR"]).await;
    for id in ["m-plan-30", "m-plan-13", "m-plan-70", "m-plan-usd"] {
        approve(app, &org.partner_id, id).await;
    }
    if eur > 0 {
        app.fund(&org.partner_id, "sandbox", "EUR", eur).await;
    }
    org
}

fn activation(package: &str, scenario: &str) -> Value {
    json!({
        "type": "activate_subscription",
        "customer_reference": "cust-money",
        "items": [{"package_id": package}],
        "sandbox_scenario": scenario,
    })
}

/// Orders `package` and runs provisioning to its end (success); the completed order.
async fn completed_order(app: &TestApp, token: &str, package: &str) -> Value {
    let order = create_order(app, token, &activation(package, "success")).await;
    app.drain().await;
    let id = order["id"].as_str().unwrap();
    let order = app.bearer(token).get_ok(&format!("/v1/orders/{id}")).await;
    assert_eq!(order["state"], "completed", "{order}");
    order
}

/// The EUR wallet: (available, reserved, spent_this_period).
async fn eur(app: &TestApp, token: &str) -> (i64, i64, i64) {
    crate::orders::wallet(app, token, "EUR").await
}

async fn set_profile(app: &TestApp, partner_id: &str, commitment: i64) -> Value {
    app.operator()
        .put(
            &format!("/v1/admin/partners/{partner_id}/billing-profile"),
            &json!({
                "commitment_minor": commitment,
                "commitment_currency": "EUR",
                "billing_contact": {"email": "Finance@Money.example", "name": "Finance team"},
                "payment_terms_days": 14,
            }),
        )
        .await
        .expect(200)
}

/// Closes the sandbox period now; the invoices made.
async fn close(app: &TestApp, token: &str) -> Vec<Value> {
    let body = app
        .bearer(token)
        .post_empty("/v1/sandbox/billing/close-period")
        .await
        .expect(201);
    body["data"].as_array().unwrap().clone()
}

/// Every ledger entry through the JSON list (all pages), newest first.
async fn ledger(app: &TestApp, token: &str, query: &str) -> Vec<Value> {
    let mut out = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut path = format!("/v1/ledger?limit=100{query}");
        if let Some(c) = &cursor {
            path.push_str(&format!("&cursor={c}"));
        }
        let page = app.bearer(token).get_ok(&path).await;
        out.extend(page["data"].as_array().unwrap().iter().cloned());
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_string()),
            None => return out,
        }
    }
}

async fn reconcile(app: &TestApp, token: &str, period: &str) -> Value {
    app.bearer(token)
        .get_ok(&format!("/v1/reconciliation?period={period}"))
        .await
}

fn mismatches(report: &Value) -> Vec<(String, String)> {
    report["currencies"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["mismatches"].as_array().unwrap().iter())
        .map(|m| {
            (
                m["kind"].as_str().unwrap().to_string(),
                m["reference"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

async fn events_of(app: &TestApp, token: &str, event_type: &str) -> Vec<Value> {
    app.bearer(token)
        .get_ok(&format!("/v1/events?type={event_type}&limit=100"))
        .await["data"]
        .as_array()
        .unwrap()
        .clone()
}

/// A minimal RFC 4180 reader (quoted fields, doubled quotes, CRLF records).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, c) => field.push(c),
        }
    }
    rows
}

// ---------------------------------------------------------------------------------------
// Billing profile

#[tokio::test]
async fn operators_set_the_billing_profile_and_it_names_the_billing_contact() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Profile Co").await;
    let path = format!("/v1/admin/partners/{}/billing-profile", org.partner_id);
    let defaults = app.operator().get_ok(&path).await;
    assert_eq!(defaults["commitment_minor"], 0);
    assert_eq!(defaults["payment_terms_days"], 30);
    assert_eq!(defaults["billing_contact"], Value::Null);
    assert_eq!(defaults["created_at"], Value::Null);
    let has = |app: &TestApp, id: String| {
        app.db_query(move |c| onyx::billing::has_billing_contact(c, &id).unwrap())
    };
    assert!(!has(&app, org.partner_id.clone()));

    // Every broken rule is named; nothing is stored.
    let bad = app
        .operator()
        .put(
            &path,
            &json!({
                "commitment_minor": -1,
                "commitment_currency": "eur",
                "billing_contact": {"email": "not-an-email", "name": ""},
                "payment_terms_days": 400,
            }),
        )
        .await
        .expect_problem(422, "validation_failed");
    let fields: Vec<&str> = bad["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(
        fields,
        [
            "commitment_minor",
            "commitment_currency",
            "payment_terms_days",
            "billing_contact.email",
            "billing_contact.name"
        ]
    );
    assert_eq!(app.operator().get_ok(&path).await, defaults);

    let set = set_profile(&app, &org.partner_id, 10_000).await;
    assert_eq!(set["commitment_minor"], 10_000);
    assert_eq!(set["commitment_currency"], "EUR");
    assert_eq!(set["payment_terms_days"], 14);
    assert_eq!(
        set["billing_contact"],
        json!({"email": "finance@money.example", "name": "Finance team"})
    );
    assert_eq!(app.operator().get_ok(&path).await, set);
    assert!(has(&app, org.partner_id.clone()));

    // Replacing it without a contact removes the contact.
    let none = app
        .operator()
        .put(
            &path,
            &json!({"commitment_minor": 0, "commitment_currency": "EUR", "payment_terms_days": 30}),
        )
        .await
        .expect(200);
    assert_eq!(none["billing_contact"], Value::Null);
    assert!(!has(&app, org.partner_id.clone()));

    // Partners cannot use operator routes; unknown partners are 404.
    app.bearer(&org.owner.token)
        .get(&path)
        .await
        .expect_problem(401, "unauthenticated");
    app.operator()
        .get("/v1/admin/partners/ptr_nope/billing-profile")
        .await
        .expect_problem(404, "not_found");
}

// ---------------------------------------------------------------------------------------
// Ledger

#[tokio::test]
async fn the_ledger_filters_exports_csv_and_shows_the_running_balance() {
    let app = TestApp::spawn().await;
    catalogue(&app).await;
    let org = account(&app, "Ledger Co", 20_000).await;
    let token = org.owner.token.clone();
    let first = completed_order(&app, &token, "m-plan-30").await;
    app.clock.advance(chrono::Duration::minutes(3));
    let failed = create_order(&app, &token, &activation("m-plan-13", "failed")).await;
    app.drain().await;
    app.clock.advance(chrono::Duration::minutes(3));
    // An operator debit with a reason, and one that would overdraw (refused, nothing written).
    let debit_path = format!("/v1/admin/partners/{}/wallet-debits", org.partner_id);
    app.operator()
        .post(
            &debit_path,
            &json!({"environment": "sandbox", "currency": "EUR", "amount_minor": 500, "reason": "Roaming surcharge (case 4711)"}),
        )
        .await
        .expect(201);
    app.operator()
        .post(
            &debit_path,
            &json!({"environment": "sandbox", "currency": "EUR", "amount_minor": 1_000_000, "reason": "Too much"}),
        )
        .await
        .expect_problem(422, "debit_exceeds_available");
    app.operator()
        .post(
            &debit_path,
            &json!({"environment": "sandbox", "currency": "EUR", "amount_minor": 5, "reason": ""}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(eur(&app, &token).await, (20_000 - 3000 - 500, 0, 3000));

    let all = ledger(&app, &token, "").await;
    let types: Vec<&str> = all
        .iter()
        .rev()
        .map(|e| e["entry_type"].as_str().unwrap())
        .collect();
    assert_eq!(
        types,
        ["credit", "reserve", "capture", "reserve", "release", "debit"]
    );
    let debit = &all[0];
    assert_eq!(debit["description"], "Roaming surcharge (case 4711)");
    assert_eq!(debit["available_after"], 16_500);

    // Filters: type, order, currency, created range.
    let captures = ledger(&app, &token, "&entry_type=capture").await;
    assert_eq!(captures.len(), 1);
    assert_eq!(captures[0]["order_id"], first["id"]);
    let of_failed = ledger(
        &app,
        &token,
        &format!("&order_id={}", failed["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(of_failed.len(), 2, "reserve and release");
    assert!(ledger(&app, &token, "&currency=USD").await.is_empty());
    let from = (app.state.now() - chrono::Duration::minutes(2)).to_rfc3339();
    let recent = ledger(&app, &token, &format!("&created_from={}", urlencode(&from))).await;
    assert_eq!(recent.len(), 1, "only the debit: {recent:?}");
    let early = ledger(&app, &token, &format!("&created_to={}", urlencode(&from))).await;
    assert_eq!(early.len(), 5);
    app.bearer(&token)
        .get("/v1/ledger?created_from=nonsense")
        .await
        .expect_problem(400, "invalid_query");

    // CSV: the same entries in the same order, stable columns.
    let csv = app
        .bearer(&token)
        .request(Method::GET, "/v1/ledger")
        .header("accept", "text/csv")
        .fetch()
        .await;
    assert_eq!(csv.status, 200);
    assert!(csv.header("content-type").unwrap().starts_with("text/csv"));
    let rows = parse_csv(&csv.text());
    assert_eq!(
        rows[0],
        [
            "id",
            "created_at",
            "entry_type",
            "currency",
            "amount",
            "available_after",
            "reserved_after",
            "order_id",
            "invoice_id",
            "wallet_id",
            "description"
        ]
    );
    assert_eq!(rows.len() - 1, all.len());
    for (row, e) in rows[1..].iter().zip(&all) {
        assert_eq!(row[0], e["id"].as_str().unwrap());
        assert_eq!(
            chrono::DateTime::parse_from_rfc3339(&row[1]).unwrap(),
            chrono::DateTime::parse_from_rfc3339(e["created_at"].as_str().unwrap()).unwrap()
        );
        assert_eq!(row[2], e["entry_type"].as_str().unwrap());
        assert_eq!(row[4], e["amount"].to_string());
        assert_eq!(row[5], e["available_after"].to_string());
        assert_eq!(row[7], e["order_id"].as_str().unwrap_or(""));
        assert_eq!(row[10], e["description"].as_str().unwrap());
    }
    app.bearer(&token)
        .request(Method::GET, "/v1/ledger")
        .header("accept", "image/png")
        .fetch()
        .await
        .expect_problem(406, "not_acceptable");

    // The running balance: the balances after each entry, newest first.
    let history = app
        .bearer(&token)
        .get_ok("/v1/wallet/history?currency=EUR&limit=100")
        .await;
    let points = history["data"].as_array().unwrap();
    assert_eq!(points.len(), all.len());
    let balances: Vec<i64> = points
        .iter()
        .rev()
        .map(|p| p["balance"].as_i64().unwrap())
        .collect();
    assert_eq!(balances, [20_000, 20_000, 17_000, 17_000, 17_000, 16_500]);
    assert_eq!(points[0]["available"], 16_500);
    assert!(app
        .bearer(&token)
        .get_ok("/v1/wallet/history?currency=USD")
        .await["data"]
        .as_array()
        .unwrap()
        .is_empty());
}

fn urlencode(s: &str) -> String {
    s.replace('+', "%2B").replace(':', "%3A")
}

#[tokio::test]
async fn money_routes_follow_the_role_matrix() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Roles Co").await;
    let machine = app.machine(&org.owner.token).await;
    let mut tokens = vec![("owner", org.owner.token.clone())];
    for role in ["admin", "developer", "billing", "support", "viewer"] {
        tokens.push((role, app.add_member(&org, role).await.token));
    }
    tokens.push(("machine", machine.token.clone()));
    let reads = [
        "/v1/wallet",
        "/v1/wallet/history?currency=EUR",
        "/v1/ledger",
        "/v1/invoices",
        "/v1/reconciliation?period=2026-11",
        "/v1/refunds",
    ];
    for (who, token) in &tokens {
        for path in reads {
            let allowed = match (*who, path) {
                ("owner" | "admin" | "billing", _) => true,
                ("viewer", p) => !p.starts_with("/v1/refunds"),
                ("support", p) => p.starts_with("/v1/refunds"),
                ("machine", p) => p == "/v1/wallet" || p.starts_with("/v1/refunds"),
                _ => false,
            };
            let r = app.bearer(token).get(path).await;
            if allowed {
                assert_eq!(r.status, 200, "{who} GET {path}: {}", r.text());
            } else {
                r.expect_problem(403, "forbidden");
            }
        }
        let close = app
            .bearer(token)
            .post_empty("/v1/sandbox/billing/close-period")
            .await;
        if matches!(*who, "owner" | "admin" | "billing") {
            assert_eq!(close.status, 201, "{who}: {}", close.text());
        } else {
            close.expect_problem(403, "forbidden");
        }
    }
    // The sandbox helper does not exist in live.
    app.enable_live(&org.partner_id).await;
    let live = app.login_token(&org.owner.email, "live").await;
    app.bearer(&live)
        .post_empty("/v1/sandbox/billing/close-period")
        .await
        .expect_problem(404, "route_not_found");
}

// ---------------------------------------------------------------------------------------
// Refunds

#[tokio::test]
async fn sandbox_refunds_are_decided_by_rule_and_post_a_refund_entry() {
    let app = TestApp::spawn().await;
    catalogue(&app).await;
    let org = account(&app, "Refund Co", 20_000).await;
    let token = org.owner.token.clone();
    let order = completed_order(&app, &token, "m-plan-30").await;
    let order_id = order["id"].as_str().unwrap().to_string();
    let open = create_order(&app, &token, &activation("m-plan-13", "manual")).await;
    let refund = |body: Value| {
        let t = token.clone();
        let app = &app;
        async move { app.bearer(&t).post("/v1/refunds", &body).await }
    };

    // Refused, writing nothing: an open order, an unknown one, too much, an Onyx-only reason,
    // a live-only mistake.
    refund(json!({"order_id": open["id"], "amount_minor": 100, "reason": "other"}))
        .await
        .expect_problem(409, "order_not_refundable");
    refund(json!({"order_id": "ord_missing", "amount_minor": 100, "reason": "other"}))
        .await
        .expect_problem(422, "order_not_found");
    refund(json!({"order_id": order_id, "amount_minor": 3001, "reason": "other"}))
        .await
        .expect_problem(422, "refund_exceeds_captured");
    refund(json!({"order_id": order_id, "amount_minor": 100, "reason": "unused_subscription"}))
        .await
        .expect_problem(422, "validation_failed");
    assert!(app.bearer(&token).get_ok("/v1/refunds").await["data"]
        .as_array()
        .unwrap()
        .is_empty());

    // Approved at once by the sandbox rule: money back, ledger entry, events.
    let approved = refund(json!({"order_id": order_id, "amount_minor": 1000, "reason": "service_not_working", "note": "No data for 2 days"}))
        .await
        .expect(201);
    assert_eq!(approved["status"], "approved");
    assert_eq!(approved["decided_by"], "sandbox_rule");
    let entry_id = approved["ledger_entry_id"].as_str().unwrap();
    let refunds = ledger(&app, &token, "&entry_type=refund").await;
    assert_eq!(refunds.len(), 1);
    assert_eq!(refunds[0]["id"], entry_id);
    assert_eq!(refunds[0]["order_id"], order_id.as_str());
    assert_eq!(refunds[0]["amount"], 1000);
    assert_eq!(
        eur(&app, &token).await,
        (20_000 - 3000 - 1300 + 1000, 1300, 2000)
    );
    let created = events_of(&app, &token, "refund.created").await;
    let done = events_of(&app, &token, "refund.approved").await;
    assert_eq!((created.len(), done.len()), (1, 1));
    assert_eq!(done[0]["data"]["refund"]["id"], approved["id"]);

    // Declined by rule: no money moves.
    let declined = refund(json!({"order_id": order_id, "amount_minor": 500, "reason": "other", "sandbox_decision": "decline"}))
        .await
        .expect(201);
    assert_eq!(declined["status"], "declined");
    assert_eq!(declined["ledger_entry_id"], Value::Null);
    assert_eq!(events_of(&app, &token, "refund.declined").await.len(), 1);

    // Manual: pending for an operator; one open request per order.
    let pending = refund(json!({"order_id": order_id, "amount_minor": 2000, "reason": "coverage_issue", "sandbox_decision": "manual"}))
        .await
        .expect(201);
    assert_eq!(pending["status"], "pending");
    refund(json!({"order_id": order_id, "amount_minor": 1, "reason": "other"}))
        .await
        .expect_problem(409, "refund_already_open");
    let queue = app
        .operator()
        .get_ok("/v1/admin/refunds?status=pending")
        .await;
    assert_eq!(queue["data"].as_array().unwrap().len(), 1);
    let pid = pending["id"].as_str().unwrap();
    app.operator()
        .post(
            &format!("/v1/admin/refunds/{pid}/approve"),
            &json!({"reason": ""}),
        )
        .await
        .expect_problem(422, "validation_failed");
    let ok = app
        .operator()
        .post(
            &format!("/v1/admin/refunds/{pid}/approve"),
            &json!({"reason": "Confirmed outage"}),
        )
        .await
        .expect(200);
    assert_eq!(ok["status"], "approved");
    assert_eq!(ok["decided_by"], "operator");
    assert_eq!(ok["decision_reason"], "Confirmed outage");
    app.operator()
        .post(
            &format!("/v1/admin/refunds/{pid}/decline"),
            &json!({"reason": "Changed my mind"}),
        )
        .await
        .expect_problem(409, "refund_not_pending");
    // Everything captured is refunded now: nothing is left.
    refund(json!({"order_id": order_id, "amount_minor": 1, "reason": "other"}))
        .await
        .expect_problem(409, "order_not_refundable");
    assert_eq!(eur(&app, &token).await.0, 20_000 - 1300);
    let mine = app
        .bearer(&token)
        .get_ok(&format!("/v1/refunds/{pid}"))
        .await;
    assert_eq!(mine["status"], "approved");

    // Another partner sees none of it.
    let other = account(&app, "Other Co", 0).await;
    app.bearer(&other.owner.token)
        .get(&format!("/v1/refunds/{pid}"))
        .await
        .expect_problem(404, "not_found");
    app.bearer(&other.owner.token)
        .post(
            "/v1/refunds",
            &json!({"order_id": order_id, "amount_minor": 1, "reason": "other"}),
        )
        .await
        .expect_problem(422, "order_not_found");
}

#[tokio::test]
async fn a_subscription_cancelled_unused_is_refunded_in_full_and_a_used_one_is_not() {
    let app = TestApp::spawn().await;
    catalogue(&app).await;
    let org = account(&app, "Unused Co", 20_000).await;
    let token = org.owner.token.clone();
    let cancel = |service: &Value| {
        json!({
            "type": "cancel_subscription",
            "customer_reference": "cust-money",
            "service_id": service,
        })
    };
    // Never installed, no usage: the whole activation comes back.
    let unused = completed_order(&app, &token, "m-plan-30").await;
    create_order(&app, &token, &cancel(&unused["service_id"])).await;
    app.drain().await;
    let refunds = app.bearer(&token).get_ok("/v1/refunds").await;
    let list = refunds["data"].as_array().unwrap();
    assert_eq!(list.len(), 1, "{refunds}");
    assert_eq!(list[0]["order_id"], unused["id"]);
    assert_eq!(list[0]["reason"], "unused_subscription");
    assert_eq!(list[0]["amount_minor"], 3000);
    assert_eq!(list[0]["status"], "approved");
    assert_eq!(list[0]["decided_by"], "unused_subscription_rule");
    assert_eq!(eur(&app, &token).await, (20_000, 0, 0));

    // Installed: no refund by rule.
    let used = completed_order(&app, &token, "m-plan-13").await;
    let svc = used["service_id"].as_str().unwrap();
    app.bearer(&token)
        .post_empty(&format!("/v1/sandbox/services/{svc}/install"))
        .await
        .expect(200);
    create_order(&app, &token, &cancel(&used["service_id"])).await;
    app.drain().await;
    let refunds = app.bearer(&token).get_ok("/v1/refunds").await;
    assert_eq!(refunds["data"].as_array().unwrap().len(), 1);
    assert_eq!(eur(&app, &token).await, (20_000 - 1300, 0, 1300));
}

// ---------------------------------------------------------------------------------------
// Invoices, true-up, PDF and CSV

#[tokio::test]
async fn a_commitment_shortfall_is_trued_up_and_usage_above_it_is_not() {
    let app = TestApp::spawn().await;
    catalogue(&app).await;
    let short = account(&app, "Short Co", 50_000).await;
    set_profile(&app, &short.partner_id, 10_000).await;
    let token = short.owner.token.clone();
    completed_order(&app, &token, "m-plan-30").await;
    completed_order(&app, &token, "m-plan-30").await;
    let invoices = close(&app, &token).await;
    assert_eq!(invoices.len(), 1);
    let inv = &invoices[0];
    assert_eq!(inv["period"], "2026-11");
    assert_eq!(
        inv["status"], "issued",
        "sandbox invoices are issued at once"
    );
    assert_eq!(inv["commitment_minor"], 10_000);
    assert_eq!(inv["usage_minor"], 6000);
    assert_eq!(inv["true_up_minor"], 4000);
    // The total is the sum of the lines: the 500.00 credit less 60.00 usage and 40.00 true-up.
    assert_eq!(inv["total_minor"], -40_000);
    assert_eq!(inv["payment_terms_days"], 14);
    let lines = inv["lines"].as_array().unwrap();
    // The credit, two captures, the true-up.
    let kinds: Vec<(&str, i64)> = lines
        .iter()
        .map(|l| {
            (
                l["entry_type"].as_str().unwrap(),
                l["amount_minor"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("credit", -50_000),
            ("capture", 3000),
            ("capture", 3000),
            ("commitment_adjustment", 4000)
        ]
    );
    let total: i64 = lines
        .iter()
        .map(|l| l["amount_minor"].as_i64().unwrap())
        .sum();
    assert_eq!(total, inv["total_minor"].as_i64().unwrap());
    // The true-up is a ledger entry naming the invoice, and it moved the wallet.
    let adj = ledger(&app, &token, "&entry_type=commitment_adjustment").await;
    assert_eq!(adj.len(), 1);
    assert_eq!(adj[0]["amount"], 4000);
    assert_eq!(adj[0]["invoice_id"], inv["id"]);
    assert_eq!(lines[3]["ledger_entry_id"], adj[0]["id"]);
    assert_eq!(eur(&app, &token).await.0, 50_000 - 6000 - 4000);
    let by_invoice = ledger(
        &app,
        &token,
        &format!("&invoice_id={}", inv["id"].as_str().unwrap()),
    )
    .await;
    assert_eq!(by_invoice.len(), 1);
    let issued = events_of(&app, &token, "invoice.issued").await;
    assert_eq!(issued.len(), 1);
    assert_eq!(issued[0]["data"]["invoice"]["id"], inv["id"]);
    // Closing again at once finds nothing left.
    assert!(close(&app, &token).await.is_empty());

    // Usage above the commitment: no true-up.
    let above = account(&app, "Above Co", 50_000).await;
    set_profile(&app, &above.partner_id, 10_000).await;
    let t2 = above.owner.token.clone();
    completed_order(&app, &t2, "m-plan-70").await;
    completed_order(&app, &t2, "m-plan-70").await;
    let invoices = close(&app, &t2).await;
    assert_eq!(invoices.len(), 1);
    assert_eq!(invoices[0]["usage_minor"], 14_000);
    assert_eq!(invoices[0]["true_up_minor"], 0);
    assert!(invoices[0]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .all(|l| l["entry_type"] != "commitment_adjustment"));
    assert!(ledger(&app, &t2, "&entry_type=commitment_adjustment")
        .await
        .is_empty());
}

#[tokio::test]
async fn invoices_list_move_through_their_states_and_answer_as_csv_and_pdf() {
    let app = TestApp::spawn().await;
    catalogue(&app).await;
    let org = account(&app, "Docs Co", 0).await;
    set_profile(&app, &org.partner_id, 10_000).await;
    let token = org.owner.token.clone();
    app.fund(&org.partner_id, "sandbox", "EUR", 20_000).await;
    let order = completed_order(&app, &token, "m-plan-30").await;
    let inv = close(&app, &token).await.remove(0);
    let id = inv["id"].as_str().unwrap().to_string();
    let number = inv["number"].as_str().unwrap().to_string();
    assert!(number.starts_with("INV-202611-"), "{number}");

    // The list and its filters.
    let list = app.bearer(&token).get_ok("/v1/invoices").await;
    assert_eq!(list["data"].as_array().unwrap().len(), 1);
    assert!(list["data"][0].get("lines").is_none());
    for (query, n) in [
        ("period=2026-11", 1),
        ("period=2026-10", 0),
        ("status=issued", 1),
        ("status=draft", 0),
        ("currency=EUR", 1),
        ("currency=USD", 0),
    ] {
        let page = app
            .bearer(&token)
            .get_ok(&format!("/v1/invoices?{query}"))
            .await;
        assert_eq!(page["data"].as_array().unwrap().len(), n, "{query}");
    }
    app.bearer(&token)
        .get("/v1/invoices?period=2026-13")
        .await
        .expect_problem(422, "validation_failed");

    // JSON with lines; CSV lines parse back to the same.
    let json = app
        .bearer(&token)
        .get_ok(&format!("/v1/invoices/{id}"))
        .await;
    let lines = json["lines"].as_array().unwrap();
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[1]["order_id"], order["id"]);
    let csv = app
        .bearer(&token)
        .request(Method::GET, &format!("/v1/invoices/{id}"))
        .header("accept", "text/csv")
        .fetch()
        .await;
    assert_eq!(csv.status, 200);
    assert_eq!(
        csv.header("content-type"),
        Some("text/csv; charset=utf-8; header=present")
    );
    let rows = parse_csv(&csv.text());
    assert_eq!(
        rows[0],
        [
            "invoice_id",
            "invoice_number",
            "position",
            "ledger_entry_id",
            "entry_type",
            "order_id",
            "created_at",
            "currency",
            "amount_minor",
            "description"
        ]
    );
    let parsed: Vec<Value> = rows[1..]
        .iter()
        .map(|r| {
            json!({
                "position": r[2].parse::<i64>().unwrap(),
                "ledger_entry_id": r[3],
                "entry_type": r[4],
                "order_id": if r[5].is_empty() { Value::Null } else { json!(r[5]) },
                "created_at": chrono::DateTime::parse_from_rfc3339(&r[6]).unwrap().timestamp_micros(),
                "amount_minor": r[8].parse::<i64>().unwrap(),
                "description": r[9],
            })
        })
        .collect();
    let expected: Vec<Value> = lines
        .iter()
        .map(|l| {
            json!({
                "position": l["position"],
                "ledger_entry_id": l["ledger_entry_id"],
                "entry_type": l["entry_type"],
                "order_id": l["order_id"],
                "created_at": chrono::DateTime::parse_from_rfc3339(l["created_at"].as_str().unwrap()).unwrap().timestamp_micros(),
                "amount_minor": l["amount_minor"],
                "description": l["description"],
            })
        })
        .collect();
    assert_eq!(parsed, expected);
    assert!(rows[1..]
        .iter()
        .all(|r| r[0] == id && r[1] == number && r[7] == "EUR"));

    // PDF: names the number and the total.
    let pdf = app
        .bearer(&token)
        .request(Method::GET, &format!("/v1/invoices/{id}"))
        .header("accept", "application/pdf")
        .fetch()
        .await;
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    let bytes = pdf.bytes();
    assert!(bytes.starts_with(b"%PDF"), "{:?}", &bytes[..8]);
    let text = String::from_utf8_lossy(bytes);
    assert!(text.contains(&number), "the PDF names the invoice number");
    // Total: the 200.00 credit less 30.00 usage and the 70.00 true-up.
    assert_eq!(inv["total_minor"], -10_000);
    assert!(text.contains("EUR -100.00"), "the PDF names the total");
    assert!(text.contains("EUR 70.00"), "and the true-up");
    assert!(text.trim_end().ends_with("%%EOF"));
    app.bearer(&token)
        .request(Method::GET, &format!("/v1/invoices/{id}"))
        .header("accept", "image/png")
        .fetch()
        .await
        .expect_problem(406, "not_acceptable");

    // Other tenants: 404 in every representation.
    let other = account(&app, "Stranger Co", 0).await;
    app.bearer(&other.owner.token)
        .get(&format!("/v1/invoices/{id}"))
        .await
        .expect_problem(404, "not_found");

    // States: issued → paid, and nothing after.
    app.operator()
        .post_empty(&format!("/v1/admin/invoices/{id}/issue"))
        .await
        .expect_problem(409, "invalid_invoice_state");
    let paid = app
        .operator()
        .post_empty(&format!("/v1/admin/invoices/{id}/mark-paid"))
        .await
        .expect(200);
    assert_eq!(paid["status"], "paid");
    assert!(paid["paid_at"].is_string());
    assert_eq!(events_of(&app, &token, "invoice.paid").await.len(), 1);
    app.operator()
        .post(
            &format!("/v1/admin/invoices/{id}/void"),
            &json!({"reason": "Too late"}),
        )
        .await
        .expect_problem(409, "invalid_invoice_state");
}

#[tokio::test]
async fn live_invoices_start_as_drafts_that_operators_issue_or_void() {
    let app = TestApp::spawn().await;
    catalogue(&app).await;
    let org = account(&app, "Live Co", 0).await;
    set_profile(&app, &org.partner_id, 10_000).await;
    app.enable_live(&org.partner_id).await;
    let live = app.login_token(&org.owner.email, "live").await;
    app.fund(&org.partner_id, "live", "EUR", 30_000).await;
    let path = format!("/v1/admin/partners/{}/invoices", org.partner_id);
    app.operator()
        .post(
            &path,
            &json!({"environment": "live", "currency": "EUR", "period": "2026-12"}),
        )
        .await
        .expect_problem(422, "period_not_started");
    // The current month on demand: the month so far, no true-up yet.
    let so_far = app
        .operator()
        .post(
            &path,
            &json!({"environment": "live", "currency": "EUR", "period": "2026-11"}),
        )
        .await
        .expect(201);
    assert_eq!(so_far["status"], "draft");
    assert_eq!(so_far["origin"], "operator");
    assert_eq!(so_far["true_up_minor"], 0);
    assert_eq!(so_far["total_minor"], -30_000);
    assert!(app.bearer(&live).get_ok("/v1/invoices").await["data"][0]["due_at"].is_null());
    // In December, November's rest: the true-up applies.
    app.clock
        .set(chrono::Utc.with_ymd_and_hms(2026, 12, 2, 8, 0, 0).unwrap());
    let live = app.login_token(&org.owner.email, "live").await;
    let rest = app
        .operator()
        .post(
            &path,
            &json!({"environment": "live", "currency": "EUR", "period": "2026-11"}),
        )
        .await
        .expect(201);
    assert_eq!(rest["true_up_minor"], 10_000);
    assert_eq!(rest["lines"].as_array().unwrap().len(), 1);
    app.operator()
        .post(
            &path,
            &json!({"environment": "live", "currency": "EUR", "period": "2026-11"}),
        )
        .await
        .expect_problem(409, "nothing_to_invoice");
    let rid = rest["id"].as_str().unwrap();
    let issued = app
        .operator()
        .post_empty(&format!("/v1/admin/invoices/{rid}/issue"))
        .await
        .expect(200);
    assert_eq!(issued["status"], "issued");
    assert_eq!(issued["due_at"], "2026-12-16T08:00:00Z");
    // Voiding gives the true-up back as a credit naming the invoice.
    let voided = app
        .operator()
        .post(
            &format!("/v1/admin/invoices/{rid}/void"),
            &json!({"reason": "Commitment waived for the launch month"}),
        )
        .await
        .expect(200);
    assert_eq!(voided["status"], "void");
    assert_eq!(
        voided["void_reason"],
        "Commitment waived for the launch month"
    );
    let back = ledger(&app, &live, &format!("&invoice_id={rid}")).await;
    let kinds: Vec<&str> = back
        .iter()
        .map(|e| e["entry_type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["credit", "commitment_adjustment"]);
    assert_eq!(crate::orders::wallet(&app, &live, "EUR").await.0, 30_000);
    assert_eq!(events_of(&app, &live, "invoice.voided").await.len(), 1);
    let drafts = app
        .operator()
        .get_ok("/v1/admin/invoices?status=draft")
        .await;
    assert_eq!(drafts["data"].as_array().unwrap().len(), 1);
    assert_eq!(drafts["data"][0]["id"], so_far["id"]);
    assert_eq!(
        mismatches(&reconcile(&app, &live, "2026-11").await),
        Vec::<(String, String)>::new()
    );
}

// ---------------------------------------------------------------------------------------
// The period-close job

/// Another instance of the service over the app's database: on PostgreSQL its own pool (a
/// second process); one SQLite file serves one process, so there the instances share the pool.
fn instance(app: &TestApp) -> onyx::state::AppState {
    let db = match app.state.db.backend() {
        onyx::db::Backend::Postgres => onyx::db::Db::connect(&app.db.url, 4).expect("second pool"),
        onyx::db::Backend::Sqlite => app.state.db.clone(),
    };
    onyx::state::AppState::new(db, (*app.state.config).clone(), Arc::new(app.clock.clone()))
}

#[tokio::test]
async fn two_instances_closing_the_same_period_make_one_invoice_each() {
    let app = TestApp::spawn().await;
    catalogue(&app).await;
    let mut orgs = Vec::new();
    for name in ["Close A", "Close B", "Close C"] {
        let org = account(&app, name, 20_000).await;
        completed_order(&app, &org.owner.token, "m-plan-30").await;
        orgs.push(org);
    }
    set_profile(&app, &orgs[2].partner_id, 10_000).await;
    // November is not over: the job does nothing yet.
    let a = instance(&app);
    let b = instance(&app);
    let (oa, ob) = (onyx::jobs::Owner::new(), onyx::jobs::Owner::new());
    assert_eq!(onyx::billing::close::run_due(&a, &oa).await.unwrap(), 0);
    app.clock
        .set(chrono::Utc.with_ymd_and_hms(2026, 12, 1, 0, 5, 0).unwrap());
    let mut tokens = Vec::new();
    for org in &orgs {
        tokens.push(app.login_token(&org.owner.email, "sandbox").await);
    }
    // December's activity is not November's.
    completed_order(&app, &tokens[0], "m-plan-13").await;
    let (ra, rb) = tokio::join!(
        onyx::billing::close::run_due(&a, &oa),
        onyx::billing::close::run_due(&b, &ob)
    );
    let made = ra.unwrap() + rb.unwrap();
    assert_eq!(made, 3, "one invoice per partner in all");
    // Again (either instance): nothing more.
    assert_eq!(onyx::billing::close::run_due(&a, &oa).await.unwrap(), 0);
    assert_eq!(onyx::billing::close::run_due(&b, &ob).await.unwrap(), 0);
    let per_key: Vec<(String, String, String, i64)> = app.db_query(|c| {
        use onyx::db::schema::invoices::dsl::*;
        invoices
            .group_by((partner_id, currency, period))
            .select((partner_id, currency, period, diesel::dsl::count_star()))
            .load(c)
            .unwrap()
    });
    assert_eq!(per_key.len(), 3);
    assert!(
        per_key.iter().all(|k| k.2 == "2026-11" && k.3 == 1),
        "{per_key:?}"
    );
    for (i, token) in tokens.iter().enumerate() {
        let list = app.bearer(token).get_ok("/v1/invoices").await;
        let inv = &list["data"][0];
        assert_eq!(inv["origin"], "period_close");
        assert_eq!(inv["status"], "issued");
        assert_eq!(inv["period_end"], "2026-12-01T00:00:00Z");
        assert_eq!(inv["usage_minor"], 3000, "December's order is not on it");
        assert_eq!(inv["true_up_minor"], if i == 2 { 7000 } else { 0 });
        assert!(mismatches(&reconcile(&app, token, "2026-11").await).is_empty());
    }
    // The closes: October (run in November, nothing to bill) and November, each done once.
    let done: Vec<(String, Option<chrono::NaiveDateTime>, i32)> = app.db_query(|c| {
        use onyx::db::schema::period_closes::dsl::*;
        period_closes
            .order(period.asc())
            .select((period, done_at, invoices))
            .load(c)
            .unwrap()
    });
    assert_eq!(done.len(), 2);
    assert_eq!((done[0].0.as_str(), done[0].2), ("2026-10", 0));
    assert_eq!((done[1].0.as_str(), done[1].2), ("2026-11", 3));
    assert!(done.iter().all(|d| d.1.is_some()));
}

#[tokio::test]
async fn the_unique_window_refuses_a_second_invoice_even_without_the_claim() {
    let app = TestApp::spawn().await;
    catalogue(&app).await;
    let org = account(&app, "Window Co", 20_000).await;
    completed_order(&app, &org.owner.token, "m-plan-30").await;
    app.clock
        .set(chrono::Utc.with_ymd_and_hms(2026, 12, 1, 0, 5, 0).unwrap());
    // Two closes of one window at once, straight to the domain function (no job claim).
    let states = [instance(&app), instance(&app)];
    let partner = org.partner_id.clone();
    let runs = states.map(|s| {
        let partner = partner.clone();
        tokio::spawn(async move {
            let now = s.now();
            s.db.write(move |c| {
                let tenant = onyx::auth::Operator::process()
                    .acting_for(&partner, onyx::auth::Environment::Sandbox);
                let period = onyx::billing::Period::parse("2026-11").unwrap();
                let w = onyx::billing::invoices::Window {
                    tenant: &tenant,
                    currency: "EUR",
                    period,
                    end: period.end(),
                    origin: onyx::billing::invoices::InvoiceOrigin::PeriodClose,
                };
                onyx::billing::invoices::close_window(c, &w, now).map(|i| i.is_some())
            })
            .await
        })
    });
    let mut made = 0;
    for r in runs {
        made += usize::from(r.await.unwrap().unwrap());
    }
    assert_eq!(made, 1);
    // And the index itself refuses a duplicate window written by hand.
    let dup = app.db_query(|c| {
        diesel::sql_query(
            "INSERT INTO invoices (id, number, partner_id, environment, currency, period, period_start, period_end, status, commitment_minor, usage_minor, true_up_minor, total_minor, payment_terms_days, origin, created_at, updated_at) \
             SELECT 'inv_dup', 'INV-DUP', partner_id, environment, currency, period, period_start, period_end, status, 0, 0, 0, 0, 30, origin, created_at, updated_at FROM invoices",
        )
        .execute(c)
    });
    assert!(dup.is_err(), "a second invoice of one window is refused");
}

// ---------------------------------------------------------------------------------------
// Reconciliation

#[tokio::test]
async fn reconciliation_reports_each_injected_mismatch_and_none_when_clean() {
    let app = TestApp::spawn().await;
    catalogue(&app).await;
    let org = account(&app, "Recon Co", 20_000).await;
    let token = org.owner.token.clone();
    let a = completed_order(&app, &token, "m-plan-30").await;
    let b = completed_order(&app, &token, "m-plan-13").await;
    let inv = close(&app, &token).await.remove(0);
    let clean = reconcile(&app, &token, "2026-11").await;
    assert_eq!(clean["mismatch_count"], 0, "{clean}");
    let eur_row = &clean["currencies"][0];
    assert_eq!(eur_row["currency"], "EUR");
    assert_eq!(eur_row["completed_orders"], 2);
    assert_eq!(eur_row["captured_minor"], 4300);
    assert_eq!(eur_row["invoiced_minor"], inv["total_minor"]);
    assert_eq!(
        eur_row["wallet"]["available"],
        eur_row["wallet"]["ledger_available"]
    );
    app.bearer(&token)
        .get("/v1/reconciliation?period=11-2026")
        .await
        .expect_problem(422, "validation_failed");
    app.bearer(&token)
        .get("/v1/reconciliation")
        .await
        .expect_problem(400, "invalid_query");

    let a_id = a["id"].as_str().unwrap().to_string();
    let b_id = b["id"].as_str().unwrap().to_string();
    let inv_id = inv["id"].as_str().unwrap().to_string();
    let line_id = inv["lines"][1]["id"].as_str().unwrap().to_string();
    let capture_b: String = ledger(
        &app,
        &token,
        &format!("&order_id={b_id}&entry_type=capture"),
    )
    .await[0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let wallet_id: String = clean["currencies"][0]["wallet"]["wallet_id"]
        .as_str()
        .unwrap()
        .to_string();
    let sql = |s: String| {
        app.db_query(move |c| diesel::sql_query(s).execute(c).unwrap());
    };
    // (inject, undo, expected kind, expected reference)
    let cases: Vec<(String, String, &str, String)> = vec![
        (
            format!("UPDATE orders SET attempt = 2 WHERE id = '{a_id}'"),
            format!("UPDATE orders SET attempt = 1 WHERE id = '{a_id}'"),
            "order_without_capture",
            a_id.clone(),
        ),
        (
            format!("UPDATE orders SET state = 'failed' WHERE id = '{b_id}'"),
            format!("UPDATE orders SET state = 'completed' WHERE id = '{b_id}'"),
            "capture_without_order",
            capture_b.clone(),
        ),
        (
            format!(
                "UPDATE invoice_lines SET ledger_entry_id = 'led_missing' WHERE id = '{line_id}'"
            ),
            format!(
                "UPDATE invoice_lines SET ledger_entry_id = '{}' WHERE id = '{line_id}'",
                inv["lines"][1]["ledger_entry_id"].as_str().unwrap()
            ),
            "line_without_ledger_entry",
            line_id.clone(),
        ),
        (
            format!("UPDATE wallets SET available = available + 1 WHERE id = '{wallet_id}'"),
            format!("UPDATE wallets SET available = available - 1 WHERE id = '{wallet_id}'"),
            "wallet_ledger_mismatch",
            wallet_id.clone(),
        ),
        (
            format!("UPDATE invoices SET total_minor = total_minor + 1 WHERE id = '{inv_id}'"),
            format!("UPDATE invoices SET total_minor = total_minor - 1 WHERE id = '{inv_id}'"),
            "invoice_total_mismatch",
            inv_id.clone(),
        ),
    ];
    for (inject, undo, kind, reference) in cases {
        sql(inject);
        let report = reconcile(&app, &token, "2026-11").await;
        assert_eq!(
            mismatches(&report),
            vec![(kind.to_string(), reference)],
            "{report}"
        );
        assert_eq!(report["mismatch_count"], 1);
        sql(undo);
        assert_eq!(
            reconcile(&app, &token, "2026-11").await["mismatch_count"],
            0
        );
    }
    // A capture naming no order at all.
    sql(format!(
        "UPDATE ledger_entries SET order_id = NULL WHERE id = '{capture_b}'"
    ));
    let kinds: Vec<String> = mismatches(&reconcile(&app, &token, "2026-11").await)
        .into_iter()
        .map(|m| m.0)
        .collect();
    assert_eq!(kinds, ["order_without_capture", "capture_without_order"]);
    // Another month is clean and empty.
    let october = reconcile(&app, &token, "2026-10").await;
    assert_eq!(october["currencies"][0]["completed_orders"], 0);
}

// ---------------------------------------------------------------------------------------
// The property test

/// A small deterministic generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// What the ledger says the wallet must hold: (available, reserved).
fn ledger_sums(entries: &[Value]) -> (i64, i64) {
    let mut sums = (0, 0);
    for e in entries {
        let a = e["amount"].as_i64().unwrap();
        let (da, dr) = match e["entry_type"].as_str().unwrap() {
            "reserve" => (-a, a),
            "capture" => (0, -a),
            "release" => (a, -a),
            "credit" | "refund" => (a, 0),
            "debit" | "commitment_adjustment" => (-a, 0),
            other => panic!("unknown entry type {other}"),
        };
        sums.0 += da;
        sums.1 += dr;
    }
    sums
}

async fn check_books(app: &TestApp, token: &str, seed: u64, step: usize) {
    let ctx = format!("seed {seed} step {step}");
    let (available, reserved, _) = eur(app, token).await;
    assert!(available >= 0, "{ctx}: available {available}");
    assert!(reserved >= 0, "{ctx}: reserved {reserved}");
    let entries = ledger(app, token, "&currency=EUR").await;
    assert_eq!(
        ledger_sums(&entries),
        (available, reserved),
        "{ctx}: wallet == sum(ledger)"
    );
    let list = app.bearer(token).get_ok("/v1/invoices?limit=100").await;
    for inv in list["data"].as_array().unwrap() {
        let id = inv["id"].as_str().unwrap();
        let full = app
            .bearer(token)
            .get_ok(&format!("/v1/invoices/{id}"))
            .await;
        let sum: i64 = full["lines"]
            .as_array()
            .unwrap()
            .iter()
            .map(|l| l["amount_minor"].as_i64().unwrap())
            .sum();
        assert_eq!(
            sum,
            full["total_minor"].as_i64().unwrap(),
            "{ctx}: invoice {id}"
        );
    }
    let period = onyx::billing::Period::of(app.state.now()).label();
    let report = reconcile(app, token, &period).await;
    assert_eq!(report["mismatch_count"], 0, "{ctx}: {report}");
}

#[tokio::test]
async fn random_sequences_keep_the_books_straight() {
    let app = TestApp::spawn().await;
    catalogue(&app).await;
    for seed in [7_u64, 1_013, 424_242] {
        let org = account(&app, &format!("Seed {seed}"), 0).await;
        set_profile(&app, &org.partner_id, 2_000).await;
        app.fund(&org.partner_id, "sandbox", "EUR", 40_000).await;
        let mut token = org.owner.token.clone();
        let mut since_login = chrono::Duration::zero();
        let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
        let mut open: Vec<String> = Vec::new();
        let mut completed: Vec<String> = Vec::new();
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for step in 0..40 {
            let op = match rng.below(100) {
                0..=29 => "order",
                30..=41 => "failing_order",
                42..=51 => "open_order",
                52..=59 => "cancel",
                60..=67 => "credit",
                68..=75 => "debit",
                76..=89 => "refund",
                _ => "close",
            };
            *counts.entry(op).or_default() += 1;
            let plans = ["m-plan-30", "m-plan-13", "m-plan-70"];
            let plan = plans[rng.below(3) as usize];
            match op {
                "order" | "failing_order" | "open_order" => {
                    let scenario = match op {
                        "order" => "success",
                        "failing_order" => "failed",
                        _ => "manual",
                    };
                    let r = app
                        .bearer(&token)
                        .post("/v1/orders", &activation(plan, scenario))
                        .await;
                    if r.status == 422 {
                        r.expect_problem(422, "insufficient_funds");
                    } else {
                        let id = r.expect(201)["id"].as_str().unwrap().to_string();
                        app.drain().await;
                        match op {
                            "order" => completed.push(id),
                            "open_order" => open.push(id),
                            _ => {}
                        }
                    }
                }
                "cancel" => {
                    if let Some(id) = open.pop() {
                        app.bearer(&token)
                            .post_empty(&format!("/v1/orders/{id}/cancel"))
                            .await
                            .expect(200);
                    }
                }
                "credit" => {
                    app.fund(
                        &org.partner_id,
                        "sandbox",
                        "EUR",
                        1 + rng.below(5_000) as i64,
                    )
                    .await
                }
                "debit" => {
                    let amount = 1 + rng.below(8_000) as i64;
                    let r = app
                        .operator()
                        .post(
                            &format!("/v1/admin/partners/{}/wallet-debits", org.partner_id),
                            &json!({"environment": "sandbox", "currency": "EUR", "amount_minor": amount, "reason": format!("Adjustment {step}")}),
                        )
                        .await;
                    if r.status != 201 {
                        r.expect_problem(422, "debit_exceeds_available");
                    }
                }
                "refund" => {
                    if !completed.is_empty() {
                        let id = completed[rng.below(completed.len() as u64) as usize].clone();
                        let amount = 1 + rng.below(4_000) as i64;
                        let decision = ["approve", "decline", "approve"][rng.below(3) as usize];
                        let r = app
                            .bearer(&token)
                            .post(
                                "/v1/refunds",
                                &json!({"order_id": id, "amount_minor": amount, "reason": "other", "sandbox_decision": decision}),
                            )
                            .await;
                        match r.status {
                            201 => {}
                            409 => {
                                r.expect_problem(409, "order_not_refundable");
                            }
                            _ => {
                                r.expect_problem(422, "refund_exceeds_captured");
                            }
                        }
                    }
                }
                _ => {
                    close(&app, &token).await;
                }
            }
            let pause = chrono::Duration::minutes(1 + rng.below(90) as i64);
            app.clock.advance(pause);
            since_login += pause;
            // Sessions expire: sign in again as a portal user would.
            if since_login >= chrono::Duration::minutes(10) {
                token = app.login_token(&org.owner.email, "sandbox").await;
                since_login = chrono::Duration::zero();
            }
            if step % 8 == 7 {
                check_books(&app, &token, seed, step).await;
            }
        }
        // End: everything open is cancelled, the period closed; the books still balance.
        for id in open.drain(..) {
            app.bearer(&token)
                .post_empty(&format!("/v1/orders/{id}/cancel"))
                .await
                .expect(200);
        }
        close(&app, &token).await;
        check_books(&app, &token, seed, 40).await;
        let (_, reserved, _) = eur(&app, &token).await;
        assert_eq!(reserved, 0, "seed {seed}: nothing left reserved");
        // Every billable entry is on exactly one invoice.
        let billable = ledger(&app, &token, "&currency=EUR")
            .await
            .into_iter()
            .filter(|e| !matches!(e["entry_type"].as_str(), Some("reserve" | "release")))
            .count();
        let list = app.bearer(&token).get_ok("/v1/invoices?limit=100").await;
        let mut lines = 0;
        for inv in list["data"].as_array().unwrap() {
            let id = inv["id"].as_str().unwrap();
            lines += app
                .bearer(&token)
                .get_ok(&format!("/v1/invoices/{id}"))
                .await["lines"]
                .as_array()
                .unwrap()
                .len();
        }
        assert_eq!(lines, billable, "seed {seed}: {counts:?}");
        assert!(
            counts.len() >= 6,
            "seed {seed} tried most operations: {counts:?}"
        );
    }
}

#[tokio::test]
async fn a_period_is_claimed_by_one_owner_at_a_time_until_done() {
    let app = TestApp::spawn().await;
    app.clock
        .set(chrono::Utc.with_ymd_and_hms(2026, 12, 1, 0, 5, 0).unwrap());
    let period = onyx::billing::Period::parse("2026-11").unwrap();
    let lease = onyx::jobs::Lease::from_std(std::time::Duration::from_secs(30));
    let (a, b) = (onyx::jobs::Owner::new(), onyx::jobs::Owner::new());
    let claim = |owner: &onyx::jobs::Owner| {
        let now = app.state.now();
        app.db_query(|c| onyx::billing::close::claim(c, period, owner, lease, now).unwrap())
    };
    assert!(claim(&a), "the first owner claims the month");
    assert!(!claim(&b), "a second owner cannot while the lease runs");
    assert!(!claim(&a), "nor can the first claim it twice");
    // A dead owner's lease runs out: another takes the month over.
    app.clock.advance(chrono::Duration::seconds(31));
    assert!(claim(&b));
    // Once done, nobody claims it again.
    app.db_query(|c| {
        use onyx::db::schema::period_closes::dsl::*;
        diesel::update(period_closes)
            .set(
                done_at.eq(Some(
                    chrono::NaiveDate::from_ymd_opt(2026, 12, 1)
                        .unwrap()
                        .and_hms_opt(0, 6, 0)
                        .unwrap(),
                )),
            )
            .execute(c)
            .unwrap()
    });
    app.clock.advance(chrono::Duration::minutes(5));
    assert!(!claim(&a));
    assert!(!claim(&b));
}

// ---------------------------------------------------------------------------------------
// Low-balance alerts

#[tokio::test]
async fn a_low_balance_alert_fires_once_per_downward_crossing_and_rearms_above_it() {
    let app = TestApp::spawn().await;
    catalogue(&app).await;
    let org = account(&app, "Alert Co", 10_000).await;
    let token = org.owner.token.clone();
    let set = |threshold: Value| {
        let t = token.clone();
        let app = &app;
        async move {
            app.bearer(&t)
                .put(
                    "/v1/wallet/low-balance-alert",
                    &json!({"currency": "EUR", "threshold_minor": threshold}),
                )
                .await
        }
    };
    set(json!(0)).await.expect_problem(422, "validation_failed");
    let viewer = app.add_member(&org, "viewer").await;
    app.bearer(&viewer.token)
        .put(
            "/v1/wallet/low-balance-alert",
            &json!({"currency": "EUR", "threshold_minor": 5000}),
        )
        .await
        .expect_problem(403, "forbidden");
    let wallets = set(json!(5000)).await.expect(200);
    assert_eq!(wallets["data"][0]["low_balance_threshold"], 5000);
    let alerts = || events_of(&app, &token, "wallet.low_balance");

    completed_order(&app, &token, "m-plan-30").await; // 7000: above
    assert!(alerts().await.is_empty());
    create_order(&app, &token, &activation("m-plan-30", "manual")).await; // 4000: crossed
    let fired = alerts().await;
    assert_eq!(fired.len(), 1);
    assert_eq!(fired[0]["data"]["wallet"]["available"], 4000);
    assert_eq!(fired[0]["data"]["wallet"]["low_balance_threshold"], 5000);
    completed_order(&app, &token, "m-plan-13").await; // 2700: still below, no new alert
    assert_eq!(alerts().await.len(), 1);
    app.fund(&org.partner_id, "sandbox", "EUR", 5000).await; // 7700: re-armed
    assert_eq!(alerts().await.len(), 1);
    app.operator()
        .post(
            &format!("/v1/admin/partners/{}/wallet-debits", org.partner_id),
            &json!({"environment": "sandbox", "currency": "EUR", "amount_minor": 3000, "reason": "Adjustment"}),
        )
        .await
        .expect(201); // 4700: crossed again
    assert_eq!(alerts().await.len(), 2);
    // Removed: no more alerts.
    let wallets = set(Value::Null).await.expect(200);
    assert_eq!(wallets["data"][0]["low_balance_threshold"], Value::Null);
    app.fund(&org.partner_id, "sandbox", "EUR", 5000).await;
    completed_order(&app, &token, "m-plan-70").await;
    assert_eq!(alerts().await.len(), 2);
}

#[tokio::test]
async fn a_refund_amount_may_be_written_as_a_whole_float() {
    let app = TestApp::spawn().await;
    catalogue(&app).await;
    let org = account(&app, "Float Co", 10_000).await;
    let order = completed_order(&app, &org.owner.token, "m-plan-30").await;
    let body = format!(
        r#"{{"order_id": "{}", "amount_minor": 1000.0, "reason": "other"}}"#,
        order["id"].as_str().unwrap()
    );
    let r = app
        .bearer(&org.owner.token)
        .request(Method::POST, "/v1/refunds")
        .header("content-type", "application/json")
        .body(body)
        .fetch()
        .await;
    assert_eq!(r.expect(201)["amount_minor"], 1000);
}

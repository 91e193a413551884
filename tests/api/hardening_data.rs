//! Findings of the hostile review about the state and data layer (issue 12, items 3, 14, 16,
//! 17 and 18): server faults are never reported as a client's mistake, writes are conditional,
//! the pool hands out clean connections, and reads aggregate in the database.

use diesel::prelude::*;
use serde_json::json;

use onyx::db::schema::{packages, services};

use crate::helpers::TestApp;
use crate::orders::{activate, create_order, post_order, shop, wallet};

/// Item 3: an order's package or service lookup that fails inside the service is a 500 with a
/// log line, never 422 `package_not_found` / `service_not_found` (which tell the partner to
/// change a correct request); only a true miss is a 4xx.
#[tokio::test]
async fn lookup_faults_are_server_errors_and_only_misses_are_client_errors() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let token = &shop.machine.token;

    // True misses stay 422 with their codes.
    post_order(&app, token, &activate(&["no-such-plan"]))
        .await
        .expect_problem(422, "package_not_found");
    let top_up = |svc: &str| json!({"type": "top_up_subscription", "customer_reference": "cust-42", "service_id": svc, "items": [{"package_id": "eu-data-1"}]});
    post_order(&app, token, &top_up("svc_missing"))
        .await
        .expect_problem(422, "service_not_found");

    // A package row the service cannot read: a fault of ours, not a missing package.
    app.db_query(|c| {
        diesel::update(packages::table.find("fr-plan-b"))
            .set(packages::kind.eq("kind-from-the-future"))
            .execute(c)
    })
    .unwrap();
    post_order(&app, token, &activate(&["fr-plan-b"]))
        .await
        .expect_problem(500, "internal_error");

    // A service row the service cannot read: likewise.
    let order = create_order(&app, token, &activate(&["fr-plan"])).await;
    let svc = order["service_id"].as_str().unwrap().to_string();
    app.drain().await;
    app.db_query(|c| {
        diesel::update(services::table.find(&svc))
            .set(services::state.eq("state-from-the-future"))
            .execute(c)
    })
    .unwrap();
    post_order(&app, token, &top_up(&svc))
        .await
        .expect_problem(500, "internal_error");
    // Nothing was reserved by the refused orders.
    assert_eq!(wallet(&app, token, "EUR").await.1, 0);
}

/// Item 3: a unique-index violation is a 409 only where it is the clients' conflict. Eight
/// concurrent first credits of a new currency all succeed (the wallet is created once and
/// found by the others) instead of some answering 409; a duplicate that can only be our own
/// fault (a second capture entry for one order attempt) is a 500, not "retry".
#[tokio::test]
async fn duplicates_are_conflicts_only_where_clients_race() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Racing credits").await;
    let path = format!("/v1/admin/partners/{}/wallet-credits", org.partner_id);
    let mut calls = Vec::new();
    for _ in 0..8 {
        calls.push(tokio::spawn(app.operator().post(
            &path,
            &json!({"environment": "sandbox", "currency": "GBP", "amount_minor": 125}),
        )));
    }
    for call in calls {
        call.await.unwrap().expect(201);
    }
    let body = app.bearer(&org.owner.token).get_ok("/v1/wallet").await;
    let gbp: Vec<_> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|w| w["currency"] == "GBP")
        .collect();
    assert_eq!(gbp.len(), 1, "{body}");
    assert_eq!(gbp[0]["available"], 1000, "{body}");

    // A capture entry already posted for the order's attempt (a fault of ours): the report
    // that would post it again answers 500 and changes nothing.
    let shop = shop(&app).await;
    let token = &shop.machine.token;
    let order = create_order(&app, token, &activate(&["fr-plan"])).await;
    let id = order["id"].as_str().unwrap().to_string();
    app.db_query(|c| {
        use onyx::db::schema::ledger_entries as le;
        let (wallet_id, partner_id, amount): (String, String, i64) = le::table
            .filter(le::order_id.eq(&id))
            .select((le::wallet_id, le::partner_id, le::amount))
            .first(c)
            .unwrap();
        diesel::insert_into(le::table)
            .values((
                le::id.eq("led_forged_duplicate"),
                le::wallet_id.eq(wallet_id),
                le::partner_id.eq(partner_id),
                le::environment.eq("sandbox"),
                le::currency.eq("EUR"),
                le::entry_type.eq("capture"),
                le::amount.eq(amount),
                le::order_id.eq(Some(&id)),
                le::order_attempt.eq(1),
                le::available_after.eq(0_i64),
                le::reserved_after.eq(0_i64),
                le::description.eq("forged"),
                le::created_at.eq(chrono::Utc::now().naive_utc()),
            ))
            .execute(c)
    })
    .unwrap();
    app.operator()
        .post(
            &format!("/v1/admin/orders/{id}/provisioning"),
            &json!({"state": "ready"}),
        )
        .await
        .expect_problem(500, "internal_error");
    let now = app.bearer(token).get_ok(&format!("/v1/orders/{id}")).await;
    assert_ne!(now["state"], "completed", "{now}");
}

//! Findings of the hostile review about the state and data layer (issue 12, items 3, 14, 16,
//! 17 and 18): server faults are never reported as a client's mistake, writes are conditional,
//! the pool hands out clean connections, and reads aggregate in the database.

use diesel::prelude::*;
use serde_json::json;

use onyx::db::schema::{packages, services};

use crate::helpers::{Fetch, TestApp};
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

/// Item 16: a connection whose transaction was left open by a panic is not handed out again
/// (before: the next request ran inside that transaction, its "committed" change invisible to
/// every other connection and, on SQLite, the write lock held).
#[tokio::test]
async fn a_connection_left_in_a_transaction_by_a_panic_is_discarded() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Panics").await;
    let db = app.state.db.clone();
    let pid = org.partner_id.clone();
    let panicked = tokio::task::spawn_blocking(move || {
        std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let _ = db.write_blocking(|c| {
                diesel::update(onyx::db::schema::partners::table.find(&pid))
                    .set(onyx::db::schema::partners::name.eq("Half-written"))
                    .execute(c)?;
                panic!("a bug in the middle of a transaction");
                #[allow(unreachable_code)]
                Ok(())
            });
        }))
        .is_err()
    })
    .await
    .unwrap();
    assert!(panicked);

    // The next writes go through the pool and commit for real: a fresh connection outside
    // the pool sees them, and never sees the panicked transaction's change.
    for _ in 0..4 {
        app.fund(&org.partner_id, "sandbox", "CHF", 250).await;
    }
    let fresh = onyx::db::Db::connect(&app.db.url, 1).unwrap();
    let mut conn = fresh.get().unwrap();
    let name: String = onyx::db::schema::partners::table
        .find(&org.partner_id)
        .select(onyx::db::schema::partners::name)
        .first(&mut conn)
        .unwrap();
    assert_ne!(name, "Half-written");
    let available: i64 = onyx::db::schema::wallets::table
        .filter(onyx::db::schema::wallets::partner_id.eq(&org.partner_id))
        .filter(onyx::db::schema::wallets::currency.eq("CHF"))
        .select(onyx::db::schema::wallets::available)
        .first(&mut conn)
        .unwrap();
    assert_eq!(available, 1000);
}

/// Item 16: on SQLite a writer waiting for the one write lock holds no pool connection, so a
/// queue of writers longer than the pool does not starve reads (before: every connection was
/// held by a queued writer and a read waited for the pool's timeout, then failed with 503).
#[tokio::test]
async fn queued_writers_do_not_starve_readers() {
    let app = TestApp::spawn().await; // a pool of 4 connections
    let org = app.onboard("Readers").await;
    let (held_tx, held_rx) = std::sync::mpsc::channel::<()>();
    let (release_tx, release_rx) = std::sync::mpsc::channel::<()>();
    let db = app.state.db.clone();
    let holder = tokio::task::spawn_blocking(move || {
        db.write_blocking(|_c| {
            held_tx.send(()).unwrap();
            release_rx.recv().unwrap();
            Ok(())
        })
    });
    held_rx.recv().unwrap();
    let mut queued = Vec::new();
    for _ in 0..6 {
        let db = app.state.db.clone();
        queued.push(tokio::task::spawn_blocking(move || {
            db.write_blocking(|c| {
                Ok(
                    diesel::select(diesel::dsl::sql::<diesel::sql_types::Integer>("1"))
                        .execute(c)?,
                )
            })
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    // While the first writer still holds its turn, a read answers (the deadline only guards
    // against waiting for the pool's 10 s timeout).
    let read = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        app.bearer(&org.owner.token).get("/v1/me"),
    )
    .await;
    release_tx.send(()).unwrap();
    let read = read.expect("a read waited behind queued writers");
    read.expect(200);
    holder.await.unwrap().unwrap();
    for q in queued {
        q.await.unwrap().unwrap();
    }
}

/// A PostgreSQL connection of the test's own, outside the app's pool, to hold locks while the
/// app runs (None on SQLite, where write transactions take turns and the race cannot happen).
fn side_connection(app: &TestApp) -> Option<diesel::PgConnection> {
    match app.db.backend {
        onyx::db::Backend::Postgres => Some(diesel::PgConnection::establish(&app.db.url).unwrap()),
        onyx::db::Backend::Sqlite => None,
    }
}

/// Item 14: Onyx's "retryable" report is a conditional write under the partner lock. A
/// partner's retry that has reopened the order (uncommitted, holding the partner lock) while
/// the report arrives wins: the report then finds the order processing and answers 409
/// `order_not_failed`. Before, the report read "failed" without the lock, waited only for the
/// order row, and then marked the reopened order retryable (and announced it).
#[tokio::test]
async fn a_retryable_report_never_lands_on_a_reopened_order() {
    use diesel::connection::SimpleConnection;
    let app = TestApp::spawn().await;
    let Some(mut side) = side_connection(&app) else {
        return;
    };
    let shop = shop(&app).await;
    let order = create_order(
        &app,
        &shop.machine.token,
        &crate::orders::activate_with(&["fr-plan"], "failed"),
    )
    .await;
    let id = order["id"].as_str().unwrap().to_string();
    app.drain().await;
    let failed = app
        .bearer(&shop.machine.token)
        .get_ok(&format!("/v1/orders/{id}"))
        .await;
    assert_eq!(failed["state"], "failed", "{failed}");

    // The retry's transaction, held open: the partner lock, then the order reopened.
    side.batch_execute(&format!(
        "BEGIN; SELECT id FROM partners WHERE id = '{p}' FOR UPDATE; \
         UPDATE orders SET state = 'processing', attempt = attempt + 1, retryable = false \
         WHERE id = '{id}';",
        p = shop.org.partner_id
    ))
    .unwrap();
    let report = tokio::spawn(app.operator().post(
        &format!("/v1/admin/orders/{id}/provisioning"),
        &json!({"state": "retryable"}),
    ));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    side.batch_execute("COMMIT").unwrap();
    report
        .await
        .unwrap()
        .expect_problem(409, "order_not_failed");
    let retryable: bool = app.db_query(|c| {
        onyx::db::schema::orders::table
            .find(&id)
            .select(onyx::db::schema::orders::retryable)
            .first(c)
            .unwrap()
    });
    assert!(!retryable, "the reopened order was marked retryable");
}

/// Item 14: the provisioning worker takes the partner lock before it checks its claim and the
/// order's attempt, in the order every other writer takes them (partner, then task). A writer
/// that holds the partner lock and then reschedules the task (as a retry does) no longer
/// deadlocks with a worker's answer: the answer is dropped and no job error is recorded.
#[tokio::test]
async fn a_provisioning_answer_waits_for_the_partner_lock_and_is_dropped_when_stale() {
    use diesel::connection::SimpleConnection;
    let app = TestApp::spawn().await;
    let Some(mut side) = side_connection(&app) else {
        return;
    };
    let shop = shop(&app).await;
    let order = create_order(&app, &shop.machine.token, &activate(&["fr-plan"])).await;
    let id = order["id"].as_str().unwrap().to_string();

    side.batch_execute(&format!(
        "BEGIN; SELECT id FROM partners WHERE id = '{}' FOR UPDATE;",
        shop.org.partner_id
    ))
    .unwrap();
    let workers = app.workers.clone();
    let worker = tokio::spawn(async move { workers.run_provisioning().await });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    // A newer attempt takes the task over (what a retry does under the partner lock).
    side.batch_execute(&format!(
        "UPDATE provisioning_tasks SET lease_owner = NULL, lease_until = NULL, step = 0 \
         WHERE order_id = '{id}'; \
         UPDATE orders SET attempt = attempt + 1 WHERE id = '{id}'; COMMIT;"
    ))
    .unwrap();
    worker.await.unwrap().unwrap();
    let (errors, last_error): (i32, Option<String>) = app.db_query(|c| {
        use onyx::db::schema::provisioning_tasks as pt;
        pt::table
            .find(&id)
            .select((pt::errors, pt::last_error))
            .first(c)
            .unwrap()
    });
    assert_eq!(errors, 0, "the worker's answer failed: {last_error:?}");
    // A job that failed (a deadlock victim) is counted even when its error cannot be recorded
    // on a task it no longer owns.
    let metrics = app.anon().get("/metrics").await.text();
    assert!(
        !metrics.contains("onyx_job_outcomes_total{kind=\"provisioning\",outcome=\"error\"}"),
        "{metrics}"
    );
    assert!(
        metrics.contains("onyx_job_outcomes_total{kind=\"provisioning\",outcome=\"dropped\"} 1"),
        "{metrics}"
    );
    let now = app
        .bearer(&shop.machine.token)
        .get_ok(&format!("/v1/orders/{id}"))
        .await;
    assert_eq!(
        now["state"], order["state"],
        "the stale answer was applied: {now}"
    );
}

/// Item 17: a key whose request died with its process (left in flight, its lease no longer
/// renewed) answers 409 only until its lease lapses, at most `idempotency::LEASE` (10 s) —
/// not five minutes; then the same request runs afresh and its key replays as usual.
#[tokio::test]
async fn an_idempotency_key_of_a_dead_request_is_free_once_its_lease_lapses() {
    use onyx::clock::Clock;
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let body = activate(&["fr-plan"]);
    let now = app.clock.now();
    app.db_query(|c| {
        use onyx::db::schema::idempotency_keys as ik;
        // What a process killed mid-request leaves behind.
        diesel::insert_into(ik::table)
            .values((
                ik::partner_id.eq(&shop.org.partner_id),
                ik::environment.eq("sandbox"),
                ik::key.eq("crashed-1"),
                ik::request_hash.eq(onyx::idempotency::request_hash("POST", "/v1/orders", &body)),
                ik::state.eq("in_flight"),
                ik::created_at.eq(now.naive_utc()),
                ik::expires_at.eq((now + chrono::Duration::hours(24)).naive_utc()),
                ik::lease_until.eq(Some((now + onyx::idempotency::LEASE).naive_utc())),
            ))
            .execute(c)
            .unwrap();
    });
    let send = || {
        app.bearer(&shop.machine.token)
            .request(reqwest::Method::POST, "/v1/orders")
            .header("Idempotency-Key", "crashed-1")
            .json(&body)
            .fetch()
    };
    app.clock.advance(chrono::Duration::seconds(9));
    send().await.expect_problem(409, "idempotency_key_in_use");
    app.clock.advance(chrono::Duration::seconds(1));
    let first = send().await;
    let created = first.expect(201);
    assert!(first.header("idempotent-replayed").is_none());
    let again = send().await;
    assert_eq!(again.expect(201)["id"], created["id"]);
    assert_eq!(again.header("idempotent-replayed"), Some("true"));
    // One order, one reservation.
    assert_eq!(wallet(&app, &shop.machine.token, "EUR").await.1, 1300);
}

/// Statements the service sent to the database while answering `GET path` (the counter of
/// `/metrics`; nothing else runs in a test app between the two scrapes but the scrape itself,
/// whose share is the same every time).
pub async fn statements_for(app: &TestApp, token: &str, path: &str) -> u64 {
    let count = |text: String| -> u64 {
        text.lines()
            .find_map(|l| l.strip_prefix("onyx_db_statements_total "))
            .unwrap_or_else(|| panic!("no statement counter in:\n{text}"))
            .parse()
            .unwrap()
    };
    let before = count(app.anon().get("/metrics").await.text());
    app.bearer(token).get(path).await.expect(200);
    let after = count(app.anon().get("/metrics").await.text());
    after - before
}

/// Item 18: list pages cost the same number of statements whatever their length (one for the
/// rows, one for what hangs off them), and the wallet sums its month in the database: before,
/// each order, service and delivery on a page cost one more query, and each wallet loaded
/// every capture of the month.
#[tokio::test]
async fn list_pages_cost_the_same_statements_whatever_their_length() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let token = shop.machine.token.clone();
    app.fund(&shop.org.partner_id, "sandbox", "EUR", 10_000)
        .await;
    let receiver = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .respond_with(wiremock::ResponseTemplate::new(200))
        .mount(&receiver)
        .await;
    app.bearer(&token)
        .post(
            "/v1/webhook-endpoints",
            &json!({"url": format!("{}/hooks", receiver.uri()), "event_types": ["order.completed", "order.created"]}),
        )
        .await
        .expect(201);
    let paths = [
        "/v1/orders?limit=100",
        "/v1/services?limit=100",
        "/v1/webhook-deliveries?limit=100",
        "/v1/wallet",
    ];
    let mut costs = Vec::new();
    for round in 0..2 {
        let orders = if round == 0 { 1 } else { 6 };
        for _ in 0..orders {
            create_order(&app, &token, &activate(&["fr-plan", "eu-data-1"])).await;
        }
        app.drain().await;
        app.deliver().await;
        if round == 1 {
            // More wallets too.
            app.fund(&shop.org.partner_id, "sandbox", "GBP", 100).await;
            app.fund(&shop.org.partner_id, "sandbox", "CHF", 100).await;
        }
        let mut cost = Vec::new();
        for path in paths {
            cost.push(statements_for(&app, &token, path).await);
        }
        costs.push(cost);
    }
    let deliveries = app
        .bearer(&token)
        .get_ok("/v1/webhook-deliveries?limit=100")
        .await;
    assert!(
        deliveries["data"].as_array().unwrap().len() >= 14,
        "{deliveries}"
    );
    let attempted = deliveries["data"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| !d["attempts"].as_array().unwrap().is_empty())
        .count();
    assert!(attempted >= 14, "{deliveries}");
    assert_eq!(
        costs[0], costs[1],
        "statements per request for {paths:?}: with 1 order {:?}, with 7 orders {:?}",
        costs[0], costs[1]
    );
}

/// A counter's value in the `/metrics` text.
fn counter(metrics: &str, name: &str) -> u64 {
    metrics
        .lines()
        .find_map(|l| l.strip_prefix(name)?.strip_prefix(' ')?.parse().ok())
        .unwrap_or_else(|| panic!("no {name} in {metrics}"))
}

/// On SQLite, writes that queue up while one runs are committed together (one transaction, a
/// savepoint each). Each keeps its own outcome: a write refused or panicking after it wrote is
/// rolled back alone, its batch-mates commit, and the panic reaches its own caller. (On
/// PostgreSQL each write is its own transaction: the same outcomes, one commit each.)
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn writes_committed_together_keep_their_own_outcomes() {
    use onyx::auth::{Environment, Operator};
    use onyx::db::schema::ledger_entries as le;
    use onyx::error::ApiError;
    let app = TestApp::spawn().await;
    let org = app.onboard("Batches").await;
    let machine = app.machine(&org.owner.token).await;
    let tenant = Operator::process().acting_for(&org.partner_id, Environment::Sandbox);
    let before = app.anon().get("/metrics").await.text();

    let mut tasks = Vec::new();
    for i in 0..24u32 {
        let (db, tenant) = (app.state.db.clone(), tenant.clone());
        tasks.push(tokio::spawn(async move {
            db.write(move |c| {
                let now = chrono::Utc::now();
                onyx::wallet::credit(c, &tenant, "EUR", 100, &format!("credit {i}"), now)?;
                // Long enough for the others to queue behind this one.
                std::thread::sleep(std::time::Duration::from_millis(3));
                match i {
                    4 => panic!("a bug after writing"),
                    _ if i % 6 == 1 => Err(ApiError::Conflict {
                        code: "refused",
                        detail: "refused after writing".into(),
                    }),
                    _ => Ok(i),
                }
            })
            .await
        }));
    }
    let (mut ok, mut refused, mut faults) = (0, 0, 0);
    for t in tasks {
        match t.await.unwrap() {
            Ok(_) => ok += 1,
            Err(ApiError::Conflict { .. }) => refused += 1,
            // The panic was raised again in its own caller's thread.
            Err(ApiError::Internal(_)) => faults += 1,
            Err(other) => panic!("unexpected outcome {other:?}"),
        }
    }
    assert_eq!((ok, refused, faults), (19, 4, 1));

    let wallet = app.bearer(&machine.token).get_ok("/v1/wallet").await;
    let eur = wallet["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["currency"] == "EUR")
        .cloned()
        .unwrap();
    assert_eq!(eur["available"], 1900, "{wallet}");
    let pid = org.partner_id.clone();
    let mut credited: Vec<String> = app.db_query(|c| {
        le::table
            .filter(le::partner_id.eq(&pid))
            .filter(le::entry_type.eq("credit"))
            .select(le::description)
            .load(c)
            .unwrap()
    });
    credited.sort();
    let mut expected: Vec<String> = (0..24u32)
        .filter(|i| *i != 4 && i % 6 != 1)
        .map(|i| format!("credit {i}"))
        .collect();
    expected.sort();
    assert_eq!(credited, expected);

    let after = app.anon().get("/metrics").await.text();
    let writes = counter(&after, "onyx_db_writes_total") - counter(&before, "onyx_db_writes_total");
    let commits =
        counter(&after, "onyx_db_commits_total") - counter(&before, "onyx_db_commits_total");
    assert!(writes >= 24, "{writes} writes");
    match app.state.db.backend() {
        onyx::db::Backend::Sqlite => assert!(
            commits < writes,
            "no write shared a commit: {commits} commits for {writes} writes"
        ),
        // One commit per write that succeeded.
        onyx::db::Backend::Postgres => assert!(commits >= 19, "{commits} commits"),
    }
}

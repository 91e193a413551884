//! Issue 18 (performance) behaviour that tests can hold without timing anything: how many
//! statements a request costs, and that the access cache never outlives a change of access.

use serde_json::json;

use crate::helpers::TestApp;

use crate::hardening_data::statements_for as cost;

/// On PostgreSQL the access cache is trusted only while the instance hears other instances'
/// changes: start the listener the service runs beside its workers.
fn hear_access_changes(app: &TestApp) -> Option<Listening> {
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let handle = app.state.db.listen_for_work(stop.clone())?;
    // Wait until it listens (its first act is to note a change).
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
    while app.state.db.generation(onyx::db::Change::Access).is_none() {
        assert!(
            std::time::Instant::now() < deadline,
            "the listener did not start"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    Some(Listening(stop, Some(handle)))
}

struct Listening(
    std::sync::Arc<std::sync::atomic::AtomicBool>,
    Option<std::thread::JoinHandle<()>>,
);

impl Drop for Listening {
    fn drop(&mut self) {
        self.0.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Some(h) = self.1.take() {
            let _ = h.join();
        }
    }
}

/// A token's subject is loaded once and then authenticated from memory (one statement fewer
/// per request), and every change of access applies to the very next request: a credential
/// revoked, a member's role lowered, a member removed, a partner suspended.
#[tokio::test]
async fn access_is_cached_until_it_changes_and_changes_apply_at_once() {
    let app = TestApp::spawn().await;
    let _listening = hear_access_changes(&app);
    let org = app.onboard("Cached").await;
    let machine = app.machine(&org.owner.token).await;
    let dev = app.add_member(&org, "developer").await;
    let admin = app.add_member(&org, "admin").await;

    // Warm: the first request loads the subject; later ones cost one statement fewer.
    let first = cost(&app, &machine.token, "/v1/packages?limit=5").await;
    let warm = cost(&app, &machine.token, "/v1/packages?limit=5").await;
    assert_eq!(
        warm,
        cost(&app, &machine.token, "/v1/packages?limit=5").await
    );
    assert!(warm < first, "cached: {warm} statements, first: {first}");

    // Role lowered: the developer's cached token loses what viewers may not do, at once.
    app.bearer(&dev.token)
        .get("/v1/credentials")
        .await
        .expect(200);
    app.bearer(&org.owner.token)
        .patch(
            &format!("/v1/members/{}", dev.id),
            &json!({"role": "viewer"}),
        )
        .await
        .expect(200);
    app.bearer(&dev.token)
        .get("/v1/credentials")
        .await
        .expect_problem(403, "forbidden");

    // Removed: the admin's cached token stops at once.
    app.bearer(&admin.token).get("/v1/me").await.expect(200);
    app.bearer(&org.owner.token)
        .delete(&format!("/v1/members/{}", admin.id))
        .await
        .expect(204);
    app.bearer(&admin.token)
        .get("/v1/me")
        .await
        .expect_problem(401, "member_removed");

    // Revoked: the machine's cached token stops at once.
    app.bearer(&machine.token)
        .get("/v1/packages?limit=5")
        .await
        .expect(200);
    app.bearer(&org.owner.token)
        .post_empty(&format!("/v1/credentials/{}/revoke", machine.id))
        .await
        .expect(200);
    app.bearer(&machine.token)
        .get("/v1/packages?limit=5")
        .await
        .expect_problem(401, "credential_revoked");

    // Suspended: the owner's cached token is refused at once.
    app.bearer(&org.owner.token).get("/v1/me").await.expect(200);
    app.operator()
        .post(
            &format!("/v1/admin/partners/{}/suspend", org.partner_id),
            &json!({"reason": "Unpaid invoice"}),
        )
        .await
        .expect(200);
    app.bearer(&org.owner.token)
        .get("/v1/me")
        .await
        .expect_problem(403, "partner_suspended");
}

/// The catalogue list costs the same statements whatever the page size or the number of the
/// partner's markets (one statement shape; countries are columns, not per-row queries).
#[tokio::test]
async fn a_catalogue_page_costs_the_same_statements_whatever_its_size() {
    let app = TestApp::spawn().await;
    let shop = crate::orders::shop(&app).await;
    let token = &shop.machine.token;
    cost(&app, token, "/v1/packages?limit=2").await; // the token's access, now cached
                                                     // Each page's first answer (a page seen before is answered from memory).
    let one = cost(&app, token, "/v1/packages?limit=1").await;
    let many = cost(&app, token, "/v1/packages?limit=100").await;
    let page = app.bearer(token).get_ok("/v1/packages?limit=100").await;
    assert!(page["data"].as_array().unwrap().len() >= 8, "{page}");
    assert_eq!(one, many);
}

/// A second instance of the service on the same PostgreSQL database (its own pool, access
/// cache and listener), serving on its own port.
struct Instance {
    base: String,
    stop: Option<actix_web::dev::ServerHandle>,
    thread: Option<std::thread::JoinHandle<()>>,
    _listening: Option<Listening>,
}

impl Instance {
    fn start(app: &TestApp) -> Instance {
        let db = onyx::db::Db::connect(&app.db.url, 4).unwrap();
        let state = onyx::state::AppState::new(
            db,
            (*app.state.config).clone(),
            std::sync::Arc::new(app.clock.clone()),
        );
        let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let handle = state.db.listen_for_work(stop.clone()).unwrap();
        while state.db.generation(onyx::db::Change::Access).is_none() {
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let running = onyx::app::start(state).unwrap();
                tx.send((running.addr, running.server.handle())).unwrap();
                let _ = running.server.await;
            })
        });
        let (addr, server) = rx.recv().unwrap();
        Instance {
            base: format!("http://{addr}"),
            stop: Some(server),
            thread: Some(thread),
            _listening: Some(Listening(stop, Some(handle))),
        }
    }

    async fn get(&self, app: &TestApp, token: &str, path: &str) -> (u16, serde_json::Value) {
        let r = app
            .client
            .get(format!("{}{path}", self.base))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, r.json().await.unwrap_or_default())
    }
}

impl Drop for Instance {
    fn drop(&mut self) {
        if let Some(h) = self.stop.take() {
            drop(h.stop(false));
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// PostgreSQL, two instances: a credential revoked through one instance is refused by the
/// other, whose cache held it, as soon as the change's notification arrives (the listener
/// reads every 20 ms); the test allows 5 s for it before failing.
#[tokio::test]
async fn a_revocation_through_one_instance_reaches_the_other_instances_cache() {
    let app = TestApp::spawn().await;
    if app.db.backend != onyx::db::Backend::Postgres {
        return; // one SQLite file serves one process
    }
    let org = app.onboard("Two instances").await;
    let machine = app.machine(&org.owner.token).await;
    let other = Instance::start(&app);
    for _ in 0..2 {
        let (status, body) = other.get(&app, &machine.token, "/v1/packages").await;
        assert_eq!(status, 200, "{body}");
    }
    app.bearer(&org.owner.token)
        .post_empty(&format!("/v1/credentials/{}/revoke", machine.id))
        .await
        .expect(200);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let (status, body) = other.get(&app, &machine.token, "/v1/packages").await;
        if status == 401 {
            assert_eq!(body["code"], "credential_revoked", "{body}");
            break;
        }
        assert_eq!(status, 200, "{body}");
        assert!(
            std::time::Instant::now() < deadline,
            "the other instance still accepts a revoked credential"
        );
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
}

/// A partner's catalogue page is answered from memory until the catalogue changes: a warm
/// page costs no statement more than `/healthz`, and every catalogue write (a price change,
/// a new approval, a withdrawn one, the markets) shows in the very next page.
#[tokio::test]
async fn catalogue_pages_are_served_from_memory_until_the_catalogue_changes() {
    let app = TestApp::spawn().await;
    let _listening = hear_access_changes(&app);
    let shop = crate::orders::shop(&app).await;
    let token = &shop.machine.token;
    let path = "/v1/packages?limit=100";
    cost(&app, token, path).await;
    let floor = cost(&app, token, "/healthz").await;
    assert_eq!(
        cost(&app, token, path).await,
        floor,
        "a warm page reads nothing"
    );

    let price = |page: &serde_json::Value, id: &str| {
        page["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["package_id"] == id)
            .map(|p| p["price_minor"].clone())
    };
    let ids = |page: &serde_json::Value| {
        let mut ids: Vec<String> = page["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["package_id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    let before = app.bearer(token).get_ok(path).await;
    assert!(ids(&before).contains(&"fr-plan".to_string()), "{before}");

    // A price change.
    let package = app.operator().get_ok("/v1/admin/packages/fr-plan").await;
    let old_price = package["price_minor"].as_i64().unwrap();
    app.operator()
        .patch(
            "/v1/admin/packages/fr-plan",
            &json!({"price_minor": old_price + 1}),
        )
        .await
        .expect(200);
    let page = app.bearer(token).get_ok(path).await;
    assert_eq!(price(&page, "fr-plan"), Some(json!(old_price + 1)));

    // An approval withdrawn, then given again.
    let approvals = format!(
        "/v1/admin/partners/{}/package-approvals",
        shop.org.partner_id
    );
    app.operator()
        .delete(&format!("{approvals}/fr-plan"))
        .await
        .expect(204);
    let page = app.bearer(token).get_ok(path).await;
    assert!(!ids(&page).contains(&"fr-plan".to_string()), "{page}");
    app.operator()
        .post(&approvals, &json!({"package_id": "fr-plan"}))
        .await;
    let page = app.bearer(token).get_ok(path).await;
    assert!(ids(&page).contains(&"fr-plan".to_string()), "{page}");

    // Markets narrowed: packages outside them disappear at once.
    app.operator()
        .put(
            &format!("/v1/admin/partners/{}/markets", shop.org.partner_id),
            &json!({"countries": ["US"]}),
        )
        .await
        .expect(200);
    let page = app.bearer(token).get_ok(path).await;
    assert!(!ids(&page).contains(&"fr-plan".to_string()), "{page}");
    assert!(ids(&page).contains(&"us-plan".to_string()), "{page}");
}

/// An orders page is answered from memory while no order changes, and every order change (a
/// new order, a state change by the worker, a cancellation) shows on the very next page.
#[tokio::test]
async fn order_pages_are_served_from_memory_until_an_order_changes() {
    use crate::orders::{activate, create_order, shop};
    let app = TestApp::spawn().await;
    let _listening = hear_access_changes(&app);
    let shop = shop(&app).await;
    let token = &shop.machine.token;
    let path = "/v1/orders?limit=50";
    let first = create_order(&app, token, &activate(&["fr-plan"])).await;
    cost(&app, token, path).await;
    let floor = cost(&app, token, "/healthz").await;
    assert_eq!(
        cost(&app, token, path).await,
        floor,
        "a warm page reads nothing"
    );
    let states = |page: &serde_json::Value| -> Vec<(String, String)> {
        page["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|o| {
                (
                    o["id"].as_str().unwrap().to_string(),
                    o["state"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let id = first["id"].as_str().unwrap().to_string();
    assert_eq!(
        states(&app.bearer(token).get_ok(path).await),
        vec![(id.clone(), first["state"].as_str().unwrap().to_string())]
    );
    // The worker completes it: the next page says so.
    app.drain().await;
    assert_eq!(
        states(&app.bearer(token).get_ok(path).await),
        vec![(id.clone(), "completed".to_string())]
    );
    // A new order is on the next page.
    let second = create_order(&app, token, &activate(&["fr-plan-b"])).await;
    let page = states(&app.bearer(token).get_ok(path).await);
    assert_eq!(page.len(), 2);
    assert_eq!(page[0].0, second["id"].as_str().unwrap());
    // Cancelled: the next page says so.
    app.bearer(token)
        .post_empty(&format!("/v1/orders/{}/cancel", page[0].0))
        .await
        .expect(200);
    let page = states(&app.bearer(token).get_ok(path).await);
    assert_eq!(page[0].1, "cancelled", "{page:?}");
}

/// Orders no longer queue behind a partner-wide lock, but orders on one subscription still
/// see each other: eight concurrent top-ups of one active service give exactly one order
/// (the others are refused because that order is open), and the wallet holds exactly its
/// reservation.
#[tokio::test]
async fn concurrent_orders_on_one_subscription_see_each_other() {
    use crate::orders::{activate, create_order, shop, wallet};
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let token = shop.machine.token.clone();
    let order = create_order(&app, &token, &activate(&["fr-plan"])).await;
    let svc = order["service_id"].as_str().unwrap().to_string();
    app.drain().await;
    app.bearer(&token)
        .post_empty(&format!("/v1/sandbox/services/{svc}/install"))
        .await
        .expect(200);
    let before = wallet(&app, &token, "EUR").await;
    let top_up = json!({"type": "top_up_subscription", "customer_reference": "cust-42", "service_id": svc, "items": [{"package_id": "eu-data-1"}]});
    let mut calls = Vec::new();
    for _ in 0..8 {
        calls.push(tokio::spawn(app.bearer(&token).post("/v1/orders", &top_up)));
    }
    let mut created = 0;
    for call in calls {
        let r = call.await.unwrap();
        match r.status {
            201 => created += 1,
            _ => {
                let code = r.body["code"].as_str().unwrap_or_default().to_string();
                assert!(
                    code == "service_busy" || code == "service_not_active",
                    "{}: {}",
                    r.status,
                    r.body
                );
            }
        }
    }
    assert_eq!(created, 1);
    let after = wallet(&app, &token, "EUR").await;
    assert_eq!(after.0, before.0 - 500);
    assert_eq!(after.1, before.1 + 500);
}

/// Orders created while the provisioning worker completes others (it holds the partner lock
/// and then settles wallets) never deadlock: before the partner lock became `FOR NO KEY
/// UPDATE`, an order's insert referencing the partner waited for the worker while the worker
/// waited for the order's wallet row, and PostgreSQL killed one of them (500s under load).
#[tokio::test]
async fn orders_and_the_provisioning_worker_run_side_by_side_without_deadlocks() {
    use crate::orders::{activate, shop};
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    app.fund(&shop.org.partner_id, "sandbox", "EUR", 100_000)
        .await;
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let workers = app.workers.clone();
    let s = stop.clone();
    let worker = tokio::spawn(async move {
        while !s.load(std::sync::atomic::Ordering::Relaxed) {
            workers.run_provisioning().await.expect("the worker runs");
            tokio::task::yield_now().await;
        }
    });
    let mut calls = Vec::new();
    for _ in 0..48 {
        calls.push(tokio::spawn(
            app.bearer(&shop.machine.token)
                .post("/v1/orders", &activate(&["fr-plan-b"])),
        ));
    }
    let mut answers = Vec::new();
    for call in calls {
        answers.push(call.await.unwrap());
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    worker.await.unwrap();
    for r in &answers {
        assert_eq!(r.status, 201, "{}", r.body);
    }
    assert_eq!(answers.len(), 48);
    // Whatever the worker had not reached yet completes now: nothing was left half-done.
    app.drain().await;
    let errors: i64 = app.db_query(|c| {
        use diesel::prelude::*;
        onyx::db::schema::provisioning_tasks::table
            .filter(onyx::db::schema::provisioning_tasks::errors.gt(0))
            .count()
            .get_result(c)
            .unwrap()
    });
    assert_eq!(errors, 0, "a provisioning step failed (a deadlock victim?)");
}

/// PostgreSQL: work queued by another instance wakes this instance's workers (its listener
/// hears the notification sent after the other's commit); work this instance queued wakes them
/// once, at its own commit — its listener does not count the echo of its own notification.
#[tokio::test]
async fn queued_work_wakes_every_instance_once() {
    let app = TestApp::spawn().await;
    let Some(_listening) = hear_access_changes(&app) else {
        return; // SQLite: one process per file, no notifications.
    };
    use onyx::db::Work;
    let queue = |db: &onyx::db::Db| {
        db.write_blocking(|c| onyx::db::mark_work_queued(c, Work::Webhooks))
            .unwrap()
    };
    let woke = app.state.db.work_queued(Work::Webhooks);
    let settle = || std::thread::sleep(std::time::Duration::from_millis(300));
    settle();
    let before = *woke.borrow();

    let other = onyx::db::Db::connect(&app.db.url, 2).unwrap();
    queue(&other);
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    while *woke.borrow() == before {
        assert!(
            std::time::Instant::now() < deadline,
            "another instance's work did not wake this one"
        );
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    settle();
    let after_other = *woke.borrow();
    assert_eq!(after_other.wrapping_sub(before), 1);

    queue(&app.state.db);
    settle();
    assert_eq!(
        woke.borrow().wrapping_sub(after_other),
        1,
        "this instance's own work woke its workers more than once"
    );
}

//! The job runtime under real time: leases that really expire, two instances on one
//! database, slow receivers and upstreams, dead endpoints, failing jobs and killed workers.
//!
//! "Instances" are worker contexts with their own pool, owner and real clock over the test
//! app's database (what a second `onyx serve` on the same database runs); the test app itself
//! (manual clock) only creates the work through the API.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use onyx::clock::SystemClock;
use onyx::db::schema::{webhook_attempts, webhook_deliveries};
use onyx::db::{Backend, Db};
use onyx::provisioning::{Answer, StepFuture, Task, Upstream, Upstreams};
use onyx::state::AppState;
use onyx::workers::Context;
use serde_json::{json, Value};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::{TestApp, TestOptions};
use crate::orders::{activate, create_order, shop};

/// A short lease, so that a slow receiver or upstream outlasts it many times over.
const LEASE_MS: &str = "300";

/// Another instance over the app's database: its own owner and the real clock, and on
/// PostgreSQL its own connection pool (a second process). One SQLite file serves one process,
/// so on SQLite the instances share the app's pool (two worker owners in one process).
fn instance(app: &TestApp, overrides: &[(&str, &str)]) -> Context {
    let mut config = (*app.state.config).clone();
    config.job_lease = Duration::from_millis(LEASE_MS.parse().unwrap());
    config.worker_interval = Duration::from_millis(50);
    for (k, v) in overrides {
        match *k {
            "webhook_concurrency" => config.webhook_concurrency = v.parse().unwrap(),
            "provisioning" => config.provisioning = *v == "on",
            "worker_interval_ms" => {
                config.worker_interval = Duration::from_millis(v.parse().unwrap())
            }
            other => panic!("unknown override {other}"),
        }
    }
    let db = match app.state.db.backend() {
        Backend::Postgres => Db::connect(&app.db.url, 4).expect("second pool"),
        Backend::Sqlite => app.state.db.clone(),
    };
    Context::new(AppState::new(db, config, Arc::new(SystemClock)))
}

/// A receiver that answers 200 after `delay`.
async fn slow_receiver(delay: Duration) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(delay))
        .mount(&server)
        .await;
    server
}

async fn endpoint(app: &TestApp, token: &str, url: &str) -> String {
    app.bearer(token)
        .post(
            "/v1/webhook-endpoints",
            &json!({"url": url, "event_types": ["webhook.test"]}),
        )
        .await
        .expect(201)["id"]
        .as_str()
        .unwrap()
        .to_string()
}

async fn send_test(app: &TestApp, token: &str, endpoint_id: &str) -> Value {
    app.bearer(token)
        .post_empty(&format!("/v1/webhook-endpoints/{endpoint_id}/test"))
        .await
        .expect(202)
}

/// Runs `work` on every instance, again and again, until `done` says so (or 30 s pass).
async fn run_until<F, Fut>(contexts: &[Context], work: F, done: impl Fn() -> bool)
where
    F: Fn(Context) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send + 'static,
{
    let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let handles: Vec<_> = contexts
        .iter()
        .cloned()
        .map(|c| {
            let (work, stop) = (work.clone(), stop.clone());
            tokio::spawn(async move {
                while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                    work(c.clone()).await;
                    tokio::time::sleep(Duration::from_millis(20)).await;
                }
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done() {
        assert!(Instant::now() < deadline, "the work did not finish in 30 s");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    for h in handles {
        h.await.unwrap();
    }
}

/// Deliveries claimed and not finished (a send in flight).
fn in_flight(app: &TestApp) -> i64 {
    app.db_query(|c| {
        webhook_deliveries::table
            .filter(webhook_deliveries::status.eq("pending"))
            .filter(webhook_deliveries::lease_owner.is_not_null())
            .count()
            .get_result(c)
            .unwrap()
    })
}

fn count_deliveries(app: &TestApp, status: &str) -> i64 {
    app.db_query(|c| {
        webhook_deliveries::table
            .filter(webhook_deliveries::status.eq(status))
            .count()
            .get_result(c)
            .unwrap()
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_never_send_one_attempt_twice_when_the_receiver_outlasts_the_lease() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Slow receiver").await;
    let m = app.machine(&org.owner.token).await;
    let rx = slow_receiver(Duration::from_millis(900)).await;
    let mut events = Vec::new();
    for _ in 0..4 {
        let we = endpoint(&app, &m.token, &rx.uri()).await;
        for _ in 0..2 {
            events.push(send_test(&app, &m.token, &we).await["event_id"].clone());
        }
    }
    let (a, b) = (instance(&app, &[]), instance(&app, &[]));
    run_until(
        &[a, b],
        |c: Context| async move {
            c.run_webhooks().await.unwrap();
        },
        || count_deliveries(&app, "succeeded") == 8,
    )
    .await;

    // Each delivery was sent once: 8 requests, 8 distinct message ids, one attempt each.
    let got = rx.received_requests().await.unwrap();
    let mut ids: Vec<String> = got
        .iter()
        .map(|r| {
            r.headers
                .get("webhook-id")
                .unwrap()
                .to_str()
                .unwrap()
                .into()
        })
        .collect();
    assert_eq!(ids.len(), 8, "{ids:?}");
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 8, "a message was sent twice");
    let attempts: Vec<i32> = app.db_query(|c| {
        webhook_attempts::table
            .select(webhook_attempts::attempt)
            .load(c)
            .unwrap()
    });
    assert_eq!(attempts, vec![1; 8], "one attempt per delivery");
}

/// An upstream that takes its time and remembers every step it was asked for.
struct SlowUpstream {
    delay: Duration,
    calls: Arc<Mutex<Vec<(String, i32, i32)>>>,
}

impl Upstream for SlowUpstream {
    fn step<'a>(&'a self, task: &'a Task) -> StepFuture<'a> {
        Box::pin(async move {
            self.calls
                .lock()
                .unwrap()
                .push((task.order_id.clone(), task.attempt, task.step));
            tokio::time::sleep(self.delay).await;
            Ok(Answer {
                progress: if task.step == 0 {
                    onyx::orders::Progress::Preparing
                } else {
                    onyx::orders::Progress::Done
                },
                poll_after: (task.step == 0).then(chrono::Duration::zero),
            })
        })
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_never_run_one_provisioning_step_twice_against_a_slow_upstream() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let mut orders = Vec::new();
    for _ in 0..3 {
        orders.push(
            create_order(&app, &shop.machine.token, &activate(&["fr-plan"])).await["id"]
                .as_str()
                .unwrap()
                .to_string(),
        );
    }
    let calls = Arc::new(Mutex::new(Vec::new()));
    let slow = |app: &TestApp| {
        let mut c = instance(app, &[]);
        c.upstreams = Arc::new(Upstreams {
            sandbox: Arc::new(SlowUpstream {
                delay: Duration::from_millis(900),
                calls: calls.clone(),
            }),
            live: c.upstreams.live.clone(),
        });
        c
    };
    let completed = |app: &TestApp| -> i64 {
        app.db_query(|c| {
            use onyx::db::schema::orders::dsl::*;
            orders
                .filter(state.eq("completed"))
                .count()
                .get_result(c)
                .unwrap()
        })
    };
    run_until(
        &[slow(&app), slow(&app)],
        |c: Context| async move {
            c.run_provisioning().await.unwrap();
        },
        || completed(&app) == 3,
    )
    .await;
    let mut seen = calls.lock().unwrap().clone();
    assert_eq!(seen.len(), 6, "two steps per order: {seen:?}");
    seen.sort();
    seen.dedup();
    assert_eq!(seen.len(), 6, "a step reached the upstream twice");
    for id in &orders {
        let o = app
            .bearer(&shop.machine.token)
            .get_ok(&format!("/v1/orders/{id}"))
            .await;
        assert_eq!(o["state"], "completed");
        let entries: Vec<&str> = o["ledger_entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["entry_type"].as_str().unwrap())
            .collect();
        assert_eq!(entries, vec!["reserve", "capture"], "money moved once");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_dead_endpoint_of_one_partner_does_not_delay_another_partners_delivery() {
    let mut opts = TestOptions::default();
    opts.env.push(("ONYX_WEBHOOK_CONCURRENCY", "8".into()));
    let app = TestApp::spawn_with(opts).await;
    let x = app.onboard("Partner X").await;
    let mx = app.machine(&x.owner.token).await;
    let y = app.onboard("Partner Y").await;
    let my = app.machine(&y.owner.token).await;
    // X: four endpoints that never answer in time, each with a backlog.
    let dead = slow_receiver(Duration::from_secs(10)).await;
    for _ in 0..4 {
        let we = endpoint(&app, &mx.token, &dead.uri()).await;
        for _ in 0..3 {
            send_test(&app, &mx.token, &we).await;
        }
    }
    // The service's own workers, as `serve` runs them.
    let _workers = onyx::workers::spawn(app.state.clone());
    let deadline = Instant::now() + Duration::from_secs(5);
    while in_flight(&app) < 4 {
        assert!(Instant::now() < deadline, "X's sends never started");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }

    let fast = slow_receiver(Duration::ZERO).await;
    let we = endpoint(&app, &my.token, &fast.uri()).await;
    let started = Instant::now();
    send_test(&app, &my.token, &we).await;
    while fast.received_requests().await.unwrap().is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(1),
            "Y's delivery waited behind X's dead endpoints"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(1), "{waited:?}");
}

/// Panics for one order; answers like the simulator's happy path for the others.
struct PanicsFor(String);

impl Upstream for PanicsFor {
    fn step<'a>(&'a self, task: &'a Task) -> StepFuture<'a> {
        Box::pin(async move {
            if task.order_id == self.0 {
                panic!("the adapter cannot handle this order");
            }
            Ok(Answer {
                progress: onyx::orders::Progress::Done,
                poll_after: None,
            })
        })
    }
}

#[tokio::test]
async fn a_job_that_fails_every_time_ends_dead_without_holding_back_the_others() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let token = &shop.machine.token;
    let bad = create_order(&app, token, &activate(&["fr-plan"])).await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let good: Vec<String> = {
        let mut v = Vec::new();
        for _ in 0..3 {
            v.push(
                create_order(&app, token, &activate(&["fr-plan"])).await["id"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            );
        }
        v
    };
    let mut workers = app.workers.clone();
    workers.upstreams = Arc::new(Upstreams {
        sandbox: Arc::new(PanicsFor(bad.clone())),
        live: workers.upstreams.live.clone(),
    });
    // One round: the bad task panics, the others complete all the same.
    assert_eq!(workers.run_provisioning().await.unwrap(), 4);
    for id in &good {
        let o = app.bearer(token).get_ok(&format!("/v1/orders/{id}")).await;
        assert_eq!(o["state"], "completed", "{o}");
    }
    // Retried with backoff (5 s, 20 s, 80 s, 320 s), then dead after the fifth error.
    for wait in [5, 20, 80, 320] {
        assert_eq!(workers.run_provisioning().await.unwrap(), 0, "not due yet");
        app.clock.advance(chrono::Duration::seconds(wait));
        assert_eq!(workers.run_provisioning().await.unwrap(), 1);
    }
    app.clock.advance(chrono::Duration::hours(2));
    assert_eq!(
        workers.run_provisioning().await.unwrap(),
        0,
        "a dead task is not claimed"
    );
    let dead = app
        .operator()
        .get_ok("/v1/admin/provisioning/dead-tasks")
        .await;
    let tasks = dead["data"].as_array().unwrap();
    assert_eq!(tasks.len(), 1, "{dead}");
    assert_eq!(tasks[0]["order_id"], bad.as_str());
    assert_eq!(tasks[0]["errors"], 5);
    assert!(
        tasks[0]["last_error"]
            .as_str()
            .unwrap()
            .contains("cannot handle"),
        "{dead}"
    );
    // The order waits with its money reserved until an operator acts; reviving the task
    // (after fixing the cause) runs it again.
    let token = &app
        .client_token(&shop.machine.client_id, &shop.machine.secret)
        .await;
    let o = app.bearer(token).get_ok(&format!("/v1/orders/{bad}")).await;
    assert_eq!(o["state"], "pending");
    app.operator()
        .post_empty(&format!("/v1/admin/provisioning/dead-tasks/{bad}/revive"))
        .await
        .expect(204);
    app.operator()
        .post_empty(&format!("/v1/admin/provisioning/dead-tasks/{bad}/revive"))
        .await
        .expect_problem(404, "dead_task_not_found");
    app.drain().await;
    let o = app.bearer(token).get_ok(&format!("/v1/orders/{bad}")).await;
    assert_eq!(o["state"], "completed");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_worker_killed_mid_delivery_leaves_the_delivery_to_another_instance() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Killed").await;
    let m = app.machine(&org.owner.token).await;
    let rx = slow_receiver(Duration::from_millis(1500)).await;
    let we = endpoint(&app, &m.token, &rx.uri()).await;
    let event = send_test(&app, &m.token, &we).await["event_id"]
        .as_str()
        .unwrap()
        .to_string();

    // Instance A claims and starts sending, then dies (its task is dropped, no shutdown).
    let a = instance(&app, &[]);
    let killed = tokio::spawn(async move {
        a.run_webhooks().await.unwrap();
    });
    let deadline = Instant::now() + Duration::from_secs(5);
    while in_flight(&app) == 0 {
        assert!(Instant::now() < deadline, "A never claimed the delivery");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    // Long enough for A's request to reach the receiver and a few lease renewals.
    tokio::time::sleep(Duration::from_millis(500)).await;
    killed.abort();

    // Instance B takes the delivery once A's lease has run out, and delivers it.
    let b = instance(&app, &[]);
    run_until(
        &[b],
        |c: Context| async move {
            c.run_webhooks().await.unwrap();
        },
        || count_deliveries(&app, "succeeded") == 1,
    )
    .await;
    let got = rx.received_requests().await.unwrap();
    assert!(!got.is_empty());
    assert!(got
        .iter()
        .all(|r| r.headers.get("webhook-id").unwrap() == event.as_str()));
    let attempts: Vec<(i32, Option<i32>)> = app.db_query(|c| {
        webhook_attempts::table
            .select((webhook_attempts::attempt, webhook_attempts::status_code))
            .load(c)
            .unwrap()
    });
    assert_eq!(
        attempts,
        vec![(2, Some(200))],
        "A's attempt died with it; B's is recorded"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn queued_work_wakes_an_idle_instance_at_once_and_shutdown_leaves_nothing_leased() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Prompt").await;
    let m = app.machine(&org.owner.token).await;
    let rx = slow_receiver(Duration::ZERO).await;
    let we = endpoint(&app, &m.token, &rx.uri()).await;
    // Another instance whose workers would only poll every 30 s.
    let b = instance(&app, &[("worker_interval_ms", "30000")]);
    let workers = onyx::workers::spawn(b.state.clone());
    tokio::time::sleep(Duration::from_millis(300)).await;

    let started = Instant::now();
    send_test(&app, &m.token, &we).await;
    while rx.received_requests().await.unwrap().is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(2),
            "the idle instance was not woken by the queued delivery"
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let waited = started.elapsed();
    assert!(waited < Duration::from_secs(1), "{waited:?}");

    // A send in flight at shutdown is finished (within the bounded drain), and no lease is
    // left to the stopped owner.
    let slow = slow_receiver(Duration::from_millis(1200)).await;
    let we2 = endpoint(&app, &m.token, &slow.uri()).await;
    send_test(&app, &m.token, &we2).await;
    let deadline = Instant::now() + Duration::from_secs(5);
    while in_flight(&app) == 0 {
        assert!(Instant::now() < deadline, "the second send never started");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    workers.shutdown().await;
    assert_eq!(count_deliveries(&app, "succeeded"), 2);
    let leased: i64 = app.db_query(|c| {
        webhook_deliveries::table
            .filter(webhook_deliveries::lease_owner.is_not_null())
            .count()
            .get_result(c)
            .unwrap()
    });
    assert_eq!(leased, 0, "nothing stays leased to a stopped instance");
}

#[tokio::test]
async fn metrics_show_queues_outcomes_and_delivery_latency() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Metrics").await;
    let m = app.machine(&org.owner.token).await;
    let rx = slow_receiver(Duration::ZERO).await;
    let we = endpoint(&app, &m.token, &rx.uri()).await;
    send_test(&app, &m.token, &we).await;
    app.clock.advance(chrono::Duration::seconds(30));
    let scrape = || async { app.anon().get("/metrics").await.text() };
    let text = scrape().await;
    let line = |text: &str, prefix: &str| -> String {
        text.lines()
            .find(|l| l.starts_with(prefix))
            .unwrap_or_else(|| panic!("no `{prefix}` in:\n{text}"))
            .to_string()
    };
    assert_eq!(
        line(&text, "onyx_jobs_due{kind=\"webhooks\"}"),
        "onyx_jobs_due{kind=\"webhooks\"} 1"
    );
    assert_eq!(
        line(&text, "onyx_jobs_oldest_due_age_seconds{kind=\"webhooks\"}"),
        "onyx_jobs_oldest_due_age_seconds{kind=\"webhooks\"} 30.000"
    );
    assert_eq!(
        line(&text, "onyx_jobs_due{kind=\"provisioning\"}"),
        "onyx_jobs_due{kind=\"provisioning\"} 0"
    );

    assert_eq!(app.deliver().await, 1);
    let text = scrape().await;
    assert_eq!(
        line(&text, "onyx_jobs_due{kind=\"webhooks\"}"),
        "onyx_jobs_due{kind=\"webhooks\"} 0"
    );
    assert_eq!(
        line(
            &text,
            "onyx_job_outcomes_total{kind=\"webhooks\",outcome=\"succeeded\"}"
        ),
        "onyx_job_outcomes_total{kind=\"webhooks\",outcome=\"succeeded\"} 1"
    );
    // Delivered 30 s (of the manual clock) after the event.
    assert_eq!(
        line(&text, "onyx_webhook_delivery_latency_seconds_count"),
        "onyx_webhook_delivery_latency_seconds_count 1"
    );
    assert_eq!(
        line(
            &text,
            "onyx_webhook_delivery_latency_seconds_bucket{le=\"10\"}"
        ),
        "onyx_webhook_delivery_latency_seconds_bucket{le=\"10\"} 0"
    );
    assert_eq!(
        line(
            &text,
            "onyx_webhook_delivery_latency_seconds_bucket{le=\"30\"}"
        ),
        "onyx_webhook_delivery_latency_seconds_bucket{le=\"30\"} 1"
    );
}

/// A receiver that always answers `status`.
async fn answering(status: u16) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(status))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn an_endpoint_that_keeps_failing_opens_its_circuit_and_the_next_attempt_probes() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Flaky").await;
    let m = app.machine(&org.owner.token).await;
    let rx = answering(503).await;
    let we = endpoint(&app, &m.token, &rx.uri()).await;
    for _ in 0..6 {
        send_test(&app, &m.token, &we).await;
    }
    // Five failures in a row (one in flight at a time), then the circuit is open: the sixth
    // delivery is due but waits, without using an attempt.
    assert_eq!(app.deliver().await, 5);
    assert_eq!(rx.received_requests().await.unwrap().len(), 5);
    app.clock.advance(chrono::Duration::seconds(10));
    assert_eq!(app.deliver().await, 0, "the circuit is open for 30 s");
    let waiting: Vec<i32> = app.db_query(|c| {
        webhook_deliveries::table
            .filter(webhook_deliveries::attempts.eq(0))
            .select(webhook_deliveries::attempts)
            .load(c)
            .unwrap()
    });
    assert_eq!(waiting, vec![0], "the sixth has not used an attempt");
    // After the pause one attempt probes; it fails again and the circuit opens for longer.
    app.clock.advance(chrono::Duration::seconds(21));
    assert_eq!(app.deliver().await, 1);
    app.clock.advance(chrono::Duration::seconds(45));
    assert_eq!(app.deliver().await, 0, "60 s after the sixth failure");
    // A success closes it: everything due goes out again.
    rx.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&rx)
        .await;
    app.clock.advance(chrono::Duration::seconds(20));
    assert!(app.deliver().await >= 2);
    assert_eq!(count_deliveries(&app, "succeeded"), 6);
}

#[tokio::test]
async fn an_unreadable_signing_secret_is_a_recorded_failed_attempt() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Lost key").await;
    let m = app.machine(&org.owner.token).await;
    let rx = answering(200).await;
    let we = endpoint(&app, &m.token, &rx.uri()).await;
    send_test(&app, &m.token, &we).await;
    app.db_query(|c| {
        use onyx::db::schema::webhook_endpoints as t;
        diesel::update(t::table.find(&we))
            .set(t::secret_sealed.eq(vec![0u8; 48]))
            .execute(c)
            .unwrap()
    });
    assert_eq!(app.deliver().await, 1);
    assert!(
        rx.received_requests().await.unwrap().is_empty(),
        "nothing unsigned is sent"
    );
    let list = app
        .bearer(&m.token)
        .get_ok(&format!("/v1/webhook-deliveries?endpoint_id={we}"))
        .await;
    let d = &list["data"][0];
    assert_eq!(d["status"], "pending", "retried on the schedule: {d}");
    let error = d["attempts"][0]["error"].as_str().unwrap();
    assert!(error.starts_with("signing_secret_unreadable"), "{error}");
    assert!(!error.contains("whsec_"), "{error}");
    // It follows the schedule (and so counts toward disabling the endpoint).
    app.clock.advance(chrono::Duration::seconds(6));
    assert_eq!(app.deliver().await, 1);
    let list = app
        .bearer(&m.token)
        .get_ok(&format!("/v1/webhook-deliveries?endpoint_id={we}"))
        .await;
    assert_eq!(list["data"][0]["attempts"].as_array().unwrap().len(), 2);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn an_api_only_instance_queues_provisioning_and_a_provisioning_instance_runs_it() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let order = create_order(&app, &shop.machine.token, &activate(&["fr-plan"])).await;
    let path = format!("/v1/orders/{}", order["id"].as_str().unwrap());
    let token = shop.machine.token.clone();
    let state = || async { app.bearer(&token).get_ok(&path).await["state"].clone() };

    // `ONYX_PROVISIONING=off`: the instance's other workers run, provisioning does not.
    let api_only = onyx::workers::spawn(instance(&app, &[("provisioning", "off")]).state.clone());
    tokio::time::sleep(Duration::from_millis(600)).await;
    assert_eq!(state().await, "pending");
    api_only.shutdown().await;

    let provisioning = onyx::workers::spawn(instance(&app, &[]).state.clone());
    let deadline = Instant::now() + Duration::from_secs(10);
    while state().await != "completed" {
        assert!(
            Instant::now() < deadline,
            "the provisioning instance never ran the queued order"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    provisioning.shutdown().await;
}

/// A committed write wakes only the workers of the work it queued: an order wakes the
/// provisioning workers and not the webhook workers (no endpoint listens to it); a webhook
/// test wakes the webhook workers and not provisioning.
#[tokio::test]
async fn queued_work_wakes_only_its_own_workers() {
    use onyx::db::Work;
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let token = shop.machine.token.clone();
    let provisioning = app.state.db.work_queued(Work::Provisioning);
    let webhooks = app.state.db.work_queued(Work::Webhooks);
    let seen = || (*provisioning.borrow(), *webhooks.borrow());

    let (p0, w0) = seen();
    create_order(&app, &token, &activate(&["fr-plan"])).await;
    assert_eq!(
        seen(),
        (p0 + 1, w0),
        "an order woke other workers than provisioning"
    );

    let rx = slow_receiver(Duration::ZERO).await;
    let we = endpoint(&app, &token, &rx.uri()).await;
    let (p1, w1) = seen();
    send_test(&app, &token, &we).await;
    assert_eq!(
        seen(),
        (p1, w1 + 1),
        "a webhook woke other workers than webhooks"
    );
}

//! Throughput and latency of the main paths, against the real app over HTTP on loopback.
//!
//! Run: `cargo bench --bench api` (SQLite in a temporary directory), or with
//! `BENCH_DATABASE_URL=postgres://…/some_empty_db` for PostgreSQL. Prints p50/p95/p99 latency,
//! requests per second and the process's memory high-water mark. Speed and memory targets
//! belong here, not in timed tests. `BENCH_SKIP_WEBHOOKS=1` stops after the request paths.
//!
//! Webhooks, end to end through the service's own worker pools to a local sink: test events
//! created through the API (`POST /v1/webhook-endpoints/{id}/test`, 8 concurrent clients)
//! until the sink has received them all, for one endpoint (with `BENCH_PER_ENDPOINT` sends in
//! flight to it, default 16) and for 50 endpoints across 10 partners (the service's default:
//! one in flight per endpoint); then event-to-delivery latency at a steady rate of half the
//! lower throughput. Targets: >= 850 deliveries/s end to end, p99 < 100 ms at half rate.

use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::Utc;
use onyx::auth::{Environment, Operator};
use onyx::clock::SystemClock;
use onyx::config::Config;
use onyx::db::Db;
use onyx::state::AppState;
use serde_json::json;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

fn report(name: &str, mut samples: Vec<Duration>, wall: Duration) {
    samples.sort();
    println!(
        "{name:<34} n={:<5} p50={:>7.2}ms p95={:>7.2}ms p99={:>7.2}ms  {:>8.0} req/s",
        samples.len(),
        percentile(&samples, 0.50).as_secs_f64() * 1000.0,
        percentile(&samples, 0.95).as_secs_f64() * 1000.0,
        percentile(&samples, 0.99).as_secs_f64() * 1000.0,
        samples.len() as f64 / wall.as_secs_f64(),
    );
}

fn memory() -> String {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .filter(|l| l.starts_with("VmHWM") || l.starts_with("VmRSS"))
        .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join(", ")
}

const ADMIN: &str = "bench-operator-token-0123456789";
const PASSWORD: &str = "a bench passphrase nobody uses";

/// A local webhook receiver: answers 204 at once and notes when each message arrived.
#[derive(Default)]
struct Sink {
    arrived: std::sync::Mutex<std::collections::HashMap<String, Instant>>,
}

fn start_sink() -> (String, Arc<Sink>) {
    let sink = Arc::new(Sink::default());
    let (tx, rx) = std::sync::mpsc::channel();
    let s = Arc::clone(&sink);
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let server = actix_web::HttpServer::new(move || {
                let s = Arc::clone(&s);
                actix_web::App::new().default_service(actix_web::web::to(
                    move |req: actix_web::HttpRequest| {
                        let s = Arc::clone(&s);
                        async move {
                            if let Some(id) = req
                                .headers()
                                .get("webhook-id")
                                .and_then(|v| v.to_str().ok())
                            {
                                s.arrived
                                    .lock()
                                    .unwrap()
                                    .entry(id.to_string())
                                    .or_insert_with(Instant::now);
                            }
                            actix_web::HttpResponse::NoContent().finish()
                        }
                    },
                ))
            })
            .workers(1)
            .bind("127.0.0.1:0")
            .unwrap();
            tx.send(server.addrs()[0]).unwrap();
            server.run().await.ok();
        })
    });
    (format!("http://{}/hook", rx.recv().unwrap()), sink)
}

/// A sandbox partner whose owner is signed in: the owner's access token.
async fn partner(http: &reqwest::Client, base: &str, n: usize) -> String {
    let email = format!("owner{n}@bench-{n}.example");
    let created: serde_json::Value = http
        .post(format!("{base}/v1/admin/partners"))
        .bearer_auth(ADMIN)
        .json(&json!({"name": format!("Bench {n}"), "legal_entity": format!("Bench {n} Ltd"), "billing_email": format!("billing@bench-{n}.example"), "owner_email": email}))
        .send().await.unwrap().json().await.unwrap();
    let invitation = created["owner_invitation"]["token"].as_str().unwrap();
    let r = http
        .post(format!("{base}/v1/invitations/accept"))
        .json(&json!({"token": invitation, "name": "Owner", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let login: serde_json::Value = http
        .post(format!("{base}/v1/auth/login"))
        .json(&json!({"email": email, "password": PASSWORD, "environment": "sandbox"}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    login["access_token"].as_str().unwrap().to_string()
}

async fn endpoint(http: &reqwest::Client, base: &str, token: &str, url: &str) -> String {
    let r: serde_json::Value = http
        .post(format!("{base}/v1/webhook-endpoints"))
        .bearer_auth(token)
        .json(&json!({"url": url, "event_types": ["webhook.test"]}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    r["id"]
        .as_str()
        .unwrap_or_else(|| panic!("endpoint not created: {r}"))
        .to_string()
}

/// Creates `per_target` test events for each (token, endpoint) with 8 concurrent clients and
/// waits until the sink has them all: (events, seconds to create them, seconds from the first
/// request to the last arrival).
async fn burst(
    http: &reqwest::Client,
    base: &str,
    targets: &[(String, String)],
    per_target: usize,
    sink: &Arc<Sink>,
) -> (usize, f64, f64) {
    let before = sink.arrived.lock().unwrap().len();
    let jobs: Vec<(String, String)> = (0..per_target)
        .flat_map(|_| targets.iter().cloned())
        .collect();
    let total = jobs.len();
    let jobs = Arc::new(std::sync::Mutex::new(jobs));
    let started = Instant::now();
    let mut clients = Vec::new();
    for _ in 0..8 {
        let (http, base, jobs) = (http.clone(), base.to_string(), Arc::clone(&jobs));
        clients.push(tokio::spawn(async move {
            loop {
                let Some((token, we)) = jobs.lock().unwrap().pop() else {
                    break;
                };
                let r = http
                    .post(format!("{base}/v1/webhook-endpoints/{we}/test"))
                    .bearer_auth(&token)
                    .send()
                    .await
                    .unwrap();
                assert_eq!(r.status(), 202);
            }
        }));
    }
    for c in clients {
        c.await.unwrap();
    }
    let created = started.elapsed().as_secs_f64();
    let deadline = Instant::now() + Duration::from_secs(600);
    while sink.arrived.lock().unwrap().len() < before + total {
        assert!(Instant::now() < deadline, "deliveries stalled");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    (total, created, started.elapsed().as_secs_f64())
}

/// Creates `per_target` test events for each target, 8 requests at a time, without waiting
/// for their delivery; returns how many.
async fn queue_only(
    http: &reqwest::Client,
    base: &str,
    targets: &[(String, String)],
    per_target: usize,
) -> usize {
    let jobs: Vec<&(String, String)> = (0..per_target).flat_map(|_| targets.iter()).collect();
    for chunk in jobs.chunks(8) {
        let posts = chunk.iter().map(|(token, we)| {
            http.post(format!("{base}/v1/webhook-endpoints/{we}/test"))
                .bearer_auth(token)
                .send()
        });
        for r in futures_util::future::join_all(posts).await {
            assert_eq!(r.unwrap().status(), 202);
        }
    }
    jobs.len()
}

/// Test events at `rate` per second for `secs` seconds across the targets: the time from each
/// request to the sink's arrival of its message.
async fn paced(
    http: &reqwest::Client,
    base: &str,
    targets: &[(String, String)],
    rate: f64,
    secs: f64,
    sink: &Arc<Sink>,
) -> Vec<Duration> {
    let n = (rate * secs) as usize;
    let every = Duration::from_secs_f64(1.0 / rate);
    let start = Instant::now();
    let mut sent = Vec::new();
    let mut tasks = Vec::new();
    for i in 0..n {
        let at = start + every * i as u32;
        tokio::time::sleep_until(tokio::time::Instant::from_std(at)).await;
        let (token, we) = targets[i % targets.len()].clone();
        let (http, base) = (http.clone(), base.to_string());
        tasks.push(tokio::spawn(async move {
            let t = Instant::now();
            let r: serde_json::Value = http
                .post(format!("{base}/v1/webhook-endpoints/{we}/test"))
                .bearer_auth(&token)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            (r["event_id"].as_str().unwrap().to_string(), t)
        }));
    }
    for t in tasks {
        sent.push(t.await.unwrap());
    }
    let deadline = Instant::now() + Duration::from_secs(120);
    loop {
        let arrived = sink.arrived.lock().unwrap();
        if sent.iter().all(|(id, _)| arrived.contains_key(id)) {
            return sent
                .iter()
                .map(|(id, t)| arrived[id].saturating_duration_since(*t))
                .collect();
        }
        drop(arrived);
        assert!(Instant::now() < deadline, "paced deliveries stalled");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// `clients` concurrent clients sending `GET path` for `run`; prints latency and returns req/s.
async fn concurrent_gets(
    http: &reqwest::Client,
    base: &str,
    path: &str,
    token: Option<&str>,
    clients: usize,
    run: Duration,
) -> f64 {
    let wall = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (http, url, token) = (
            http.clone(),
            format!("{base}{path}"),
            token.map(str::to_string),
        );
        tasks.push(tokio::spawn(async move {
            let mut s = Vec::new();
            let end = Instant::now() + run;
            while Instant::now() < end {
                let t = Instant::now();
                let mut req = http.get(&url);
                if let Some(token) = &token {
                    req = req.bearer_auth(token);
                }
                let r = req.send().await.unwrap();
                assert_eq!(r.status(), 200);
                r.bytes().await.unwrap();
                s.push(t.elapsed());
            }
            s
        }));
    }
    let mut samples = Vec::new();
    for t in tasks {
        samples.extend(t.await.unwrap());
    }
    let elapsed = wall.elapsed();
    let rate = samples.len() as f64 / elapsed.as_secs_f64();
    report(
        &format!("GET {path} ({clients} concurrent)"),
        samples,
        elapsed,
    );
    rate
}

fn main() {
    onyx::memory::limit_allocator_arenas();
    let dir = tempfile::tempdir().expect("temp dir");
    let url = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| dir.path().join("bench.db").display().to_string());
    let config = Config::from_lookup(|k| match k {
        "DATABASE_URL" => Some(url.clone()),
        "ONYX_LISTEN" => Some("127.0.0.1:0".into()),
        "ONYX_RATE_LIMIT_PER_MINUTE" => Some("100000000".into()),
        "ONYX_SANDBOX_STEP_MS" => Some("0".into()),
        "ONYX_LOG" => Some("error".into()),
        "ONYX_ADMIN_TOKEN" => Some(ADMIN.into()),
        "ONYX_DB_POOL_SIZE" => Some("16".into()),
        _ => None,
    })
    .expect("config");
    let db = Db::connect(&config.database_url, config.db_pool_size).expect("database");
    db.migrate().expect("migrations");
    let state = AppState::new(db, config, Arc::new(SystemClock));
    let workers = onyx::workers::Context::new(state.clone());
    // As `serve` does: on PostgreSQL, hear other instances' changes (work queued, access and
    // catalogue/order changes); the in-process caches are only trusted while it listens.
    let stop_listening = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let _listener = state.db.listen_for_work(Arc::clone(&stop_listening));
    let info = onyx::seed::seed_demo(&state).expect("seed");
    let access = info.sandbox.expect("a fresh database is seeded");
    let (client_id, secret) = (access.client_id, access.client_secret);
    // Plenty of test money so that payment never refuses an order.
    let tenant = Operator::process().acting_for(&access.partner_id, Environment::Sandbox);
    state
        .db
        .write_blocking(|c| {
            onyx::wallet::credit(
                c,
                &tenant,
                "EUR",
                1_000_000_000_000,
                "bench funding",
                Utc::now(),
            )
        })
        .expect("funding");

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let (tx, rx) = std::sync::mpsc::channel();
    let app_state = state.clone();
    std::thread::spawn(move || {
        actix_web::rt::System::new().block_on(async move {
            let running = onyx::app::start(app_state).expect("start");
            tx.send(running.addr).unwrap();
            running.server.await.ok();
        })
    });
    let addr = rx.recv().unwrap();
    let base = format!("http://{addr}");
    println!("backend: {}", state.db.backend().name());

    rt.block_on(async move {
        let http = reqwest::Client::new();
        let token: String = {
            let r: serde_json::Value = http
                .post(format!("{base}/v1/oauth/token"))
                .form(&[("grant_type", "client_credentials"), ("client_id", &client_id), ("client_secret", &secret)])
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            r["access_token"].as_str().unwrap().to_string()
        };

        let mut samples = Vec::new();
        let wall = Instant::now();
        for _ in 0..2000 {
            let t = Instant::now();
            let r = http.get(format!("{base}/v1/packages?limit=20")).bearer_auth(&token).send().await.unwrap();
            assert_eq!(r.status(), 200);
            r.bytes().await.unwrap();
            samples.push(t.elapsed());
        }
        report("GET /v1/packages (sequential)", samples, wall.elapsed());

        let body = json!({"type": "activate_subscription", "customer_reference": "bench", "items": [{"package_id": "eu-10gb-30d"}]});
        let mut samples = Vec::new();
        let wall = Instant::now();
        for _ in 0..500 {
            let t = Instant::now();
            let r = http.post(format!("{base}/v1/orders")).bearer_auth(&token).json(&body).send().await.unwrap();
            assert_eq!(r.status(), 201);
            r.bytes().await.unwrap();
            samples.push(t.elapsed());
        }
        report("POST /v1/orders (sequential)", samples, wall.elapsed());

        let wall = Instant::now();
        let mut tasks = Vec::new();
        for _ in 0..8 {
            let (http, base, token, body) = (http.clone(), base.clone(), token.clone(), body.clone());
            tasks.push(tokio::spawn(async move {
                let mut s = Vec::new();
                for _ in 0..100 {
                    let t = Instant::now();
                    let r = http.post(format!("{base}/v1/orders")).bearer_auth(&token).json(&body).send().await.unwrap();
                    assert_eq!(r.status(), 201);
                    r.bytes().await.unwrap();
                    s.push(t.elapsed());
                }
                s
            }));
        }
        let mut samples = Vec::new();
        for t in tasks {
            samples.extend(t.await.unwrap());
        }
        report("POST /v1/orders (8 concurrent)", samples, wall.elapsed());

        // Reads against the framework's own floor: the same process, the same 8 clients, the
        // same duration; the ratio is the target (catalogue >= 0.5, orders list >= 0.3).
        let healthz = concurrent_gets(&http, &base, "/healthz", None, 8, Duration::from_secs(5)).await;
        let catalogue = concurrent_gets(&http, &base, "/v1/packages?limit=20", Some(&token), 8, Duration::from_secs(5)).await;
        let orders = concurrent_gets(&http, &base, "/v1/orders?limit=20", Some(&token), 8, Duration::from_secs(5)).await;
        println!(
            "{:<34} catalogue/healthz = {:.3} (target >= 0.5), orders/healthz = {:.3} (target >= 0.3)",
            "read ratios (8 concurrent)",
            catalogue / healthz,
            orders / healthz
        );

        let wall = Instant::now();
        let mut steps = 0;
        loop {
            let n = workers.run_provisioning().await.unwrap();
            if n == 0 {
                break;
            }
            steps += n;
        }
        let secs = wall.elapsed().as_secs_f64();
        println!("{:<34} {steps} steps in {secs:.2}s ({:.0} steps/s)", "provisioning worker", steps as f64 / secs);

        'webhooks: {
        if std::env::var("BENCH_SKIP_WEBHOOKS").is_ok_and(|v| v == "1") {
            break 'webhooks;
        }
        // Webhooks through the service's own pools.
        let with = |per_endpoint: usize| {
            let mut config = (*state.config).clone();
            config.webhook_per_endpoint = per_endpoint;
            AppState { config: Arc::new(config), ..state.clone() }
        };
        let per_endpoint: usize = std::env::var("BENCH_PER_ENDPOINT").ok().and_then(|v| v.parse().ok()).unwrap_or(16);
        let pools = onyx::workers::spawn(with(per_endpoint));
        let (hook, sink) = start_sink();
        let single = vec![(token.clone(), endpoint(&http, &base, &token, &hook).await)];
        burst(&http, &base, &single, 50, &sink).await; // warm-up
        let (n, made, secs) = burst(&http, &base, &single, 3000, &sink).await;
        let rate1 = n as f64 / secs;
        println!("{:<34} {n} events in {secs:.2}s ({rate1:.0} deliveries/s end to end; created at {:.0}/s)", format!("webhooks, 1 endpoint ({per_endpoint} in flight)"), n as f64 / made);
        pools.shutdown().await;
        let pools = onyx::workers::spawn(with(1));
        let mut many = Vec::new();
        for p in 0..10 {
            let t = partner(&http, &base, p).await;
            for _ in 0..5 {
                many.push((t.clone(), endpoint(&http, &base, &t, &hook).await));
            }
        }
        let (n, made, secs) = burst(&http, &base, &many, 60, &sink).await;
        let rate50 = n as f64 / secs;
        println!("{:<34} {n} events in {secs:.2}s ({rate50:.0} deliveries/s end to end; created at {:.0}/s)", "webhooks, 50 endpoints/10 partners", n as f64 / made);
        // Delivery capacity on its own: queue events with the pools stopped, then start them.
        pools.shutdown().await;
        let before = sink.arrived.lock().unwrap().len();
        let queued = queue_only(&http, &base, &many, 60).await;
        let pools = onyx::workers::spawn(with(1));
        let drain = Instant::now();
        while sink.arrived.lock().unwrap().len() < before + queued {
            assert!(drain.elapsed() < Duration::from_secs(600), "drain stalled");
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        let secs = drain.elapsed().as_secs_f64();
        println!("{:<34} {queued} queued events in {secs:.2}s ({:.0} deliveries/s)", "webhooks, drain 50 endpoints", queued as f64 / secs);
        let half = (rate50.min(rate1) / 2.0).max(10.0);
        let wall = Instant::now();
        let samples = paced(&http, &base, &many, half, 5.0, &sink).await;
        report(&format!("webhooks at {half:.0}/s: event->arrival"), samples, wall.elapsed());
        pools.shutdown().await;
        }

        // Sustained order creation: 8 clients for BENCH_SUSTAINED_SECS (default 120; 0 skips),
        // with the service's own worker pools running beside them (provisioning, webhooks,
        // housekeeping, the SQLite checkpoint). Target: every answer 2xx.
        let secs: u64 = std::env::var("BENCH_SUSTAINED_SECS").ok().and_then(|v| v.parse().ok()).unwrap_or(120);
        if secs > 0 {
            let pools = onyx::workers::spawn(state.clone());
            let end = Instant::now() + Duration::from_secs(secs);
            let wall = Instant::now();
            let mut tasks = Vec::new();
            for _ in 0..8 {
                let (http, base, token, body) = (http.clone(), base.clone(), token.clone(), body.clone());
                tasks.push(tokio::spawn(async move {
                    let (mut ok, mut refused) = (Vec::new(), std::collections::BTreeMap::<String, usize>::new());
                    while Instant::now() < end {
                        let t = Instant::now();
                        let r = http.post(format!("{base}/v1/orders")).bearer_auth(&token).json(&body).send().await.unwrap();
                        let status = r.status();
                        let text = r.text().await.unwrap_or_default();
                        if status.is_success() {
                            ok.push(t.elapsed());
                        } else {
                            let code = serde_json::from_str::<serde_json::Value>(&text).ok().and_then(|v| v["code"].as_str().map(str::to_string)).unwrap_or_default();
                            *refused.entry(format!("{} {code}", status.as_u16())).or_default() += 1;
                        }
                    }
                    (ok, refused)
                }));
            }
            let mut samples = Vec::new();
            let mut refused = std::collections::BTreeMap::<String, usize>::new();
            for t in tasks {
                let (ok, r) = t.await.unwrap();
                samples.extend(ok);
                for (k, n) in r {
                    *refused.entry(k).or_default() += n;
                }
            }
            report(&format!("POST /v1/orders sustained {secs}s"), samples, wall.elapsed());
            println!("{:<34} non-2xx: {} {refused:?} (target: 0)", "sustained writes", refused.values().sum::<usize>());
            pools.shutdown().await;
        }
    });
    println!("memory: {}", memory());
}

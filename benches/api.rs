//! Throughput and latency of the main paths, against the real app over HTTP on loopback.
//!
//! Run: `cargo bench --bench api` (SQLite in a temporary directory), or with
//! `BENCH_DATABASE_URL=postgres://…/some_empty_db` for PostgreSQL. Prints p50/p95/p99 latency,
//! requests per second and the process's memory high-water mark. Speed and memory targets
//! belong here, not in timed tests.

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

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| dir.path().join("bench.db").display().to_string());
    let config = Config::from_lookup(|k| match k {
        "DATABASE_URL" => Some(url.clone()),
        "ONYX_LISTEN" => Some("127.0.0.1:0".into()),
        "ONYX_RATE_LIMIT_PER_MINUTE" => Some("100000000".into()),
        "ONYX_SANDBOX_STEP_MS" => Some("0".into()),
        "ONYX_LOG" => Some("error".into()),
        _ => None,
    })
    .expect("config");
    let db = Db::connect(&config.database_url, config.db_pool_size).expect("database");
    db.migrate().expect("migrations");
    let state = AppState::new(db, config, Arc::new(SystemClock));
    let workers = onyx::workers::Context::new(state.clone());
    let info = onyx::seed::seed_demo(&state).expect("seed");
    let access = info.sandbox.expect("a fresh database is seeded");
    let (client_id, secret) = (access.client_id, access.client_secret);
    // Plenty of test money so that payment never refuses an order.
    let tenant = Operator::process().acting_for(&access.partner_id, Environment::Sandbox);
    state
        .db
        .write_blocking(|c| {
            onyx::wallet::credit(c, &tenant, "EUR", 90_000_000, "bench funding", Utc::now())
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
    });
    println!("memory: {}", memory());
}

//! Throughput, latency and memory of the main paths, against the real service over HTTP on
//! loopback.
//!
//! Run: `cargo bench --bench api` (SQLite in a temporary directory), or with
//! `BENCH_DATABASE_URL=postgres://…/some_empty_db` for PostgreSQL. The service runs as its own
//! `onyx serve` process (one per phase, all on one database), so the memory reported is the
//! service's alone: this process holds the clients, the webhook sink and the raw-SQL floor.
//! Prints p50/p95/p99 latency, requests per second, the ratios the targets are stated in, and
//! each service process's RSS high-water. Speed and memory targets belong here, not in timed
//! tests. `BENCH_SKIP_WEBHOOKS=1` stops after the request paths; `BENCH_SUSTAINED_SECS`
//! (default 120, 0 skips) sets the sustained-writes phase.
//!
//! Requests, on an API-only instance (`ONYX_PROVISIONING=off`): catalogue and order creation,
//! sequential and 8 concurrent; reads against `/healthz` of the same process (catalogue >= 0.5,
//! orders list >= 0.3). Then the same writes as one order in hand-written SQL on one
//! connection, one transaction each, nothing else running: order creation at 8 clients divided
//! by that, at least 0.6. A provisioning instance then runs the queued orders (orders provisioned per second)
//! and takes orders while provisioning each at once (that ratio is printed too, not a target).
//! Last, sustained order creation from 8 clients (0 non-2xx).
//!
//! Webhooks, end to end through the service's own worker pools to a local sink: test events
//! created through the API (`POST /v1/webhook-endpoints/{id}/test`, 8 concurrent clients)
//! until the sink has received them all, for one endpoint (with `BENCH_PER_ENDPOINT` sends in
//! flight to it, default 16) and for 50 endpoints across 10 partners (the service's default:
//! one in flight per endpoint); then event-to-delivery latency at a steady rate of half the
//! lower throughput. Targets: >= 850 deliveries/s end to end, p99 < 100 ms at half rate, the
//! service's RSS < 40 MB throughout.

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

/// The memory of a process: (VmHWM, VmRSS, RssAnon, RssFile) in MB.
fn memory_of(pid: u32) -> (f64, f64, f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let kb = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
            / 1024.0
    };
    (kb("VmHWM:"), kb("VmRSS:"), kb("RssAnon:"), kb("RssFile:"))
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

/// Database statements the service has run so far (`onyx_db_statements_total`).
async fn statements(http: &reqwest::Client, base: &str) -> f64 {
    let text = http
        .get(format!("{base}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    text.lines()
        .filter(|l| l.starts_with("onyx_db_statements_total"))
        .filter_map(|l| l.rsplit(' ').next()?.parse::<f64>().ok())
        .sum()
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

const JWT_SECRET: &str = "bench-jwt-secret-0123456789-0123456789";
/// 32 bytes, base64: the same key for every service process of one run, so endpoints' signing
/// secrets written by one are readable by the next.
const ENCRYPTION_KEY: &str = "YmVuY2gtZW5jcnlwdGlvbi1rZXktMzItYnl0ZXMtISE=";

/// The service's environment in this benchmark: its defaults, except what a benchmark must
/// change (no rate limit, no sandbox step delay, quiet logs, a known operator token and keys).
fn service_env(url: &str) -> Vec<(&'static str, String)> {
    vec![
        ("DATABASE_URL", url.to_string()),
        ("ONYX_LISTEN", "127.0.0.1:0".into()),
        ("ONYX_RATE_LIMIT_PER_MINUTE", "100000000".into()),
        ("ONYX_SANDBOX_STEP_MS", "0".into()),
        ("ONYX_LOG", "error".into()),
        ("ONYX_ADMIN_TOKEN", ADMIN.into()),
        ("ONYX_JWT_SECRET", JWT_SECRET.into()),
        ("ONYX_ENCRYPTION_KEY", ENCRYPTION_KEY.into()),
    ]
}

/// `onyx serve` as its own process (as in production), so that its memory is its own: the
/// benchmark's clients and sink live in this process.
struct Service {
    child: std::process::Child,
    base: String,
    name: &'static str,
}

impl Service {
    fn start(name: &'static str, url: &str, extra: &[(&'static str, &str)]) -> Service {
        use std::io::BufRead;
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_onyx"));
        cmd.arg("serve")
            .env_clear()
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::inherit());
        for (k, v) in service_env(url) {
            cmd.env(k, v);
        }
        for (k, v) in extra {
            cmd.env(k, v);
        }
        // Experiments: ONYX_* variables of the benchmark's environment reach the service.
        for (k, v) in std::env::vars().filter(|(k, _)| k.starts_with("ONYX_")) {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("start onyx serve");
        let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
        let base = loop {
            let line = lines
                .next()
                .expect("onyx serve exited before listening")
                .unwrap();
            if let Some(rest) = line.strip_prefix("Onyx Partner API listening on ") {
                break rest.trim().to_string();
            }
        };
        std::thread::spawn(move || for _ in lines {});
        Service { child, base, name }
    }

    /// Stops the service (SIGTERM: graceful shutdown) and reports its memory high-water.
    fn stop(mut self) -> f64 {
        let (hwm, rss, anon, file) = memory_of(self.child.id());
        let _ = std::process::Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status();
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.child.try_wait().ok().flatten().is_none() {
            if Instant::now() > deadline {
                let _ = self.child.kill();
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        println!(
            "{:<34} RSS high-water {hwm:.1} MB (at the end: RSS {rss:.1} MB = {anon:.1} anonymous + {file:.1} file-backed, the program's own code and data)",
            format!("service memory: {}", self.name)
        );
        hwm
    }
}

/// `n` orders one after another; each answer's latency.
async fn sequential_orders(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    body: &serde_json::Value,
    n: usize,
) -> Vec<Duration> {
    let mut samples = Vec::with_capacity(n);
    for _ in 0..n {
        let t = Instant::now();
        let r = http
            .post(format!("{base}/v1/orders"))
            .bearer_auth(token)
            .json(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201);
        r.bytes().await.unwrap();
        samples.push(t.elapsed());
    }
    samples
}

/// `clients` concurrent clients, `each` orders apiece; every answer's latency.
async fn concurrent_orders(
    http: &reqwest::Client,
    base: &str,
    token: &str,
    body: &serde_json::Value,
    clients: usize,
    each: usize,
) -> Vec<Duration> {
    let mut tasks = Vec::new();
    for _ in 0..clients {
        let (http, base, token, body) = (
            http.clone(),
            base.to_string(),
            token.to_string(),
            body.clone(),
        );
        tasks.push(tokio::spawn(async move {
            sequential_orders(&http, &base, &token, &body, each).await
        }));
    }
    let mut samples = Vec::new();
    for t in tasks {
        samples.extend(t.await.unwrap());
    }
    samples
}

/// Provisioning tasks not finished yet.
async fn open_tasks(db: &Db) -> i64 {
    db.read(|c| {
        use diesel::prelude::*;
        use onyx::db::schema::provisioning_tasks as pt;
        Ok(pt::table
            .filter(pt::dead_at.is_null())
            .count()
            .get_result(c)?)
    })
    .await
    .unwrap()
}

/// Waits until the service has provisioned every open order; the seconds that took.
async fn caught_up(db: &Db) -> f64 {
    let wall = Instant::now();
    loop {
        let left = open_tasks(db).await;
        if left == 0 {
            return wall.elapsed().as_secs_f64();
        }
        assert!(
            wall.elapsed() < Duration::from_secs(300),
            "provisioning stalled ({left} left)"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The writes one activation order makes (wallet reservation and its ledger entry, the new
/// service, the order, its item, the provisioning task, `order.created`), as hand-written SQL
/// in one transaction on one connection: the floor order creation is measured against.
fn raw_order_writes(
    conn: &mut onyx::db::DbConnection,
    wallet_id: &str,
    partner_id: &str,
    n: usize,
) -> f64 {
    use diesel::connection::Connection;
    use diesel::sql_types::{BigInt, Text, Timestamp};
    use diesel::RunQueryDsl;
    const STATEMENTS: [&str; 7] = [
        "UPDATE wallets SET available = available - ?, reserved = reserved + ?, updated_at = ? WHERE id = ? AND available >= ?",
        "INSERT INTO ledger_entries (id, wallet_id, partner_id, environment, currency, entry_type, amount, order_id, order_attempt, available_after, reserved_after, description, created_at) VALUES (?, ?, ?, 'sandbox', 'EUR', 'reserve', ?, ?, 1, 0, 0, ?, ?)",
        "INSERT INTO services (id, partner_id, environment, customer_reference, package_id, state, install_state, next_step, data_allowance_bytes, data_unlimited, validity_days, created_at, updated_at) VALUES (?, ?, 'sandbox', 'bench-raw', 'eu-10gb-30d', 'pending', 'not_installed', 'wait', 10737418240, false, 30, ?, ?)",
        "INSERT INTO orders (id, partner_id, environment, order_type, state, customer_reference, metadata, service_id, currency, total_minor, identity_verified, attempt, retryable, retry_allowed, next_step, created_at, updated_at) VALUES (?, ?, 'sandbox', 'activate_subscription', 'pending', 'bench-raw', '{}', ?, 'EUR', ?, false, 1, false, false, 'wait', ?, ?)",
        "INSERT INTO order_items (order_id, position, package_id, kind, price_minor, currency) VALUES (?, 0, 'eu-10gb-30d', 'plan', ?, 'EUR')",
        "INSERT INTO provisioning_tasks (order_id, step, due_at, created_at, errors) VALUES (?, 0, ?, ?, 0)",
        "INSERT INTO events (id, partner_id, environment, event_type, data, created_at, subject_id) VALUES (?, ?, 'sandbox', 'order.created', ?, ?, ?)",
    ];
    let pg = matches!(conn, onyx::db::DbConnection::Pg(_));
    let sql: Vec<String> = STATEMENTS
        .iter()
        .map(|s| {
            if !pg {
                return s.to_string();
            }
            let mut out = String::new();
            let mut k = 0;
            for c in s.chars() {
                if c == '?' {
                    k += 1;
                    out.push_str(&format!("${k}"));
                } else {
                    out.push(c);
                }
            }
            out
        })
        .collect();
    let data = "{\"order\":{\"id\":\"ord_bench\",\"type\":\"activate_subscription\",\"state\":\"pending\",\"customer_reference\":\"bench\",\"items\":[{\"package_id\":\"eu-10gb-30d\",\"kind\":\"plan\",\"price_minor\":1}]}}";
    let started = Instant::now();
    for _ in 0..n {
        let now = Utc::now().naive_utc();
        let (order, service, entry, event) = (
            onyx::ids::new_id("ord"),
            onyx::ids::new_id("svc"),
            onyx::ids::new_id("led"),
            onyx::ids::new_id("evt"),
        );
        let price = 1i64;
        conn.transaction::<_, diesel::result::Error, _>(|c| {
            diesel::sql_query(&sql[0])
                .bind::<BigInt, _>(price)
                .bind::<BigInt, _>(price)
                .bind::<Timestamp, _>(now)
                .bind::<Text, _>(wallet_id)
                .bind::<BigInt, _>(price)
                .execute(c)?;
            diesel::sql_query(&sql[1])
                .bind::<Text, _>(&entry)
                .bind::<Text, _>(wallet_id)
                .bind::<Text, _>(partner_id)
                .bind::<BigInt, _>(price)
                .bind::<Text, _>(&order)
                .bind::<Text, _>("Reserved for a bench order")
                .bind::<Timestamp, _>(now)
                .execute(c)?;
            diesel::sql_query(&sql[2])
                .bind::<Text, _>(&service)
                .bind::<Text, _>(partner_id)
                .bind::<Timestamp, _>(now)
                .bind::<Timestamp, _>(now)
                .execute(c)?;
            diesel::sql_query(&sql[3])
                .bind::<Text, _>(&order)
                .bind::<Text, _>(partner_id)
                .bind::<Text, _>(&service)
                .bind::<BigInt, _>(price)
                .bind::<Timestamp, _>(now)
                .bind::<Timestamp, _>(now)
                .execute(c)?;
            diesel::sql_query(&sql[4])
                .bind::<Text, _>(&order)
                .bind::<BigInt, _>(price)
                .execute(c)?;
            diesel::sql_query(&sql[5])
                .bind::<Text, _>(&order)
                .bind::<Timestamp, _>(now)
                .bind::<Timestamp, _>(now)
                .execute(c)?;
            diesel::sql_query(&sql[6])
                .bind::<Text, _>(&event)
                .bind::<Text, _>(partner_id)
                .bind::<Text, _>(data)
                .bind::<Timestamp, _>(now)
                .bind::<Text, _>(&order)
                .execute(c)?;
            Ok(())
        })
        .expect("raw order writes");
    }
    n as f64 / started.elapsed().as_secs_f64()
}

fn main() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = std::env::var("BENCH_DATABASE_URL")
        .unwrap_or_else(|_| dir.path().join("bench.db").display().to_string());
    let env = service_env(&url);
    let config = Config::from_lookup(|k| env.iter().find(|(n, _)| *n == k).map(|(_, v)| v.clone()))
        .expect("config");
    // This process prepares the database and measures the raw-SQL floor; the service runs as
    // its own process.
    let db = Db::connect(&config.database_url, 2).expect("database");
    db.migrate().expect("migrations");
    let backend = db.backend().name();
    let state = AppState::new(db.clone(), config, Arc::new(SystemClock));
    let info = onyx::seed::seed_demo(&state).expect("seed");
    let access = info.sandbox.expect("a fresh database is seeded");
    let (client_id, secret, partner_id) =
        (access.client_id, access.client_secret, access.partner_id);
    // Plenty of test money so that payment never refuses an order.
    let tenant = Operator::process().acting_for(&partner_id, Environment::Sandbox);
    db.write_blocking(|c| {
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
    drop(state);
    println!("backend: {backend}");

    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut high_water: Vec<f64> = Vec::new();
    // An API-only instance (`ONYX_PROVISIONING=off`): order creation alone, as the raw-SQL
    // floor below does it; the provisioning instance after it runs what it queued.
    let service = Service::start("requests (API only)", &url, &[("ONYX_PROVISIONING", "off")]);
    let base = service.base.clone();
    let http = reqwest::Client::new();
    let token: String = rt.block_on(async {
        let r: serde_json::Value = http
            .post(format!("{base}/v1/oauth/token"))
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", &client_id),
                ("client_secret", &secret),
            ])
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        r["access_token"].as_str().unwrap().to_string()
    });
    let body = json!({"type": "activate_subscription", "customer_reference": "bench", "items": [{"package_id": "eu-10gb-30d"}]});

    let creation_rate = rt.block_on(async {
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

        let wall = Instant::now();
        let samples = sequential_orders(&http, &base, &token, &body, 500).await;
        report("POST /v1/orders (sequential)", samples, wall.elapsed());

        let wall = Instant::now();
        let samples = concurrent_orders(&http, &base, &token, &body, 8, 250).await;
        let elapsed = wall.elapsed();
        let rate = samples.len() as f64 / elapsed.as_secs_f64();
        report("POST /v1/orders (8 concurrent)", samples, elapsed);

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
        rate
    });
    high_water.push(service.stop());

    // A provisioning instance: it runs the 2,500 orders the API-only one queued (two steps
    // each), then takes orders itself while it provisions each at once (`ONYX_SANDBOX_STEP_MS=0`):
    // both kinds of write on one SQLite writer.
    let service = Service::start("provisioning", &url, &[]);
    let base = service.base.clone();
    let shared_rate = rt.block_on(async {
        let queued = open_tasks(&db).await;
        let secs = caught_up(&db).await;
        println!(
            "{:<34} {queued} queued orders provisioned in {secs:.2}s ({:.0} orders/s, 2 steps each)",
            "provisioning (service workers)",
            queued as f64 / secs
        );
        let wall = Instant::now();
        let samples = concurrent_orders(&http, &base, &token, &body, 8, 250).await;
        let elapsed = wall.elapsed();
        let rate = samples.len() as f64 / elapsed.as_secs_f64();
        report("POST /v1/orders (8, + provisioning)", samples, elapsed);
        println!(
            "{:<34} caught up {:.2}s after the last order",
            "provisioning (same process)",
            caught_up(&db).await
        );
        rate
    });
    high_water.push(service.stop());

    // The floor for order creation: the same writes in hand-written SQL, one connection, one
    // transaction per order, nothing else running.
    let wallet_id: String = db
        .write_blocking(|c| {
            use diesel::prelude::*;
            use onyx::db::schema::wallets as w;
            Ok(w::table
                .filter(w::partner_id.eq(&partner_id))
                .filter(w::environment.eq("sandbox"))
                .filter(w::currency.eq("EUR"))
                .select(w::id)
                .first(c)?)
        })
        .expect("wallet");
    let raw = {
        let mut conn = db.get().expect("connection");
        raw_order_writes(&mut conn, &wallet_id, &partner_id, 100);
        raw_order_writes(&mut conn, &wallet_id, &partner_id, 2000)
    };
    // Those orders are not the service's to provision.
    db.write_blocking(|c| {
        use diesel::RunQueryDsl;
        diesel::sql_query("DELETE FROM provisioning_tasks WHERE order_id IN (SELECT id FROM orders WHERE customer_reference = 'bench-raw')").execute(c)?;
        Ok(())
    })
    .expect("cleanup");
    println!(
        "{:<34} {raw:.0} tx/s; order creation (8 concurrent) / raw = {:.3} (target >= 0.6)",
        "raw SQL order writes (1 conn)",
        creation_rate / raw
    );
    println!(
        "{:<34} {:.3} (the same process also provisioning each order at once; not the target)",
        "order creation + provisioning / raw",
        shared_rate / raw
    );

    if !std::env::var("BENCH_SKIP_WEBHOOKS").is_ok_and(|v| v == "1") {
        high_water.extend(rt.block_on(webhooks(&url, &token)));
    }
    // Last, so that a provisioning backlog it leaves (PostgreSQL provisions slower than it
    // takes orders) does not weigh on the phases above.
    high_water.extend(rt.block_on(sustained(&url, &token)));
    let worst = high_water.iter().cloned().fold(0.0, f64::max);
    println!(
        "{:<34} {worst:.1} MB (target < 40 MB)",
        "service RSS high-water (all runs)"
    );
}

/// Webhooks through the service's own worker pools to a local sink; returns each service
/// process's memory high-water.
async fn webhooks(url: &str, token: &str) -> Vec<f64> {
    let mut high_water = Vec::new();
    let http = reqwest::Client::new();
    let per_endpoint = std::env::var("BENCH_PER_ENDPOINT").unwrap_or_else(|_| "16".into());
    let (hook, sink) = start_sink();
    let service = Service::start(
        "webhooks, 1 endpoint",
        url,
        &[("ONYX_WEBHOOK_PER_ENDPOINT", &per_endpoint)],
    );
    let base = service.base.clone();
    let single = vec![(
        token.to_string(),
        endpoint(&http, &base, token, &hook).await,
    )];
    burst(&http, &base, &single, 50, &sink).await; // warm-up
    let before = statements(&http, &base).await;
    let (n, made, secs) = burst(&http, &base, &single, 3000, &sink).await;
    let per_event = (statements(&http, &base).await - before) / n as f64;
    let rate1 = n as f64 / secs;
    println!(
        "{:<34} {n} events in {secs:.2}s ({rate1:.0} deliveries/s end to end; created at {:.0}/s; {per_event:.1} statements per event)",
        format!("webhooks, 1 endpoint ({per_endpoint} in flight)"),
        n as f64 / made
    );
    high_water.push(service.stop());

    let service = Service::start("webhooks, 50 endpoints", url, &[]);
    let base = service.base.clone();
    let mut many = Vec::new();
    for p in 0..10 {
        let t = partner(&http, &base, p).await;
        for _ in 0..5 {
            many.push((t.clone(), endpoint(&http, &base, &t, &hook).await));
        }
    }
    let before = statements(&http, &base).await;
    let (n, made, secs) = burst(&http, &base, &many, 60, &sink).await;
    let per_event = (statements(&http, &base).await - before) / n as f64;
    let rate50 = n as f64 / secs;
    println!(
        "{:<34} {n} events in {secs:.2}s ({rate50:.0} deliveries/s end to end; created at {:.0}/s; {per_event:.1} statements per event)",
        "webhooks, 50 endpoints/10 partners",
        n as f64 / made
    );
    high_water.push(service.stop());

    // Delivery capacity on its own: queue events with delivery off, then start a service that
    // delivers.
    let service = Service::start(
        "webhooks, queueing",
        url,
        &[("ONYX_WEBHOOK_DELIVERY", "off")],
    );
    let before = sink.arrived.lock().unwrap().len();
    let queued = queue_only(&http, &service.base, &many, 60).await;
    high_water.push(service.stop());
    let service = Service::start("webhooks, drain and paced", url, &[]);
    let drain = Instant::now();
    while sink.arrived.lock().unwrap().len() < before + queued {
        assert!(drain.elapsed() < Duration::from_secs(600), "drain stalled");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let secs = drain.elapsed().as_secs_f64();
    println!(
        "{:<34} {queued} queued events in {secs:.2}s ({:.0} deliveries/s)",
        "webhooks, drain 50 endpoints",
        queued as f64 / secs
    );
    let half = (rate50.min(rate1) / 2.0).max(10.0);
    let wall = Instant::now();
    let samples = paced(&http, &service.base, &many, half, 5.0, &sink).await;
    report(
        &format!("webhooks at {half:.0}/s: event->arrival"),
        samples,
        wall.elapsed(),
    );
    high_water.push(service.stop());
    high_water
}

/// Sustained order creation: 8 clients for BENCH_SUSTAINED_SECS (default 120; 0 skips), with
/// the service's own workers running beside them (provisioning, webhooks, housekeeping, the
/// SQLite checkpoint). Target: every answer 2xx. Returns the service's memory high-water.
async fn sustained(url: &str, token: &str) -> Vec<f64> {
    let secs: u64 = std::env::var("BENCH_SUSTAINED_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(120);
    if secs == 0 {
        return Vec::new();
    }
    let service = Service::start("sustained writes", url, &[]);
    let (http, base, token) = (
        reqwest::Client::new(),
        service.base.clone(),
        token.to_string(),
    );
    let body = json!({"type": "activate_subscription", "customer_reference": "bench", "items": [{"package_id": "eu-10gb-30d"}]});
    let end = Instant::now() + Duration::from_secs(secs);
    let wall = Instant::now();
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let (http, base, token, body) = (http.clone(), base.clone(), token.clone(), body.clone());
        tasks.push(tokio::spawn(async move {
            let (mut ok, mut refused) = (
                Vec::new(),
                std::collections::BTreeMap::<String, usize>::new(),
            );
            while Instant::now() < end {
                let t = Instant::now();
                let r = http
                    .post(format!("{base}/v1/orders"))
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await
                    .unwrap();
                let status = r.status();
                let text = r.text().await.unwrap_or_default();
                if status.is_success() {
                    ok.push(t.elapsed());
                } else {
                    let code = serde_json::from_str::<serde_json::Value>(&text)
                        .ok()
                        .and_then(|v| v["code"].as_str().map(str::to_string))
                        .unwrap_or_default();
                    *refused
                        .entry(format!("{} {code}", status.as_u16()))
                        .or_default() += 1;
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
    report(
        &format!("POST /v1/orders sustained {secs}s"),
        samples,
        wall.elapsed(),
    );
    println!(
        "{:<34} non-2xx: {} {refused:?} (target: 0)",
        "sustained writes",
        refused.values().sum::<usize>()
    );
    vec![service.stop()]
}

//! The test harness: every test gets the real app on 127.0.0.1:0 against a fresh database —
//! a temporary SQLite file by default, a fresh PostgreSQL database when `TEST_DATABASE_URL`
//! is set (created per test, dropped afterwards).

use std::sync::{mpsc, Arc, OnceLock};

use chrono::{TimeZone, Utc};
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use onyx::clock::ManualClock;
use onyx::config::{Config, LogFormat};
use onyx::db::{Backend, Db};
use onyx::state::AppState;
use onyx::telemetry::{self, MemorySink};
use reqwest::{Method, RequestBuilder};
use serde_json::Value;

/// Everything the service logged during this test binary's run (redacted as in production).
pub fn logs() -> &'static MemorySink {
    static SINK: OnceLock<MemorySink> = OnceLock::new();
    SINK.get_or_init(|| {
        let sink = MemorySink::default();
        telemetry::init("debug,tracing_actix_web::middleware=error,actix_server=warn,h2=warn,hyper=warn,reqwest=warn", LogFormat::Json, sink.clone());
        sink
    })
}

/// A fresh database for one test.
pub struct TestDb {
    pub url: String,
    pub backend: Backend,
    _dir: Option<tempfile::TempDir>,
    pg_admin: Option<(String, String)>,
}

impl TestDb {
    pub fn new() -> TestDb {
        match std::env::var("TEST_DATABASE_URL")
            .ok()
            .filter(|v| !v.is_empty())
        {
            Some(admin_url) => {
                let name = format!("onyx_test_{}", onyx::ids::random_token(12).to_lowercase());
                let mut admin = PgConnection::establish(&admin_url)
                    .unwrap_or_else(|e| panic!("TEST_DATABASE_URL is set but unreachable: {e}"));
                admin
                    .batch_execute(&format!("CREATE DATABASE {name}"))
                    .expect("create test database");
                let mut url = url::Url::parse(&admin_url).expect("TEST_DATABASE_URL is a URL");
                url.set_path(&format!("/{name}"));
                TestDb {
                    url: url.to_string(),
                    backend: Backend::Postgres,
                    _dir: None,
                    pg_admin: Some((admin_url, name)),
                }
            }
            None => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = dir.path().join("onyx-test.db").display().to_string();
                TestDb {
                    url,
                    backend: Backend::Sqlite,
                    _dir: Some(dir),
                    pg_admin: None,
                }
            }
        }
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((admin_url, name)) = &self.pg_admin {
            if let Ok(mut admin) = PgConnection::establish(admin_url) {
                let _ =
                    admin.batch_execute(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"));
            }
        }
    }
}

/// Settings a test may change before the app starts.
pub struct TestOptions {
    pub env: Vec<(&'static str, String)>,
}

impl Default for TestOptions {
    fn default() -> Self {
        TestOptions {
            env: vec![
                ("ONYX_LISTEN", "127.0.0.1:0".into()),
                ("ONYX_ADMIN_TOKEN", ADMIN_TOKEN.into()),
                (
                    "ONYX_JWT_SECRET",
                    "test-jwt-secret-0123456789abcdefghijklmnop".into(),
                ),
                ("ONYX_DB_POOL_SIZE", "4".into()),
                ("ONYX_WORKERS", "1".into()),
            ],
        }
    }
}

pub const ADMIN_TOKEN: &str = "test-operator-token-0123456789";

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub clock: ManualClock,
    pub state: AppState,
    stop: Option<actix_web::dev::ServerHandle>,
    thread: Option<std::thread::JoinHandle<()>>,
    pub db: TestDb,
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        Self::spawn_with(TestOptions::default()).await
    }

    pub async fn spawn_with(opts: TestOptions) -> TestApp {
        logs();
        let db = TestDb::new();
        let mut env = opts.env;
        env.push(("DATABASE_URL", db.url.clone()));
        let config = Config::from_lookup(|k| {
            env.iter()
                .rev()
                .find(|(name, _)| *name == k)
                .map(|(_, v)| v.clone())
        })
        .expect("test config");
        let pool = Db::connect(&config.database_url, config.db_pool_size).expect("connect");
        pool.migrate().expect("migrate");
        let clock = ManualClock::new(Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap());
        let state = AppState::new(pool, config, Arc::new(clock.clone()));

        let (tx, rx) = mpsc::channel();
        let app_state = state.clone();
        let thread = std::thread::spawn(move || {
            actix_web::rt::System::new().block_on(async move {
                let running = onyx::app::start(app_state).expect("start app");
                tx.send((running.addr, running.server.handle()))
                    .expect("report address");
                let _ = running.server.await;
            })
        });
        let (addr, handle) = rx.recv().expect("app started");
        TestApp {
            base: format!("http://{addr}"),
            client: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .unwrap(),
            clock,
            state,
            stop: Some(handle),
            thread: Some(thread),
            db,
        }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.client.request(method, self.url(path))
    }

    pub fn get(&self, path: &str) -> RequestBuilder {
        self.request(Method::GET, path)
    }

    pub fn post(&self, path: &str) -> RequestBuilder {
        self.request(Method::POST, path)
    }

    /// A request with the operator token.
    pub fn admin(&self, method: Method, path: &str) -> RequestBuilder {
        self.request(method, path).bearer_auth(ADMIN_TOKEN)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(h) = self.stop.take() {
            // `stop` sends the command at once; the app's own thread carries it out.
            drop(h.stop(false));
        }
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Reads a response as (status, headers, JSON body or Null).
pub async fn parts(resp: reqwest::Response) -> (u16, reqwest::header::HeaderMap, Value) {
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let text = resp.text().await.unwrap_or_default();
    let body = serde_json::from_str(&text).unwrap_or(Value::Null);
    (status, headers, body)
}

/// Asserts a problem+json response with this status and code; returns the body.
pub async fn expect_problem(resp: reqwest::Response, status: u16, code: &str) -> Value {
    let (got, headers, body) = parts(resp).await;
    assert_eq!(got, status, "status; body: {body}");
    assert_eq!(
        headers.get("content-type").and_then(|v| v.to_str().ok()),
        Some("application/problem+json"),
        "content type"
    );
    assert_eq!(body["code"], code, "code; body: {body}");
    assert_eq!(body["status"], status);
    assert_eq!(body["type"], format!("urn:onyx:problem:{code}"));
    assert!(
        body["detail"].as_str().is_some_and(|d| d.len() > 10),
        "detail sentence: {body}"
    );
    let rid = headers
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    assert!(!rid.is_empty(), "x-request-id header");
    assert_eq!(body["request_id"], rid, "request id in body matches header");
    body
}

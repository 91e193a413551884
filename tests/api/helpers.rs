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
                ("ONYX_SANDBOX_STEP_MS", "0".into()),
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
    /// The background jobs' context (the tests drive the workers by hand).
    pub workers: onyx::workers::Context,
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
            workers: onyx::workers::Context::new(state.clone()),
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

/// A signed-in team member.
#[derive(Debug, Clone)]
pub struct Session {
    pub id: String,
    pub email: String,
    pub token: String,
}

/// A partner with a signed-in owner (sandbox).
#[derive(Debug, Clone)]
pub struct Org {
    pub partner_id: String,
    pub owner: Session,
}

/// A machine credential and an access token from it.
#[derive(Debug, Clone)]
pub struct Machine {
    pub id: String,
    pub client_id: String,
    pub secret: String,
    pub token: String,
}

pub const PASSWORD: &str = "correct horse battery staple";

impl TestApp {
    /// Operator creates a partner; returns (partner id, owner invitation token).
    pub async fn create_partner(&self, name: &str, owner_email: &str) -> (String, String) {
        let resp = self
            .admin(Method::POST, "/v1/admin/partners")
            .json(&serde_json::json!({
                "name": name,
                "legal_entity": format!("{name} Ltd"),
                "billing_email": format!("billing@{}.example", name.to_lowercase().replace(' ', "-")),
                "owner_email": owner_email,
            }))
            .send()
            .await
            .unwrap();
        let (s, _, body) = parts(resp).await;
        assert_eq!(s, 201, "{body}");
        (
            body["partner"]["id"].as_str().unwrap().to_string(),
            body["owner_invitation"]["token"]
                .as_str()
                .unwrap()
                .to_string(),
        )
    }

    pub async fn accept(&self, token: &str, name: &str) -> Value {
        let resp = self
            .post("/v1/invitations/accept")
            .json(&serde_json::json!({"token": token, "name": name, "password": PASSWORD}))
            .send()
            .await
            .unwrap();
        let (s, _, body) = parts(resp).await;
        assert_eq!(s, 201, "{body}");
        body
    }

    pub async fn login(&self, email: &str, environment: &str) -> reqwest::Response {
        self.post("/v1/auth/login")
            .json(&serde_json::json!({"email": email, "password": PASSWORD, "environment": environment}))
            .send()
            .await
            .unwrap()
    }

    pub async fn login_token(&self, email: &str, environment: &str) -> String {
        let (s, _, body) = parts(self.login(email, environment).await).await;
        assert_eq!(s, 200, "{body}");
        body["access_token"].as_str().unwrap().to_string()
    }

    /// An approved partner whose owner has signed in to sandbox.
    pub async fn onboard(&self, name: &str) -> Org {
        let slug = name.to_lowercase().replace(' ', "-");
        let email = format!("owner@{slug}.example");
        let (partner_id, invitation) = self.create_partner(name, &email).await;
        let resp = self
            .admin(
                Method::POST,
                &format!("/v1/admin/partners/{partner_id}/approve"),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200);
        let member = self.accept(&invitation, "Owner").await;
        let token = self.login_token(&email, "sandbox").await;
        Org {
            partner_id,
            owner: Session {
                id: member["id"].as_str().unwrap().to_string(),
                email,
                token,
            },
        }
    }

    /// Invites, accepts and signs in a member with `role`.
    pub async fn add_member(&self, org: &Org, role: &str) -> Session {
        let email = format!(
            "{role}-{}@{}.example",
            onyx::ids::random_token(6).to_lowercase(),
            org.partner_id.to_lowercase().replace('_', "-")
        );
        let resp = self
            .post("/v1/invitations")
            .bearer_auth(&org.owner.token)
            .json(&serde_json::json!({"email": email, "role": role}))
            .send()
            .await
            .unwrap();
        let (s, _, body) = parts(resp).await;
        assert_eq!(s, 201, "{body}");
        let member = self.accept(body["token"].as_str().unwrap(), role).await;
        let token = self.login_token(&email, "sandbox").await;
        Session {
            id: member["id"].as_str().unwrap().to_string(),
            email,
            token,
        }
    }

    /// Creates a credential with `member_token` (its environment) and exchanges it.
    pub async fn machine(&self, member_token: &str) -> Machine {
        let resp = self
            .post("/v1/credentials")
            .bearer_auth(member_token)
            .json(&serde_json::json!({"name": "test backend"}))
            .send()
            .await
            .unwrap();
        let (s, _, body) = parts(resp).await;
        assert_eq!(s, 201, "{body}");
        let client_id = body["client_id"].as_str().unwrap().to_string();
        let secret = body["client_secret"].as_str().unwrap().to_string();
        let token = self.client_token(&client_id, &secret).await;
        Machine {
            id: body["id"].as_str().unwrap().to_string(),
            client_id,
            secret,
            token,
        }
    }

    pub async fn token_request(&self, client_id: &str, secret: &str) -> reqwest::Response {
        self.post("/v1/oauth/token")
            .form(&[
                ("grant_type", "client_credentials"),
                ("client_id", client_id),
                ("client_secret", secret),
            ])
            .send()
            .await
            .unwrap()
    }

    pub async fn client_token(&self, client_id: &str, secret: &str) -> String {
        let (s, _, body) = parts(self.token_request(client_id, secret).await).await;
        assert_eq!(s, 200, "{body}");
        body["access_token"].as_str().unwrap().to_string()
    }

    /// `GET path` with a bearer token: (status, body).
    pub async fn get_as(&self, token: &str, path: &str) -> (u16, Value) {
        let (s, _, b) = parts(self.get(path).bearer_auth(token).send().await.unwrap()).await;
        (s, b)
    }

    /// Runs diesel work against the app's database (to look at raw rows).
    pub fn db_query<T>(&self, f: impl FnOnce(&mut onyx::db::DbConnection) -> T) -> T {
        let mut conn = self.state.db.get().expect("db connection");
        f(&mut conn)
    }
}

impl TestApp {
    /// Runs the provisioning worker until nothing is due; returns how many steps ran.
    pub async fn drain(&self) -> usize {
        let mut total = 0;
        for _ in 0..100 {
            let n = self
                .workers
                .run_provisioning()
                .await
                .expect("provisioning worker");
            if n == 0 {
                return total;
            }
            total += n;
        }
        panic!("provisioning did not settle after 100 rounds");
    }

    /// Runs one round of the provisioning worker (one step of every due order).
    pub async fn step(&self) -> usize {
        self.workers
            .run_provisioning()
            .await
            .expect("provisioning worker")
    }

    /// Operator credit of a partner's wallet.
    pub async fn fund(&self, partner_id: &str, environment: &str, currency: &str, amount: i64) {
        let r = self
            .admin(Method::POST, &format!("/v1/admin/partners/{partner_id}/wallet-credits"))
            .json(&serde_json::json!({"environment": environment, "currency": currency, "amount_minor": amount}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 201, "{}", r.text().await.unwrap());
    }
}

impl TestApp {
    /// Runs the webhook worker until nothing is due; returns how many attempts were made.
    pub async fn deliver(&self) -> usize {
        let mut total = 0;
        for _ in 0..1000 {
            let n = self.workers.run_webhooks().await.expect("webhook worker");
            if n == 0 {
                return total;
            }
            total += n;
        }
        panic!("webhook delivery did not settle");
    }
}

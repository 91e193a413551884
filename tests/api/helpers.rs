//! The test harness: every test gets the real app on 127.0.0.1:0 against a fresh database —
//! a temporary SQLite file by default, a fresh PostgreSQL database when `TEST_DATABASE_URL`
//! is set (created per test, dropped afterwards).
//!
//! # Requests
//!
//! Requests are made by a [`Caller`] (a `RequestHelper`-style caller): who calls is
//! chosen once, and every request it makes carries that identity.
//!
//! ```ignore
//! app.anon()                         // no credentials
//! app.operator()                     // the operator token
//! app.bearer(&org.owner.token)       // a member session, a machine token, any bearer string
//! ```
//!
//! A caller has `get(path)`, `post(path, &json)`, `post_empty(path)`, `post_form(path, &pairs)`,
//! `patch(path, &json)`, `put(path, &json)`, `delete(path)` and `call(method, path, Option<&json>)`;
//! each sends at once and resolves to a [`Response`]: `status`, `headers`, `body` (the JSON
//! body, or `Null`), plus `header(name)`, `text()` and `bytes()` for what is not JSON. Checks:
//!
//! - `resp.expect(201)` asserts the status (naming the body when it differs) and returns the body;
//! - `resp.expect_problem(409, "code")` asserts a complete problem+json answer and returns it;
//! - `caller.get_ok(path)` is `get(path)` then `expect(200)`.
//!
//! For anything unusual (custom headers, `Idempotency-Key`, `Accept`, raw bodies, Basic auth)
//! `caller.request(method, path)` hands out the `reqwest::RequestBuilder` with the caller's
//! credentials already set; finish it with [`Fetch::fetch`] to get the same [`Response`].
//! The futures own their request, so they may be spawned onto other tasks.

use std::future::Future;
use std::sync::{mpsc, Arc, OnceLock};

use chrono::{TimeZone, Utc};
use diesel::connection::SimpleConnection;
use diesel::{Connection, PgConnection};
use onyx::clock::ManualClock;
use onyx::config::{Config, LogFormat};
use onyx::db::{Backend, Db};
use onyx::state::AppState;
use onyx::telemetry::{self, MemorySink};
use reqwest::header::HeaderMap;
use reqwest::{Method, RequestBuilder};
use serde_json::{json, Value};

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
                // Tests sign in often; the bound itself is tested with a small value.
                ("ONYX_PASSWORD_CHECKS_PER_SECOND", "10000".into()),
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

    /// A caller with no credentials.
    pub fn anon(&self) -> Caller<'_> {
        Caller {
            app: self,
            bearer: None,
        }
    }

    /// The operator (the admin token).
    pub fn operator(&self) -> Caller<'_> {
        self.bearer(ADMIN_TOKEN)
    }

    /// A caller presenting `token` as a bearer token: a member session, a machine token, or
    /// anything a test wants to try.
    pub fn bearer(&self, token: &str) -> Caller<'_> {
        Caller {
            app: self,
            bearer: Some(token.to_string()),
        }
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

/// Who makes a request: the app, and the bearer token (if any) every request carries.
#[derive(Clone)]
pub struct Caller<'a> {
    app: &'a TestApp,
    bearer: Option<String>,
}

impl Caller<'_> {
    /// The escape hatch: a request with this caller's credentials, to finish by hand and send
    /// with [`Fetch::fetch`].
    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let req = self.app.client.request(method, self.app.url(path));
        match &self.bearer {
            Some(token) => req.bearer_auth(token),
            None => req,
        }
    }

    /// Any method, with an optional JSON body (for requests described as data).
    pub fn call(&self, method: Method, path: &str, body: Option<&Value>) -> impl ResponseFuture {
        let req = self.request(method, path);
        match body {
            Some(body) => req.json(body),
            None => req,
        }
        .fetch()
    }

    pub fn get(&self, path: &str) -> impl ResponseFuture {
        self.call(Method::GET, path, None)
    }

    /// `GET path`, asserting 200; the body.
    pub async fn get_ok(&self, path: &str) -> Value {
        let resp = self.get(path).await;
        assert_eq!(resp.status, 200, "GET {path}: {}", resp.text());
        resp.body
    }

    pub fn post(&self, path: &str, body: &Value) -> impl ResponseFuture {
        self.call(Method::POST, path, Some(body))
    }

    /// `POST path` without a body (the actions: approve, rotate, cancel, test…).
    pub fn post_empty(&self, path: &str) -> impl ResponseFuture {
        self.call(Method::POST, path, None)
    }

    /// `POST path` with an `application/x-www-form-urlencoded` body.
    pub fn post_form(&self, path: &str, form: &[(&str, &str)]) -> impl ResponseFuture {
        self.request(Method::POST, path).form(form).fetch()
    }

    pub fn put(&self, path: &str, body: &Value) -> impl ResponseFuture {
        self.call(Method::PUT, path, Some(body))
    }

    pub fn patch(&self, path: &str, body: &Value) -> impl ResponseFuture {
        self.call(Method::PATCH, path, Some(body))
    }

    pub fn delete(&self, path: &str) -> impl ResponseFuture {
        self.call(Method::DELETE, path, None)
    }
}

/// What the request methods return: a [`Response`] to come. It owns its request (it borrows
/// nothing), so it may be kept in a closure or spawned.
pub trait ResponseFuture: Future<Output = Response> + Send + 'static {}

impl<F: Future<Output = Response> + Send + 'static> ResponseFuture for F {}

/// Sends a request built by hand and reads the whole answer.
pub trait Fetch {
    fn fetch(self) -> impl ResponseFuture;
}

impl Fetch for RequestBuilder {
    async fn fetch(self) -> Response {
        let resp = self.send().await.expect("the request reached the app");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let bytes = resp.bytes().await.expect("the response body").to_vec();
        let body = serde_json::from_slice(&bytes).unwrap_or(Value::Null);
        Response {
            status,
            headers,
            body,
            bytes,
        }
    }
}

/// A whole response: status, headers, and the body as JSON (`Null` when it is not JSON).
#[derive(Debug)]
pub struct Response {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
    bytes: Vec<u8>,
}

impl Response {
    /// A header as text, if present.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    /// The raw body.
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.bytes).into_owned()
    }

    /// Asserts the status; returns the body.
    #[track_caller]
    pub fn expect(&self, status: u16) -> Value {
        assert_eq!(self.status, status, "status; body: {}", self.text());
        self.body.clone()
    }

    /// Asserts a problem+json response with this status and code; returns the body.
    #[track_caller]
    pub fn expect_problem(&self, status: u16, code: &str) -> Value {
        match self.problem(status, code) {
            Ok(body) => body,
            Err(why) => panic!("{why}"),
        }
    }

    /// The body if this is a complete problem+json answer with this status and code (type,
    /// detail sentence, request id matching the header); otherwise what is wrong.
    pub fn problem(&self, status: u16, code: &str) -> Result<Value, String> {
        let body = &self.body;
        let rid = self.header("x-request-id").unwrap_or_default();
        let checks = [
            (self.status == status, format!("status {status}")),
            (
                self.header("content-type") == Some("application/problem+json"),
                "content type application/problem+json".into(),
            ),
            (body["code"] == code, format!("code {code}")),
            (body["status"] == status, "status in the body".into()),
            (
                body["type"] == format!("urn:onyx:problem:{code}"),
                "type urn".into(),
            ),
            (
                body["detail"].as_str().is_some_and(|d| d.len() > 10),
                "detail sentence".into(),
            ),
            (!rid.is_empty(), "x-request-id header".into()),
            (
                body["request_id"] == rid,
                "request id in body matches header".into(),
            ),
        ];
        match checks.into_iter().find(|(ok, _)| !ok) {
            None => Ok(body.clone()),
            Some((_, wanted)) => Err(format!(
                "expected {wanted}; got {} {:?}: {}",
                self.status,
                self.header("content-type"),
                self.text()
            )),
        }
    }
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
        let body = self
            .operator()
            .post(
                "/v1/admin/partners",
                &json!({
                    "name": name,
                    "legal_entity": format!("{name} Ltd"),
                    "billing_email": format!("billing@{}.example", name.to_lowercase().replace(' ', "-")),
                    "owner_email": owner_email,
                }),
            )
            .await
            .expect(201);
        (
            body["partner"]["id"].as_str().unwrap().to_string(),
            body["owner_invitation"]["token"]
                .as_str()
                .unwrap()
                .to_string(),
        )
    }

    pub async fn accept(&self, token: &str, name: &str) -> Value {
        self.anon()
            .post(
                "/v1/invitations/accept",
                &json!({"token": token, "name": name, "password": PASSWORD}),
            )
            .await
            .expect(201)
    }

    pub async fn login(&self, email: &str, environment: &str) -> Response {
        self.anon()
            .post(
                "/v1/auth/login",
                &json!({"email": email, "password": PASSWORD, "environment": environment}),
            )
            .await
    }

    pub async fn login_token(&self, email: &str, environment: &str) -> String {
        let body = self.login(email, environment).await.expect(200);
        body["access_token"].as_str().unwrap().to_string()
    }

    /// An approved partner whose owner has signed in to sandbox.
    pub async fn onboard(&self, name: &str) -> Org {
        let slug = name.to_lowercase().replace(' ', "-");
        let email = format!("owner@{slug}.example");
        let (partner_id, invitation) = self.create_partner(name, &email).await;
        self.operator()
            .post_empty(&format!("/v1/admin/partners/{partner_id}/approve"))
            .await
            .expect(200);
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
        let body = self
            .bearer(&org.owner.token)
            .post("/v1/invitations", &json!({"email": email, "role": role}))
            .await
            .expect(201);
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
        let body = self
            .bearer(member_token)
            .post("/v1/credentials", &json!({"name": "test backend"}))
            .await
            .expect(201);
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

    pub async fn token_request(&self, client_id: &str, secret: &str) -> Response {
        self.anon()
            .post_form(
                "/v1/oauth/token",
                &[
                    ("grant_type", "client_credentials"),
                    ("client_id", client_id),
                    ("client_secret", secret),
                ],
            )
            .await
    }

    pub async fn client_token(&self, client_id: &str, secret: &str) -> String {
        let body = self.token_request(client_id, secret).await.expect(200);
        body["access_token"].as_str().unwrap().to_string()
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

    /// The operator enables live access for a partner.
    pub async fn enable_live(&self, partner_id: &str) {
        self.operator()
            .post(
                &format!("/v1/admin/partners/{partner_id}/live-access"),
                &json!({"enabled": true}),
            )
            .await
            .expect(200);
    }

    /// Operator credit of a partner's wallet.
    pub async fn fund(&self, partner_id: &str, environment: &str, currency: &str, amount: i64) {
        self.operator()
            .post(
                &format!("/v1/admin/partners/{partner_id}/wallet-credits"),
                &json!({"environment": environment, "currency": currency, "amount_minor": amount}),
            )
            .await
            .expect(201);
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

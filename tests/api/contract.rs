//! The OpenAPI document as client generators read it (issue 16): unique operation ids, every
//! event type with its payload, error examples that match their status, binary answers, the
//! OAuth 2.0 token flow, and the partner document partners generate clients from.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::helpers::TestApp;

/// Every operation of the document: (where, operation), paths and webhooks alike.
fn operations(doc: &Value) -> Vec<(String, &Value)> {
    let mut out = Vec::new();
    for section in ["paths", "webhooks"] {
        for (path, item) in doc[section].as_object().into_iter().flatten() {
            for method in [
                "get", "put", "post", "delete", "options", "head", "patch", "trace",
            ] {
                if let Some(op) = item.get(method) {
                    out.push((format!("{section} {method} {path}"), op));
                }
            }
        }
    }
    out
}

/// Fails on any operation without an id, on any id used twice, and on ids that are not
/// lowerCamelCase: generators name functions and types after them (with duplicates,
/// openapi-typescript typed one operation with another's answer and openapi-python-client
/// dropped operations).
fn check_operation_ids(doc: &Value) -> Result<(), String> {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut problems = Vec::new();
    for (place, op) in operations(doc) {
        let Some(id) = op["operationId"].as_str() else {
            problems.push(format!("{place} has no operationId"));
            continue;
        };
        let camel = id.chars().next().is_some_and(|c| c.is_ascii_lowercase())
            && id.chars().all(|c| c.is_ascii_alphanumeric());
        if !camel {
            problems.push(format!("{place}: operationId `{id}` is not lowerCamelCase"));
        }
        if let Some(first) = seen.insert(id.to_string(), place.clone()) {
            problems.push(format!("operationId `{id}` is used by {first} and {place}"));
        }
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(problems.join("\n"))
    }
}

#[tokio::test]
async fn every_operation_has_a_unique_operation_id() {
    let app = TestApp::spawn().await;
    let doc = app.anon().get_ok("/v1/openapi.json").await;
    assert!(operations(&doc).len() > 100, "paths and webhooks are read");
    if let Err(e) = check_operation_ids(&doc) {
        panic!("{e}\nGive each #[utoipa::path] an explicit `operation_id = \"verbNoun\"`.");
    }
    // The check itself catches a duplicate and a missing id.
    let mut broken = doc.clone();
    broken["paths"]["/v1/orders"]["get"]["operationId"] = "listPackages".into();
    let err = check_operation_ids(&broken).unwrap_err();
    assert!(err.contains("`listPackages` is used by"), "{err}");
    let mut broken = doc.clone();
    broken["paths"]["/v1/orders"]["post"]
        .as_object_mut()
        .unwrap()
        .remove("operationId");
    assert!(check_operation_ids(&broken)
        .unwrap_err()
        .contains("post /v1/orders has no operationId"));
}

#[tokio::test]
async fn every_event_type_is_a_webhook_with_its_data_schema_and_an_example() {
    let app = TestApp::spawn().await;
    let doc = app.anon().get_ok("/v1/openapi.json").await;
    let schemas = &doc["components"]["schemas"];
    let listed: BTreeSet<&str> = onyx::webhooks::EVENT_TYPES.iter().copied().collect();
    let documented: BTreeSet<&str> = doc["webhooks"]
        .as_object()
        .expect("a webhooks section")
        .keys()
        .map(String::as_str)
        .collect();
    assert_eq!(documented, listed, "one webhook per event type");
    for event_type in &listed {
        let post = &doc["webhooks"][*event_type]["post"];
        let body = &post["requestBody"]["content"]["application/json"];
        let parts = body["schema"]["allOf"].as_array().expect("allOf");
        assert_eq!(parts[0]["$ref"], "#/components/schemas/Event");
        assert_eq!(parts[1]["properties"]["type"]["const"], *event_type);
        let data_ref = parts[1]["properties"]["data"]["$ref"]
            .as_str()
            .unwrap_or_else(|| panic!("{event_type}: data names a schema"));
        let name = data_ref.trim_start_matches("#/components/schemas/");
        let data_schema = &schemas[name];
        assert_eq!(data_schema["type"], "object", "{event_type}: {name}");
        let example = &body["example"];
        assert_eq!(example["type"], *event_type);
        let props = data_schema["properties"].as_object().unwrap();
        for key in example["data"].as_object().expect("example data").keys() {
            assert!(props.contains_key(key), "{event_type}: example key {key}");
        }
        for required in data_schema["required"].as_array().into_iter().flatten() {
            let required = required.as_str().unwrap();
            assert!(
                example["data"].get(required).is_some(),
                "{event_type}: the example lacks `{required}`"
            );
        }
        let headers: Vec<&str> = post["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(
            headers,
            ["webhook-id", "webhook-timestamp", "webhook-signature"]
        );
    }
    // The event's type and an endpoint's event_types are the list of event types.
    let types: BTreeSet<&str> = schemas["EventType"]["enum"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(types, listed);
    assert_eq!(
        schemas["Event"]["properties"]["type"]["$ref"],
        "#/components/schemas/EventType"
    );
    for schema in ["WebhookEndpoint", "CreateEndpoint", "UpdateEndpoint"] {
        let items = &schemas[schema]["properties"]["event_types"];
        let text = items.to_string();
        assert!(
            text.contains("#/components/schemas/EventType"),
            "{schema}.event_types is the enum: {text}"
        );
    }
}

/// A received event's `data` has exactly the members its documented schema allows, and
/// every required one.
fn check_data(doc: &Value, event: &Value) -> Result<(), String> {
    let event_type = event["type"].as_str().unwrap();
    let data_ref = doc["webhooks"][event_type]["post"]["requestBody"]["content"]
        ["application/json"]["schema"]["allOf"][1]["properties"]["data"]["$ref"]
        .as_str()
        .ok_or(format!("{event_type} is not documented"))?;
    let name = data_ref.trim_start_matches("#/components/schemas/");
    let schema = &doc["components"]["schemas"][name];
    let props = schema["properties"].as_object().unwrap();
    let data = event["data"].as_object().unwrap();
    for key in data.keys() {
        if !props.contains_key(key) {
            return Err(format!("{event_type}: `{key}` is not in {name}"));
        }
    }
    for required in schema["required"].as_array().into_iter().flatten() {
        let required = required.as_str().unwrap();
        if !data.contains_key(required) {
            return Err(format!("{event_type}: required `{required}` missing"));
        }
    }
    Ok(())
}

#[tokio::test]
async fn events_of_a_sandbox_journey_carry_the_documented_data() {
    let app = TestApp::spawn().await;
    let doc = app.anon().get_ok("/v1/openapi.json").await;
    let shop = crate::orders::shop(&app).await;
    let api = app.bearer(&shop.machine.token);
    let order = crate::orders::create_order(
        &app,
        &shop.machine.token,
        &crate::orders::activate(&["fr-plan"]),
    )
    .await;
    app.drain().await;
    let order = api
        .get_ok(&format!("/v1/orders/{}", order["id"].as_str().unwrap()))
        .await;
    let service = order["service_id"].as_str().unwrap().to_string();
    api.post_empty(&format!("/v1/sandbox/services/{service}/install"))
        .await
        .expect(200);
    app.drain().await;
    let events = api.get_ok("/v1/events?limit=100").await;
    let events = events["data"].as_array().unwrap();
    let types: BTreeSet<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    for expected in [
        "order.created",
        "order.completed",
        "activation.ready",
        "service.active",
    ] {
        assert!(types.contains(expected), "{expected} in {types:?}");
    }
    for event in events {
        check_data(&doc, event).unwrap();
    }
    // The check fails on a member the schema does not name.
    let mut odd = events[0].clone();
    odd["data"]["surprise"] = 1.into();
    assert!(check_data(&doc, &odd).unwrap_err().contains("surprise"));
}

/// The problem examples of a response: `example`, or every `examples` value.
fn problem_examples(content: &Value) -> Vec<&Value> {
    let mut out: Vec<&Value> = content.get("example").into_iter().collect();
    for example in content["examples"].as_object().into_iter().flatten() {
        out.push(&example.1["value"]);
    }
    out
}

#[tokio::test]
async fn error_responses_reference_the_problem_schema_with_examples_of_their_status() {
    let app = TestApp::spawn().await;
    let doc = app.anon().get_ok("/v1/openapi.json").await;
    let mut checked = 0;
    for (place, op) in operations(&doc) {
        if place.starts_with("webhooks") {
            continue;
        }
        for (status, response) in op["responses"].as_object().unwrap() {
            let code: u16 = status.parse().unwrap();
            if code < 400 || status.starts_with("4") && place.contains("/v1/oauth/token") {
                continue;
            }
            let response = match response["$ref"].as_str() {
                Some(r) => {
                    &doc["components"]["responses"][r.trim_start_matches("#/components/responses/")]
                }
                None => response,
            };
            let content = &response["content"]["application/problem+json"];
            let schema = match content["schema"]["$ref"].as_str() {
                Some(r) => {
                    &doc["components"]["schemas"][r.trim_start_matches("#/components/schemas/")]
                }
                None => &content["schema"],
            };
            let is_problem = content["schema"]["$ref"] == "#/components/schemas/Problem"
                || schema["allOf"][0]["$ref"] == "#/components/schemas/Problem";
            assert!(is_problem, "{place} {status}: {}", content["schema"]);
            let mut examples = problem_examples(content);
            if examples.is_empty() {
                examples.extend(schema.get("example"));
            }
            assert!(!examples.is_empty(), "{place} {status} has an example");
            for example in examples {
                assert_eq!(example["status"], code, "{place} {status}: {example}");
                let problem_code = example["code"].as_str().unwrap();
                assert!(
                    onyx::problem_codes::problem_code(problem_code, code).is_some(),
                    "{place} {status}: `{problem_code}` is no code answered with {code}"
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 300, "{checked} examples checked");
    // The schema carries no example of its own (it would show one status everywhere).
    assert!(doc["components"]["schemas"]["Problem"]
        .get("example")
        .is_none());
}

#[tokio::test]
async fn binary_answers_token_flow_servers_and_operator_routes_are_described() {
    let app = TestApp::spawn().await;
    let doc = app.anon().get_ok("/v1/openapi.json").await;
    let qr = &doc["paths"]["/v1/services/{service_id}/activation/qr"]["get"]["responses"]["200"]
        ["content"]["image/png"]["schema"];
    assert_eq!(qr["type"], "string");
    assert_eq!(qr["format"], "binary");
    let pdf = &doc["paths"]["/v1/invoices/{invoice_id}"]["get"]["responses"]["200"]["content"]
        ["application/pdf"]["schema"];
    assert_eq!(pdf["format"], "binary");

    let oauth = &doc["components"]["securitySchemes"]["partner_oauth"];
    assert_eq!(oauth["type"], "oauth2");
    assert_eq!(
        oauth["flows"]["clientCredentials"]["tokenUrl"],
        "/v1/oauth/token"
    );
    for (place, op) in operations(&doc) {
        let security = op["security"].to_string();
        if security.contains("partner_jwt") {
            assert!(security.contains("partner_oauth"), "{place}: {security}");
        }
        if place.contains("/v1/admin") {
            assert_eq!(op["tags"], serde_json::json!(["operator"]), "{place}");
            assert!(security.contains("operator_token"), "{place}");
        }
    }
    assert!(doc["servers"].as_array().is_some_and(|s| !s.is_empty()));
    let operator_tag = doc["tags"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "operator")
        .expect("the operator tag is described");
    assert!(operator_tag["description"]
        .as_str()
        .unwrap()
        .contains("Operator only"));
}

#[tokio::test]
async fn the_partner_document_is_committed_and_leaves_operator_routes_out() {
    let app = TestApp::spawn().await;
    let full = onyx::app::openapi_document();
    let partner = onyx::openapi::partner_document(&full);
    let committed: Value = serde_json::from_str(
        &std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/partner.json"))
            .expect("openapi/partner.json is committed"),
    )
    .unwrap();
    assert!(
        partner == committed,
        "openapi/partner.json is out of date; regenerate it with \
         `cargo run -q -- openapi --partner > openapi/partner.json`"
    );
    let served = app.anon().get_ok("/v1/openapi.json").await;
    let partner_paths = partner["paths"].as_object().unwrap();
    for path in served["paths"].as_object().unwrap().keys() {
        assert_eq!(
            partner_paths.contains_key(path),
            !path.starts_with("/v1/admin"),
            "{path}"
        );
    }
    let text = partner.to_string();
    assert!(!text.contains("operator_token"));
    assert!(!text.contains("#/components/schemas/CreatePartner"));
    // Every reference resolves, in both documents.
    for doc in [&partner, &served] {
        let mut refs = Vec::new();
        collect_refs(doc, &mut refs);
        for r in refs {
            assert!(
                !doc.pointer(r.trim_start_matches('#'))
                    .unwrap_or(&Value::Null)
                    .is_null(),
                "{r} does not resolve"
            );
        }
    }
    check_operation_ids(&partner).unwrap();
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "$ref" {
                    out.push(v.as_str().unwrap().to_string());
                } else {
                    collect_refs(v, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

// ---- The first hour: `onyx serve --demo` as its own process --------------------------------
// These run the binary on a temporary SQLite database (whatever TEST_DATABASE_URL says): what
// they check is the process's start-up, its key file and its port.

struct Child {
    process: std::process::Child,
    stdout: Vec<String>,
    base: String,
}

impl Drop for Child {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

fn onyx(db: &std::path::Path, args: &[&str], listen: &str) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_onyx"));
    cmd.args(args)
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("DATABASE_URL", format!("sqlite://{}", db.display()))
        .env("ONYX_LISTEN", listen)
        .env("ONYX_SANDBOX_STEP_MS", "0")
        .env("ONYX_LOG", "error")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    cmd
}

/// Starts `onyx serve --demo` and reads its banner up to the last demo line.
fn start_demo(db: &std::path::Path) -> Child {
    use std::io::BufRead;
    let mut process = onyx(db, &["serve", "--demo"], "127.0.0.1:0")
        .spawn()
        .expect("start onyx serve --demo");
    let mut lines = std::io::BufReader::new(process.stdout.take().unwrap()).lines();
    let mut stdout = Vec::new();
    let mut base = String::new();
    loop {
        let Some(Ok(line)) = lines.next() else {
            let mut err = String::new();
            let _ = std::io::Read::read_to_string(&mut process.stderr.take().unwrap(), &mut err);
            panic!("onyx serve --demo stopped early: {stdout:?} {err}");
        };
        if let Some(rest) = line.strip_prefix("Onyx Partner API listening on ") {
            base = rest.trim().to_string();
        }
        let last = line.contains("Operator token");
        stdout.push(line);
        if last {
            break;
        }
    }
    // Keep the pipe drained so the service never blocks on a full stdout.
    std::thread::spawn(move || for _ in lines {});
    Child {
        process,
        stdout,
        base,
    }
}

fn banner_value(lines: &[String], label: &str) -> Option<String> {
    lines.iter().find_map(|l| {
        l.trim()
            .strip_prefix(label)
            .map(|rest| rest.split_whitespace().next().unwrap_or("").to_string())
    })
}

async fn token_of(http: &reqwest::Client, base: &str, id: &str, secret: &str) -> String {
    let resp: Value = http
        .post(format!("{base}/v1/oauth/token"))
        .form(&[
            ("grant_type", "client_credentials"),
            ("client_id", id),
            ("client_secret", secret),
        ])
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    resp["access_token"]
        .as_str()
        .unwrap_or_else(|| panic!("token: {resp}"))
        .to_string()
}

async fn call(
    http: &reqwest::Client,
    method: reqwest::Method,
    url: String,
    token: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = http.request(method, url).bearer_auth(token);
    if let Some(b) = body {
        req = req.json(&b);
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while std::time::Instant::now() < deadline {
        if check().await {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    panic!("timed out waiting for {what}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_restarted_demo_keeps_tokens_activation_materials_and_webhook_signing() {
    use reqwest::Method;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("onyx.db");
    let http = reqwest::Client::new();
    let receiver = wiremock::MockServer::start().await;
    wiremock::Mock::given(wiremock::matchers::method("POST"))
        .respond_with(wiremock::ResponseTemplate::new(204))
        .mount(&receiver)
        .await;

    let first = start_demo(&db);
    let id = banner_value(&first.stdout, "Sandbox client_id:").expect("client id shown");
    let secret = banner_value(&first.stdout, "Sandbox secret:").expect("secret shown");
    assert!(
        first
            .stdout
            .iter()
            .any(|l| l.contains(&format!("curl -s {}/v1/oauth/token", first.base))),
        "the banner names the bound address: {:?}",
        first.stdout
    );
    let base = first.base.clone();
    let token = token_of(&http, &base, &id, &secret).await;
    let (s, endpoint) = call(
        &http,
        Method::POST,
        format!("{base}/v1/webhook-endpoints"),
        &token,
        Some(serde_json::json!({"url": format!("{}/hook", receiver.uri()), "event_types": ["service.active"]})),
    )
    .await;
    assert_eq!(s, 201, "{endpoint}");
    let (_, packages) = call(
        &http,
        Method::GET,
        format!("{base}/v1/packages"),
        &token,
        None,
    )
    .await;
    let plan = packages["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["kind"] == "plan" && p["compliance_requirements"] == serde_json::json!([]))
        .unwrap()["package_id"]
        .clone();
    let (s, order) = call(
        &http,
        Method::POST,
        format!("{base}/v1/orders"),
        &token,
        Some(
            serde_json::json!({"type": "activate_subscription", "customer_reference": "restart",
            "items": [{"package_id": plan}]}),
        ),
    )
    .await;
    assert_eq!(s, 201, "{order}");
    let order_url = format!("{base}/v1/orders/{}", order["id"].as_str().unwrap());
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let service = loop {
        let (_, o) = call(&http, Method::GET, order_url.clone(), &token, None).await;
        if o["state"] == "completed" {
            break o["service_id"].as_str().unwrap().to_string();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the order completes: {o}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    let activation_url = format!("/v1/services/{service}/activation");
    let before = loop {
        let (s, m) = call(
            &http,
            Method::GET,
            format!("{base}{activation_url}"),
            &token,
            None,
        )
        .await;
        if s == 200 {
            break m;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "materials are issued: {m}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    };
    let keys = std::path::PathBuf::from(format!("{}.keys", db.display()));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&keys)
            .expect("key file")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600, "the key file is private");
    }
    drop(first);

    // The restart: same database, new process, new port.
    let second = start_demo(&db);
    assert!(
        second
            .stdout
            .iter()
            .any(|l| l.contains("onyx demo-credentials")),
        "the banner says how to get credentials: {:?}",
        second.stdout
    );
    assert!(banner_value(&second.stdout, "Sandbox secret:").is_none());
    let base = second.base.clone();
    // The access token of the first run still works, and the materials still decrypt.
    let (s, after) = call(
        &http,
        Method::GET,
        format!("{base}{activation_url}"),
        &token,
        None,
    )
    .await;
    assert_eq!(s, 200, "{after}");
    assert_eq!(after["activation_code"], before["activation_code"]);
    // A webhook signed after the restart verifies with the secret issued before it.
    let (s, _) = call(
        &http,
        Method::POST,
        format!("{base}/v1/sandbox/services/{service}/install"),
        &token,
        None,
    )
    .await;
    assert_eq!(s, 200);
    eventually("the service.active webhook", || async {
        !receiver.received_requests().await.unwrap().is_empty()
    })
    .await;
    let got = receiver.received_requests().await.unwrap();
    let delivery = &got[0];
    let header = |n: &str| {
        delivery
            .headers
            .get(n)
            .unwrap()
            .to_str()
            .unwrap()
            .to_string()
    };
    let expected = onyx::webhooks::signing::sign(
        endpoint["secret"].as_str().unwrap(),
        &header("webhook-id"),
        header("webhook-timestamp").parse().unwrap(),
        &delivery.body,
    );
    assert!(
        header("webhook-signature")
            .split(' ')
            .any(|s| s == expected),
        "the delivery is signed with the endpoint's secret"
    );
    // `onyx demo-credentials` issues a working sandbox credential.
    let out = onyx(&db, &["demo-credentials"], "127.0.0.1:0")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let lines: Vec<String> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect();
    let new_id = banner_value(&lines, "Sandbox client_id:").unwrap();
    let new_secret = banner_value(&lines, "Sandbox secret:").unwrap();
    assert_ne!(new_id, id);
    let fresh = token_of(&http, &base, &new_id, &new_secret).await;
    let (s, _) = call(&http, Method::GET, format!("{base}/v1/me"), &fresh, None).await;
    assert_eq!(s, 200);
}

/// The output of a process expected to exit by itself; killed (and so failing the caller's
/// checks) if it is still running after `seconds`.
fn output_within(mut cmd: std::process::Command, seconds: u64) -> std::process::Output {
    let mut child = cmd.spawn().unwrap();
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(seconds);
    while child.try_wait().unwrap().is_none() && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let _ = child.kill();
    child.wait_with_output().unwrap()
}

#[test]
fn a_demo_that_cannot_bind_its_port_seeds_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("onyx.db");
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = taken.local_addr().unwrap().to_string();
    let out = output_within(onyx(&db, &["serve", "--demo"], &addr), 20);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("cannot listen"), "{stderr}");
    assert!(!stdout.contains("Sandbox secret"), "{stdout}");
    // Nothing was seeded: the database holds no demo partner.
    let out = onyx(&db, &["demo-credentials"], "127.0.0.1:0")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("no demo data"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn live_mode_without_keys_refuses_to_start_and_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("onyx.db");
    let out = output_within(onyx(&db, &["serve"], "127.0.0.1:0"), 20);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("refusing to start"), "{stderr}");
    assert!(
        stderr.contains("ONYX_JWT_SECRET and ONYX_ENCRYPTION_KEY"),
        "{stderr}"
    );
    assert!(stderr.contains("--demo"), "{stderr}");
    assert!(!db.exists(), "nothing was created");
    // With both keys it starts (and is stopped here once listening).
    let mut child = onyx(&db, &["serve"], "127.0.0.1:0")
        .env("ONYX_JWT_SECRET", "a-test-secret-of-at-least-32-characters")
        .env(
            "ONYX_ENCRYPTION_KEY",
            "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=",
        )
        .spawn()
        .unwrap();
    let mut first = String::new();
    std::io::BufRead::read_line(
        &mut std::io::BufReader::new(child.stdout.take().unwrap()),
        &mut first,
    )
    .unwrap();
    let _ = child.kill();
    let _ = child.wait();
    assert!(first.contains("listening on"), "{first}");
}

// ---- Rate-limit headers and conditional reads ------------------------------------------------

#[tokio::test]
async fn every_authenticated_answer_carries_rate_limit_headers() {
    let mut opts = crate::helpers::TestOptions::default();
    opts.env.push(("ONYX_RATE_LIMIT_PER_MINUTE", "5".into()));
    let app = TestApp::spawn_with(opts).await;
    let org = app.onboard("Limited Travel").await;
    let api = app.bearer(&org.owner.token);
    let mut remaining = Vec::new();
    // A success, a 404 and a 422 all say where the caller stands.
    for (path, status) in [
        ("/v1/me", 200),
        ("/v1/orders/ord_missing", 404),
        ("/v1/orders?limit=0", 422),
        ("/v1/packages", 200),
        ("/v1/wallet", 200),
    ] {
        let resp = api.get(path).await;
        assert_eq!(resp.status, status, "{path}");
        assert_eq!(resp.header("ratelimit-limit"), Some("5"), "{path}");
        let left: u32 = resp.header("ratelimit-remaining").unwrap().parse().unwrap();
        let reset: u64 = resp.header("ratelimit-reset").unwrap().parse().unwrap();
        assert!(reset <= 60, "{path}: reset {reset}");
        remaining.push(left);
    }
    assert_eq!(remaining, [4, 3, 2, 1, 0]);
    let refused = api.get("/v1/me").await;
    refused.expect_problem(429, "rate_limited");
    assert_eq!(refused.header("ratelimit-remaining"), Some("0"));
    assert_eq!(refused.header("ratelimit-reset"), Some("60"));
    // Anonymous answers carry none.
    let anon = app.anon().get("/healthz").await;
    assert!(anon.header("ratelimit-limit").is_none());
}

#[tokio::test]
async fn catalogue_and_object_reads_answer_304_to_a_current_etag() {
    let app = TestApp::spawn().await;
    let shop = crate::orders::shop(&app).await;
    let token = shop.machine.token.clone();
    let order =
        crate::orders::create_order(&app, &token, &crate::orders::activate(&["fr-plan"])).await;
    let order_path = format!("/v1/orders/{}", order["id"].as_str().unwrap());
    for path in ["/v1/packages", "/v1/packages/fr-plan", order_path.as_str()] {
        let first = app.bearer(&token).get(path).await;
        assert_eq!(first.status, 200, "{path}");
        let etag = first.header("etag").expect("an ETag").to_string();
        assert!(etag.starts_with('"') && etag.ends_with('"'), "{etag}");
        let again = app
            .bearer(&token)
            .request(reqwest::Method::GET, path)
            .header("if-none-match", &etag)
            .send()
            .await
            .unwrap();
        assert_eq!(again.status().as_u16(), 304, "{path}");
        assert_eq!(again.headers()["etag"].to_str().unwrap(), etag);
        assert!(again.bytes().await.unwrap().is_empty());
        // Another tag reads the whole representation.
        let other = app
            .bearer(&token)
            .request(reqwest::Method::GET, path)
            .header("if-none-match", "\"something-else\"")
            .send()
            .await
            .unwrap();
        assert_eq!(other.status().as_u16(), 200, "{path}");
    }
    // A change gives a new tag: the order moves on.
    let before = app.bearer(&token).get(&order_path).await;
    app.drain().await;
    let after = app.bearer(&token).get(&order_path).await;
    assert_ne!(before.header("etag"), after.header("etag"));
}

#[tokio::test]
async fn one_version_for_the_crate_the_document_and_healthz() {
    let app = TestApp::spawn().await;
    let doc = app.anon().get_ok("/v1/openapi.json").await;
    let health = app.anon().get_ok("/healthz").await;
    assert_eq!(doc["info"]["version"], env!("CARGO_PKG_VERSION"));
    assert_eq!(health["version"], env!("CARGO_PKG_VERSION"));
    let changelog =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/CHANGELOG.md")).unwrap();
    assert!(
        changelog.contains(&format!("## {} ", env!("CARGO_PKG_VERSION"))),
        "CHANGELOG.md has an entry for the crate version"
    );
}

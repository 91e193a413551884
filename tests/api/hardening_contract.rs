//! Issue 12 item 19: the contract tells the truth. A request valid by the OpenAPI document is
//! accepted, and the document states the rules the server checks (Schemathesis runs
//! `--checks all` against it in CI: .ci/schemathesis.sh). These tests pin the server fixes
//! the contract run led to, and the rules the document states.

use reqwest::Method;
use serde_json::{json, Value};

use crate::catalogue::package;
use crate::helpers::{Fetch, TestApp};
use crate::orders::{activate, create_order, shop};

/// JSON has one number type and JSON Schema calls `5000.0` an integer: a whole number written
/// with a fraction or an exponent is read as the integer it is; a true fraction is refused.
#[tokio::test]
async fn whole_numbers_written_as_floats_are_integers() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    let credits = format!("/v1/admin/partners/{}/wallet-credits", org.partner_id);
    let raw = |amount: &str| {
        app.operator()
            .request(Method::POST, &credits)
            .header("content-type", "application/json")
            .body(format!(
                r#"{{"environment": "sandbox", "currency": "EUR", "amount_minor": {amount}}}"#
            ))
            .fetch()
    };
    raw("5000.0").await.expect(201);
    raw("2.5e3").await.expect(201);
    raw("25000E-1").await.expect(201);
    for refused in ["5000.5", "1e30", "-0.5"] {
        let p = raw(refused).await.expect_problem(422, "validation_failed");
        assert_eq!(p["errors"][0]["field"], "amount_minor", "{refused}: {p}");
    }
    let wallets = app.bearer(&org.owner.token).get_ok("/v1/wallet").await;
    let eur = wallets["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["currency"] == "EUR")
        .expect("an EUR wallet");
    assert_eq!(eur["available"], 10_000, "{wallets}");
    // A number inside a string is text, never rewritten.
    app.operator()
        .request(Method::POST, &credits)
        .header("content-type", "application/json")
        .body(r#"{"environment": "sandbox", "currency": "EUR", "amount_minor": 1.0, "description": "1.0 of 2e3"}"#)
        .fetch()
        .await
        .expect(201);
    let ledger = app.bearer(&org.owner.token).get_ok("/v1/ledger").await;
    assert_eq!(ledger["data"][0]["description"], "1.0 of 2e3", "{ledger}");
}

/// `created_from` / `created_to` are RFC 3339 date-times: every time RFC 3339 can write is
/// accepted (years 0000 to 9999 at any offset) and selects the rows it means.
#[tokio::test]
async fn every_rfc3339_time_is_accepted_in_time_filters() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let token = &shop.machine.token;
    let order = create_order(&app, token, &activate(&["fr-plan"])).await;
    let widest =
        "created_from=0000-01-01T00:00:00%2B23:59&created_to=9999-12-31T23:59:59.999999-23:59";
    for list in ["/v1/orders", "/v1/events"] {
        let page = app.bearer(token).get_ok(&format!("{list}?{widest}")).await;
        assert!(
            !page["data"].as_array().unwrap().is_empty(),
            "{list}: {page}"
        );
        let before_1970 = "created_from=1969-07-20T20:17:40Z&created_to=1969-12-31T23:59:59Z";
        let page = app
            .bearer(token)
            .get_ok(&format!("{list}?{before_1970}"))
            .await;
        assert!(
            page["data"].as_array().unwrap().is_empty(),
            "{list}: {page}"
        );
    }
    let page = app
        .bearer(token)
        .get_ok(&format!("/v1/orders?{widest}"))
        .await;
    assert_eq!(page["data"][0]["id"], order["id"], "{page}");
    // Times RFC 3339 cannot write are still refused, naming the field.
    let p = app
        .bearer(token)
        .get("/v1/orders?created_to=-5000-01-01T00:00:00Z")
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(p["errors"][0]["field"], "created_to", "{p}");
}

/// The route of a package approval names the partner: a package in the body that does not
/// exist is a refused request (422 `package_not_found`, as for an order's items), not a
/// missing route target (a 404 there says the partner does not exist).
#[tokio::test]
async fn approving_a_package_that_does_not_exist_is_refused_not_missing() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    let approvals = format!("/v1/admin/partners/{}/package-approvals", org.partner_id);
    app.operator()
        .post(&approvals, &json!({"package_id": "no-such-package"}))
        .await
        .expect_problem(422, "package_not_found");
    app.operator()
        .post(
            "/v1/admin/partners/ptr_nope/package-approvals",
            &json!({"package_id": "no-such-package"}),
        )
        .await
        .expect_problem(404, "not_found");
}

/// A package's coverage name and region are 1 to 100 (64) characters as sent (the document's
/// `maxLength`), and not only white space; they are stored trimmed.
#[tokio::test]
async fn package_texts_are_measured_as_sent() {
    let app = TestApp::spawn().await;
    let padded = format!(" {} ", "a".repeat(99));
    let mut body = package("fr-padded");
    body["coverage_name"] = json!(padded);
    let p = app
        .operator()
        .post("/v1/admin/packages", &body)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(p["errors"][0]["field"], "coverage_name", "{p}");
    body["coverage_name"] = json!(" France ");
    body["region"] = json!(format!(" {} ", "r".repeat(63)));
    let p = app
        .operator()
        .post("/v1/admin/packages", &body)
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(p["errors"][0]["field"], "region", "{p}");
    body["region"] = json!("\u{3000}\t");
    app.operator()
        .post("/v1/admin/packages", &body)
        .await
        .expect_problem(422, "validation_failed");
    body["region"] = json!(" Europe ");
    let created = app
        .operator()
        .post("/v1/admin/packages", &body)
        .await
        .expect(201);
    assert_eq!(created["coverage_name"], "France", "{created}");
    assert_eq!(created["region"], "Europe", "{created}");
}

/// A webhook URL has the form the document states (https to a host name or a dotted IPv4
/// address, or http to loopback in sandbox, in ASCII): what the URL parser would also take —
/// a `*` in a host name, an IPv4 address in another notation, an IPv6 literal other than
/// `[::1]`, a space or a non-ASCII character in the path — is refused, after the more
/// specific reasons.
#[tokio::test]
async fn webhook_urls_hold_to_the_documented_form() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Hooks").await;
    let sandbox = app.machine(&org.owner.token).await;
    for url in [
        "https://m.0.O.A*",
        "https://0x5d.184.216.34/hook",
        "https://[2606:2800:220:1:248:1893:25c8:1946]/hook",
        "https://hooks.example.com/a b",
        "https://hooks.example.com/\u{fc}",
        "https://b\u{fc}cher.example/hook",
        "http://0177.0.0.1:8080/hook",
    ] {
        let p = app
            .bearer(&sandbox.token)
            .post("/v1/webhook-endpoints", &json!({"url": url}))
            .await
            .expect_problem(422, "validation_failed");
        assert_eq!(p["errors"][0]["code"], "invalid_url", "{url}: {p}");
    }
    let created = app
        .bearer(&sandbox.token)
        .post(
            "/v1/webhook-endpoints",
            &json!({"url": "https://xn--bcher-kva.example/hook"}),
        )
        .await
        .expect(201);
    let id = created["id"].as_str().unwrap();
    for url in [
        "http://LOCALHOST.:8080/hook?x=1#y",
        "http://[::1]:9/x",
        "http://127.10.0.1",
        "https://hooks.example.com./onyx",
        "https://93.184.216.34/hook",
    ] {
        app.bearer(&sandbox.token)
            .patch(&format!("/v1/webhook-endpoints/{id}"), &json!({"url": url}))
            .await
            .expect(200);
    }
    // The specific reasons still come first.
    let p = app
        .bearer(&sandbox.token)
        .post(
            "/v1/webhook-endpoints",
            &json!({"url": "https://10.0.0.8/x"}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(p["errors"][0]["code"], "forbidden_address", "{p}");
}

/// The schemas a request can use, by component name, reached from every operation's
/// parameters and bodies.
fn request_schemas(doc: &Value) -> Vec<(String, Value)> {
    fn refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(map) => {
                for (k, v) in map {
                    match (k.as_str(), v) {
                        ("$ref", Value::String(r)) => {
                            out.push(r.trim_start_matches("#/components/schemas/").into())
                        }
                        _ => refs(v, out),
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut inline = Vec::new();
    let mut todo = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            for p in op["parameters"].as_array().into_iter().flatten() {
                inline.push((
                    format!("{method} {path} {}", p["name"]),
                    p["schema"].clone(),
                ));
                refs(&p["schema"], &mut todo);
            }
            for (media, c) in op["requestBody"]["content"]
                .as_object()
                .into_iter()
                .flatten()
            {
                inline.push((format!("{method} {path} {media}"), c["schema"].clone()));
                refs(&c["schema"], &mut todo);
            }
        }
    }
    let mut seen = std::collections::BTreeSet::new();
    while let Some(name) = todo.pop() {
        if seen.insert(name.clone()) {
            let schema = doc["components"]["schemas"][&name].clone();
            refs(&schema, &mut todo);
            inline.push((name, schema));
        }
    }
    inline
}

/// Every string schema inside `schema` (not following references), with where it is.
fn strings<'a>(at: &str, schema: &'a Value, out: &mut Vec<(String, &'a Value)>) {
    let Value::Object(map) = schema else { return };
    let types = match &map.get("type") {
        Some(Value::String(t)) => vec![t.as_str()],
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        _ => vec![],
    };
    if types.contains(&"string") {
        out.push((at.to_string(), schema));
    }
    for (k, v) in map {
        match (k.as_str(), v) {
            ("properties", Value::Object(props)) => props
                .iter()
                .for_each(|(name, s)| strings(&format!("{at}.{name}"), s, out)),
            ("allOf" | "anyOf" | "oneOf", Value::Array(items)) => items
                .iter()
                .for_each(|s| strings(&format!("{at}[{k}]"), s, out)),
            ("items" | "additionalProperties" | "propertyNames", _) => {
                strings(&format!("{at}[{k}]"), v, out)
            }
            _ => {}
        }
    }
}

/// The document states the request rules: no string a request carries may hold U+0000 (the
/// server refuses it everywhere), optional bodies are objects that may be left out (not
/// `null`, which the server refuses), cursors are opaque (`format: cursor`), and the rules
/// tying fields together are there.
#[tokio::test]
async fn the_document_states_the_request_rules() {
    let app = TestApp::spawn().await;
    let doc = app.anon().get_ok("/v1/openapi.json").await;
    let mut unbounded = Vec::new();
    for (at, schema) in request_schemas(&doc) {
        let mut found = Vec::new();
        strings(&at, &schema, &mut found);
        for (at, s) in found {
            // A list of values, a format or a pattern (every pattern of this API names the
            // characters it allows, and free text excludes U+0000 by name).
            let bounded =
                s.get("enum").is_some() || s.get("format").is_some() || s.get("pattern").is_some();
            if !bounded {
                unbounded.push(format!("{at}: {s}"));
            }
        }
    }
    assert!(
        unbounded.is_empty(),
        "request strings that may hold U+0000 by the document:\n{}",
        unbounded.join("\n")
    );

    for (path, what) in [
        (
            "/v1/webhook-endpoints/{endpoint_id}/rotate-secret",
            "RotateSecret",
        ),
        ("/v1/credentials/{credential_id}/rotate", "RotateCredential"),
        ("/v1/events/{event_id}/replay", "ReplayRequest"),
    ] {
        let body = &doc["paths"][path]["post"]["requestBody"];
        assert_eq!(body["required"], json!(false), "{path}: {body}");
        assert_eq!(
            body["content"]["application/json"]["schema"]["$ref"],
            json!(format!("#/components/schemas/{what}")),
            "{path}: {body}"
        );
    }

    let mut cursors = 0;
    for item in doc["paths"].as_object().unwrap().values() {
        for op in item.as_object().unwrap().values() {
            for p in op["parameters"].as_array().into_iter().flatten() {
                if p["name"] == "cursor" {
                    assert_eq!(p["schema"]["format"], "cursor", "{p}");
                    cursors += 1;
                }
            }
        }
    }
    assert!(cursors >= 14, "{cursors} paginated lists");

    let schemas = &doc["components"]["schemas"];
    let token = &schemas["TokenRequest"];
    assert_eq!(
        token["properties"]["grant_type"]["pattern"],
        "^client_credentials$"
    );
    assert_eq!(
        token["required"],
        json!(["grant_type", "client_id", "client_secret"])
    );
    let order_rules = schemas["CreateOrder"]["allOf"].to_string();
    assert!(
        order_rules.contains("\"activate_subscription\""),
        "{order_rules}"
    );
    assert!(order_rules.contains("\"maxItems\":0"), "{order_rules}");
    let package_rules = schemas["PackageInput"]["allOf"].to_string();
    assert!(package_rules.contains("\"voice_addon\""), "{package_rules}");
    assert!(package_rules.contains("\"local\""), "{package_rules}");
    let countries = schemas["CountryCode"]["enum"].as_array().unwrap();
    assert_eq!(countries.len(), onyx::catalogue::codes::COUNTRIES.len());
    assert_eq!(
        schemas["PackageInput"]["properties"]["currency"]["$ref"],
        "#/components/schemas/CurrencyCode"
    );
    assert_eq!(
        schemas["CreateEndpoint"]["properties"]["event_types"]["items"]["$ref"],
        "#/components/schemas/EventType"
    );
}

/// Found by the contract run (not_a_server_error: 500 "database is locked" after 2 ms on a
/// write, one run in three). On SQLite the periodic WAL checkpoint (TRUNCATE) holds the
/// write lock while it waits for readers; a write transaction that had read first then
/// meets SQLITE_BUSY at once when it writes (no busy wait can resolve that). The checkpoint
/// is now PASSIVE and runs beside the writers: it takes no write lock and waits for no one.
#[tokio::test]
async fn a_wal_checkpoint_never_fails_a_write_transaction() {
    use diesel::prelude::*;
    use onyx::db::schema::partners;
    let app = TestApp::spawn().await;
    let Some(checkpoint) = onyx::workers::periodic_jobs(&app.state)
        .into_iter()
        .find(|j| j.name == "sqlite_wal_checkpoint")
    else {
        return; // PostgreSQL: no checkpoint job.
    };
    app.onboard("Acme").await; // writes, so the log holds frames
    let (read_done, wait_read) = std::sync::mpsc::channel();
    let (go, wait_go) = std::sync::mpsc::channel::<()>();
    let db = app.state.db.clone();
    let writer = std::thread::spawn(move || {
        db.write_blocking(|c| {
            let before: i64 = partners::table.count().get_result(c)?;
            read_done.send(()).unwrap();
            let _ = wait_go.recv_timeout(std::time::Duration::from_secs(5));
            diesel::update(partners::table)
                .set(partners::name.eq(partners::name))
                .execute(c)?;
            Ok(before)
        })
    });
    wait_read.recv().unwrap();
    let job = tokio::spawn((checkpoint.run)(app.workers.clone()));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    go.send(()).unwrap();
    let written = writer.join().unwrap();
    assert!(written.is_ok(), "the write transaction failed: {written:?}");
    job.await.unwrap().expect("the checkpoint ran");
}

//! The "Everywhere" section of the spec: health, request ids, error shapes, the contract.

use reqwest::Method;
use serde_json::Value;

use crate::helpers::{logs, Fetch, TestApp};

#[tokio::test]
async fn healthz_and_readyz_answer() {
    let app = TestApp::spawn().await;
    let anon = app.anon();
    let body = anon.get_ok("/healthz").await;
    assert_eq!(body["status"], "ok");

    let body = anon.get_ok("/readyz").await;
    assert_eq!(body["status"], "ready");
    assert_eq!(body["database"], app.db.backend.name());
}

#[tokio::test]
async fn every_response_carries_a_request_id_and_echoes_the_callers() {
    let app = TestApp::spawn().await;
    let anon = app.anon();
    let traced = |id: &str| {
        anon.request(Method::GET, "/healthz")
            .header("x-request-id", id)
            .fetch()
    };
    let resp = traced("partner-trace-42").await;
    assert_eq!(resp.header("x-request-id"), Some("partner-trace-42"));

    let resp = anon.get("/healthz").await;
    let generated = resp.header("x-request-id").unwrap();
    assert!(generated.starts_with("req_"), "{generated}");

    // An unusable id (spaces, too long) is replaced rather than echoed.
    let resp = traced("bad id with spaces").await;
    let replaced = resp.header("x-request-id").unwrap();
    assert!(replaced.starts_with("req_"), "{replaced}");

    // Errors carry it too, in the header and the body.
    let resp = anon
        .request(Method::GET, "/v1/nothing-here")
        .header("x-request-id", "trace-err-1")
        .fetch()
        .await;
    let body = resp.expect_problem(404, "route_not_found");
    assert_eq!(body["request_id"], "trace-err-1");

    // And the access log ties the id to the request.
    let logged = logs().contents();
    assert!(
        logged.contains("trace-err-1"),
        "access log line for the request"
    );
}

#[tokio::test]
async fn unknown_routes_are_problem_404() {
    let app = TestApp::spawn().await;
    for path in ["/nope", "/v1/", "/v1/orders-typo", "/v2/healthz"] {
        app.anon()
            .get(path)
            .await
            .expect_problem(404, "route_not_found");
    }
}

#[tokio::test]
async fn wrong_method_is_405_with_allow() {
    let app = TestApp::spawn().await;
    for (method, path) in [
        (Method::POST, "/healthz"),
        (Method::DELETE, "/readyz"),
        (Method::PUT, "/v1/openapi.json"),
    ] {
        let resp = app.anon().call(method.clone(), path, None).await;
        let body = resp.expect_problem(405, "method_not_allowed");
        assert_eq!(resp.header("allow"), Some("GET"), "{method} {path}");
        assert!(body["detail"].as_str().unwrap().contains("GET"));
    }
    // OPTIONS on a known route lists the methods.
    let resp = app.anon().call(Method::OPTIONS, "/healthz", None).await;
    assert_eq!(resp.status, 204);
    assert_eq!(resp.header("allow"), Some("GET, OPTIONS"));
}

#[tokio::test]
async fn openapi_is_served_and_matches_the_committed_copy() {
    let app = TestApp::spawn().await;
    let resp = app.anon().get("/v1/openapi.json").await;
    let served = resp.expect(200);
    assert!(resp
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));
    assert_eq!(served["openapi"], "3.1.0");

    let committed_text =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/openapi/openapi.json"))
            .expect("openapi/openapi.json is committed");
    let committed: Value = serde_json::from_str(&committed_text).expect("committed copy is JSON");
    assert!(
        served == committed,
        "openapi/openapi.json is out of date with the code; regenerate it with \
         `cargo run -q -- openapi > openapi/openapi.json` and commit the result"
    );

    // Both security schemes are declared.
    let schemes = &served["components"]["securitySchemes"];
    assert_eq!(schemes["partner_jwt"]["scheme"], "bearer");
    assert_eq!(schemes["partner_jwt"]["bearerFormat"], "JWT");
    assert_eq!(schemes["operator_token"]["scheme"], "bearer");
}

#[tokio::test]
async fn every_operation_documents_its_errors_with_examples() {
    let doc = onyx::app::openapi_document();
    let doc = serde_json::to_value(&doc).unwrap();
    let responses = &doc["components"]["responses"];
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let rs = op["responses"].as_object().unwrap();
            assert!(rs.contains_key("500"), "{method} {path} documents 500");
            assert!(
                rs.keys().any(|k| k.starts_with('2')),
                "{method} {path} documents a success response"
            );
            if op.get("requestBody").is_some() {
                for s in ["400", "413", "415", "422"] {
                    assert!(rs.contains_key(s), "{method} {path} documents {s}");
                }
            }
            if op
                .get("security")
                .is_some_and(|s| !s.as_array().unwrap().is_empty())
            {
                for s in ["401", "403", "429"] {
                    assert!(rs.contains_key(s), "{method} {path} documents {s}");
                }
            }
            assert!(
                op["summary"].is_string() || op["description"].is_string(),
                "{method} {path} is described"
            );
        }
    }
    for (name, r) in responses.as_object().unwrap() {
        let example = &r["content"]["application/problem+json"]["example"];
        assert!(example["code"].is_string(), "{name} has an example");
    }
}

#[tokio::test]
async fn swagger_ui_is_served_offline() {
    let app = TestApp::spawn().await;
    let resp = app.anon().get("/docs/").await;
    assert_eq!(resp.status, 200);
    assert!(resp.text().contains("swagger"), "Swagger UI page");
    let resp = app.anon().get("/docs/swagger-initializer.js").await;
    assert_eq!(resp.status, 200);
    assert!(resp.text().contains("/v1/openapi.json"));
}

#[tokio::test]
async fn metrics_count_requests_by_route_template() {
    let app = TestApp::spawn().await;
    let anon = app.anon();
    anon.get("/healthz").await;
    anon.get("/nope").await;
    let resp = anon.get("/metrics").await;
    assert_eq!(resp.status, 200);
    assert!(resp
        .header("content-type")
        .unwrap()
        .starts_with("text/plain"));
    let text = resp.text();
    assert!(
        text.contains(r#"onyx_http_requests_total{method="GET",route="/healthz",status="200"} 1"#),
        "{text}"
    );
    assert!(
        text.contains(r#"route="unmatched",status="404"} 1"#),
        "{text}"
    );
    assert!(text.contains("onyx_db_pool_connections"));
}

#[tokio::test]
async fn made_up_methods_do_not_grow_the_metric_series() {
    let app = TestApp::spawn().await;
    for i in 0..30 {
        let method = reqwest::Method::from_bytes(format!("BREW{i}").as_bytes()).unwrap();
        let r = app.anon().call(method, "/v1/packages", None).await;
        assert!(r.status >= 400, "{}", r.status);
    }
    let text = app.anon().get("/metrics").await.text();
    assert!(!text.contains("BREW"), "{text}");
    let other: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("onyx_http_requests_total{method=\"OTHER\""))
        .collect();
    assert!(!other.is_empty(), "{text}");
    let counted: u64 = other
        .iter()
        .map(|l| l.rsplit(' ').next().unwrap().parse::<u64>().unwrap())
        .sum();
    assert_eq!(counted, 30, "{other:?}");
    assert!(other.len() <= 2, "one series per status at most: {other:?}");
}

#[tokio::test]
async fn every_request_body_has_an_example() {
    let doc = serde_json::to_value(onyx::app::openapi_document()).unwrap();
    let schemas = &doc["components"]["schemas"];
    let has_example = |schema: &Value| -> bool {
        let resolved = match schema["$ref"].as_str() {
            Some(r) => &schemas[r.trim_start_matches("#/components/schemas/")],
            None => schema,
        };
        resolved.get("example").is_some()
            || resolved["properties"]
                .as_object()
                .is_some_and(|p| p.values().any(|f| f.get("example").is_some()))
            || resolved["oneOf"].as_array().is_some_and(|alts| {
                alts.iter().any(|a| {
                    a["$ref"].as_str().is_some_and(|r| {
                        let s = &schemas[r.trim_start_matches("#/components/schemas/")];
                        s.get("example").is_some()
                    })
                })
            })
    };
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            if let Some(content) = op["requestBody"]["content"].as_object() {
                for (media, body) in content {
                    assert!(
                        has_example(&body["schema"]),
                        "{method} {path} ({media}) needs an example"
                    );
                }
            }
        }
    }
}

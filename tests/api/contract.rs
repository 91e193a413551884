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

//! Error shapes on real routes: every kind of bad input gets problem+json with a stable
//! code, and none of them changes state.

use reqwest::Method;
use serde_json::json;

use crate::helpers::{expect_problem, parts, TestApp};

async fn partner_count(app: &TestApp) -> usize {
    let (_, _, body) = parts(
        app.admin(Method::GET, "/v1/admin/partners")
            .send()
            .await
            .unwrap(),
    )
    .await;
    body["data"].as_array().unwrap().len()
}

fn valid() -> serde_json::Value {
    json!({
        "name": "Acme", "legal_entity": "Acme Ltd",
        "billing_email": "billing@acme.example", "owner_email": "owner@acme.example"
    })
}

#[tokio::test]
async fn bad_bodies_get_problem_json_and_change_nothing() {
    let app = TestApp::spawn().await;
    let post = || app.admin(Method::POST, "/v1/admin/partners");

    let r = post()
        .header("content-type", "application/json")
        .body(r#"{"name": "Acme", "#)
        .send()
        .await
        .unwrap();
    let body = expect_problem(r, 400, "malformed_json").await;
    assert!(
        body["detail"].as_str().unwrap().contains("line 1"),
        "{body}"
    );

    let r = post()
        .header("content-type", "application/json")
        .body("")
        .send()
        .await
        .unwrap();
    expect_problem(r, 400, "malformed_json").await;

    let mut extra = valid();
    extra["surprise"] = json!(true);
    let r = post().json(&extra).send().await.unwrap();
    let body = expect_problem(r, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "surprise");
    assert_eq!(body["errors"][0]["code"], "unknown_field");

    let mut wrong_type = valid();
    wrong_type["name"] = json!(42);
    let body = expect_problem(
        post().json(&wrong_type).send().await.unwrap(),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        (
            body["errors"][0]["field"].as_str(),
            body["errors"][0]["code"].as_str()
        ),
        (Some("name"), Some("invalid_type"))
    );

    let mut missing = valid();
    missing.as_object_mut().unwrap().remove("owner_email");
    let body = expect_problem(
        post().json(&missing).send().await.unwrap(),
        422,
        "validation_failed",
    )
    .await;
    assert_eq!(
        (
            body["errors"][0]["field"].as_str(),
            body["errors"][0]["code"].as_str()
        ),
        (Some("owner_email"), Some("required"))
    );

    let r = post()
        .header("content-type", "text/plain")
        .body(valid().to_string())
        .send()
        .await
        .unwrap();
    expect_problem(r, 415, "unsupported_media_type").await;
    let r = post().body(valid().to_string()).send().await.unwrap();
    expect_problem(r, 415, "unsupported_media_type").await;

    let mut huge = valid();
    huge["name"] = json!("x".repeat(70 * 1024));
    let r = post().json(&huge).send().await.unwrap();
    let body = expect_problem(r, 413, "payload_too_large").await;
    assert!(body["detail"].as_str().unwrap().contains("65536"));

    // Every broken rule is named, with its field.
    let r = post()
        .json(&json!({"name": "", "legal_entity": "Acme Ltd", "billing_email": "not-an-email", "owner_email": "owner@acme.example"}))
        .send()
        .await
        .unwrap();
    let body = expect_problem(r, 422, "validation_failed").await;
    let fields: Vec<&str> = body["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, vec!["billing_email", "name"]);
    assert!(body["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("email address"));

    assert_eq!(
        partner_count(&app).await,
        0,
        "no bad request created anything"
    );
    assert_eq!(post().json(&valid()).send().await.unwrap().status(), 201);
    assert_eq!(partner_count(&app).await, 1);
}

#[tokio::test]
async fn bad_input_on_partner_routes_is_refused_without_side_effects() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    let r = app
        .post("/v1/credentials")
        .bearer_auth(&org.owner.token)
        .header("content-type", "application/json")
        .body("[1,2")
        .send()
        .await
        .unwrap();
    expect_problem(r, 400, "malformed_json").await;
    let r = app
        .post("/v1/credentials")
        .bearer_auth(&org.owner.token)
        .json(&json!(["name"]))
        .send()
        .await
        .unwrap();
    let body = expect_problem(r, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["message"], "must be a JSON object");
    let r = app
        .post("/v1/credentials")
        .bearer_auth(&org.owner.token)
        .json(&json!({"name": "x", "secret": "mine"}))
        .send()
        .await
        .unwrap();
    expect_problem(r, 422, "validation_failed").await;
    let r = app
        .post("/v1/credentials")
        .bearer_auth(&org.owner.token)
        .json(&json!({"name": ""}))
        .send()
        .await
        .unwrap();
    expect_problem(r, 422, "validation_failed").await;
    let r = app
        .request(Method::PATCH, &format!("/v1/members/{}", org.owner.id))
        .bearer_auth(&org.owner.token)
        .json(&json!({"role": "emperor"}))
        .send()
        .await
        .unwrap();
    let body = expect_problem(r, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "role");
    assert!(
        body["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("owner"),
        "lists the allowed values: {body}"
    );
    let (_, list) = app.get_as(&org.owner.token, "/v1/credentials").await;
    assert_eq!(list["data"].as_array().unwrap().len(), 0);
    let (_, me) = app.get_as(&org.owner.token, "/v1/me").await;
    assert_eq!(me["role"], "owner");
}

#[test]
fn every_error_variant_renders_its_problem() {
    use onyx::error::{ApiError, FieldError};
    let cases: Vec<(ApiError, u16, &str)> = vec![
        (
            ApiError::BadRequest {
                code: "malformed_json",
                detail: "d".into(),
            },
            400,
            "malformed_json",
        ),
        (
            ApiError::validation(vec![FieldError::new("f", "required", "is required")]),
            422,
            "validation_failed",
        ),
        (
            ApiError::Unauthenticated {
                code: "unauthenticated",
                detail: "d".into(),
            },
            401,
            "unauthenticated",
        ),
        (
            ApiError::Forbidden {
                code: "forbidden",
                detail: "d".into(),
            },
            403,
            "forbidden",
        ),
        (ApiError::not_found("order"), 404, "not_found"),
        (
            ApiError::MethodNotAllowed {
                method: "PUT".into(),
                allow: vec!["GET".into()],
            },
            405,
            "method_not_allowed",
        ),
        (
            ApiError::Conflict {
                code: "email_taken",
                detail: "d".into(),
            },
            409,
            "email_taken",
        ),
        (
            ApiError::PayloadTooLarge { limit: 10 },
            413,
            "payload_too_large",
        ),
        (
            ApiError::UnsupportedMediaType { detail: "d".into() },
            415,
            "unsupported_media_type",
        ),
        (
            ApiError::Unprocessable {
                code: "invitation_expired",
                detail: "d".into(),
            },
            422,
            "invitation_expired",
        ),
        (
            ApiError::RateLimited {
                retry_after_secs: 5,
            },
            429,
            "rate_limited",
        ),
        (
            ApiError::Unavailable {
                code: "database_unavailable",
                detail: "d".into(),
            },
            503,
            "database_unavailable",
        ),
        (
            ApiError::Internal("secret cause".into()),
            500,
            "internal_error",
        ),
    ];
    for (err, status, code) in cases {
        let p = serde_json::to_value(err.problem()).unwrap();
        assert_eq!(p["status"], status, "{code}");
        assert_eq!(p["code"], code);
        assert_eq!(p["type"], format!("urn:onyx:problem:{code}"));
        assert!(!p["title"].as_str().unwrap().is_empty());
        assert!(!p["detail"].as_str().unwrap().is_empty());
        assert!(
            !p.to_string().contains("secret cause"),
            "internal causes are never sent"
        );
    }
}

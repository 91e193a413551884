//! Error shapes on real routes: every kind of bad input gets problem+json with a stable
//! code, and none of them changes state.
//!
//! The refusals are data: a [`Case`] is a request (caller, method, path, body), the problem it
//! must get, and any further checks of that problem; [`refuse_all`] walks a table of them.

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{Fetch, Session, TestApp};

/// Who sends a case's request.
#[derive(Clone, Copy, Debug)]
enum Who {
    Operator,
    /// The partner's owner; `{owner_id}` in the path stands for their member id.
    Owner,
}

/// A case's request body.
enum Body {
    Json(Value),
    /// Raw text, with this content type (or none at all).
    Raw(Option<&'static str>, String),
}

/// A check of the problem body beyond its status and code.
#[derive(Debug)]
enum Check {
    DetailContains(&'static str),
    /// `errors[0]` names this field with this code.
    FirstError(&'static str, &'static str),
    FirstField(&'static str),
    FirstMessage(&'static str),
    FirstMessageContains(&'static str),
    /// The fields of `errors`, in order.
    Fields(&'static [&'static str]),
}

struct Case {
    name: &'static str,
    who: Who,
    method: Method,
    path: &'static str,
    body: Body,
    /// Status and problem code.
    expect: (u16, &'static str),
    checks: Vec<Check>,
}

impl Check {
    fn holds(&self, problem: &Value) -> bool {
        let text = |v: &Value| v.as_str().unwrap_or_default().to_string();
        let first = &problem["errors"][0];
        match self {
            Check::DetailContains(s) => text(&problem["detail"]).contains(s),
            Check::FirstError(field, code) => first["field"] == *field && first["code"] == *code,
            Check::FirstField(field) => first["field"] == *field,
            Check::FirstMessage(m) => first["message"] == *m,
            Check::FirstMessageContains(s) => text(&first["message"]).contains(s),
            Check::Fields(fields) => {
                let got: Option<Vec<String>> = problem["errors"]
                    .as_array()
                    .map(|errors| errors.iter().map(|e| text(&e["field"])).collect());
                got == Some(fields.iter().map(|f| f.to_string()).collect())
            }
        }
    }
}

/// Sends every case and checks its problem; each failure names its case.
async fn refuse_all(app: &TestApp, owner: Option<&Session>, cases: Vec<Case>) {
    for c in cases {
        let (caller, path) = match c.who {
            Who::Operator => (app.operator(), c.path.to_string()),
            Who::Owner => {
                let owner = owner.expect("an owner for partner cases");
                (
                    app.bearer(&owner.token),
                    c.path.replace("{owner_id}", &owner.id),
                )
            }
        };
        let req = caller.request(c.method.clone(), &path);
        let resp = match c.body {
            Body::Json(body) => req.json(&body),
            Body::Raw(Some(content_type), text) => {
                req.header("content-type", content_type).body(text)
            }
            Body::Raw(None, text) => req.body(text),
        }
        .fetch()
        .await;
        let case = format!("case {:?} ({:?} {} {path})", c.name, c.who, c.method);
        let (status, code) = c.expect;
        let problem = resp
            .problem(status, code)
            .unwrap_or_else(|why| panic!("{case}: {why}"));
        for check in &c.checks {
            assert!(check.holds(&problem), "{case}: {check:?} in {problem}");
        }
    }
}

fn valid() -> Value {
    json!({
        "name": "Acme", "legal_entity": "Acme Ltd",
        "billing_email": "billing@acme.example", "owner_email": "owner@acme.example"
    })
}

fn valid_with(change: impl FnOnce(&mut Value)) -> Body {
    let mut body = valid();
    change(&mut body);
    Body::Json(body)
}

fn raw(content_type: &'static str, text: &str) -> Body {
    Body::Raw(Some(content_type), text.to_string())
}

async fn partner_count(app: &TestApp) -> usize {
    let body = app.operator().get_ok("/v1/admin/partners").await;
    body["data"].as_array().unwrap().len()
}

#[tokio::test]
async fn bad_bodies_get_problem_json_and_change_nothing() {
    use Check::*;
    let app = TestApp::spawn().await;
    let post = |name, body, expect, checks| Case {
        name,
        who: Who::Operator,
        method: Method::POST,
        path: "/v1/admin/partners",
        body,
        expect,
        checks,
    };
    let json_type = "application/json";
    #[rustfmt::skip]
    let cases = vec![
        post("truncated JSON", raw(json_type, r#"{"name": "Acme", "#), (400, "malformed_json"), vec![DetailContains("line 1")]),
        post("empty JSON body", raw(json_type, ""), (400, "malformed_json"), vec![]),
        post("unknown field", valid_with(|b| b["surprise"] = json!(true)), (422, "validation_failed"), vec![FirstError("surprise", "unknown_field")]),
        post("wrong type", valid_with(|b| b["name"] = json!(42)), (422, "validation_failed"), vec![FirstError("name", "invalid_type")]),
        post("missing field", valid_with(|b| { b.as_object_mut().unwrap().remove("owner_email"); }), (422, "validation_failed"), vec![FirstError("owner_email", "required")]),
        post("text/plain", raw("text/plain", &valid().to_string()), (415, "unsupported_media_type"), vec![]),
        post("no content type", Body::Raw(None, valid().to_string()), (415, "unsupported_media_type"), vec![]),
        post("70 KiB body", valid_with(|b| b["name"] = json!("x".repeat(70 * 1024))), (413, "payload_too_large"), vec![DetailContains("65536")]),
        // Every broken rule is named, with its field.
        post(
            "two broken rules",
            Body::Json(json!({"name": "", "legal_entity": "Acme Ltd", "billing_email": "not-an-email", "owner_email": "owner@acme.example"})),
            (422, "validation_failed"),
            vec![Fields(&["billing_email", "name"]), FirstMessageContains("email address")],
        ),
    ];
    refuse_all(&app, None, cases).await;

    assert_eq!(
        partner_count(&app).await,
        0,
        "no bad request created anything"
    );
    app.operator()
        .post("/v1/admin/partners", &valid())
        .await
        .expect(201);
    assert_eq!(partner_count(&app).await, 1);
}

#[tokio::test]
async fn bad_input_on_partner_routes_is_refused_without_side_effects() {
    use Check::*;
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    let owner = |name, method, path, body, expect, checks| Case {
        name,
        who: Who::Owner,
        method,
        path,
        body,
        expect,
        checks,
    };
    let credentials = "/v1/credentials";
    #[rustfmt::skip]
    let cases = vec![
        owner("truncated JSON", Method::POST, credentials, raw("application/json", "[1,2"), (400, "malformed_json"), vec![]),
        owner("an array", Method::POST, credentials, Body::Json(json!(["name"])), (422, "validation_failed"), vec![FirstMessage("must be a JSON object")]),
        owner("a secret of one's own", Method::POST, credentials, Body::Json(json!({"name": "x", "secret": "mine"})), (422, "validation_failed"), vec![]),
        owner("empty name", Method::POST, credentials, Body::Json(json!({"name": ""})), (422, "validation_failed"), vec![]),
        // The message lists the allowed values.
        owner("unknown role", Method::PATCH, "/v1/members/{owner_id}", Body::Json(json!({"role": "emperor"})), (422, "validation_failed"), vec![FirstField("role"), FirstMessageContains("owner")]),
    ];
    refuse_all(&app, Some(&org.owner), cases).await;

    let owner = app.bearer(&org.owner.token);
    let list = owner.get_ok("/v1/credentials").await;
    assert_eq!(list["data"].as_array().unwrap().len(), 0);
    let me = owner.get_ok("/v1/me").await;
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

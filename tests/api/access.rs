//! The role matrix, route by route, and tenant isolation.

use std::collections::BTreeSet;

use reqwest::Method;
use serde_json::{json, Value};

use crate::helpers::{Org, TestApp};

const ALL_ROLES: &[&str] = &[
    "owner",
    "admin",
    "developer",
    "billing",
    "support",
    "viewer",
];

/// Who may call a partner route: roles, and whether a machine credential may.
struct Rule {
    method: Method,
    path: &'static str,
    roles: &'static [&'static str],
    machine: bool,
    body: Option<fn() -> Value>,
}

fn rules() -> Vec<Rule> {
    let r = |method: Method, path, roles, machine, body| Rule {
        method,
        path,
        roles,
        machine,
        body,
    };
    vec![
        r(Method::GET, "/v1/me", ALL_ROLES, true, None),
        r(Method::GET, "/v1/packages", ALL_ROLES, true, None),
        r(Method::GET, "/v1/orders", ALL_ROLES, true, None),
        r(Method::GET, "/v1/orders/{order_id}", ALL_ROLES, true, None),
        r(
            Method::POST,
            "/v1/orders",
            &["owner", "admin", "support"],
            true,
            Some(
                || json!({"type": "activate_subscription", "customer_reference": "matrix", "items": [{"package_id": "pkg-doesnotexist"}]}),
            ),
        ),
        r(
            Method::POST,
            "/v1/orders/{order_id}/cancel",
            &["owner", "admin", "support"],
            true,
            None,
        ),
        r(
            Method::POST,
            "/v1/orders/{order_id}/retry",
            &["owner", "admin", "support"],
            true,
            None,
        ),
        r(Method::GET, "/v1/services", ALL_ROLES, true, None),
        r(
            Method::GET,
            "/v1/services/{service_id}",
            ALL_ROLES,
            true,
            None,
        ),
        r(
            Method::POST,
            "/v1/sandbox/services/{service_id}/install",
            &["owner", "admin", "support"],
            true,
            None,
        ),
        r(
            Method::GET,
            "/v1/wallet",
            &["owner", "admin", "billing", "viewer"],
            true,
            None,
        ),
        r(
            Method::GET,
            "/v1/ledger",
            &["owner", "admin", "billing", "viewer"],
            false,
            None,
        ),
        r(
            Method::GET,
            "/v1/wallet/history",
            &["owner", "admin", "billing", "viewer"],
            false,
            None,
        ),
        r(
            Method::GET,
            "/v1/invoices",
            &["owner", "admin", "billing", "viewer"],
            false,
            None,
        ),
        r(
            Method::GET,
            "/v1/invoices/{invoice_id}",
            &["owner", "admin", "billing", "viewer"],
            false,
            None,
        ),
        r(
            Method::GET,
            "/v1/reconciliation",
            &["owner", "admin", "billing", "viewer"],
            false,
            None,
        ),
        r(
            Method::PUT,
            "/v1/wallet/low-balance-alert",
            &["owner", "admin", "billing"],
            false,
            Some(|| json!({"currency": "EUR", "threshold_minor": 100})),
        ),
        r(
            Method::POST,
            "/v1/sandbox/billing/close-period",
            &["owner", "admin", "billing"],
            false,
            None,
        ),
        r(
            Method::POST,
            "/v1/refunds",
            &["owner", "admin", "billing", "support"],
            true,
            Some(|| json!({"order_id": "ord_doesnotexist", "amount_minor": 1, "reason": "other"})),
        ),
        r(
            Method::GET,
            "/v1/refunds",
            &["owner", "admin", "billing", "support"],
            true,
            None,
        ),
        r(
            Method::GET,
            "/v1/refunds/{refund_id}",
            &["owner", "admin", "billing", "support"],
            true,
            None,
        ),
        r(
            Method::GET,
            "/v1/packages/{package_id}",
            ALL_ROLES,
            true,
            None,
        ),
        r(
            Method::GET,
            "/v1/credentials",
            &["owner", "admin", "developer"],
            false,
            None,
        ),
        r(
            Method::POST,
            "/v1/credentials",
            &["owner", "admin", "developer"],
            false,
            Some(|| json!({"name": "matrix"})),
        ),
        r(
            Method::POST,
            "/v1/credentials/{credential_id}/rotate",
            &["owner", "admin", "developer"],
            false,
            None,
        ),
        r(
            Method::POST,
            "/v1/credentials/{credential_id}/revoke",
            &["owner", "admin", "developer"],
            false,
            None,
        ),
        r(
            Method::GET,
            "/v1/invitations",
            &["owner", "admin"],
            false,
            None,
        ),
        r(
            Method::POST,
            "/v1/invitations",
            &["owner", "admin"],
            false,
            Some(
                || json!({"email": format!("m{}@matrix.example", onyx::ids::random_token(8).to_lowercase()), "role": "viewer"}),
            ),
        ),
        r(Method::GET, "/v1/members", ALL_ROLES, false, None),
        r(
            Method::PATCH,
            "/v1/members/{member_id}",
            &["owner", "admin"],
            false,
            Some(|| json!({"role": "viewer"})),
        ),
        r(
            Method::DELETE,
            "/v1/members/{member_id}",
            &["owner", "admin"],
            false,
            None,
        ),
        r(
            Method::GET,
            "/v1/audit-log",
            &["owner", "admin"],
            false,
            None,
        ),
        r(
            Method::GET,
            "/v1/services/{service_id}/activation",
            &["owner", "admin", "support"],
            true,
            None,
        ),
        r(
            Method::GET,
            "/v1/services/{service_id}/activation/qr",
            &["owner", "admin", "support"],
            true,
            None,
        ),
        r(
            Method::GET,
            "/v1/services/{service_id}/install-guidance",
            ALL_ROLES,
            true,
            None,
        ),
        r(
            Method::POST,
            "/v1/services/{service_id}/recovery",
            ALL_ROLES,
            true,
            Some(|| json!({"device_state": "profile_deleted"})),
        ),
        r(
            Method::GET,
            "/v1/services/{service_id}/usage",
            ALL_ROLES,
            true,
            None,
        ),
        r(
            Method::POST,
            "/v1/sandbox/services/{service_id}/usage",
            &["owner", "admin", "support"],
            true,
            Some(|| json!({"bytes_used": 1})),
        ),
        r(Method::GET, "/v1/settings/alerts", ALL_ROLES, true, None),
        r(
            Method::PUT,
            "/v1/settings/alerts",
            &["owner", "admin", "developer"],
            true,
            Some(|| json!({"usage_thresholds": [80, 100], "expiry_lead_hours": [72, 24]})),
        ),
        r(Method::GET, "/v1/sandbox/clock", ALL_ROLES, true, None),
        r(
            Method::POST,
            "/v1/sandbox/clock/advance",
            &["owner", "admin", "developer"],
            true,
            Some(|| json!({"by": "PT1H"})),
        ),
        r(
            Method::POST,
            "/v1/webhook-endpoints",
            &["owner", "admin", "developer"],
            true,
            Some(|| json!({"url": "https://hooks.matrix.example/onyx"})),
        ),
        r(
            Method::GET,
            "/v1/webhook-endpoints",
            &["owner", "admin", "developer"],
            true,
            None,
        ),
        r(
            Method::GET,
            "/v1/webhook-endpoints/{endpoint_id}",
            &["owner", "admin", "developer"],
            true,
            None,
        ),
        r(
            Method::PATCH,
            "/v1/webhook-endpoints/{endpoint_id}",
            &["owner", "admin", "developer"],
            true,
            Some(|| json!({"enabled": true})),
        ),
        r(
            Method::DELETE,
            "/v1/webhook-endpoints/{endpoint_id}",
            &["owner", "admin", "developer"],
            true,
            None,
        ),
        r(
            Method::POST,
            "/v1/webhook-endpoints/{endpoint_id}/rotate-secret",
            &["owner", "admin", "developer"],
            true,
            None,
        ),
        r(
            Method::POST,
            "/v1/webhook-endpoints/{endpoint_id}/test",
            &["owner", "admin", "developer"],
            true,
            None,
        ),
        r(
            Method::GET,
            "/v1/events",
            &["owner", "admin", "developer"],
            true,
            None,
        ),
        r(
            Method::GET,
            "/v1/events/{event_id}",
            &["owner", "admin", "developer"],
            true,
            None,
        ),
        r(
            Method::POST,
            "/v1/events/{event_id}/replay",
            &["owner", "admin", "developer"],
            true,
            None,
        ),
        r(
            Method::GET,
            "/v1/webhook-deliveries",
            &["owner", "admin", "developer"],
            true,
            None,
        ),
        r(Method::GET, "/v1/support-cases", ALL_ROLES, true, None),
        r(
            Method::POST,
            "/v1/support-cases",
            &["owner", "admin", "support"],
            true,
            Some(|| json!({"subject": "matrix", "issue": "matrix", "category": "other"})),
        ),
        r(
            Method::GET,
            "/v1/support-cases/{case_id}",
            ALL_ROLES,
            true,
            None,
        ),
        r(
            Method::POST,
            "/v1/support-cases/{case_id}/comments",
            &["owner", "admin", "support"],
            true,
            Some(|| json!({"body": "matrix"})),
        ),
        r(
            Method::GET,
            "/v1/readiness",
            &["owner", "admin", "developer", "viewer"],
            false,
            None,
        ),
        r(
            Method::POST,
            "/v1/readiness/live-request",
            &["owner", "admin"],
            false,
            None,
        ),
    ]
}

fn concrete(path: &str) -> String {
    // Ids that do not exist: allowed callers get a 404, refused ones a 403 first.
    path.replace("{credential_id}", "cred_doesnotexist")
        .replace("{package_id}", "pkg-doesnotexist")
        .replace("{order_id}", "ord_doesnotexist")
        .replace("{service_id}", "svc_doesnotexist")
        .replace("{endpoint_id}", "we_doesnotexist")
        .replace("{event_id}", "evt_doesnotexist")
        .replace("install-guidance", "install-guidance?platform=ios")
        .replace("{member_id}", "mem_doesnotexist")
        .replace("{case_id}", "case_doesnotexist")
        .replace("{invoice_id}", "inv_doesnotexist")
        .replace("{refund_id}", "rfd_doesnotexist")
        .replace("/v1/wallet/history", "/v1/wallet/history?currency=EUR")
        .replace("/v1/reconciliation", "/v1/reconciliation?period=2026-11")
}

#[tokio::test]
async fn every_partner_route_is_in_the_matrix() {
    let doc = serde_json::to_value(onyx::app::openapi_document()).unwrap();
    let mut secured = BTreeSet::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let schemes: Vec<String> = op["security"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .flat_map(|s| s.as_object().unwrap().keys().cloned())
                        .collect()
                })
                .unwrap_or_default();
            if schemes.iter().any(|s| s == "partner_jwt") {
                secured.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    let covered: BTreeSet<String> = rules()
        .iter()
        .map(|r| format!("{} {}", r.method, r.path))
        .collect();
    assert_eq!(
        secured, covered,
        "every partner route needs a row in the role matrix test"
    );
}

#[tokio::test]
async fn role_matrix_is_enforced_on_every_route() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Matrix").await;
    let mut callers: Vec<(String, String)> = vec![("owner".into(), org.owner.token.clone())];
    for role in &ALL_ROLES[1..] {
        callers.push((role.to_string(), app.add_member(&org, role).await.token));
    }
    callers.push(("machine".into(), app.machine(&org.owner.token).await.token));

    for rule in rules() {
        for (who, token) in &callers {
            let allowed = if who == "machine" {
                rule.machine
            } else {
                rule.roles.contains(&who.as_str())
            };
            let body = rule.body.map(|body| body());
            let resp = app
                .bearer(token)
                .call(rule.method.clone(), &concrete(rule.path), body.as_ref())
                .await;
            let status = resp.status;
            if allowed {
                assert!(
                    status != 403 && status != 401 && status < 500,
                    "{who} {} {} -> {status} {}",
                    rule.method,
                    rule.path,
                    resp.text()
                );
            } else {
                let body = resp.expect_problem(403, "forbidden");
                assert!(
                    body["detail"].as_str().unwrap().contains("may not"),
                    "{body}"
                );
            }
        }
    }
}

async fn ids(app: &TestApp, token: &str, path: &str) -> Vec<String> {
    app.bearer(token).get_ok(path).await["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn one_partner_can_neither_read_nor_change_another_partners_objects() {
    let app = TestApp::spawn().await;
    let a: Org = app.onboard("Alpha").await;
    let b: Org = app.onboard("Bravo").await;
    let a_dev = app.add_member(&a, "developer").await;
    let a_machine = app.machine(&a.owner.token).await;
    let b_machine = app.machine(&b.owner.token).await;

    // B's owner: every route that names one of A's objects answers 404, and changes nothing.
    for (method, path, body) in [
        (
            Method::POST,
            format!("/v1/credentials/{}/rotate", a_machine.id),
            None,
        ),
        (
            Method::POST,
            format!("/v1/credentials/{}/revoke", a_machine.id),
            None,
        ),
        (
            Method::PATCH,
            format!("/v1/members/{}", a_dev.id),
            Some(json!({"role": "viewer"})),
        ),
        (Method::DELETE, format!("/v1/members/{}", a_dev.id), None),
    ] {
        app.bearer(&b.owner.token)
            .call(method, &path, body.as_ref())
            .await
            .expect_problem(404, "not_found");
    }
    assert_eq!(
        app.bearer(&a_machine.token).get("/v1/me").await.status,
        200,
        "A's credential still works"
    );
    let me = app.bearer(&a_dev.token).get_ok("/v1/me").await;
    assert_eq!(me["role"], "developer", "A's member unchanged");

    // Lists show only the caller's own objects.
    assert_eq!(
        ids(&app, &b.owner.token, "/v1/credentials").await,
        vec![b_machine.id.clone()]
    );
    let b_members = ids(&app, &b.owner.token, "/v1/members").await;
    assert_eq!(b_members, vec![b.owner.id.clone()]);
    let a_members = ids(&app, &a.owner.token, "/v1/members").await;
    assert!(!a_members.contains(&b.owner.id) && a_members.len() == 2);
    let b_owner = app.bearer(&b.owner.token);
    let b_inv = b_owner.get_ok("/v1/invitations").await;
    assert_eq!(b_inv["data"].as_array().unwrap().len(), 1);
    let b_audit = b_owner.get_ok("/v1/audit-log?limit=100").await;
    let text = b_audit.to_string();
    assert!(
        !text.contains(&a_machine.id) && !text.contains(&a_dev.id) && !text.contains(&a.partner_id)
    );
    let me = app.bearer(&b_machine.token).get_ok("/v1/me").await;
    assert_eq!(me["partner_id"], b.partner_id.as_str());
}

#[tokio::test]
async fn pages_have_no_duplicates_or_gaps_while_rows_are_inserted() {
    let app = TestApp::spawn().await;
    let mut created = BTreeSet::new();
    for i in 0..25 {
        app.clock.advance(chrono::Duration::seconds(1));
        created.insert(
            app.create_partner(&format!("P{i}"), &format!("o{i}@p{i}.example"))
                .await
                .0,
        );
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    let mut pages = 0;
    loop {
        let path = match &cursor {
            Some(c) => format!("/v1/admin/partners?limit=10&cursor={c}"),
            None => "/v1/admin/partners?limit=10".to_string(),
        };
        let page = app.operator().get_ok(&path).await;
        pages += 1;
        for p in page["data"].as_array().unwrap() {
            seen.push(p["id"].as_str().unwrap().to_string());
        }
        // New rows arrive while the client pages.
        app.clock.advance(chrono::Duration::seconds(1));
        app.create_partner(
            &format!("Late{pages}"),
            &format!("late{pages}@late.example"),
        )
        .await;
        if page["has_more"] == false {
            assert!(page["next_cursor"].is_null());
            break;
        }
        cursor = Some(page["next_cursor"].as_str().unwrap().to_string());
    }
    assert_eq!(pages, 3);
    let unique: BTreeSet<String> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "no duplicates");
    assert_eq!(
        unique, created,
        "exactly the rows that existed when paging began, newest first"
    );

    let operator = app.operator();
    operator
        .get("/v1/admin/partners?cursor=garbage")
        .await
        .expect_problem(400, "invalid_cursor");
    let body = operator
        .get("/v1/admin/partners?limit=101")
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(body["errors"][0]["field"], "limit");
    operator
        .get("/v1/admin/partners?limit=ten")
        .await
        .expect_problem(400, "invalid_query");
}

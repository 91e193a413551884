//! Identity and access: operator → partner → invitation → login → credential → token.

use chrono::Duration;
use diesel::prelude::*;
use reqwest::Method;
use serde_json::json;

use crate::helpers::{expect_problem, logs, parts, TestApp, ADMIN_TOKEN, PASSWORD};

#[tokio::test]
async fn full_flow_from_operator_to_an_authenticated_machine_call() {
    let app = TestApp::spawn().await;
    let (partner_id, invitation) = app
        .create_partner("Wanderlust", "Owner@Wanderlust.example")
        .await;
    assert!(partner_id.starts_with("ptr_"));
    assert!(invitation.starts_with("onyx_inv_"));

    let (s, partner) = {
        let r = app
            .admin(Method::GET, &format!("/v1/admin/partners/{partner_id}"))
            .send()
            .await
            .unwrap();
        let (s, _, b) = parts(r).await;
        (s, b)
    };
    assert_eq!(s, 200);
    assert_eq!(partner["status"], "pending");
    assert_eq!(partner["live_enabled"], false);

    let member = app.accept(&invitation, "Olive Owner").await;
    assert_eq!(member["role"], "owner");
    assert_eq!(
        member["email"], "owner@wanderlust.example",
        "emails are normalised"
    );
    assert!(member.get("password_hash").is_none());

    let resp = app.login("owner@wanderlust.example", "sandbox").await;
    let (s, headers, login) = parts(resp).await;
    assert_eq!(s, 200, "{login}");
    assert_eq!(headers["cache-control"], "no-store");
    assert_eq!(login["token_type"], "Bearer");
    assert_eq!(login["expires_in"], 900);
    assert_eq!(login["partner_id"], partner_id.as_str());
    let owner_token = login["access_token"].as_str().unwrap().to_string();

    let machine = app.machine(&owner_token).await;
    assert!(
        machine.secret.starts_with("onyx_sk_test_"),
        "{}",
        machine.secret
    );
    assert!(machine.client_id.starts_with("onyx_ci_test_"));

    let (s, me) = app.get_as(&machine.token, "/v1/me").await;
    assert_eq!(s, 200, "{me}");
    assert_eq!(me["partner_id"], partner_id.as_str());
    assert_eq!(me["environment"], "sandbox");
    assert_eq!(me["actor_type"], "credential");
    assert_eq!(me["actor_id"], machine.id.as_str());
    assert!(me["role"].is_null());

    // The credential list never shows the secret again, and records last use.
    let (s, list) = app.get_as(&owner_token, "/v1/credentials").await;
    assert_eq!(s, 200);
    let listed = &list["data"][0];
    assert_eq!(listed["client_id"], machine.client_id.as_str());
    assert!(listed.get("client_secret").is_none());
    assert!(!list.to_string().contains(&machine.secret));
    assert_eq!(
        listed["secret_hint"],
        format!("…{}", &machine.secret[machine.secret.len() - 4..])
    );
    assert!(
        listed["last_used_at"].is_string(),
        "last_used_at recorded: {listed}"
    );

    // Only hashes are stored.
    let stored: Vec<String> = app.db_query(|c| {
        onyx::db::schema::credentials::table
            .select(onyx::db::schema::credentials::secret_hash)
            .load(c)
            .unwrap()
    });
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].contains(&machine.secret) && stored[0].len() == 64);
    let inv_hashes: Vec<String> = app.db_query(|c| {
        onyx::db::schema::invitations::table
            .select(onyx::db::schema::invitations::token_hash)
            .load(c)
            .unwrap()
    });
    assert!(!inv_hashes[0].contains(&invitation));
}

#[tokio::test]
async fn operator_routes_require_the_operator_token() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    let resp = app.get("/v1/admin/partners").send().await.unwrap();
    expect_problem(resp, 401, "unauthenticated").await;
    let resp = app
        .get("/v1/admin/partners")
        .bearer_auth("wrong-token-0123456789")
        .send()
        .await
        .unwrap();
    expect_problem(resp, 401, "unauthenticated").await;
    let resp = app
        .get("/v1/admin/partners")
        .bearer_auth(&org.owner.token)
        .send()
        .await
        .unwrap();
    expect_problem(resp, 401, "unauthenticated").await;
    // The operator token is not a partner token either.
    let resp = app
        .get("/v1/me")
        .bearer_auth(ADMIN_TOKEN)
        .send()
        .await
        .unwrap();
    expect_problem(resp, 401, "invalid_token").await;
    let (s, list) = {
        let (s, _, b) = parts(
            app.admin(Method::GET, "/v1/admin/partners")
                .send()
                .await
                .unwrap(),
        )
        .await;
        (s, b)
    };
    assert_eq!(s, 200);
    assert_eq!(list["data"][0]["id"], org.partner_id.as_str());
}

#[tokio::test]
async fn partner_states_follow_one_state_machine_and_suspension_refuses_every_call() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    let machine = app.machine(&org.owner.token).await;
    let path = |a: &str| format!("/v1/admin/partners/{}/{a}", org.partner_id);

    let r = app
        .admin(Method::POST, &path("approve"))
        .send()
        .await
        .unwrap();
    expect_problem(r, 409, "invalid_partner_state").await;
    let r = app
        .admin(Method::POST, &path("reinstate"))
        .send()
        .await
        .unwrap();
    expect_problem(r, 409, "invalid_partner_state").await;

    let r = app
        .admin(Method::POST, &path("suspend"))
        .json(&json!({"reason": "Unpaid invoice"}))
        .send()
        .await
        .unwrap();
    let (s, _, p) = parts(r).await;
    assert_eq!((s, p["status"].as_str()), (200, Some("suspended")));
    assert_eq!(p["suspension_reason"], "Unpaid invoice");

    for token in [&org.owner.token, &machine.token] {
        let r = app.get("/v1/me").bearer_auth(token).send().await.unwrap();
        expect_problem(r, 403, "partner_suspended").await;
    }
    let (s, _, body) = parts(app.token_request(&machine.client_id, &machine.secret).await).await;
    assert_eq!(
        (s, body["error"].as_str()),
        (400, Some("unauthorized_client"))
    );
    let r = app.login(&org.owner.email, "sandbox").await;
    expect_problem(r, 403, "partner_suspended").await;
    let r = app
        .admin(Method::POST, &path("suspend"))
        .json(&json!({"reason": "again"}))
        .send()
        .await
        .unwrap();
    expect_problem(r, 409, "invalid_partner_state").await;

    let r = app
        .admin(Method::POST, &path("reinstate"))
        .send()
        .await
        .unwrap();
    let (s, _, p) = parts(r).await;
    assert_eq!((s, p["status"].as_str()), (200, Some("approved")));
    let (s, _) = app.get_as(&machine.token, "/v1/me").await;
    assert_eq!(s, 200);

    // Live access needs an approved partner.
    let (pending, _) = app
        .create_partner("Pending Co", "owner@pending.example")
        .await;
    let r = app
        .admin(
            Method::POST,
            &format!("/v1/admin/partners/{pending}/live-access"),
        )
        .json(&json!({"enabled": true}))
        .send()
        .await
        .unwrap();
    expect_problem(r, 409, "invalid_partner_state").await;
    let r = app
        .admin(Method::GET, "/v1/admin/partners/ptr_doesnotexist")
        .send()
        .await
        .unwrap();
    expect_problem(r, 404, "not_found").await;
}

#[tokio::test]
async fn invitations_expire_are_single_use_and_unknown_tokens_are_refused() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    let invite = |email: &'static str| {
        app.post("/v1/invitations")
            .bearer_auth(&org.owner.token)
            .json(&json!({"email": email, "role": "developer"}))
            .send()
    };
    let (s, _, first) = parts(invite("dev1@acme.example").await.unwrap()).await;
    assert_eq!(s, 201, "{first}");
    assert_eq!(first["role"], "developer");
    let token = first["token"].as_str().unwrap().to_string();
    let (_, _, second) = parts(invite("dev2@acme.example").await.unwrap()).await;
    let expiring = second["token"].as_str().unwrap().to_string();

    app.accept(&token, "Dev One").await;
    let again = app
        .post("/v1/invitations/accept")
        .json(&json!({"token": token, "name": "Dev One", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    expect_problem(again, 409, "invitation_already_accepted").await;

    // Default lifetime is 7 days: one second before, still valid for a peek; after, expired.
    app.clock.advance(Duration::days(7));
    let late = app
        .post("/v1/invitations/accept")
        .json(&json!({"token": expiring, "name": "Dev Two", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    expect_problem(late, 422, "invitation_expired").await;

    let unknown = app
        .post("/v1/invitations/accept")
        .json(&json!({"token": "onyx_inv_nope", "name": "X", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    expect_problem(unknown, 404, "invitation_not_found").await;

    let short = app
        .post("/v1/invitations/accept")
        .json(&json!({"token": expiring, "name": "X", "password": "short"}))
        .send()
        .await
        .unwrap();
    let body = expect_problem(short, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "password");

    // Inviting an existing member's email is a conflict.
    let owner = app.login_token(&org.owner.email, "sandbox").await;
    let r = app
        .post("/v1/invitations")
        .bearer_auth(&owner)
        .json(&json!({"email": "dev1@acme.example", "role": "viewer"}))
        .send()
        .await
        .unwrap();
    expect_problem(r, 409, "email_taken").await;

    // The list shows statuses, never tokens.
    let (s, list) = app.get_as(&owner, "/v1/invitations").await;
    assert_eq!(s, 200);
    let mut statuses: Vec<&str> = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["status"].as_str().unwrap())
        .collect();
    statuses.sort();
    assert_eq!(statuses, vec!["accepted", "accepted", "expired"]);
    assert!(!list.to_string().contains("onyx_inv_"));
}

#[tokio::test]
async fn the_last_owner_can_be_neither_removed_nor_demoted() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    let admin = app.add_member(&org, "admin").await;
    let member_path = format!("/v1/members/{}", org.owner.id);

    let r = app
        .request(Method::PATCH, &member_path)
        .bearer_auth(&org.owner.token)
        .json(&json!({"role": "admin"}))
        .send()
        .await
        .unwrap();
    expect_problem(r, 409, "last_owner").await;
    let r = app
        .request(Method::DELETE, &member_path)
        .bearer_auth(&org.owner.token)
        .send()
        .await
        .unwrap();
    expect_problem(r, 409, "last_owner").await;

    // Admins may not touch owners or make owners.
    let r = app
        .request(Method::DELETE, &member_path)
        .bearer_auth(&admin.token)
        .send()
        .await
        .unwrap();
    expect_problem(r, 403, "owner_required").await;
    let r = app
        .request(Method::PATCH, &format!("/v1/members/{}", admin.id))
        .bearer_auth(&admin.token)
        .json(&json!({"role": "owner"}))
        .send()
        .await
        .unwrap();
    expect_problem(r, 403, "owner_required").await;
    let r = app
        .post("/v1/invitations")
        .bearer_auth(&admin.token)
        .json(&json!({"email": "x@acme.example", "role": "owner"}))
        .send()
        .await
        .unwrap();
    expect_problem(r, 403, "owner_required").await;

    // With a second owner the first can step down.
    let r = app
        .request(Method::PATCH, &format!("/v1/members/{}", admin.id))
        .bearer_auth(&org.owner.token)
        .json(&json!({"role": "owner"}))
        .send()
        .await
        .unwrap();
    let (s, _, b) = parts(r).await;
    assert_eq!((s, b["role"].as_str()), (200, Some("owner")));
    let r = app
        .request(Method::PATCH, &member_path)
        .bearer_auth(&org.owner.token)
        .json(&json!({"role": "viewer"}))
        .send()
        .await
        .unwrap();
    let (s, _, b) = parts(r).await;
    assert_eq!((s, b["role"].as_str()), (200, Some("viewer")));
    // The role change applies to the token already issued.
    let (s, me) = app.get_as(&org.owner.token, "/v1/me").await;
    assert_eq!((s, me["role"].as_str()), (200, Some("viewer")));
    let r = app
        .get("/v1/invitations")
        .bearer_auth(&org.owner.token)
        .send()
        .await
        .unwrap();
    expect_problem(r, 403, "forbidden").await;

    // Removing a member stops their token at once.
    let r = app
        .request(Method::DELETE, &member_path)
        .bearer_auth(&admin.token)
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 204);
    let r = app
        .get("/v1/me")
        .bearer_auth(&org.owner.token)
        .send()
        .await
        .unwrap();
    expect_problem(r, 401, "member_removed").await;
    let (s, members) = app.get_as(&admin.token, "/v1/members").await;
    assert_eq!(s, 200);
    assert_eq!(members["data"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn rotation_keeps_the_old_secret_for_the_grace_period_then_stops_it() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    let old = app.machine(&org.owner.token).await;

    let r = app
        .post(&format!("/v1/credentials/{}/rotate", old.id))
        .bearer_auth(&org.owner.token)
        .send()
        .await
        .unwrap();
    let (s, _, new) = parts(r).await;
    assert_eq!(s, 201, "{new}");
    let new_secret = new["client_secret"].as_str().unwrap();
    assert!(new_secret.starts_with("onyx_sk_test_"));
    assert_ne!(new["client_id"], old.client_id.as_str());
    assert_eq!(
        app.get_as(
            &app.client_token(new["client_id"].as_str().unwrap(), new_secret)
                .await,
            "/v1/me"
        )
        .await
        .0,
        200
    );

    let (_, list) = app.get_as(&org.owner.token, "/v1/credentials").await;
    let old_row = list["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == old.id.as_str())
        .unwrap()
        .clone();
    assert_eq!(old_row["status"], "rotated");
    assert_eq!(old_row["replaced_by"], new["id"]);
    assert_eq!(
        old_row["expires_at"], "2026-11-02T09:00:00Z",
        "24 h default grace"
    );

    // Rotating a rotated credential is refused.
    let r = app
        .post(&format!("/v1/credentials/{}/rotate", old.id))
        .bearer_auth(&org.owner.token)
        .send()
        .await
        .unwrap();
    expect_problem(r, 409, "invalid_credential_state").await;

    // One second before the end of the grace period the old secret and token still work.
    app.clock
        .advance(Duration::hours(24) - Duration::seconds(1));
    let fresh_old = app.client_token(&old.client_id, &old.secret).await;
    assert_eq!(app.get_as(&fresh_old, "/v1/me").await.0, 200);

    app.clock.advance(Duration::seconds(1));
    let (s, _, body) = parts(app.token_request(&old.client_id, &old.secret).await).await;
    assert_eq!((s, body["error"].as_str()), (401, Some("invalid_client")));
    let r = app
        .get("/v1/me")
        .bearer_auth(&fresh_old)
        .send()
        .await
        .unwrap();
    expect_problem(r, 401, "credential_expired").await;
    let new_token = app
        .client_token(new["client_id"].as_str().unwrap(), new_secret)
        .await;
    assert_eq!(app.get_as(&new_token, "/v1/me").await.0, 200);

    // A custom grace period of zero stops the old credential at once.
    let owner = app.login_token(&org.owner.email, "sandbox").await;
    let newer = app.machine(&owner).await;
    let r = app
        .post(&format!("/v1/credentials/{}/rotate", newer.id))
        .bearer_auth(&owner)
        .json(&json!({"grace_period_seconds": 0}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 201);
    let r = app
        .get("/v1/me")
        .bearer_auth(&newer.token)
        .send()
        .await
        .unwrap();
    expect_problem(r, 401, "credential_expired").await;
    let r = app
        .post(&format!(
            "/v1/credentials/{}/rotate",
            new["id"].as_str().unwrap()
        ))
        .bearer_auth(&owner)
        .json(&json!({"grace_period_seconds": 99999999}))
        .send()
        .await
        .unwrap();
    let body = expect_problem(r, 422, "validation_failed").await;
    assert_eq!(body["errors"][0]["field"], "grace_period_seconds");
}

#[tokio::test]
async fn revocation_kills_issued_tokens_at_once() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    let m = app.machine(&org.owner.token).await;
    assert_eq!(app.get_as(&m.token, "/v1/me").await.0, 200);
    let r = app
        .post(&format!("/v1/credentials/{}/revoke", m.id))
        .bearer_auth(&org.owner.token)
        .send()
        .await
        .unwrap();
    let (s, _, body) = parts(r).await;
    assert_eq!((s, body["status"].as_str()), (200, Some("revoked")));
    let r = app
        .get("/v1/me")
        .bearer_auth(&m.token)
        .send()
        .await
        .unwrap();
    expect_problem(r, 401, "credential_revoked").await;
    let (s, _, body) = parts(app.token_request(&m.client_id, &m.secret).await).await;
    assert_eq!((s, body["error"].as_str()), (401, Some("invalid_client")));
    let r = app
        .post(&format!("/v1/credentials/{}/revoke", m.id))
        .bearer_auth(&org.owner.token)
        .send()
        .await
        .unwrap();
    expect_problem(r, 409, "credential_already_revoked").await;
}

#[tokio::test]
async fn live_needs_operator_approval_and_environments_never_see_each_other() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    let sandbox_machine = app.machine(&org.owner.token).await;

    let r = app.login(&org.owner.email, "live").await;
    expect_problem(r, 403, "live_access_not_enabled").await;
    let r = app
        .admin(
            Method::POST,
            &format!("/v1/admin/partners/{}/live-access", org.partner_id),
        )
        .json(&json!({"enabled": true}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);
    let live_owner = app.login_token(&org.owner.email, "live").await;
    let live_machine = app.machine(&live_owner).await;
    assert!(live_machine.secret.starts_with("onyx_sk_live_"));
    let (_, me) = app.get_as(&live_machine.token, "/v1/me").await;
    assert_eq!(me["environment"], "live");

    let (_, live_list) = app.get_as(&live_owner, "/v1/credentials").await;
    let ids: Vec<&str> = live_list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![live_machine.id.as_str()]);
    let (_, sandbox_list) = app.get_as(&org.owner.token, "/v1/credentials").await;
    let ids: Vec<&str> = sandbox_list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![sandbox_machine.id.as_str()]);
    // Acting on the other environment's credential is a 404.
    let r = app
        .post(&format!("/v1/credentials/{}/revoke", live_machine.id))
        .bearer_auth(&org.owner.token)
        .send()
        .await
        .unwrap();
    expect_problem(r, 404, "not_found").await;
    let r = app
        .post(&format!("/v1/credentials/{}/rotate", sandbox_machine.id))
        .bearer_auth(&live_owner)
        .send()
        .await
        .unwrap();
    expect_problem(r, 404, "not_found").await;

    // Turning live off again stops live tokens.
    app.admin(
        Method::POST,
        &format!("/v1/admin/partners/{}/live-access", org.partner_id),
    )
    .json(&json!({"enabled": false}))
    .send()
    .await
    .unwrap();
    let r = app
        .get("/v1/me")
        .bearer_auth(&live_machine.token)
        .send()
        .await
        .unwrap();
    expect_problem(r, 403, "live_access_not_enabled").await;
}

#[tokio::test]
async fn expired_tampered_and_wrong_algorithm_tokens_are_refused() {
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use base64::Engine;
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    let m = app.machine(&org.owner.token).await;
    let parts_of: Vec<&str> = m.token.split('.').collect();
    let claims: serde_json::Value =
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts_of[1]).unwrap()).unwrap();

    // Tampered payload (another partner id) with the original signature.
    let mut forged = claims.clone();
    forged["ptr"] = json!("ptr_someoneelse");
    let tampered = format!(
        "{}.{}.{}",
        parts_of[0],
        URL_SAFE_NO_PAD.encode(forged.to_string()),
        parts_of[2]
    );
    // alg "none" with no signature.
    let none = format!(
        "{}.{}.",
        URL_SAFE_NO_PAD.encode(r#"{"alg":"none","typ":"JWT"}"#),
        parts_of[1]
    );
    // Correct secret, but HS512 instead of HS256.
    let hs512 = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS512),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(b"test-jwt-secret-0123456789abcdefghijklmnop"),
    )
    .unwrap();
    // Signed with another key.
    let other_key = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(b"another-secret-another-secret-xx"),
    )
    .unwrap();
    for bad in [tampered, none, hs512, other_key, "not-a-jwt".to_string()] {
        let r = app.get("/v1/me").bearer_auth(&bad).send().await.unwrap();
        expect_problem(r, 401, "invalid_token").await;
    }
    let r = app.get("/v1/me").send().await.unwrap();
    let www = r.headers().get("www-authenticate").cloned();
    expect_problem(r, 401, "unauthenticated").await;
    assert_eq!(www.unwrap(), "Bearer");

    // Expiry follows the service clock: 15 minutes.
    app.clock.advance(Duration::minutes(15));
    let r = app
        .get("/v1/me")
        .bearer_auth(&m.token)
        .send()
        .await
        .unwrap();
    expect_problem(r, 401, "token_expired").await;
}

#[tokio::test]
async fn oauth_token_endpoint_speaks_oauth() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    let m = app.machine(&org.owner.token).await;

    // JSON body.
    let r = app.post("/v1/oauth/token")
        .json(&json!({"grant_type": "client_credentials", "client_id": m.client_id, "client_secret": m.secret}))
        .send().await.unwrap();
    let (s, h, body) = parts(r).await;
    assert_eq!(s, 200, "{body}");
    assert_eq!(h["cache-control"], "no-store");
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    // HTTP Basic.
    let r = app
        .post("/v1/oauth/token")
        .basic_auth(&m.client_id, Some(&m.secret))
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), 200);

    // A wrong secret and an unknown client id look exactly alike.
    let (s1, _, wrong_secret) =
        parts(app.token_request(&m.client_id, "onyx_sk_test_wrong").await).await;
    let (s2, h2, unknown_client) =
        parts(app.token_request("onyx_ci_test_unknown", &m.secret).await).await;
    assert_eq!((s1, s2), (401, 401));
    assert_eq!(wrong_secret["error"], "invalid_client");
    assert_eq!(
        wrong_secret["error_description"],
        unknown_client["error_description"]
    );
    assert!(h2["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));

    let r = app
        .post("/v1/oauth/token")
        .form(&[
            ("grant_type", "password"),
            ("client_id", "x"),
            ("client_secret", "y"),
        ])
        .send()
        .await
        .unwrap();
    let (s, _, body) = parts(r).await;
    assert_eq!(
        (s, body["error"].as_str()),
        (400, Some("unsupported_grant_type"))
    );
    let r = app
        .post("/v1/oauth/token")
        .form(&[("grant_type", "client_credentials")])
        .send()
        .await
        .unwrap();
    let (s, _, body) = parts(r).await;
    assert_eq!((s, body["error"].as_str()), (400, Some("invalid_request")));
    let r = app
        .post("/v1/oauth/token")
        .header("content-type", "text/plain")
        .body("hello")
        .send()
        .await
        .unwrap();
    let (s, _, body) = parts(r).await;
    assert_eq!((s, body["error"].as_str()), (400, Some("invalid_request")));
}

#[tokio::test]
async fn guessing_is_bounded_with_429_and_retry_after() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    let wrong = |pw: &'static str| {
        app.post("/v1/auth/login")
            .json(&json!({"email": org.owner.email, "password": pw}))
            .send()
    };
    for _ in 0..5 {
        expect_problem(wrong("wrong password").await.unwrap(), 401, "invalid_login").await;
    }
    // Locked: even the right password is refused until the window ends.
    let r = app.login(&org.owner.email, "sandbox").await;
    let retry = r
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    expect_problem(r, 429, "rate_limited").await;
    assert_eq!(retry.as_deref(), Some("900"));
    // An unknown email gets the same answer as a wrong password.
    let r = app
        .post("/v1/auth/login")
        .json(&json!({"email": "ghost@acme.example", "password": "x"}))
        .send()
        .await
        .unwrap();
    expect_problem(r, 401, "invalid_login").await;

    app.clock.advance(Duration::minutes(15));
    let owner = app.login_token(&org.owner.email, "sandbox").await;

    // Token endpoint: 10 failures per client id.
    let m = app.machine(&owner).await;
    for _ in 0..10 {
        let (s, _, _) = parts(app.token_request(&m.client_id, "onyx_sk_test_guess").await).await;
        assert_eq!(s, 401);
    }
    let r = app.token_request(&m.client_id, &m.secret).await;
    assert!(r.headers().contains_key("retry-after"));
    expect_problem(r, 429, "rate_limited").await;
}

#[tokio::test]
async fn audit_log_records_security_actions_without_secrets() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    let dev = app.add_member(&org, "developer").await;
    let m = app.machine(&dev.token).await;
    app.post(&format!("/v1/credentials/{}/rotate", m.id))
        .bearer_auth(&dev.token)
        .send()
        .await
        .unwrap();
    app.post(&format!("/v1/credentials/{}/revoke", m.id))
        .bearer_auth(&dev.token)
        .send()
        .await
        .unwrap();
    app.request(Method::PATCH, &format!("/v1/members/{}", dev.id))
        .bearer_auth(&org.owner.token)
        .json(&json!({"role": "viewer"}))
        .send()
        .await
        .unwrap();
    app.post("/v1/auth/login")
        .json(&json!({"email": dev.email, "password": "nope nope nope"}))
        .send()
        .await
        .unwrap();

    let (s, log) = app
        .get_as(&org.owner.token, "/v1/audit-log?limit=100")
        .await;
    assert_eq!(s, 200);
    let actions: Vec<&str> = log["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    for expected in [
        "partner.created",
        "partner.approved",
        "invitation.created",
        "invitation.accepted",
        "auth.login_succeeded",
        "credential.created",
        "credential.rotated",
        "credential.revoked",
        "member.role_changed",
        "auth.login_failed",
    ] {
        assert!(actions.contains(&expected), "{expected} in {actions:?}");
    }
    let rotated = log["data"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "credential.rotated")
        .unwrap();
    assert_eq!(rotated["actor_id"], dev.id.as_str());
    assert_eq!(rotated["target_id"], m.id.as_str());
    let text = log.to_string();
    assert!(!text.contains(&m.secret) && !text.contains(PASSWORD) && !text.contains("onyx_inv_"));
    // Filter by action.
    let (_, only) = app
        .get_as(&org.owner.token, "/v1/audit-log?action=credential.revoked")
        .await;
    assert_eq!(only["data"].as_array().unwrap().len(), 1);
    // Developers may not read it.
    let r = app
        .get("/v1/audit-log")
        .bearer_auth(&dev.token)
        .send()
        .await
        .unwrap();
    expect_problem(r, 403, "forbidden").await;

    // Nothing secret reached the logs either.
    let logged = logs().contents();
    for secret in [
        m.secret.as_str(),
        PASSWORD,
        m.token.as_str(),
        org.owner.token.as_str(),
    ] {
        assert!(!logged.contains(secret), "a secret reached the logs");
    }
}

#[tokio::test]
async fn each_credential_has_its_own_rate_limit_with_retry_after() {
    let mut opts = crate::helpers::TestOptions::default();
    opts.env.push(("ONYX_RATE_LIMIT_PER_MINUTE", "5".into()));
    let app = TestApp::spawn_with(opts).await;
    let org = app.onboard("Acme").await;
    let a = app.machine(&org.owner.token).await;
    let b = app.machine(&org.owner.token).await;
    for _ in 0..5 {
        assert_eq!(app.get_as(&a.token, "/v1/me").await.0, 200);
    }
    let r = app
        .get("/v1/me")
        .bearer_auth(&a.token)
        .send()
        .await
        .unwrap();
    let retry: u64 = r.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    expect_problem(r, 429, "rate_limited").await;
    assert_eq!(
        app.get_as(&b.token, "/v1/me").await.0,
        200,
        "another credential is not affected"
    );
}

#[tokio::test]
async fn simultaneous_failed_logins_are_all_counted_and_never_fail_the_server() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    let mut handles = Vec::new();
    for _ in 0..10 {
        let req = app
            .post("/v1/auth/login")
            .json(&json!({"email": org.owner.email, "password": "wrong password"}));
        handles.push(tokio::spawn(async move {
            req.send().await.unwrap().status().as_u16()
        }));
    }
    for h in handles {
        let s = h.await.unwrap();
        assert!(s == 401 || s == 429, "{s}");
    }
    // Ten failures within the window: even the right password is refused now.
    let r = app.login(&org.owner.email, "sandbox").await;
    expect_problem(r, 429, "rate_limited").await;
    let failures: i32 = app.db_query(|c| {
        use onyx::db::schema::auth_failures as af;
        af::table
            .find(format!("login:{}", org.owner.email))
            .select(af::failures)
            .first(c)
            .unwrap()
    });
    assert!(failures >= 5, "{failures}");
}

//! Identity and access: operator → partner → invitation → login → credential → token.

use chrono::Duration;
use diesel::prelude::*;
use reqwest::Method;
use serde_json::json;

use crate::helpers::{logs, Fetch, TestApp, ADMIN_TOKEN, PASSWORD};

#[tokio::test]
async fn full_flow_from_operator_to_an_authenticated_machine_call() {
    let app = TestApp::spawn().await;
    let (partner_id, invitation) = app
        .create_partner("Wanderlust", "Owner@Wanderlust.example")
        .await;
    assert!(partner_id.starts_with("ptr_"));
    assert!(invitation.starts_with("onyx_inv_"));

    let partner = app
        .operator()
        .get_ok(&format!("/v1/admin/partners/{partner_id}"))
        .await;
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
    let login = resp.expect(200);
    assert_eq!(resp.header("cache-control"), Some("no-store"));
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

    let me = app.bearer(&machine.token).get_ok("/v1/me").await;
    assert_eq!(me["partner_id"], partner_id.as_str());
    assert_eq!(me["environment"], "sandbox");
    assert_eq!(me["actor_type"], "credential");
    assert_eq!(me["actor_id"], machine.id.as_str());
    assert!(me["role"].is_null());

    // The credential list never shows the secret again, and records last use.
    let list = app.bearer(&owner_token).get_ok("/v1/credentials").await;
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
    for caller in [
        app.anon(),
        app.bearer("wrong-token-0123456789"),
        app.bearer(&org.owner.token),
    ] {
        caller
            .get("/v1/admin/partners")
            .await
            .expect_problem(401, "unauthenticated");
    }
    // The operator token is not a partner token either.
    app.bearer(ADMIN_TOKEN)
        .get("/v1/me")
        .await
        .expect_problem(401, "invalid_token");
    let list = app.operator().get_ok("/v1/admin/partners").await;
    assert_eq!(list["data"][0]["id"], org.partner_id.as_str());
}

#[tokio::test]
async fn partner_states_follow_one_state_machine_and_suspension_refuses_every_call() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    let machine = app.machine(&org.owner.token).await;
    let path = |a: &str| format!("/v1/admin/partners/{}/{a}", org.partner_id);
    let operator = app.operator();

    for action in ["approve", "reinstate"] {
        operator
            .post_empty(&path(action))
            .await
            .expect_problem(409, "invalid_partner_state");
    }

    let p = operator
        .post(&path("suspend"), &json!({"reason": "Unpaid invoice"}))
        .await
        .expect(200);
    assert_eq!(p["status"], "suspended");
    assert_eq!(p["suspension_reason"], "Unpaid invoice");

    for token in [&org.owner.token, &machine.token] {
        app.bearer(token)
            .get("/v1/me")
            .await
            .expect_problem(403, "partner_suspended");
    }
    let body = app
        .token_request(&machine.client_id, &machine.secret)
        .await
        .expect(400);
    assert_eq!(body["error"], "unauthorized_client");
    app.login(&org.owner.email, "sandbox")
        .await
        .expect_problem(403, "partner_suspended");
    operator
        .post(&path("suspend"), &json!({"reason": "again"}))
        .await
        .expect_problem(409, "invalid_partner_state");

    let p = operator.post_empty(&path("reinstate")).await.expect(200);
    assert_eq!(p["status"], "approved");
    app.bearer(&machine.token).get_ok("/v1/me").await;

    // Live access needs an approved partner.
    let (pending, _) = app
        .create_partner("Pending Co", "owner@pending.example")
        .await;
    operator
        .post(
            &format!("/v1/admin/partners/{pending}/live-access"),
            &json!({"enabled": true}),
        )
        .await
        .expect_problem(409, "invalid_partner_state");
    operator
        .get("/v1/admin/partners/ptr_doesnotexist")
        .await
        .expect_problem(404, "not_found");
}

#[tokio::test]
async fn invitations_expire_are_single_use_and_unknown_tokens_are_refused() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    let invite = |email: &str| {
        app.bearer(&org.owner.token).post(
            "/v1/invitations",
            &json!({"email": email, "role": "developer"}),
        )
    };
    let first = invite("dev1@acme.example").await.expect(201);
    assert_eq!(first["role"], "developer");
    let token = first["token"].as_str().unwrap().to_string();
    let second = invite("dev2@acme.example").await.body;
    let expiring = second["token"].as_str().unwrap().to_string();
    let accept = |token: &str, name: &str, password: &str| {
        app.anon().post(
            "/v1/invitations/accept",
            &json!({"token": token, "name": name, "password": password}),
        )
    };

    app.accept(&token, "Dev One").await;
    accept(&token, "Dev One", PASSWORD)
        .await
        .expect_problem(409, "invitation_already_accepted");

    // Default lifetime is 7 days: one second before, still valid for a peek; after, expired.
    app.clock.advance(Duration::days(7));
    accept(&expiring, "Dev Two", PASSWORD)
        .await
        .expect_problem(422, "invitation_expired");
    accept("onyx_inv_nope", "X", PASSWORD)
        .await
        .expect_problem(404, "invitation_not_found");
    let body = accept(&expiring, "X", "short")
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(body["errors"][0]["field"], "password");

    // Inviting an existing member's email is a conflict.
    let owner = app.bearer(&app.login_token(&org.owner.email, "sandbox").await);
    owner
        .post(
            "/v1/invitations",
            &json!({"email": "dev1@acme.example", "role": "viewer"}),
        )
        .await
        .expect_problem(409, "email_taken");

    // The list shows statuses, never tokens.
    let list = owner.get_ok("/v1/invitations").await;
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
    let admin_path = format!("/v1/members/{}", admin.id);
    let (owner, admin) = (app.bearer(&org.owner.token), app.bearer(&admin.token));

    owner
        .patch(&member_path, &json!({"role": "admin"}))
        .await
        .expect_problem(409, "last_owner");
    owner
        .delete(&member_path)
        .await
        .expect_problem(409, "last_owner");

    // Admins may not touch owners or make owners.
    admin
        .delete(&member_path)
        .await
        .expect_problem(403, "owner_required");
    admin
        .patch(&admin_path, &json!({"role": "owner"}))
        .await
        .expect_problem(403, "owner_required");
    admin
        .post(
            "/v1/invitations",
            &json!({"email": "x@acme.example", "role": "owner"}),
        )
        .await
        .expect_problem(403, "owner_required");

    // With a second owner the first can step down.
    let b = owner
        .patch(&admin_path, &json!({"role": "owner"}))
        .await
        .expect(200);
    assert_eq!(b["role"], "owner");
    let b = owner
        .patch(&member_path, &json!({"role": "viewer"}))
        .await
        .expect(200);
    assert_eq!(b["role"], "viewer");
    // The role change applies to the token already issued.
    let me = owner.get_ok("/v1/me").await;
    assert_eq!(me["role"], "viewer");
    owner
        .get("/v1/invitations")
        .await
        .expect_problem(403, "forbidden");

    // Removing a member stops their token at once.
    admin.delete(&member_path).await.expect(204);
    owner
        .get("/v1/me")
        .await
        .expect_problem(401, "member_removed");
    let members = admin.get_ok("/v1/members").await;
    assert_eq!(members["data"].as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn rotation_keeps_the_old_secret_for_the_grace_period_then_stops_it() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    let old = app.machine(&org.owner.token).await;
    let owner = app.bearer(&org.owner.token);
    let rotate_old = format!("/v1/credentials/{}/rotate", old.id);

    let new = owner.post_empty(&rotate_old).await.expect(201);
    let new_secret = new["client_secret"].as_str().unwrap();
    assert!(new_secret.starts_with("onyx_sk_test_"));
    assert_ne!(new["client_id"], old.client_id.as_str());
    let new_token = app
        .client_token(new["client_id"].as_str().unwrap(), new_secret)
        .await;
    app.bearer(&new_token).get_ok("/v1/me").await;

    let list = owner.get_ok("/v1/credentials").await;
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
    owner
        .post_empty(&rotate_old)
        .await
        .expect_problem(409, "invalid_credential_state");

    // One second before the end of the grace period the old secret and token still work.
    app.clock
        .advance(Duration::hours(24) - Duration::seconds(1));
    let fresh_old = app.bearer(&app.client_token(&old.client_id, &old.secret).await);
    fresh_old.get_ok("/v1/me").await;

    app.clock.advance(Duration::seconds(1));
    let body = app
        .token_request(&old.client_id, &old.secret)
        .await
        .expect(401);
    assert_eq!(body["error"], "invalid_client");
    fresh_old
        .get("/v1/me")
        .await
        .expect_problem(401, "credential_expired");
    let new_token = app
        .client_token(new["client_id"].as_str().unwrap(), new_secret)
        .await;
    app.bearer(&new_token).get_ok("/v1/me").await;

    // A custom grace period of zero stops the old credential at once.
    let owner_token = app.login_token(&org.owner.email, "sandbox").await;
    let owner = app.bearer(&owner_token);
    let newer = app.machine(&owner_token).await;
    owner
        .post(
            &format!("/v1/credentials/{}/rotate", newer.id),
            &json!({"grace_period_seconds": 0}),
        )
        .await
        .expect(201);
    app.bearer(&newer.token)
        .get("/v1/me")
        .await
        .expect_problem(401, "credential_expired");
    let body = owner
        .post(
            &format!("/v1/credentials/{}/rotate", new["id"].as_str().unwrap()),
            &json!({"grace_period_seconds": 99999999}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(body["errors"][0]["field"], "grace_period_seconds");
}

#[tokio::test]
async fn revocation_kills_issued_tokens_at_once() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    let m = app.machine(&org.owner.token).await;
    let (owner, machine) = (app.bearer(&org.owner.token), app.bearer(&m.token));
    let revoke = format!("/v1/credentials/{}/revoke", m.id);
    machine.get_ok("/v1/me").await;
    let body = owner.post_empty(&revoke).await.expect(200);
    assert_eq!(body["status"], "revoked");
    machine
        .get("/v1/me")
        .await
        .expect_problem(401, "credential_revoked");
    let body = app.token_request(&m.client_id, &m.secret).await.expect(401);
    assert_eq!(body["error"], "invalid_client");
    owner
        .post_empty(&revoke)
        .await
        .expect_problem(409, "credential_already_revoked");
}

#[tokio::test]
async fn live_needs_operator_approval_and_environments_never_see_each_other() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    let sandbox_machine = app.machine(&org.owner.token).await;

    app.login(&org.owner.email, "live")
        .await
        .expect_problem(403, "live_access_not_enabled");
    app.enable_live(&org.partner_id).await;
    let live_owner = app.login_token(&org.owner.email, "live").await;
    let live_machine = app.machine(&live_owner).await;
    assert!(live_machine.secret.starts_with("onyx_sk_live_"));
    let me = app.bearer(&live_machine.token).get_ok("/v1/me").await;
    assert_eq!(me["environment"], "live");

    let live_owner = app.bearer(&live_owner);
    let live_list = live_owner.get_ok("/v1/credentials").await;
    let ids: Vec<&str> = live_list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![live_machine.id.as_str()]);
    let sandbox_owner = app.bearer(&org.owner.token);
    let sandbox_list = sandbox_owner.get_ok("/v1/credentials").await;
    let ids: Vec<&str> = sandbox_list["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, vec![sandbox_machine.id.as_str()]);
    // Acting on the other environment's credential is a 404.
    sandbox_owner
        .post_empty(&format!("/v1/credentials/{}/revoke", live_machine.id))
        .await
        .expect_problem(404, "not_found");
    live_owner
        .post_empty(&format!("/v1/credentials/{}/rotate", sandbox_machine.id))
        .await
        .expect_problem(404, "not_found");

    // Turning live off again stops live tokens.
    app.operator()
        .post(
            &format!("/v1/admin/partners/{}/live-access", org.partner_id),
            &json!({"enabled": false}),
        )
        .await;
    app.bearer(&live_machine.token)
        .get("/v1/me")
        .await
        .expect_problem(403, "live_access_not_enabled");
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
        app.bearer(&bad)
            .get("/v1/me")
            .await
            .expect_problem(401, "invalid_token");
    }
    let r = app.anon().get("/v1/me").await;
    r.expect_problem(401, "unauthenticated");
    assert_eq!(r.header("www-authenticate"), Some("Bearer"));

    // Expiry follows the service clock: 15 minutes.
    app.clock.advance(Duration::minutes(15));
    app.bearer(&m.token)
        .get("/v1/me")
        .await
        .expect_problem(401, "token_expired");
}

#[tokio::test]
async fn oauth_token_endpoint_speaks_oauth() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    let m = app.machine(&org.owner.token).await;

    let anon = app.anon();
    let token_path = "/v1/oauth/token";

    // JSON body.
    let r = anon
        .post(
            token_path,
            &json!({"grant_type": "client_credentials", "client_id": m.client_id, "client_secret": m.secret}),
        )
        .await;
    let body = r.expect(200);
    assert_eq!(r.header("cache-control"), Some("no-store"));
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 900);
    // HTTP Basic.
    anon.request(Method::POST, token_path)
        .basic_auth(&m.client_id, Some(&m.secret))
        .form(&[("grant_type", "client_credentials")])
        .fetch()
        .await
        .expect(200);

    // A wrong secret and an unknown client id look exactly alike.
    let wrong_secret = app
        .token_request(&m.client_id, "onyx_sk_test_wrong")
        .await
        .expect(401);
    let r = app.token_request("onyx_ci_test_unknown", &m.secret).await;
    let unknown_client = r.expect(401);
    assert_eq!(wrong_secret["error"], "invalid_client");
    assert_eq!(
        wrong_secret["error_description"],
        unknown_client["error_description"]
    );
    assert!(r
        .header("content-type")
        .unwrap()
        .starts_with("application/json"));

    let body = anon
        .post_form(
            token_path,
            &[
                ("grant_type", "password"),
                ("client_id", "x"),
                ("client_secret", "y"),
            ],
        )
        .await
        .expect(400);
    assert_eq!(body["error"], "unsupported_grant_type");
    let body = anon
        .post_form(token_path, &[("grant_type", "client_credentials")])
        .await
        .expect(400);
    assert_eq!(body["error"], "invalid_request");
    let body = anon
        .request(Method::POST, token_path)
        .header("content-type", "text/plain")
        .body("hello")
        .fetch()
        .await
        .expect(400);
    assert_eq!(body["error"], "invalid_request");
}

#[tokio::test]
async fn guessing_is_bounded_with_429_and_retry_after() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    let login = |email: &str, password: &str| {
        app.anon().post(
            "/v1/auth/login",
            &json!({"email": email, "password": password}),
        )
    };
    for _ in 0..5 {
        login(&org.owner.email, "wrong password")
            .await
            .expect_problem(401, "invalid_login");
    }
    // Locked: even the right password is refused until the window ends.
    let r = app.login(&org.owner.email, "sandbox").await;
    r.expect_problem(429, "rate_limited");
    assert_eq!(r.header("retry-after"), Some("900"));
    // An unknown email gets the same answer as a wrong password.
    login("ghost@acme.example", "x")
        .await
        .expect_problem(401, "invalid_login");

    app.clock.advance(Duration::minutes(15));
    let owner = app.login_token(&org.owner.email, "sandbox").await;

    // Token endpoint: 10 failures per client id.
    let m = app.machine(&owner).await;
    for _ in 0..10 {
        let r = app.token_request(&m.client_id, "onyx_sk_test_guess").await;
        assert_eq!(r.status, 401);
    }
    let r = app.token_request(&m.client_id, &m.secret).await;
    assert!(r.header("retry-after").is_some());
    r.expect_problem(429, "rate_limited");
}

#[tokio::test]
async fn audit_log_records_security_actions_without_secrets() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    let dev = app.add_member(&org, "developer").await;
    let m = app.machine(&dev.token).await;
    let (owner, developer) = (app.bearer(&org.owner.token), app.bearer(&dev.token));
    developer
        .post_empty(&format!("/v1/credentials/{}/rotate", m.id))
        .await;
    developer
        .post_empty(&format!("/v1/credentials/{}/revoke", m.id))
        .await;
    owner
        .patch(
            &format!("/v1/members/{}", dev.id),
            &json!({"role": "viewer"}),
        )
        .await;
    app.anon()
        .post(
            "/v1/auth/login",
            &json!({"email": dev.email, "password": "nope nope nope"}),
        )
        .await;

    let log = owner.get_ok("/v1/audit-log?limit=100").await;
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
    let only = owner
        .get_ok("/v1/audit-log?action=credential.revoked")
        .await;
    assert_eq!(only["data"].as_array().unwrap().len(), 1);
    // Developers may not read it.
    developer
        .get("/v1/audit-log")
        .await
        .expect_problem(403, "forbidden");

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
    let a = app.bearer(&a.token);
    for _ in 0..5 {
        a.get_ok("/v1/me").await;
    }
    let r = a.get("/v1/me").await;
    let retry: u64 = r.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry), "{retry}");
    r.expect_problem(429, "rate_limited");
    assert_eq!(
        app.bearer(&b.token).get("/v1/me").await.status,
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
        handles.push(tokio::spawn(app.anon().post(
            "/v1/auth/login",
            &json!({"email": org.owner.email, "password": "wrong password"}),
        )));
    }
    for h in handles {
        let s = h.await.unwrap().status;
        assert!(s == 401 || s == 429, "{s}");
    }
    // Ten failures within the window: even the right password is refused now.
    app.login(&org.owner.email, "sandbox")
        .await
        .expect_problem(429, "rate_limited");
    let failures: i32 = app.db_query(|c| {
        use onyx::db::schema::auth_failures as af;
        af::table
            .find(onyx::auth::throttle::key(
                "login",
                &org.owner.email,
                &app.state.config.jwt_secret,
            ))
            .select(af::failures)
            .first(c)
            .unwrap()
    });
    assert!(failures >= 5, "{failures}");
}

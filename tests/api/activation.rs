//! Activation materials, install guidance, recovery and usage.

use diesel::prelude::*;
use reqwest::Method;
use serde_json::{json, Value};

use crate::catalogue::approve;
use crate::helpers::{logs, Fetch, TestApp};
use crate::orders::{activate, activate_with, create_order, shop, Shop};

/// An activated (ready to install) service; returns its id.
async fn ready_service(app: &TestApp, shop: &Shop, items: &[&str], identity: bool) -> String {
    let mut body = activate(items);
    if identity {
        body["compliance"] = json!({"identity_verified": true});
    }
    let order = create_order(app, &shop.machine.token, &body).await;
    app.drain().await;
    order["service_id"].as_str().unwrap().to_string()
}

async fn install(app: &TestApp, token: &str, svc: &str) {
    app.bearer(token)
        .post_empty(&format!("/v1/sandbox/services/{svc}/install"))
        .await
        .expect(200);
}

fn luhn_ok(digits: &str) -> bool {
    let d: Vec<u32> = digits.chars().map(|c| c.to_digit(10).unwrap()).collect();
    onyx::services::luhn_check_digit(&d[..d.len() - 1]) == d[d.len() - 1]
}

#[tokio::test]
async fn materials_are_issued_when_ready_served_no_store_and_every_read_is_audited() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let token = &shop.machine.token;
    let machine = app.bearer(token);
    let waiting = create_order(&app, token, &activate_with(&["fr-plan"], "manual")).await;
    machine
        .get(&format!(
            "/v1/services/{}/activation",
            waiting["service_id"].as_str().unwrap()
        ))
        .await
        .expect_problem(409, "activation_not_ready");

    let svc = ready_service(&app, &shop, &["fr-plan"], false).await;
    let activation = format!("/v1/services/{svc}/activation");
    let r = machine.get(&activation).await;
    let m = r.expect(200);
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let matching = m["matching_id"].as_str().unwrap();
    assert_eq!(
        m["activation_code"],
        format!("LPA:1$smdp.onyx.example${matching}")
    );
    assert_eq!(m["smdp_address"], "smdp.onyx.example");
    assert_eq!(m["confirmation_code_required"], false);
    assert!(m["confirmation_code"].is_null());
    let iccid = m["iccid"].as_str().unwrap();
    assert!(
        (19..=20).contains(&iccid.len()) && luhn_ok(iccid),
        "{iccid}"
    );
    assert_eq!(m["status"], "retrieved");
    assert!(m["install_links"]["ios"]
        .as_str()
        .unwrap()
        .starts_with("https://esimsetup.apple.com/esim_qrcode_provisioning?carddata=LPA%3A1%24"));
    let service = machine.get_ok(&format!("/v1/services/{svc}")).await;
    assert_eq!(service["iccid"], iccid);

    // Read again: still the same materials; two audit entries.
    let again = machine.get_ok(&activation).await;
    assert_eq!(again["matching_id"], matching);
    let audit = app
        .bearer(&shop.org.owner.token)
        .get_ok("/v1/audit-log?action=activation.read")
        .await;
    let reads = audit["data"].as_array().unwrap();
    assert_eq!(reads.len(), 2);
    assert_eq!(reads[0]["target_id"], svc.as_str());
    assert_eq!(reads[0]["actor_id"], shop.machine.id.as_str());
    assert!(
        !audit.to_string().contains(matching),
        "no secret in the audit log"
    );

    // Installing uses them.
    install(&app, token, &svc).await;
    let used = machine.get_ok(&activation).await;
    assert_eq!(used["status"], "installed");
    assert!(used["installed_at"].is_string());

    // Roles: developers and billing may not read them; support may.
    let dev = app.add_member(&shop.org, "developer").await;
    app.bearer(&dev.token)
        .get(&activation)
        .await
        .expect_problem(403, "forbidden");
    let support = app.add_member(&shop.org, "support").await;
    app.bearer(&support.token).get_ok(&activation).await;
}

#[tokio::test]
async fn materials_never_reach_logs_lists_events_or_the_database_in_clear() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let token = &shop.machine.token;
    app.fund(&shop.org.partner_id, "sandbox", "USD", 5_000)
        .await;
    let svc = ready_service(&app, &shop, &["jp-id-plan"], true).await;
    let machine = app.bearer(token);
    let m = machine
        .get_ok(&format!("/v1/services/{svc}/activation"))
        .await;
    let matching = m["matching_id"].as_str().unwrap().to_string();
    let code = m["activation_code"].as_str().unwrap().to_string();
    let confirmation = m["confirmation_code"].as_str().unwrap().to_string();
    assert!(code.ends_with("$$1"), "confirmation flag: {code}");
    assert_eq!(confirmation.len(), 8);
    machine
        .get(&format!("/v1/services/{svc}/activation/qr"))
        .await;
    install(&app, token, &svc).await;

    // Logs (everything this test binary's services logged).
    let logged = logs().contents();
    for secret in [&matching, &code, &confirmation] {
        assert!(
            !logged.contains(secret.as_str()),
            "a secret reached the logs"
        );
    }
    // Lists and events.
    for path in [
        "/v1/services",
        "/v1/orders?limit=100",
        &format!("/v1/services/{svc}"),
        &format!("/v1/services/{svc}/usage"),
    ] {
        let body = machine.get_ok(path).await;
        assert!(
            !body.to_string().contains(&matching),
            "{path} leaks materials"
        );
    }
    let event_data: Vec<String> = app.db_query(|c| {
        onyx::db::schema::events::table
            .select(onyx::db::schema::events::data)
            .load(c)
            .unwrap()
    });
    assert!(event_data
        .iter()
        .all(|d| !d.contains(&matching) && !d.contains(&code)));
    // At rest: the row holds ciphertext only.
    let rows: Vec<(Vec<u8>, String)> = app.db_query(|c| {
        use onyx::db::schema::activation_materials as am;
        am::table
            .select((am::ciphertext, am::smdp_address))
            .load(c)
            .unwrap()
    });
    assert!(!rows.is_empty());
    for (ciphertext, _) in &rows {
        let text = String::from_utf8_lossy(ciphertext);
        assert!(!text.contains(&matching) && !text.contains(&confirmation));
        assert!(ciphertext.len() > matching.len(), "sealed, with its tag");
    }
}

#[tokio::test]
async fn the_qr_code_decodes_back_to_the_activation_code() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let token = &shop.machine.token;
    let svc = ready_service(&app, &shop, &["fr-plan"], false).await;
    let machine = app.bearer(token);
    let m = machine
        .get_ok(&format!("/v1/services/{svc}/activation"))
        .await;
    let code = m["activation_code"].as_str().unwrap();

    let qr = format!("/v1/services/{svc}/activation/qr");
    let r = machine.get(&qr).await;
    assert_eq!(r.status, 200);
    assert_eq!(r.header("content-type"), Some("image/png"));
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let decoder = png::Decoder::new(std::io::Cursor::new(r.bytes().to_vec()));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let (w, h) = (info.width as usize, info.height as usize);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| buf[y * w + x]);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1);
    let (_, decoded) = grids[0].decode().unwrap();
    assert_eq!(decoded, code);

    let accepting = |accept: &str| {
        machine
            .request(Method::GET, &qr)
            .header("accept", accept)
            .fetch()
    };
    let r = accepting("image/svg+xml").await;
    assert_eq!(r.header("content-type"), Some("image/svg+xml"));
    assert!(r.text().starts_with("<?xml"));
    accepting("text/plain")
        .await
        .expect_problem(406, "not_acceptable");
    let audit = app
        .bearer(&shop.org.owner.token)
        .get_ok("/v1/audit-log?action=activation.read")
        .await;
    let formats: Vec<&str> = audit["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["details"]["format"].as_str().unwrap())
        .collect();
    assert_eq!(formats, vec!["svg", "png", "json"]);
}

#[tokio::test]
async fn a_swap_revokes_the_old_materials_and_cancellation_revokes_all() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let token = &shop.machine.token;
    let svc = ready_service(&app, &shop, &["fr-plan"], false).await;
    let machine = app.bearer(token);
    let activation = format!("/v1/services/{svc}/activation");
    let old = machine.get_ok(&activation).await;
    install(&app, token, &svc).await;
    create_order(
        &app,
        token,
        &json!({"type": "swap_sim", "customer_reference": "cust-42", "service_id": svc}),
    )
    .await;
    app.drain().await;
    let new = machine.get_ok(&activation).await;
    assert_ne!(new["id"], old["id"]);
    assert_ne!(new["matching_id"], old["matching_id"]);
    assert_ne!(new["iccid"], old["iccid"]);
    let statuses: Vec<(String, String)> = app.db_query(|c| {
        use onyx::db::schema::activation_materials as am;
        am::table
            .order(am::created_at.asc())
            .then_order_by(am::id.asc())
            .select((am::id, am::status))
            .load(c)
            .unwrap()
    });
    assert_eq!(statuses.len(), 2);
    assert_eq!(
        statuses[0],
        (
            old["id"].as_str().unwrap().to_string(),
            "revoked".to_string()
        )
    );
    assert_eq!(statuses[1].1, "retrieved");

    create_order(
        &app,
        token,
        &json!({"type": "cancel_subscription", "customer_reference": "cust-42", "service_id": svc}),
    )
    .await;
    app.drain().await;
    for path in [activation.clone(), format!("{activation}/qr")] {
        machine
            .get(&path)
            .await
            .expect_problem(409, "activation_materials_revoked");
    }
}

#[tokio::test]
async fn install_guidance_is_ordered_data_per_platform() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let token = &shop.machine.token;
    let local = ready_service(&app, &shop, &["fr-plan"], false).await;
    let machine = app.bearer(token);
    for platform in ["ios", "android", "other"] {
        let g = machine
            .get_ok(&format!(
                "/v1/services/{local}/install-guidance?platform={platform}"
            ))
            .await;
        assert_eq!(g["platform"], platform);
        let kinds: Vec<&str> = g["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["kind"].as_str().unwrap())
            .collect();
        assert_eq!(
            kinds,
            vec![
                "install_profile",
                "select_active_line",
                "enable_roaming",
                "wait_for_network_registration",
                "restart_device"
            ]
        );
        let positions: Vec<i64> = g["steps"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["position"].as_i64().unwrap())
            .collect();
        assert_eq!(positions, vec![1, 2, 3, 4, 5]);
        assert_eq!(
            g["steps"][2]["required"], false,
            "local coverage: roaming only if needed"
        );
        assert_eq!(
            g["steps"][4]["required"], false,
            "restart only if instructed"
        );
        assert!(g["steps"][4]["condition"].is_string());
    }
    for (platform, words) in [
        ("ios", "Settings > Cellular"),
        ("android", "Network & internet"),
    ] {
        let g = machine
            .get_ok(&format!(
                "/v1/services/{local}/install-guidance?platform={platform}"
            ))
            .await;
        let first = g["steps"][0]["instructions"].as_str().unwrap();
        assert!(first.contains(words), "{platform}: {first}");
    }

    // Regional coverage needs roaming.
    let mut regional = crate::catalogue::package("eu-plan");
    regional["coverage_type"] = json!("regional");
    regional["countries"] = json!(["FR", "DE"]);
    crate::catalogue::create_package(&app, &regional).await;
    approve(&app, &shop.org.partner_id, "eu-plan").await;
    let eu = ready_service(&app, &shop, &["eu-plan"], false).await;
    let g = machine
        .get_ok(&format!("/v1/services/{eu}/install-guidance?platform=ios"))
        .await;
    assert_eq!(g["steps"][2]["required"], true);

    machine
        .get(&format!(
            "/v1/services/{local}/install-guidance?platform=windows"
        ))
        .await
        .expect_problem(400, "invalid_query");
    let waiting = create_order(&app, token, &activate_with(&["fr-plan-b"], "manual")).await;
    machine
        .get(&format!(
            "/v1/services/{}/install-guidance?platform=ios",
            waiting["service_id"].as_str().unwrap()
        ))
        .await
        .expect_problem(409, "service_not_ready");
}

async fn recovery(app: &TestApp, token: &str, svc: &str, device: &str) -> Value {
    app.bearer(token)
        .post(
            &format!("/v1/services/{svc}/recovery"),
            &json!({"device_state": device}),
        )
        .await
        .expect(200)
}

#[tokio::test]
async fn each_recovery_rule_gives_its_approved_path() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let token = &shop.machine.token;
    let check = |b: &Value, rule: &str, action: &str, delete: bool| {
        assert_eq!(
            (
                b["rule"].as_str(),
                b["action"].as_str(),
                b["delete_profile_advised"].as_bool()
            ),
            (Some(rule), Some(action), Some(delete)),
            "{b}"
        );
        assert!(!b["steps"].as_array().unwrap().is_empty());
    };

    // Still preparing.
    let waiting = create_order(&app, token, &activate_with(&["fr-plan-b"], "manual")).await;
    let waiting_svc = waiting["service_id"].as_str().unwrap().to_string();
    check(
        &recovery(&app, token, &waiting_svc, "install_interrupted").await,
        "service_not_provisioned",
        "wait",
        false,
    );

    // Ready, materials unused: reinstall with the same materials, whatever happened.
    let svc = ready_service(&app, &shop, &["fr-plan"], false).await;
    for device in ["install_interrupted", "profile_deleted", "new_device"] {
        check(
            &recovery(&app, token, &svc, device).await,
            "reinstall_unused_materials",
            "reinstall_with_current_materials",
            false,
        );
    }
    check(
        &recovery(&app, token, &svc, "installed_no_network").await,
        "install_not_confirmed",
        "reinstall_with_current_materials",
        false,
    );

    // Installed: network trouble is troubleshooting; a lost profile needs a swap.
    install(&app, token, &svc).await;
    check(
        &recovery(&app, token, &svc, "installed_no_network").await,
        "network_troubleshooting",
        "troubleshoot_network",
        false,
    );
    for device in ["install_interrupted", "profile_deleted", "new_device"] {
        check(
            &recovery(&app, token, &svc, device).await,
            "materials_used_order_swap",
            "order_sim_swap",
            false,
        );
    }

    // After a swap, the device still holds the old profile: the one path that removes a profile.
    create_order(
        &app,
        token,
        &json!({"type": "swap_sim", "customer_reference": "cust-42", "service_id": svc}),
    )
    .await;
    app.drain().await;
    check(
        &recovery(&app, token, &svc, "installed_no_network").await,
        "replace_profile_after_swap",
        "replace_old_profile",
        true,
    );
    install(&app, token, &svc).await;

    // No longer eligible for its package: a swap cannot be ordered; contact support.
    app.operator()
        .delete(&format!(
            "/v1/admin/partners/{}/package-approvals/fr-plan",
            shop.org.partner_id
        ))
        .await
        .expect(204);
    check(
        &recovery(&app, token, &svc, "new_device").await,
        "swap_not_eligible",
        "contact_support",
        false,
    );
    approve(&app, &shop.org.partner_id, "fr-plan").await;

    // Expired.
    app.clock.advance(chrono::Duration::days(31));
    let token = app
        .client_token(&shop.machine.client_id, &shop.machine.secret)
        .await;
    check(
        &recovery(&app, &token, &svc, "installed_no_network").await,
        "service_expired",
        "top_up",
        false,
    );

    // Ended.
    let machine = app.bearer(&token);
    machine
        .post_empty(&format!(
            "/v1/orders/{}/cancel",
            waiting["id"].as_str().unwrap()
        ))
        .await
        .expect(200);
    check(
        &recovery(&app, &token, &waiting_svc, "profile_deleted").await,
        "service_ended",
        "new_order",
        false,
    );

    machine
        .post(
            &format!("/v1/services/{svc}/recovery"),
            &json!({"device_state": "on_fire"}),
        )
        .await
        .expect_problem(422, "validation_failed");
}

#[test]
fn only_one_recovery_rule_advises_deleting_a_profile() {
    let deleting: Vec<&str> = onyx::activation::recovery::RULES
        .iter()
        .filter(|r| r.delete_profile)
        .map(|r| r.id)
        .collect();
    assert_eq!(deleting, vec!["replace_profile_after_swap"]);
}

#[tokio::test]
async fn usage_thresholds_fire_exactly_once() {
    let app = TestApp::spawn().await;
    let shop = shop(&app).await;
    let token = &shop.machine.token;
    let svc = ready_service(&app, &shop, &["fr-plan"], false).await;
    let (app, shop, svc) = (&app, &shop, svc.as_str());
    let report = |bytes: i64| async move {
        let token = app
            .client_token(&shop.machine.client_id, &shop.machine.secret)
            .await;
        app.bearer(&token)
            .post(
                &format!("/v1/sandbox/services/{svc}/usage"),
                &json!({"bytes_used": bytes, "minutes_used": 3}),
            )
            .await
    };
    report(1).await.expect_problem(409, "service_not_active");
    install(app, token, svc).await;
    let allowance: i64 = 5_368_709_120;
    let thresholds = || {
        app.db_query(|c| {
            use onyx::db::schema::events;
            events::table
                .filter(events::event_type.eq("usage.threshold_reached"))
                .order(events::id.asc())
                .select(events::data)
                .load::<String>(c)
                .unwrap()
        })
    };
    for (percent, expected_events) in [(50, 0), (85, 1), (90, 1), (100, 2), (120, 2)] {
        app.clock.advance(chrono::Duration::minutes(5));
        let snap = report(allowance * percent / 100).await.expect(201);
        assert_eq!(
            snap["bytes_remaining"].as_i64().unwrap(),
            (allowance - allowance * percent / 100).max(0)
        );
        assert_eq!(thresholds().len(), expected_events, "after {percent}%");
    }
    let fired: Vec<Value> = thresholds()
        .iter()
        .map(|d| serde_json::from_str(d).unwrap())
        .collect();
    assert_eq!(fired[0]["threshold_percent"], 80);
    assert_eq!(fired[1]["threshold_percent"], 100);

    let token = app
        .client_token(&shop.machine.client_id, &shop.machine.secret)
        .await;
    let machine = app.bearer(&token);
    let usage = machine.get_ok(&format!("/v1/services/{svc}/usage")).await;
    assert_eq!(usage["latest"]["bytes_used"], allowance * 120 / 100);
    assert_eq!(usage["latest"]["source"], "sandbox");
    assert_eq!(usage["history"]["data"].as_array().unwrap().len(), 5);
    assert_eq!(usage["expires_at"], "2026-12-01T09:00:00Z");
    let service = machine.get_ok(&format!("/v1/services/{svc}")).await;
    assert_eq!(service["usage"]["bytes_used"], allowance * 120 / 100);

    // A top-up raises the allowance, which re-arms the thresholds for the new allowance.
    create_order(app, &token, &json!({"type": "top_up_subscription", "customer_reference": "cust-42", "service_id": svc, "items": [{"package_id": "fr-plan"}]})).await;
    app.drain().await;
    app.operator()
        .post(
            &format!("/v1/admin/services/{svc}/usage"),
            &json!({"bytes_used": allowance * 2 * 85 / 100}),
        )
        .await
        .expect(201);
    assert_eq!(thresholds().len(), 3);
    let last: Value = serde_json::from_str(thresholds().last().unwrap()).unwrap();
    assert_eq!(
        (
            last["threshold_percent"].as_i64(),
            last["data_allowance_bytes"].as_i64()
        ),
        (Some(80), Some(allowance * 2))
    );

    let body = machine
        .post(
            &format!("/v1/sandbox/services/{svc}/usage"),
            &json!({"bytes_used": -1}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(body["errors"][0]["field"], "bytes_used");
}

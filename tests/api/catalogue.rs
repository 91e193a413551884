//! Catalogue and eligibility.

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::helpers::{Org, TestApp};

pub fn package(id: &str) -> Value {
    json!({
        "package_id": id,
        "kind": "plan",
        "coverage_name": "France 5 GB",
        "coverage_type": "local",
        "region": "Europe",
        "countries": ["FR"],
        "data_allowance_bytes": 5_368_709_120_i64,
        "validity_days": 30,
        "status": "available",
        "price_minor": 1300,
        "currency": "EUR"
    })
}

pub async fn create_package(app: &TestApp, body: &Value) -> Value {
    app.operator()
        .post("/v1/admin/packages", body)
        .await
        .expect(201)
}

pub async fn approve(app: &TestApp, partner_id: &str, package_id: &str) {
    let r = app
        .operator()
        .post(
            &format!("/v1/admin/partners/{partner_id}/package-approvals"),
            &json!({"package_id": package_id}),
        )
        .await;
    assert!(r.status == 201 || r.status == 200, "{}", r.status);
}

pub async fn set_markets(app: &TestApp, partner_id: &str, countries: &[&str]) {
    app.operator()
        .put(
            &format!("/v1/admin/partners/{partner_id}/markets"),
            &json!({"countries": countries}),
        )
        .await
        .expect(200);
}

/// The operator's list of packages.
async fn admin_packages(app: &TestApp) -> Vec<Value> {
    let list = app.operator().get_ok("/v1/admin/packages").await;
    list["data"].as_array().unwrap().clone()
}

async fn visible(app: &TestApp, org: &Org, query: &str) -> Vec<String> {
    let body = app
        .bearer(&org.owner.token)
        .get_ok(&format!("/v1/packages?limit=100{query}"))
        .await;
    let mut ids: Vec<String> = body["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["package_id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[tokio::test]
async fn a_partner_sees_a_package_only_when_approved_and_in_its_markets() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    let mut eu = package("eu-10gb-30d");
    eu["coverage_type"] = json!("regional");
    eu["countries"] = json!(["FR", "DE", "ES"]);
    let created = create_package(&app, &eu).await;
    assert_eq!(created["countries"], json!(["DE", "ES", "FR"]), "sorted");
    assert_eq!(created["compliance_requirements"], json!([]));

    assert!(
        visible(&app, &org, "").await.is_empty(),
        "not approved, no markets"
    );
    approve(&app, &org.partner_id, "eu-10gb-30d").await;
    assert!(
        visible(&app, &org, "").await.is_empty(),
        "approved, but no markets"
    );
    set_markets(&app, &org.partner_id, &["FR", "DE"]).await;
    assert!(
        visible(&app, &org, "").await.is_empty(),
        "ES is outside the markets"
    );
    let owner = app.bearer(&org.owner.token);
    owner
        .get("/v1/packages/eu-10gb-30d")
        .await
        .expect_problem(404, "not_found");

    set_markets(&app, &org.partner_id, &["FR", "DE", "ES", "IT"]).await;
    assert_eq!(visible(&app, &org, "").await, vec!["eu-10gb-30d"]);
    let p = owner.get_ok("/v1/packages/eu-10gb-30d").await;
    assert_eq!(p["price_minor"], 1300);
    assert_eq!(p["currency"], "EUR");

    // Markets without approval are not enough either, and another partner sees nothing.
    let other = app.onboard("Other").await;
    set_markets(&app, &other.partner_id, &["FR", "DE", "ES"]).await;
    assert!(visible(&app, &other, "").await.is_empty());
    app.bearer(&other.owner.token)
        .get("/v1/packages/eu-10gb-30d")
        .await
        .expect_problem(404, "not_found");

    // Withdrawing the approval hides it again.
    let approval = format!(
        "/v1/admin/partners/{}/package-approvals/eu-10gb-30d",
        org.partner_id
    );
    app.operator().delete(&approval).await.expect(204);
    assert!(visible(&app, &org, "").await.is_empty());
    app.operator()
        .delete(&approval)
        .await
        .expect_problem(404, "approval_not_found");
}

#[tokio::test]
async fn filters_combine_and_retired_packages_stay_readable() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    set_markets(&app, &org.partner_id, &["FR", "DE", "JP"]).await;
    let mut specs = vec![package("fr-5gb"), package("de-5gb"), package("jp-5gb")];
    specs[1]["countries"] = json!(["DE"]);
    specs[2]["countries"] = json!(["JP"]);
    specs[2]["region"] = json!("Asia");
    specs[2]["currency"] = json!("USD");
    let mut addon = package("eu-addon-1gb");
    addon["kind"] = json!("data_addon");
    addon["coverage_type"] = json!("regional");
    addon["countries"] = json!(["FR", "DE"]);
    let mut voice = package("eu-voice-intl");
    voice["kind"] = json!("voice_addon");
    voice["voice_type"] = json!("international");
    voice["voice_minutes"] = json!(60);
    voice["data_allowance_bytes"] = json!(null);
    voice["coverage_type"] = json!("regional");
    voice["countries"] = json!(["FR", "DE"]);
    let mut unlimited = package("fr-unlimited");
    unlimited["data_allowance_bytes"] = json!(null);
    unlimited["data_unlimited"] = json!(true);
    unlimited["compliance_requirements"] = json!(["identity_verification"]);
    specs.extend([addon, voice, unlimited]);
    for s in &specs {
        create_package(&app, s).await;
        approve(&app, &org.partner_id, s["package_id"].as_str().unwrap()).await;
    }
    assert_eq!(
        visible(&app, &org, "&kind=plan").await,
        vec!["de-5gb", "fr-5gb", "fr-unlimited", "jp-5gb"]
    );
    assert_eq!(
        visible(&app, &org, "&kind=voice_addon").await,
        vec!["eu-voice-intl"]
    );
    assert_eq!(
        visible(&app, &org, "&coverage_type=regional").await,
        vec!["eu-addon-1gb", "eu-voice-intl"]
    );
    assert_eq!(visible(&app, &org, "&region=Asia").await, vec!["jp-5gb"]);
    assert_eq!(
        visible(&app, &org, "&country=FR").await,
        vec!["eu-addon-1gb", "eu-voice-intl", "fr-5gb", "fr-unlimited"]
    );
    assert_eq!(
        visible(&app, &org, "&country=DE&kind=plan").await,
        vec!["de-5gb"]
    );

    let owner = app.bearer(&org.owner.token);
    let p = owner.get_ok("/v1/packages/fr-unlimited").await;
    assert_eq!(
        (
            p["data_unlimited"].as_bool(),
            p["data_allowance_bytes"].is_null()
        ),
        (Some(true), true)
    );
    assert_eq!(
        p["compliance_requirements"],
        json!(["identity_verification"])
    );

    // Retire one: still readable, filterable by status.
    let p = app
        .operator()
        .patch("/v1/admin/packages/de-5gb", &json!({"status": "retired"}))
        .await
        .expect(200);
    assert_eq!(p["status"], "retired");
    let p = owner.get_ok("/v1/packages/de-5gb").await;
    assert_eq!(p["status"], "retired");
    assert_eq!(visible(&app, &org, "&status=retired").await, vec!["de-5gb"]);
    assert_eq!(
        visible(&app, &org, "&status=available&kind=plan").await,
        vec!["fr-5gb", "fr-unlimited", "jp-5gb"]
    );

    owner
        .get("/v1/packages?country=XX")
        .await
        .expect_problem(422, "validation_failed");
    owner
        .get("/v1/packages?kind=bundle")
        .await
        .expect_problem(400, "invalid_query");
}

#[tokio::test]
async fn catalogue_pages_are_stable_while_packages_are_added() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    set_markets(&app, &org.partner_id, &["FR"]).await;
    let mut created = BTreeSet::new();
    for i in 0..7 {
        app.clock.advance(chrono::Duration::seconds(1));
        let id = format!("fr-{i}");
        create_package(&app, &package(&id)).await;
        approve(&app, &org.partner_id, &id).await;
        created.insert(id);
    }
    let mut seen = Vec::new();
    let mut cursor = String::new();
    for round in 0..10 {
        let page = app
            .bearer(&org.owner.token)
            .get_ok(&format!("/v1/packages?limit=3{cursor}"))
            .await;
        seen.extend(
            page["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| p["package_id"].as_str().unwrap().to_string()),
        );
        app.clock.advance(chrono::Duration::seconds(1));
        let late = format!("fr-late-{round}");
        create_package(&app, &package(&late)).await;
        approve(&app, &org.partner_id, &late).await;
        if page["has_more"] == false {
            break;
        }
        cursor = format!("&cursor={}", page["next_cursor"].as_str().unwrap());
    }
    let unique: BTreeSet<String> = seen.iter().cloned().collect();
    assert_eq!(unique.len(), seen.len(), "no duplicates");
    assert_eq!(
        unique, created,
        "no gaps, and nothing added after the first page"
    );
}

#[tokio::test]
async fn catalogue_writes_are_operator_only() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    let machine = app.machine(&org.owner.token).await;
    for token in [&org.owner.token, &machine.token] {
        let partner = app.bearer(token);
        partner
            .post("/v1/admin/packages", &package("x"))
            .await
            .expect_problem(401, "unauthenticated");
        partner
            .put(
                &format!("/v1/admin/partners/{}/markets", org.partner_id),
                &json!({"countries": ["FR"]}),
            )
            .await
            .expect_problem(401, "unauthenticated");
    }
    // Partners have no write route on the catalogue at all.
    let r = app
        .bearer(&org.owner.token)
        .post("/v1/packages", &package("x"))
        .await;
    assert_eq!(r.status, 405);
    assert_eq!(admin_packages(&app).await.len(), 0);
}

#[tokio::test]
async fn every_package_rule_names_the_field_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let operator = app.operator();
    type Mutate = fn(&mut Value);
    let cases: Vec<(Mutate, &str, &str)> = vec![
        (
            |p| p["package_id"] = json!("Has Spaces"),
            "package_id",
            "invalid_format",
        ),
        (
            |p| p["package_id"] = json!("x".repeat(65)),
            "package_id",
            "invalid_format",
        ),
        (
            |p| p["voice_type"] = json!("international"),
            "voice_type",
            "not_allowed",
        ),
        (
            |p| {
                p["kind"] = json!("voice_addon");
                p["data_allowance_bytes"] = json!(null);
                p["voice_minutes"] = json!(10);
            },
            "voice_type",
            "required",
        ),
        (
            |p| {
                p["kind"] = json!("voice_addon");
                p["voice_type"] = json!("intl");
                p["data_allowance_bytes"] = json!(null);
            },
            "voice_minutes",
            "required",
        ),
        (
            |p| {
                p["kind"] = json!("voice_addon");
                p["voice_type"] = json!("intl");
                p["voice_minutes"] = json!(10);
            },
            "data_allowance_bytes",
            "not_allowed",
        ),
        (
            |p| {
                p["kind"] = json!("data_addon");
                p["voice_minutes"] = json!(10);
            },
            "voice_minutes",
            "not_allowed",
        ),
        (
            |p| p["voice_minutes"] = json!(0),
            "voice_minutes",
            "out_of_range",
        ),
        (
            |p| p["coverage_name"] = json!(""),
            "coverage_name",
            "length",
        ),
        (|p| p["region"] = json!(" "), "region", "length"),
        (|p| p["countries"] = json!([]), "countries", "required"),
        (
            |p| p["countries"] = json!(["UK", "FR"]),
            "countries[0]",
            "invalid_country",
        ),
        (
            |p| p["countries"] = json!(["FR", "UK"]),
            "countries[1]",
            "invalid_country",
        ),
        (
            |p| p["countries"] = json!(["fr"]),
            "countries[0]",
            "invalid_country",
        ),
        (
            |p| p["countries"] = json!(["FR", "DE"]),
            "countries",
            "local_single_country",
        ),
        (
            |p| p["data_allowance_bytes"] = json!(null),
            "data_allowance_bytes",
            "required",
        ),
        (
            |p| p["data_unlimited"] = json!(true),
            "data_allowance_bytes",
            "not_allowed",
        ),
        (
            |p| p["data_allowance_bytes"] = json!(0),
            "data_allowance_bytes",
            "out_of_range",
        ),
        (
            |p| p["validity_days"] = json!(0),
            "validity_days",
            "out_of_range",
        ),
        (
            |p| p["validity_days"] = json!(366),
            "validity_days",
            "out_of_range",
        ),
        (
            |p| p["price_minor"] = json!(-1),
            "price_minor",
            "out_of_range",
        ),
        (
            |p| p["currency"] = json!("EURO"),
            "currency",
            "invalid_currency",
        ),
        (
            |p| p["currency"] = json!("eur"),
            "currency",
            "invalid_currency",
        ),
        (|p| p["kind"] = json!("bundle"), "kind", "invalid_value"),
        (
            |p| p["coverage_type"] = json!("planet"),
            "coverage_type",
            "invalid_value",
        ),
        (
            |p| p["status"] = json!("deleted"),
            "status",
            "invalid_value",
        ),
        (
            |p| p["compliance_requirements"] = json!(["blood_test"]),
            "compliance_requirements[0]",
            "invalid_value",
        ),
        (
            |p| {
                p.as_object_mut().unwrap().remove("validity_days");
            },
            "validity_days",
            "required",
        ),
    ];
    for (mutate, field, code) in cases {
        let mut body = package("fr-5gb-30d");
        mutate(&mut body);
        let problem = operator
            .post("/v1/admin/packages", &body)
            .await
            .expect_problem(422, "validation_failed");
        let errors = problem["errors"].as_array().unwrap();
        assert!(
            errors
                .iter()
                .any(|e| e["field"] == field && e["code"] == code),
            "expected {field}/{code}, got {problem}"
        );
    }
    assert!(
        admin_packages(&app).await.is_empty(),
        "no invalid package was written"
    );

    create_package(&app, &package("fr-5gb-30d")).await;
    operator
        .post("/v1/admin/packages", &package("fr-5gb-30d"))
        .await
        .expect_problem(409, "package_exists");
    // Updates obey the same rules.
    let problem = operator
        .patch(
            "/v1/admin/packages/fr-5gb-30d",
            &json!({"countries": ["FR", "DE"]}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["code"], "local_single_country");
    operator
        .patch("/v1/admin/packages/nope", &json!({"status": "retired"}))
        .await
        .expect_problem(404, "not_found");
    let problem = operator
        .patch(
            "/v1/admin/packages/fr-5gb-30d",
            &json!({"kind": "data_addon"}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(
        problem["errors"][0]["code"], "unknown_field",
        "kind cannot change"
    );
    // Markets and approvals validate too.
    let org = app.onboard("Acme").await;
    let problem = operator
        .put(
            &format!("/v1/admin/partners/{}/markets", org.partner_id),
            &json!({"countries": ["FR", "ZZ"]}),
        )
        .await
        .expect_problem(422, "validation_failed");
    assert_eq!(problem["errors"][0]["field"], "countries[1]");
    operator
        .post(
            &format!("/v1/admin/partners/{}/package-approvals", org.partner_id),
            &json!({"package_id": "nope"}),
        )
        .await
        .expect_problem(422, "package_not_found");
    operator
        .put(
            "/v1/admin/partners/ptr_nope/markets",
            &json!({"countries": ["FR"]}),
        )
        .await
        .expect_problem(404, "not_found");
}

#[tokio::test]
async fn racing_writes_of_the_same_thing_conflict_instead_of_failing() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    let mut creates = Vec::new();
    for _ in 0..8 {
        creates.push(tokio::spawn(
            app.operator()
                .post("/v1/admin/packages", &package("fr-race")),
        ));
    }
    let mut created = 0;
    for h in creates {
        let r = h.await.unwrap();
        match r.status {
            201 => created += 1,
            409 => assert_eq!(r.body["code"], "package_exists", "{}", r.body),
            other => panic!("{other}: {}", r.body),
        }
    }
    assert_eq!(created, 1);
    let mut approvals = Vec::new();
    let approvals_path = format!("/v1/admin/partners/{}/package-approvals", org.partner_id);
    for _ in 0..8 {
        approvals.push(tokio::spawn(
            app.operator()
                .post(&approvals_path, &json!({"package_id": "fr-race"})),
        ));
    }
    for h in approvals {
        let r = h.await.unwrap();
        let (s, b) = (r.status, &r.body);
        assert!(
            matches!(s, 200 | 201) || (s == 409 && b["code"] == "concurrent_change"),
            "{s}: {b}"
        );
    }
    let list = app.operator().get_ok(&approvals_path).await;
    assert_eq!(list["package_ids"], json!(["fr-race"]));
}

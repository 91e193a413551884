//! Hardening of sign-in and team membership (issue 12, items 4 and 10): the guessing limits
//! hold under concurrency, and one email may belong to several partners without any partner
//! learning about another's members.

use diesel::prelude::*;
use serde_json::{json, Value};

use crate::helpers::{Org, Response, TestApp, PASSWORD};

/// Fires `n` copies of one request at once and waits for all the answers.
async fn at_once<F>(n: usize, make: impl Fn() -> F) -> Vec<Response>
where
    F: std::future::Future<Output = Response> + Send + 'static,
{
    let handles: Vec<_> = (0..n).map(|_| tokio::spawn(make())).collect();
    let mut answers = Vec::new();
    for h in handles {
        answers.push(h.await.expect("the request task"));
    }
    answers
}

/// Splits answers into (checked, locked): a 401 `code` means the secret was checked and was
/// wrong, a 429 that the attempt was refused without checking. Nothing else may come back.
fn tally(answers: &[Response], refused: impl Fn(&Response)) -> (usize, usize) {
    let (mut checked, mut locked) = (0, 0);
    for r in answers {
        match r.status {
            401 => {
                refused(r);
                checked += 1;
            }
            429 => {
                r.expect_problem(429, "rate_limited");
                let wait: i64 = r.header("retry-after").unwrap().parse().unwrap();
                assert!((1..=900).contains(&wait), "{wait}");
                locked += 1;
            }
            s => panic!("unexpected {s}: {}", r.text()),
        }
    }
    (checked, locked)
}

/// Item 4: forty simultaneous wrong passwords for one email check at most the limit (5)
/// against the hash; the rest are refused as locked, and then so is the right password.
#[tokio::test]
async fn concurrent_wrong_passwords_are_checked_at_most_the_limit() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    let body = json!({"email": org.owner.email, "password": "wrong password"});
    let answers = at_once(40, || app.anon().post("/v1/auth/login", &body)).await;
    let (checked, locked) = tally(&answers, |r| {
        r.expect_problem(401, "invalid_login");
    });
    assert_eq!(checked, 5, "passwords checked ({locked} refused as locked)");
    assert_eq!(locked, 35);
    // Every check was a real one: the partner's audit log holds exactly five failures.
    let failed = app
        .bearer(&org.owner.token)
        .get_ok("/v1/audit-log?action=auth.login_failed&limit=100")
        .await;
    assert_eq!(failed["data"].as_array().unwrap().len(), 5, "{failed}");
    // Locked: the right password is refused too, without being checked.
    app.login(&org.owner.email, "sandbox")
        .await
        .expect_problem(429, "rate_limited");
}

/// Item 4, token endpoint: forty simultaneous wrong secrets for one client id check at most
/// ten; then the right secret is refused until the window ends.
#[tokio::test]
async fn concurrent_wrong_client_secrets_are_checked_at_most_the_limit() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    let m = app.machine(&org.owner.token).await;
    let answers = at_once(40, || {
        app.anon().post_form(
            "/v1/oauth/token",
            &[
                ("grant_type", "client_credentials"),
                ("client_id", &m.client_id),
                ("client_secret", "onyx_sk_test_guess"),
            ],
        )
    })
    .await;
    let (checked, locked) = tally(&answers, |r| {
        assert_eq!(r.body["error"], "invalid_client", "{}", r.text());
    });
    assert_eq!(checked, 10, "secrets checked ({locked} refused as locked)");
    assert_eq!(locked, 30);
    app.token_request(&m.client_id, &m.secret)
        .await
        .expect_problem(429, "rate_limited");
}

/// Item 4: counting attempts before checking them keeps the usual rules: a correct password
/// below the limit signs in and clears the count, which then starts again.
#[tokio::test]
async fn a_success_clears_the_count_and_the_count_starts_again() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Acme").await;
    let wrong = |app: &TestApp| {
        app.anon().post(
            "/v1/auth/login",
            &json!({"email": org.owner.email, "password": "wrong password"}),
        )
    };
    for _ in 0..4 {
        wrong(&app).await.expect_problem(401, "invalid_login");
    }
    app.login(&org.owner.email, "sandbox").await.expect(200);
    // Five more failures are allowed again before the lock.
    for _ in 0..5 {
        wrong(&app).await.expect_problem(401, "invalid_login");
    }
    wrong(&app).await.expect_problem(429, "rate_limited");
}

async fn invite(app: &TestApp, org: &Org, email: &str, role: &str) -> Response {
    app.bearer(&org.owner.token)
        .post("/v1/invitations", &json!({"email": email, "role": role}))
        .await
}

async fn accept_with(app: &TestApp, token: &str, name: &str, password: &str) -> Value {
    app.anon()
        .post(
            "/v1/invitations/accept",
            &json!({"token": token, "name": name, "password": password}),
        )
        .await
        .expect(201)
}

async fn login(app: &TestApp, body: Value) -> Response {
    app.anon().post("/v1/auth/login", &body).await
}

/// The keys of a JSON object, sorted (to compare the shapes of two answers).
fn keys(v: &Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

/// Item 10: inviting the email of another partner's member answers exactly as a fresh email
/// does, the invitation can be accepted, and that partner can still invite the person too;
/// `email_taken` is only about one's own team.
#[tokio::test]
async fn membership_is_per_partner_and_invitations_reveal_no_other_partner() {
    let app = TestApp::spawn().await;
    let a = app.onboard("Alpha").await;
    let b = app.onboard("Beta").await;

    // B invites A's owner, and a fresh address: the same answer.
    let taken_elsewhere = invite(&app, &b, &a.owner.email, "developer").await;
    let fresh = invite(&app, &b, "fresh@people.example", "developer").await;
    let (x, y) = (taken_elsewhere.expect(201), fresh.expect(201));
    assert_eq!(keys(&x), keys(&y));
    assert_eq!(x["email"], a.owner.email.as_str());
    let member = accept_with(
        &app,
        x["token"].as_str().unwrap(),
        "Also in Beta",
        "beta password 12",
    )
    .await;
    assert_eq!(member["email"], a.owner.email.as_str());
    assert_ne!(member["id"], a.owner.id.as_str(), "a membership of its own");

    // B invites and accepts an address first; A can still invite and add that person.
    let person = "sam@people.example";
    let t = invite(&app, &b, person, "viewer").await.expect(201);
    accept_with(
        &app,
        t["token"].as_str().unwrap(),
        "Sam at Beta",
        "sam beta password",
    )
    .await;
    let t = invite(&app, &a, person, "developer").await.expect(201);
    let sam_a = accept_with(
        &app,
        t["token"].as_str().unwrap(),
        "Sam at Alpha",
        "sam alpha password",
    )
    .await;
    assert_eq!(sam_a["role"], "developer");

    // Within one team an email is still one member.
    invite(&app, &a, person, "viewer")
        .await
        .expect_problem(409, "email_taken");
    invite(&app, &b, &a.owner.email, "viewer")
        .await
        .expect_problem(409, "email_taken");
    // Accepting a second invitation of the same team for a member's email: refused too.
    let dup = invite(&app, &a, "twice@people.example", "viewer")
        .await
        .expect(201);
    let dup2 = invite(&app, &a, "twice@people.example", "admin")
        .await
        .expect(201);
    accept_with(&app, dup["token"].as_str().unwrap(), "Twice", PASSWORD).await;
    app.anon()
        .post(
            "/v1/invitations/accept",
            &json!({"token": dup2["token"], "name": "Twice", "password": PASSWORD}),
        )
        .await
        .expect_problem(409, "email_taken");

    // Each team lists only its own members.
    for (org, other_name) in [(&a, "Sam at Beta"), (&b, "Sam at Alpha")] {
        let list = app.bearer(&org.owner.token).get_ok("/v1/members").await;
        assert!(!list.to_string().contains(other_name), "{list}");
    }
}

/// Item 10: the operator can create a partner whose owner is already a member elsewhere.
#[tokio::test]
async fn a_new_partner_may_have_an_owner_who_is_a_member_elsewhere() {
    let app = TestApp::spawn().await;
    let a = app.onboard("Alpha").await;
    let (partner_id, token) = app.create_partner("Gamma", &a.owner.email).await;
    let owner = accept_with(&app, &token, "Gamma Owner", "gamma password 1").await;
    assert_eq!(owner["role"], "owner");
    let signed = login(
        &app,
        json!({"email": a.owner.email, "password": "gamma password 1"}),
    )
    .await
    .expect(200);
    assert_eq!(signed["partner_id"], partner_id.as_str());
}

/// Item 10: each membership has its own password. A sign-in without `partner_id` goes to the
/// one membership the password opens; when it opens several, 409 `partner_choice_required`
/// lists exactly those (never the others), and `partner_id` picks one.
#[tokio::test]
async fn login_picks_the_partner_by_password_or_asks_which() {
    let app = TestApp::spawn().await;
    let a = app.onboard("Alpha").await;
    let b = app.onboard("Beta").await;
    let c = app.onboard("Gamma").await;
    let email = "pat@people.example";
    for (org, password) in [
        (&a, "shared password 1"),
        (&b, "shared password 1"),
        (&c, "gamma only password"),
    ] {
        let t = invite(&app, org, email, "admin").await.expect(201);
        accept_with(&app, t["token"].as_str().unwrap(), "Pat", password).await;
    }

    // One membership opens: signed in there.
    let s = login(
        &app,
        json!({"email": email, "password": "gamma only password"}),
    )
    .await
    .expect(200);
    assert_eq!(s["partner_id"], c.partner_id.as_str());
    let me = app
        .bearer(s["access_token"].as_str().unwrap())
        .get_ok("/v1/me")
        .await;
    assert_eq!(me["partner_id"], c.partner_id.as_str());

    // Two open: the caller chooses; only those two are named.
    let r = login(
        &app,
        json!({"email": email, "password": "shared password 1"}),
    )
    .await;
    let p = r.expect_problem(409, "partner_choice_required");
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let mut listed: Vec<(String, String)> = p["partners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| {
            (
                x["partner_id"].as_str().unwrap().to_string(),
                x["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    listed.sort();
    let mut expected = vec![
        (a.partner_id.clone(), "Alpha".to_string()),
        (b.partner_id.clone(), "Beta".to_string()),
    ];
    expected.sort();
    assert_eq!(listed, expected, "{p}");
    assert!(!p.to_string().contains(&c.partner_id));
    assert!(p.get("access_token").is_none());

    for org in [&a, &b] {
        let s = login(
            &app,
            json!({"email": email, "password": "shared password 1", "partner_id": org.partner_id}),
        )
        .await
        .expect(200);
        assert_eq!(s["partner_id"], org.partner_id.as_str());
        assert_eq!(s["member"]["email"], email);
    }
    // A partner the password does not open, or the person is not in: the usual 401.
    for (partner, password) in [
        (c.partner_id.as_str(), "shared password 1"),
        (a.partner_id.as_str(), "gamma only password"),
        ("ptr_notapartneratall00000000", "shared password 1"),
    ] {
        login(
            &app,
            json!({"email": email, "password": password, "partner_id": partner}),
        )
        .await
        .expect_problem(401, "invalid_login");
    }
    // A wrong password for all: 401, and each partner's audit log sees only its own member.
    login(
        &app,
        json!({"email": email, "password": "nobody's password"}),
    )
    .await
    .expect_problem(401, "invalid_login");
    let log = app
        .bearer(&a.owner.token)
        .get_ok("/v1/audit-log?limit=100")
        .await
        .to_string();
    assert!(!log.contains(&b.partner_id) && !log.contains(&c.partner_id));
}

/// Item 10: an email's memberships share one salt, so a sign-in computes one hash whatever the
/// number of memberships (no cost amplification, and the time taken does not tell how many
/// partners a person belongs to).
#[tokio::test]
async fn memberships_of_one_email_need_one_hash_computation() {
    let app = TestApp::spawn().await;
    let a = app.onboard("Alpha").await;
    let b = app.onboard("Beta").await;
    let email = "lee@people.example";
    for (org, password) in [(&a, "alpha password 1"), (&b, "beta password 12")] {
        let t = invite(&app, org, email, "admin").await.expect(201);
        accept_with(&app, t["token"].as_str().unwrap(), "Lee", password).await;
    }
    let hashes: Vec<String> = app.db_query(|c| {
        use onyx::db::schema::members;
        members::table
            .filter(members::email.eq(email))
            .select(members::password_hash)
            .load(c)
            .unwrap()
    });
    assert_eq!(hashes.len(), 2);
    let salt = |h: &str| h.rsplit_once('$').unwrap().0.to_string();
    assert_eq!(salt(&hashes[0]), salt(&hashes[1]), "one salt per email");
    assert_ne!(
        hashes[0], hashes[1],
        "each membership keeps its own password"
    );
    assert_eq!(
        onyx::auth::passwords::computations(&hashes),
        1,
        "one hash computation for both"
    );
}

/// Item 10, the migration: members written under the old global rule survive the change (the
/// SQLite table is rebuilt), and afterwards an email is unique per team only.
#[test]
fn the_per_partner_migration_keeps_every_member() {
    use diesel::connection::SimpleConnection;
    use diesel::migration::MigrationSource;
    use diesel_migrations::MigrationHarness;
    use onyx::db::{Backend, DbConnection, POSTGRES_MIGRATIONS, SQLITE_MIGRATIONS};

    const MINE: &str = "members_per_partner";
    /// Runs the migrations before this one, `between`, then the rest.
    fn around<C, DB>(
        conn: &mut C,
        source: diesel_migrations::EmbeddedMigrations,
        between: impl FnOnce(&mut C),
    ) where
        DB: diesel::backend::Backend,
        C: MigrationHarness<DB> + diesel::migration::MigrationConnection,
        diesel_migrations::EmbeddedMigrations: MigrationSource<DB>,
    {
        conn.setup().unwrap();
        let all = MigrationSource::<DB>::migrations(&source).unwrap();
        let mine = all
            .iter()
            .position(|m| m.name().to_string().ends_with(MINE))
            .expect("the migration exists");
        for m in &all[..mine] {
            conn.run_migration(m).unwrap();
        }
        between(conn);
        for m in &all[mine..] {
            conn.run_migration(m).unwrap();
        }
    }
    fn old_rows(c: &mut impl SimpleConnection) {
        c.batch_execute(
            "INSERT INTO partners (id, name, legal_entity, billing_email, status, live_enabled, \
               created_at, updated_at) VALUES \
             ('ptr_a', 'A', 'A Ltd', 'b@a.example', 'approved', FALSE, '2026-11-01 09:00:00', '2026-11-01 09:00:00'), \
             ('ptr_b', 'B', 'B Ltd', 'b@b.example', 'approved', FALSE, '2026-11-01 09:00:00', '2026-11-01 09:00:00'); \
             INSERT INTO members (id, partner_id, email, name, role, password_hash, last_login_at, \
               created_at, updated_at) VALUES \
             ('mem_1', 'ptr_a', 'kim@people.example', 'Kim', 'owner', 'h1', '2026-11-01 10:00:00', \
               '2026-11-01 09:00:00', '2026-11-01 09:30:00');",
        )
        .unwrap();
    }

    let db = crate::helpers::TestDb::new();
    let mut conn = match db.backend {
        Backend::Sqlite => {
            let mut c = diesel::SqliteConnection::establish(&db.url).unwrap();
            around(&mut c, SQLITE_MIGRATIONS, old_rows);
            DbConnection::Sqlite(c)
        }
        Backend::Postgres => {
            let mut c = diesel::PgConnection::establish(&db.url).unwrap();
            around(&mut c, POSTGRES_MIGRATIONS, old_rows);
            DbConnection::Pg(c)
        }
    };
    use onyx::db::schema::members;
    let kept: Vec<(
        String,
        String,
        String,
        String,
        Option<chrono::NaiveDateTime>,
    )> = members::table
        .select((
            members::id,
            members::partner_id,
            members::email,
            members::password_hash,
            members::last_login_at,
        ))
        .load(&mut conn)
        .unwrap();
    assert_eq!(kept.len(), 1, "{kept:?}");
    assert_eq!(
        (
            &kept[0].0[..],
            &kept[0].1[..],
            &kept[0].2[..],
            &kept[0].3[..]
        ),
        ("mem_1", "ptr_a", "kim@people.example", "h1")
    );
    assert!(kept[0].4.is_some());
    let add = |partner: &str, id: &str| {
        format!(
            "INSERT INTO members (id, partner_id, email, name, role, password_hash, \
               created_at, updated_at) VALUES ('{id}', '{partner}', 'kim@people.example', \
               'Kim', 'viewer', 'h2', '2026-11-02 09:00:00', '2026-11-02 09:00:00')"
        )
    };
    conn.batch_execute(&add("ptr_b", "mem_2"))
        .expect("the same email in another team");
    assert!(
        conn.batch_execute(&add("ptr_a", "mem_3")).is_err(),
        "twice in one team is refused"
    );
}

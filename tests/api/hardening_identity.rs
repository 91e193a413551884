//! Hardening of sign-in (issue 12, item 4): the guessing limits hold under concurrency.

use serde_json::json;

use crate::helpers::{Response, TestApp};

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

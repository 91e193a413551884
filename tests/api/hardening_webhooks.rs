//! Findings of the hostile review about webhooks and outbound calls (issue 12 items 11, 12
//! and 15): loopback receivers are not a read channel, proxies never bypass the request
//! forgery guard, and concurrent secret rotations never hand out a secret that does not sign.

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use crate::helpers::TestApp;

/// Creates an endpoint; (id, secret).
async fn endpoint(app: &TestApp, token: &str, url: &str) -> (String, String) {
    let b = app
        .bearer(token)
        .post("/v1/webhook-endpoints", &json!({ "url": url }))
        .await
        .expect(201);
    (
        b["id"].as_str().unwrap().to_string(),
        b["secret"].as_str().unwrap().to_string(),
    )
}

async fn send_test(app: &TestApp, token: &str, we: &str) {
    app.bearer(token)
        .post_empty(&format!("/v1/webhook-endpoints/{we}/test"))
        .await
        .expect(202);
}

// ---------------------------------------------------------------------------------------
// Item 15: concurrent rotations

/// The secrets among `candidates` whose signature a delivery carries, in the header's order
/// (the current secret first, then the previous one during its grace period).
fn signing_secrets(req: &Request, candidates: &[String]) -> Vec<String> {
    let header = |n: &str| req.headers.get(n).unwrap().to_str().unwrap().to_string();
    let signed = format!(
        "{}.{}.{}",
        header("webhook-id"),
        header("webhook-timestamp"),
        String::from_utf8(req.body.clone()).unwrap()
    );
    header("webhook-signature")
        .split(' ')
        .map(|sig| {
            candidates
                .iter()
                .find(|secret| {
                    let key = STANDARD
                        .decode(secret.trim_start_matches("whsec_"))
                        .unwrap();
                    let mut mac = Hmac::<Sha256>::new_from_slice(&key).unwrap();
                    mac.update(signed.as_bytes());
                    sig == format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
                })
                .cloned()
                .unwrap_or_else(|| format!("(a secret nobody was given: {sig})"))
        })
        .collect()
}

/// Item 15: rotations of one endpoint fired together never hand out a secret that is not
/// stored. Each burst: the losers answer 409 `concurrent_change`; the next delivery is signed
/// by a winner (current) and by the secret it replaced (previous, in its grace period) — the
/// secret current before the burst when one rotation won, another winner when several won one
/// after the other. A lost update (two winners replacing the same secret) signs with the old
/// secret as previous although it was replaced twice, and one winner's secret never signs.
#[tokio::test]
async fn concurrent_rotations_never_hand_out_a_secret_that_does_not_sign() {
    let app = TestApp::spawn().await;
    let org = app.onboard("Rotor").await;
    let m = app.machine(&org.owner.token).await;
    let rx = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&rx)
        .await;
    let (we, mut current) = endpoint(&app, &m.token, &format!("{}/hook", rx.uri())).await;
    let rotate = format!("/v1/webhook-endpoints/{we}/rotate-secret");
    let mut conflicts = 0;
    for round in 0..6 {
        let calls: Vec<_> = (0..8)
            .map(|_| {
                tokio::spawn(
                    app.bearer(&m.token)
                        .post(&rotate, &json!({"grace_period_seconds": 3600})),
                )
            })
            .collect();
        let mut winners = Vec::new();
        for call in calls {
            let resp = call.await.unwrap();
            match resp.status {
                200 => winners.push(resp.body["secret"].as_str().unwrap().to_string()),
                _ => {
                    resp.expect_problem(409, "concurrent_change");
                    conflicts += 1;
                }
            }
        }
        assert!(!winners.is_empty(), "round {round}: someone wins");
        send_test(&app, &m.token, &we).await;
        app.deliver().await;
        let last = rx.received_requests().await.unwrap().pop().unwrap();
        let mut known = winners.clone();
        known.push(current.clone());
        let signers = signing_secrets(&last, &known);
        assert_eq!(signers.len(), 2, "round {round}: current and previous");
        assert!(
            winners.contains(&signers[0]),
            "round {round}: the current secret is one that was handed out: {signers:?}"
        );
        if winners.len() == 1 {
            assert_eq!(
                signers[1], current,
                "round {round}: it replaced the old one"
            );
        } else {
            assert!(
                winners.contains(&signers[1]) && signers[1] != signers[0],
                "round {round}: {} rotations won, so each replaced another winner's secret, \
                 and the previous one is a winner too: {signers:?}",
                winners.len()
            );
        }
        current = signers[0].clone();
    }
    // On PostgreSQL the rotations really overlap (SQLite runs one write at a time, so there
    // every rotation reads the secret the one before it stored, and all of them win).
    if app.state.db.backend() == onyx::db::Backend::Postgres {
        assert!(conflicts > 0, "the bursts overlapped");
    }
}

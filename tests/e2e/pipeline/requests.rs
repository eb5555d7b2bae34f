//! What the API refuses, and that a refused request creates nothing.

use serde_json::{Value, json};

use super::members::{describe, member};
use crate::helpers::{TestApp, spawn_app};

async fn nothing_was_created(app: &TestApp) {
    let pool = app.env.db.pool();
    let generations: i64 = sqlx::query_scalar("SELECT count(*) FROM generations")
        .fetch_one(pool)
        .await
        .unwrap();
    let ledger: i64 = sqlx::query_scalar("SELECT count(*) FROM ledger")
        .fetch_one(pool)
        .await
        .unwrap();
    assert_eq!(
        (generations, ledger),
        (0, 0),
        "a refused request left something behind"
    );
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field_and_creates_nothing() {
    let app = spawn_app().await;
    let alice = member(&app, "alice@example.com", None).await;
    let cases = [
        (json!({"mode": "describe"}), 422, "topic"),
        (json!({"mode": "describe", "topic": ""}), 422, "topic"),
        (
            json!({"mode": "describe", "topic": "x", "instrumental": "yes"}),
            422,
            "instrumental",
        ),
        (json!({"mode": "custom", "lyrics": "la la"}), 422, "tags"),
        (json!({"mode": "custom", "tags": ["pop"]}), 422, "tags"),
        (json!({"mode": "continue"}), 422, "mode"),
        (json!({"topic": "x"}), 422, "mode"),
        (
            json!({"mode": "describe", "topic": "x".repeat(5000)}),
            422,
            "topic",
        ),
    ];
    for (body, status, field) in cases {
        let response = app.api_post(&alice.token, "/generations", &body).await;
        assert_eq!(response.status(), status, "{body}");
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["field"], field, "{body}: {problem}");
        assert!(
            problem["message"].as_str().is_some_and(|m| !m.is_empty()),
            "{problem}"
        );
    }
    let continued: Value = app
        .api_post(&alice.token, "/generations", &json!({"mode": "continue"}))
        .await
        .json()
        .await
        .unwrap();
    assert!(
        continued["message"]
            .as_str()
            .unwrap()
            .contains("not offered by the upstream yet")
    );

    let malformed = app
        .http
        .post(format!("{}/api/v1/generations", app.web_url))
        .bearer_auth(&alice.token)
        .header("content-type", "application/json")
        .body("{\"mode\": \"describe\", ")
        .send()
        .await
        .unwrap();
    assert_eq!(malformed.status(), 400);
    assert_eq!(
        malformed.json::<Value>().await.unwrap()["error"],
        "invalid_input"
    );
    nothing_was_created(&app).await;
}

#[tokio::test]
async fn without_a_valid_token_nothing_is_created() {
    let app = spawn_app().await;
    for token in [None, Some("chorus_not-a-real-token")] {
        let mut request = app
            .http
            .post(format!("{}/api/v1/generations", app.web_url))
            .json(&describe());
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), 401);
        assert_eq!(
            response.json::<Value>().await.unwrap()["error"],
            "unauthorized"
        );
    }
    nothing_was_created(&app).await;
}

#[tokio::test]
async fn another_members_private_song_is_not_found() {
    let app = spawn_app().await;
    let alice = member(&app, "alice@example.com", None).await;
    let bob = member(&app, "bob@example.com", None).await;
    let id = app.request_song(&alice, &describe()).await;
    let response = app.api_get(&bob.token, &format!("/generations/{id}")).await;
    assert_eq!(response.status(), 404);
    let unknown = app
        .api_get(
            &bob.token,
            &format!("/generations/{}", uuid::Uuid::new_v4()),
        )
        .await;
    assert_eq!(unknown.status(), 404);
    let garbage = app.api_get(&bob.token, "/generations/not-a-uuid").await;
    assert!(garbage.status().is_client_error());
    assert_eq!(
        app.api_get(&alice.token, &format!("/generations/{id}"))
            .await
            .status(),
        200
    );
}

#[tokio::test]
async fn a_request_sent_again_under_its_key_makes_one_song_and_one_charge() {
    let app = spawn_app().await;
    let alice = member(&app, "alice@example.com", None).await;
    let send = |key: &'static str| {
        app.http
            .post(format!("{}/api/v1/generations", app.web_url))
            .bearer_auth(&alice.token)
            .header("Idempotency-Key", key)
            .json(&describe())
            .send()
    };
    // Ten at once under one key (a client retrying over a bad network).
    let answers = futures_util::future::join_all((0..10).map(|_| send("order-1"))).await;
    let mut ids = Vec::new();
    for answer in answers {
        let answer = answer.unwrap();
        assert_eq!(answer.status(), 202);
        ids.push(answer.json::<Value>().await.unwrap()["id"].clone());
    }
    ids.dedup();
    assert_eq!(ids.len(), 1, "{ids:?}");
    let later: Value = send("order-1").await.unwrap().json().await.unwrap();
    assert_eq!(later["id"], ids[0]);
    let other: Value = send("order-2").await.unwrap().json().await.unwrap();
    assert_ne!(other["id"], ids[0]);

    let pool = app.env.db.pool();
    let (songs, reservations): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM generations),
                (SELECT count(*) FROM ledger WHERE kind = 'reserve')",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!((songs, reservations), (2, 2));
    app.all_settled(std::time::Duration::from_secs(30)).await;
    super::invariants::assert_money_invariants(&app).await;
}

#[tokio::test]
async fn a_malformed_idempotency_key_is_refused_naming_it() {
    let app = spawn_app().await;
    let alice = member(&app, "alice@example.com", None).await;
    let long = "k".repeat(101);
    for key in ["", long.as_str(), "has space"] {
        let answer = app
            .http
            .post(format!("{}/api/v1/generations", app.web_url))
            .bearer_auth(&alice.token)
            .header("Idempotency-Key", key)
            .json(&describe())
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), 422, "{key:?}");
        let problem: Value = answer.json().await.unwrap();
        assert_eq!(problem["field"], "Idempotency-Key", "{problem}");
    }
    nothing_was_created(&app).await;
}

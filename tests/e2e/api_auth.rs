//! Bearer-token authentication of the JSON API, and its JSON problem
//! answers.

use chorus_core::accounts::{User, create_token, create_user, revoke_token, set_user_disabled};
use secrecy::ExposeSecret;
use uuid::Uuid;

use crate::accounts::member;
use crate::helpers::{TestApp, spawn_app};

/// A member of the app's team and a fresh token of theirs.
async fn member_with_token(app: &TestApp) -> (User, Uuid, String) {
    let pool = app.env.db.pool();
    let user = create_user(pool, member("ada@example.com")).await.unwrap();
    let (token, plaintext) = create_token(pool, user.id, "test").await.unwrap();
    (user, token.id, plaintext.expose_secret().to_owned())
}

async fn me(app: &TestApp, authorization: Option<&str>) -> reqwest::Response {
    let mut request = app.http.get(format!("{}/api/v1/me", app.web_url));
    if let Some(value) = authorization {
        request = request.header("Authorization", value);
    }
    request.send().await.unwrap()
}

/// Checks a 401 problem answer and returns its WWW-Authenticate header.
async fn assert_unauthorized(response: reqwest::Response) -> String {
    assert_eq!(response.status(), 401);
    let challenge = response.headers()["www-authenticate"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(challenge.starts_with("Bearer"), "{challenge}");
    assert_eq!(response.headers()["content-type"], "application/json");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "unauthorized", "{body}");
    assert!(
        body["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
    challenge
}

#[tokio::test]
async fn me_names_the_tokens_user() {
    let app = spawn_app().await;
    let (user, _, token) = member_with_token(&app).await;
    let response = me(&app, Some(&format!("Bearer {token}"))).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        body,
        serde_json::json!({"id": user.id, "email": "ada@example.com", "role": "member"})
    );
}

#[tokio::test]
async fn without_a_bearer_token_the_api_answers_401() {
    let app = spawn_app().await;
    let challenge = assert_unauthorized(me(&app, None).await).await;
    assert!(!challenge.contains("invalid_token"), "{challenge}");
    assert_unauthorized(me(&app, Some("Basic YWRhOnBhc3N3b3Jk")).await).await;
    assert_unauthorized(me(&app, Some("Bearer")).await).await;
}

#[tokio::test]
async fn a_garbage_or_unknown_token_is_answered_401() {
    let app = spawn_app().await;
    let unknown = format!("Bearer chorus_{}", "A".repeat(43));
    for value in ["Bearer nonsense", "Bearer chorus_", unknown.as_str()] {
        let challenge = assert_unauthorized(me(&app, Some(value)).await).await;
        assert!(challenge.contains("invalid_token"), "{value}: {challenge}");
    }
}

#[tokio::test]
async fn a_revoked_token_stops_working() {
    let app = spawn_app().await;
    let (user, token_id, token) = member_with_token(&app).await;
    let bearer = format!("Bearer {token}");
    assert_eq!(me(&app, Some(&bearer)).await.status(), 200);
    assert!(
        revoke_token(app.env.db.pool(), user.id, token_id)
            .await
            .unwrap()
    );
    assert_unauthorized(me(&app, Some(&bearer)).await).await;
    assert!(
        !revoke_token(app.env.db.pool(), user.id, token_id)
            .await
            .unwrap()
    );
}

#[tokio::test]
async fn a_disabled_users_tokens_stop_working_until_they_are_enabled() {
    let app = spawn_app().await;
    let (user, _, token) = member_with_token(&app).await;
    let bearer = format!("Bearer {token}");
    set_user_disabled(app.env.db.pool(), user.id, true)
        .await
        .unwrap();
    assert_unauthorized(me(&app, Some(&bearer)).await).await;
    set_user_disabled(app.env.db.pool(), user.id, false)
        .await
        .unwrap();
    assert_eq!(me(&app, Some(&bearer)).await.status(), 200);
}

#[tokio::test]
async fn an_unknown_api_address_gets_a_json_404() {
    let app = spawn_app().await;
    let response = app.get("/api/v1/no/such/thing").await;
    assert_eq!(response.status(), 404);
    assert_eq!(response.headers()["content-type"], "application/json");
    let body: serde_json::Value = response.json().await.unwrap();
    assert_eq!(body["error"], "not_found", "{body}");
}

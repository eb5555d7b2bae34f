//! Every state-changing form refuses a request without the page's CSRF
//! token, or from another site; nothing changes when it does.

use reqwest::StatusCode;

use super::browser::Browser;
use super::{PASSWORD, app_with_member, signed_in};
use crate::helpers::TestApp;

async fn account_page_status(browser: &mut Browser) -> StatusCode {
    browser.get("/account/password").await.status()
}

async fn still_has_password(app: &TestApp, password: &str) -> bool {
    let password = secrecy::SecretString::from(password.to_owned());
    chorus_core::accounts::check_credentials(app.env.db.pool(), "ada@example.com", password)
        .await
        .unwrap()
        .is_some()
}

#[tokio::test]
async fn a_post_without_the_right_token_is_refused_and_changes_nothing() {
    let app = app_with_member().await;
    let mut browser = signed_in(&app).await;
    let change = [
        ("current_password", PASSWORD),
        ("new_password", "hijacked password"),
        ("new_password_confirm", "hijacked password"),
    ];
    let real = browser.csrf_of("/account/password").await;
    let wrong = "B".repeat(43);
    let without: Vec<(&str, &str)> = change.to_vec();
    let mut with_wrong = change.to_vec();
    with_wrong.push(("csrf", &wrong));
    let mut empty = change.to_vec();
    empty.push(("csrf", ""));
    for fields in [&without, &with_wrong, &empty] {
        let response = browser.post("/account/password", fields).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
        let html = response.text().await.unwrap();
        assert!(html.contains("This form has expired"), "{html}");
    }
    assert!(still_has_password(&app, PASSWORD).await);

    // Sign-out is a form too: a forged one leaves the session alone.
    let response = browser.post("/sign-out", &[("csrf", &wrong)]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert_eq!(account_page_status(&mut browser).await, StatusCode::OK);

    // The right token from the wrong site is refused as well.
    browser.origin = Some("https://evil.test".to_owned());
    let mut fields = change.to_vec();
    fields.push(("csrf", &real));
    let response = browser.post("/account/password", &fields).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(still_has_password(&app, PASSWORD).await);

    // ...and accepted from our own page.
    browser.origin = Some(app.web_url.clone());
    let response = browser.post("/account/password", &fields).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(still_has_password(&app, "hijacked password").await);
}

#[tokio::test]
async fn a_sign_in_without_the_cookie_is_refused_before_the_password_is_checked() {
    let app = app_with_member().await;
    let mut attacker = Browser::new(&app);
    let token = attacker.csrf_of("/sign-in").await;
    // Another browser (the victim's) has no cookie to match the token.
    let mut victim = Browser::new(&app);
    let fields = [
        ("csrf", token.as_str()),
        ("email", "ada@example.com"),
        ("password", PASSWORD),
    ];
    let response = victim.post("/sign-in", &fields).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(victim.cookie("chorus_session").is_none());
}

#[tokio::test]
async fn the_json_api_needs_no_csrf_token() {
    let app = app_with_member().await;
    let ada = chorus_core::accounts::find_user_by_email(app.env.db.pool(), "ada@example.com")
        .await
        .unwrap()
        .unwrap();
    let (_, token) = chorus_core::accounts::create_token(app.env.db.pool(), ada.id, "script")
        .await
        .unwrap();
    let response = app
        .http
        .post(format!("{}/api/v1/generations", app.web_url))
        .bearer_auth(secrecy::ExposeSecret::expose_secret(&token))
        .header("content-type", "application/json")
        .body(r#"{"mode": "describe", "topic": "", "instrumental": true}"#)
        .send()
        .await
        .unwrap();
    // Refused for its content, not for a missing token.
    assert_ne!(response.status(), StatusCode::FORBIDDEN);
    assert!(response.status().is_client_error(), "{}", response.status());
}

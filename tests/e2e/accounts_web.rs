//! Accounts in the browser: first run, sign in, sessions, CSRF and the
//! limits on guessing, over HTTP against a whole app.

pub(crate) mod browser;
mod csrf;
mod sessions;

use chorus_core::accounts::{Role, create_user, find_user_by_email};
use reqwest::StatusCode;

use crate::accounts::member;
use crate::helpers::{TestApp, spawn_app, spawn_app_with};
use browser::{Browser, location, set_cookie_header};

const PASSWORD: &str = "correct horse battery";

/// An app with one member, ada@example.com, whose password is [`PASSWORD`].
async fn app_with_member() -> TestApp {
    let app = spawn_app().await;
    create_user(app.env.db.pool(), member("ada@example.com"))
        .await
        .unwrap();
    app
}

async fn signed_in(app: &TestApp) -> Browser {
    let mut browser = Browser::new(app);
    let response = browser.sign_in("ada@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    browser
}

#[tokio::test]
async fn first_run_creates_the_admin_and_signs_them_in_then_setup_is_gone() {
    let app = spawn_app().await;
    let mut browser = Browser::new(&app);
    let response = browser.get("/sign-in").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/setup");

    // Bad input comes back on the form, the email kept.
    let response = browser
        .submit(
            "/setup",
            "/setup",
            &[
                ("email", "boss@example.com"),
                ("password", "long enough"),
                ("password_confirm", "long enougH"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("value=\"boss@example.com\""), "{html}");
    assert!(
        html.contains("The two passwords are not the same."),
        "{html}"
    );
    assert!(
        !html.contains("long enough"),
        "a password was echoed: {html}"
    );

    let response = browser
        .submit(
            "/setup",
            "/setup",
            &[
                ("email", "Boss@Example.com"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/");
    assert!(browser.cookie("chorus_session").is_some());
    let admin = find_user_by_email(app.env.db.pool(), "boss@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(admin.role, Role::Admin);

    let response = browser.get("/account/password").await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.text().await.unwrap().contains("boss@example.com"));

    // Once anyone exists, first run is over, for everyone.
    assert_eq!(browser.get("/setup").await.status(), StatusCode::NOT_FOUND);
    let mut stranger = Browser::new(&app);
    assert_eq!(stranger.get("/setup").await.status(), StatusCode::NOT_FOUND);
    let csrf = stranger.csrf_of("/sign-in").await;
    let response = stranger
        .post(
            "/setup",
            &[
                ("csrf", &csrf),
                ("email", "mallory@example.com"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let mallory = find_user_by_email(app.env.db.pool(), "mallory@example.com").await;
    assert!(mallory.unwrap().is_none());
}

#[tokio::test]
async fn a_wrong_password_keeps_the_form_without_the_password() {
    let app = app_with_member().await;
    let mut browser = Browser::new(&app);
    let response = browser.sign_in("ada@example.com", "not my password").await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    assert!(set_cookie_header(&response, "chorus_session").is_none());
    let html = response.text().await.unwrap();
    assert!(
        html.contains("The email or the password is not right."),
        "{html}"
    );
    assert!(html.contains("value=\"ada@example.com\""), "{html}");
    assert!(!html.contains("not my password"), "the password was echoed");
    assert!(browser.cookie("chorus_session").is_none());

    // An unknown email is answered exactly the same way.
    let response = browser.sign_in("nobody@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn signing_in_sets_a_session_cookie_scripts_and_other_sites_cannot_use() {
    let app = app_with_member().await;
    let mut browser = Browser::new(&app);
    let response = browser.get("/sign-in").await;
    let csrf = set_cookie_header(&response, "chorus_csrf").unwrap();
    assert!(
        csrf.contains("HttpOnly") && csrf.contains("SameSite=Strict"),
        "{csrf}"
    );

    let response = browser.sign_in("ada@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/");
    let cookie = set_cookie_header(&response, "chorus_session").unwrap();
    for flag in ["HttpOnly", "SameSite=Lax", "Path=/"] {
        assert!(cookie.contains(flag), "{flag} missing: {cookie}");
    }
    // Plain http here: a Secure cookie would never come back.
    assert!(!cookie.contains("Secure"), "{cookie}");
}

#[tokio::test]
async fn over_https_the_cookies_are_secure() {
    let app = spawn_app_with(&[("CHORUS_PUBLIC_URL", "https://chorus.test")]).await;
    let mut browser = Browser::new(&app);
    let response = browser.get("/setup").await;
    assert_eq!(response.status(), StatusCode::OK);
    let csrf = set_cookie_header(&response, "chorus_csrf").unwrap();
    assert!(csrf.contains("Secure"), "{csrf}");
}

#[tokio::test]
async fn a_signed_out_visitor_is_sent_to_sign_in_and_back_but_never_off_site() {
    let app = app_with_member().await;
    let mut browser = Browser::new(&app);
    let response = browser.get("/account/password").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/sign-in?next=/account/password");

    let html = browser
        .get("/sign-in?next=/account/password")
        .await
        .text()
        .await
        .unwrap();
    assert!(
        html.contains("name=\"next\" value=\"/account/password\""),
        "{html}"
    );
    let fields = [
        ("email", "ada@example.com"),
        ("password", PASSWORD),
        ("next", "/account/password"),
    ];
    let response = browser.submit("/sign-in", "/sign-in", &fields).await;
    assert_eq!(location(&response), "/account/password");

    for evil in ["//evil.test/x", "https://evil.test", "/\\evil.test"] {
        let mut browser = Browser::new(&app);
        let fields = [
            ("email", "ada@example.com"),
            ("password", PASSWORD),
            ("next", evil),
        ];
        let response = browser.submit("/sign-in", "/sign-in", &fields).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{evil}");
        assert_eq!(location(&response), "/", "{evil}");
    }
}

#[tokio::test]
async fn after_five_wrong_passwords_even_the_right_one_is_refused_for_a_while() {
    let app = app_with_member().await;
    let mut browser = Browser::new(&app);
    for attempt in 1..=5 {
        let response = browser.sign_in("ADA@example.com", "wrong password").await;
        assert_eq!(
            response.status(),
            StatusCode::UNAUTHORIZED,
            "attempt {attempt}"
        );
    }
    let response = browser.sign_in("ada@example.com", "wrong password").await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let response = browser.sign_in("ada@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = response.headers()["retry-after"]
        .to_str()
        .unwrap()
        .parse()
        .unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    assert!(set_cookie_header(&response, "chorus_session").is_none());
    let html = response.text().await.unwrap();
    assert!(html.contains("Try again in 15 minutes."), "{html}");

    // Another account from the same address is not locked out.
    create_user(app.env.db.pool(), member("bob@example.com"))
        .await
        .unwrap();
    let response = browser.sign_in("bob@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

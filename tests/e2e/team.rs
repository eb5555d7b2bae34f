//! The team pages over HTTP: invitations (made by an admin, spent exactly
//! once, expiring), joining and open registration by configuration, the
//! admin's users page with disabling, and the language remembered per user.

mod admin;
mod invitations;
mod registration;

use chorus_core::accounts::{NewUser, Role, User, create_user};
use chorus_testkit::TestEnv;
use reqwest::StatusCode;
use secrecy::SecretString;

use crate::accounts_web::browser::{Browser, location};
use crate::helpers::{TestApp, spawn_web};

const PASSWORD: &str = "correct horse battery";
const ADMIN: &str = "boss@example.com";
const MEMBER: &str = "ada@example.com";

/// The web app (no worker: no songs are made here) with an admin and a
/// member, both with [`PASSWORD`].
async fn team_app(overrides: &[(&str, &str)]) -> TestApp {
    let app = spawn_web(TestEnv::start().await, overrides).await;
    add_user(&app, ADMIN, Role::Admin).await;
    add_user(&app, MEMBER, Role::Member).await;
    app
}

async fn add_user(app: &TestApp, email: &str, role: Role) -> User {
    let new = NewUser {
        email: email.to_owned(),
        password: SecretString::from(PASSWORD),
        role,
        monthly_budget: None,
    };
    create_user(app.env.db.pool(), new).await.unwrap()
}

async fn signed_in(app: &TestApp, email: &str) -> Browser {
    let mut browser = Browser::new(app);
    let response = browser.sign_in(email, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER, "sign in {email}");
    browser
}

async fn user_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM users")
        .fetch_one(app.env.db.pool())
        .await
        .unwrap()
}

async fn invitation_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM invitations")
        .fetch_one(app.env.db.pool())
        .await
        .unwrap()
}

/// The admin makes an invitation on the users page; returns the link's
/// path (`/join/<token>`), read from the page as a person would copy it.
async fn invite(admin: &mut Browser, role: &str) -> String {
    let response = admin
        .submit("/admin/users", "/admin/users", &[("role", role)])
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    let marker = "id=\"invitation-link\" class=\"invitation-link\" type=\"text\" readonly value=\"";
    let start = html.find(marker).unwrap_or_else(|| panic!("{html}")) + marker.len();
    let end = start + html[start..].find('"').unwrap();
    let link = html[start..end]
        .replace("&#x2f;", "/")
        .replace("&#47;", "/");
    assert!(link.starts_with("http://"), "{link}");
    let path = &link[link.find("/join/").unwrap()..];
    path.to_owned()
}

/// Joins with the link's form; returns the response to the post.
async fn join(browser: &mut Browser, path: &str, email: &str) -> reqwest::Response {
    browser
        .submit(
            path,
            path,
            &[
                ("email", email),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await
}

/// Signed in: the library answers instead of sending to the sign-in page.
async fn is_signed_in(browser: &mut Browser) -> bool {
    let response = browser.get("/songs").await;
    match response.status() {
        StatusCode::OK => true,
        StatusCode::SEE_OTHER => {
            assert!(location(&response).starts_with("/sign-in"));
            false
        }
        other => panic!("GET /songs: {other}"),
    }
}

/// The page text, failing on any catalog key left raw.
fn no_raw_keys(html: &str) {
    for prefix in ["team.", "accounts.", "layout.", "library.", "error."] {
        assert!(
            !html.contains(&format!(">{prefix}")) && !html.contains(&format!("\"{prefix}")),
            "raw {prefix} key in {html}"
        );
    }
}

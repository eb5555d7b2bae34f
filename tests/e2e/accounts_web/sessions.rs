//! Sessions end when they should: sign-out, a disabled user, a changed
//! password; and a sign-in never reuses an id.

use chorus_core::accounts::{check_credentials, set_user_disabled};
use reqwest::StatusCode;
use secrecy::SecretString;

use super::browser::{Browser, location, set_cookie_header};
use super::{PASSWORD, app_with_member, signed_in};
use crate::helpers::TestApp;

async fn can_see_account(browser: &mut Browser) -> bool {
    let response = browser.get("/account/password").await;
    match response.status() {
        StatusCode::OK => true,
        StatusCode::SEE_OTHER => {
            assert!(location(&response).starts_with("/sign-in?next="));
            false
        }
        other => panic!("unexpected {other}"),
    }
}

async fn password_works(app: &TestApp, password: &str) -> bool {
    let password = SecretString::from(password.to_owned());
    check_credentials(app.env.db.pool(), "ada@example.com", password)
        .await
        .unwrap()
        .is_some()
}

#[tokio::test]
async fn signing_out_ends_the_session_not_just_the_cookie() {
    let app = app_with_member().await;
    let mut browser = signed_in(&app).await;
    let old_id = browser.cookie("chorus_session").unwrap().to_owned();
    assert!(can_see_account(&mut browser).await);

    let csrf = browser.csrf_of("/account/password").await;
    let response = browser.post("/sign-out", &[("csrf", &csrf)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(
        browser.cookie("chorus_session").is_none(),
        "cookie not removed"
    );
    assert!(!can_see_account(&mut browser).await);

    // A copy of the old cookie is worth nothing either.
    browser.set_cookie("chorus_session", &old_id);
    assert!(!can_see_account(&mut browser).await);
}

#[tokio::test]
async fn disabling_a_user_ends_their_session_at_once() {
    let app = app_with_member().await;
    let mut browser = signed_in(&app).await;
    assert!(can_see_account(&mut browser).await);
    let ada = chorus_core::accounts::find_user_by_email(app.env.db.pool(), "ada@example.com")
        .await
        .unwrap()
        .unwrap();

    set_user_disabled(app.env.db.pool(), ada.id, true)
        .await
        .unwrap();
    app.changed_behind_the_app().await;
    assert!(!can_see_account(&mut browser).await);
    // Enabling them again does not bring the old session back.
    set_user_disabled(app.env.db.pool(), ada.id, false)
        .await
        .unwrap();
    app.changed_behind_the_app().await;
    assert!(!can_see_account(&mut browser).await);

    set_user_disabled(app.env.db.pool(), ada.id, true)
        .await
        .unwrap();
    app.changed_behind_the_app().await;
    let response = browser.sign_in("ada@example.com", PASSWORD).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(set_cookie_header(&response, "chorus_session").is_none());
    assert!(browser.cookie("chorus_session").is_none());
    assert!(response.text().await.unwrap().contains("disabled"));
}

#[tokio::test]
async fn changing_the_password_ends_the_other_sessions() {
    let app = app_with_member().await;
    let mut laptop = signed_in(&app).await;
    let mut phone = signed_in(&app).await;
    let laptop_before = laptop.cookie("chorus_session").unwrap().to_owned();

    // Bad input: the same form, the error next to its field.
    let change = |current: &'static str, new: &'static str, again: &'static str| {
        [
            ("current_password", current),
            ("new_password", new),
            ("new_password_confirm", again),
        ]
    };
    let page = "/account/password";
    let response = laptop
        .submit(page, page, &change(PASSWORD, "short", "short"))
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("id=\"new_password-error\""), "{html}");
    assert!(html.contains("at least 8 characters"), "{html}");
    let response = laptop
        .submit(
            page,
            page,
            &change("not it at all", "new password 1", "new password 1"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("This is not your current password."),
        "{html}"
    );
    assert!(!html.contains("not it at all"), "a password was echoed");
    assert!(password_works(&app, PASSWORD).await);

    let response = laptop
        .submit(
            page,
            page,
            &change(PASSWORD, "new password 1", "new password 1"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/account/password?changed=1");
    assert!(password_works(&app, "new password 1").await);
    assert!(!password_works(&app, PASSWORD).await);

    // This browser carries on under a new id; every other session is over.
    let laptop_after = laptop.cookie("chorus_session").unwrap().to_owned();
    assert_ne!(laptop_before, laptop_after);
    let html = laptop
        .get("/account/password?changed=1")
        .await
        .text()
        .await
        .unwrap();
    assert!(html.contains("Your password has been changed."), "{html}");
    assert!(!can_see_account(&mut phone).await);
    laptop.set_cookie("chorus_session", &laptop_before);
    assert!(!can_see_account(&mut laptop).await);
}

#[tokio::test]
async fn signing_in_always_issues_a_new_session_id() {
    let app = app_with_member().await;
    let mut browser = signed_in(&app).await;
    let first = browser.cookie("chorus_session").unwrap().to_owned();

    // Signed in, /sign-in itself redirects: sign in again from another form.
    let fields = [("email", "ada@example.com"), ("password", PASSWORD)];
    let response = browser
        .submit("/account/password", "/sign-in", &fields)
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let second = browser.cookie("chorus_session").unwrap().to_owned();
    assert_ne!(first, second);
    assert!(can_see_account(&mut browser).await);
    // The session signed in over is ended, not left lying around.
    browser.set_cookie("chorus_session", &first);
    assert!(!can_see_account(&mut browser).await);

    // A session id planted before sign-in (fixation) is not adopted.
    let mut victim = Browser::new(&app);
    victim.set_cookie("chorus_session", &"A".repeat(43));
    victim.sign_in("ada@example.com", PASSWORD).await;
    assert_ne!(victim.cookie("chorus_session").unwrap(), "A".repeat(43));
}

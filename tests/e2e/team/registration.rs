//! `CHORUS_REGISTRATION`: `open` lets anyone register as a member,
//! `invite` (the default) only through links, `closed` neither; and user
//! text on these pages is escaped.

use chorus_core::accounts::{Role, find_user_by_email};
use reqwest::StatusCode;

use super::{ADMIN, PASSWORD, invite, is_signed_in, join, signed_in, team_app, user_count};
use crate::accounts_web::browser::{Browser, location};

async fn register(browser: &mut Browser, email: &str) -> reqwest::Response {
    browser
        .submit(
            "/register",
            "/register",
            &[
                ("email", email),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await
}

#[tokio::test]
async fn open_registration_makes_a_signed_in_member() {
    let app = team_app(&[("CHORUS_REGISTRATION", "open")]).await;
    let mut guest = Browser::new(&app);
    let response = register(&mut guest, "walk-in@example.com").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/");
    assert!(is_signed_in(&mut guest).await);
    let user = find_user_by_email(app.env.db.pool(), "walk-in@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.role, Role::Member);
    assert_eq!(
        guest.get("/admin/users").await.status(),
        StatusCode::NOT_FOUND
    );

    // Bad input is kept on the form; CSRF is checked.
    let mut other = Browser::new(&app);
    let response = other
        .submit(
            "/register",
            "/register",
            &[("email", "not-an-email"), ("password", "short")],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("value=\"not-an-email\""), "{html}");
    assert!(html.contains("This is not an email address."));
    let response = other
        .post(
            "/register",
            &[
                ("email", "forged@example.com"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(
        find_user_by_email(app.env.db.pool(), "forged@example.com")
            .await
            .unwrap()
            .is_none()
    );

    // Invitations work as well.
    let mut admin = signed_in(&app, ADMIN).await;
    let path = invite(&mut admin, "member").await;
    let response = join(&mut Browser::new(&app), &path, "invited@example.com").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn invite_mode_has_no_registration_page_but_links_work() {
    let app = team_app(&[]).await;
    let mut guest = Browser::new(&app);
    assert_eq!(guest.get("/register").await.status(), StatusCode::NOT_FOUND);
    let csrf = guest.csrf_of("/sign-in").await;
    let before = user_count(&app).await;
    let response = guest
        .post(
            "/register",
            &[
                ("email", "walk-in@example.com"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(user_count(&app).await, before);
}

#[tokio::test]
async fn closed_mode_refuses_registration_and_invitation_links() {
    let app = team_app(&[("CHORUS_REGISTRATION", "closed")]).await;
    let mut guest = Browser::new(&app);
    assert_eq!(guest.get("/register").await.status(), StatusCode::NOT_FOUND);
    let mut admin = signed_in(&app, ADMIN).await;
    let path = invite(&mut admin, "member").await;
    let before = user_count(&app).await;
    let response = guest.get(&path).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("This link does not work")
    );
    let csrf = guest.csrf_of("/sign-in").await;
    let response = guest
        .post(
            &path,
            &[
                ("email", "new@example.com"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(user_count(&app).await, before);
}

#[tokio::test]
async fn emails_typed_into_the_team_pages_are_escaped() {
    let app = team_app(&[("CHORUS_REGISTRATION", "open")]).await;
    let evil = "<script>alert(1)</script>@evil.example";
    let mut guest = Browser::new(&app);
    assert_eq!(
        register(&mut guest, evil).await.status(),
        StatusCode::SEE_OTHER
    );
    let mut admin = signed_in(&app, ADMIN).await;
    let html = admin.get("/admin/users").await.text().await.unwrap();
    assert!(!html.contains("<script>alert(1)"), "{html}");
    assert!(escaped(&html, "alert(1)"), "{html}");

    // Kept on a form with an error: escaped inside the attribute too.
    let path = invite(&mut admin, "member").await;
    let typed = "\"><script>alert(2)</script>";
    let mut other = Browser::new(&app);
    let response = other
        .submit(&path, &path, &[("email", typed), ("password", PASSWORD)])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(!html.contains("<script>alert(2)"), "{html}");
    assert!(escaped(&html, "alert(2)"), "{html}");
}

/// Whether `<script>` before `what` shows as text (askama writes `&#60;`).
fn escaped(html: &str, what: &str) -> bool {
    html.contains(&format!("&#60;script&#62;{what}"))
        || html.contains(&format!("&lt;script&gt;{what}"))
}

//! Invitation links: made by an admin, spent exactly once (even by two
//! people at the same moment), refused when used, expired or unknown.

use chorus_core::accounts::{Role, accept_invitation, create_invitation, find_user_by_email};
use reqwest::StatusCode;
use secrecy::{ExposeSecret, SecretString};

use super::{
    ADMIN, MEMBER, PASSWORD, add_user, invitation_count, invite, is_signed_in, join, signed_in,
    team_app, user_count,
};
use crate::accounts_web::browser::{Browser, location};

#[tokio::test]
async fn an_admin_invites_a_member_who_joins_signed_in_and_the_link_then_fails() {
    let app = team_app(&[]).await;
    let mut admin = signed_in(&app, ADMIN).await;
    let path = invite(&mut admin, "member").await;

    let mut guest = Browser::new(&app);
    let response = guest.get(&path).await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()["cache-control"], "no-store");
    let html = response.text().await.unwrap();
    assert!(html.contains("as a Member"), "{html}");

    // Bad input comes back on the form, the email kept; the link still works.
    let response = guest
        .submit(
            &path,
            &path,
            &[
                ("email", "new@example.com"),
                ("password", PASSWORD),
                ("password_confirm", "something else"),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let html = response.text().await.unwrap();
    assert!(html.contains("value=\"new@example.com\""), "{html}");
    assert!(html.contains("The two passwords are not the same."));
    assert!(!html.contains(PASSWORD));
    // An email already in use is said so, next to the field.
    let response = join(&mut guest, &path, MEMBER).await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("already an account")
    );

    let before = user_count(&app).await;
    let response = join(&mut guest, &path, "New@Example.com").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/");
    assert!(is_signed_in(&mut guest).await);
    let user = find_user_by_email(app.env.db.pool(), "new@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.role, Role::Member);
    assert_eq!(user_count(&app).await, before + 1);

    // Spent: the link now says so, to anyone, and creates nothing.
    let mut late = Browser::new(&app);
    let response = late.get(&path).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let html = response.text().await.unwrap();
    assert!(html.contains("This link does not work"), "{html}");
    let csrf = late.csrf_of("/sign-in").await;
    let response = late
        .post(
            &path,
            &[
                ("email", "late@example.com"),
                ("password", PASSWORD),
                ("password_confirm", PASSWORD),
                ("csrf", &csrf),
            ],
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(user_count(&app).await, before + 1);
}

#[tokio::test]
async fn an_admin_invitation_makes_an_admin() {
    let app = team_app(&[]).await;
    let mut admin = signed_in(&app, ADMIN).await;
    let path = invite(&mut admin, "admin").await;
    let mut guest = Browser::new(&app);
    assert_eq!(
        join(&mut guest, &path, "second@example.com").await.status(),
        StatusCode::SEE_OTHER
    );
    let user = find_user_by_email(app.env.db.pool(), "second@example.com")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.role, Role::Admin);
    assert_eq!(guest.get("/admin/users").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn expired_and_unknown_links_fail_and_create_nothing() {
    let app = team_app(&[]).await;
    let boss = add_user(&app, "boss2@example.com", Role::Admin).await;
    let pool = app.env.db.pool();
    let (invitation, token) = create_invitation(pool, boss.id, Role::Member)
        .await
        .unwrap();
    sqlx::query("UPDATE invitations SET expires_at = now() - interval '1 second' WHERE id = $1")
        .bind(invitation.id)
        .execute(pool)
        .await
        .unwrap();
    let before = user_count(&app).await;
    let unknown = format!("/join/{}", "A".repeat(43));
    for path in [
        format!("/join/{}", token.expose_secret()),
        unknown,
        "/join/short".to_owned(),
    ] {
        let mut guest = Browser::new(&app);
        let response = guest.get(&path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(response.text().await.unwrap().contains("has expired"));
        let csrf = guest.csrf_of("/sign-in").await;
        let response = guest
            .post(
                &path,
                &[
                    ("email", "late@example.com"),
                    ("password", PASSWORD),
                    ("password_confirm", PASSWORD),
                    ("csrf", &csrf),
                ],
            )
            .await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        assert!(!is_signed_in(&mut guest).await);
    }
    assert_eq!(user_count(&app).await, before);
}

#[tokio::test]
async fn two_people_joining_with_one_link_at_once_make_exactly_one_user() {
    let app = team_app(&[]).await;
    let mut admin = signed_in(&app, ADMIN).await;
    let path = invite(&mut admin, "member").await;
    let before = user_count(&app).await;
    let mut first = Browser::new(&app);
    let mut second = Browser::new(&app);
    let fields = |email: &'static str, csrf: String| {
        vec![
            ("email", email.to_owned()),
            ("password", PASSWORD.to_owned()),
            ("password_confirm", PASSWORD.to_owned()),
            ("csrf", csrf),
        ]
    };
    let one = fields("one@example.com", first.csrf_of(&path).await);
    let two = fields("two@example.com", second.csrf_of(&path).await);
    let one: Vec<(&str, &str)> = one.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let two: Vec<(&str, &str)> = two.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (a, b) = tokio::join!(first.post(&path, &one), second.post(&path, &two));
    let mut statuses = [a.status(), b.status()];
    statuses.sort();
    assert_eq!(statuses, [StatusCode::SEE_OTHER, StatusCode::NOT_FOUND]);
    assert_eq!(user_count(&app).await, before + 1);

    // The same race, many at once, straight against the core.
    let (_, token) = create_invitation(app.env.db.pool(), admin_id(&app).await, Role::Member)
        .await
        .unwrap();
    let attempts = (0..8).map(|i| {
        let pool = app.env.db.pool().clone();
        let token = token.expose_secret().to_owned();
        async move {
            let email = format!("racer{i}@example.com");
            accept_invitation(&pool, &token, &email, SecretString::from(PASSWORD))
                .await
                .unwrap()
        }
    });
    let joined = futures_util::future::join_all(attempts).await;
    assert_eq!(joined.iter().filter(|user| user.is_some()).count(), 1);
    assert_eq!(user_count(&app).await, before + 2);
    assert_eq!(invitation_count(&app).await, 2);
}

async fn admin_id(app: &crate::helpers::TestApp) -> uuid::Uuid {
    find_user_by_email(app.env.db.pool(), ADMIN)
        .await
        .unwrap()
        .unwrap()
        .id
}

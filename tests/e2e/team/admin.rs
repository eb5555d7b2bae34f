//! The admin's users page: who may see it, CSRF, disabling (sessions end at
//! once) and enabling, not disabling oneself, escaping, both languages, and
//! the language remembered per user.

use chorus_core::accounts::find_user_by_email;
use reqwest::StatusCode;
use reqwest::header::{ACCEPT_LANGUAGE, COOKIE};

use super::{
    ADMIN, MEMBER, PASSWORD, invitation_count, invite, is_signed_in, no_raw_keys, signed_in,
    team_app,
};
use crate::accounts_web::browser::{Browser, location};
use crate::helpers::{TestApp, http_client};

async fn user_id(app: &TestApp, email: &str) -> uuid::Uuid {
    find_user_by_email(app.env.db.pool(), email)
        .await
        .unwrap()
        .unwrap()
        .id
}

async fn is_disabled(app: &TestApp, email: &str) -> bool {
    find_user_by_email(app.env.db.pool(), email)
        .await
        .unwrap()
        .unwrap()
        .disabled
}

#[tokio::test]
async fn only_admins_reach_the_users_page_and_make_invitations() {
    let app = team_app(&[]).await;
    let ada = user_id(&app, MEMBER).await;

    // Signed out: sent to sign in, nothing made.
    let mut guest = Browser::new(&app);
    let response = guest.get("/admin/users").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/sign-in?next=/admin/users");

    // A member: the page does not exist for them, nor do its actions,
    // even with a valid CSRF token from a page they may see.
    let mut member = signed_in(&app, MEMBER).await;
    assert_eq!(
        member.get("/admin/users").await.status(),
        StatusCode::NOT_FOUND
    );
    let csrf = member.csrf_of("/account/password").await;
    let response = member
        .post("/admin/users", &[("role", "admin"), ("csrf", &csrf)])
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    let boss = user_id(&app, ADMIN).await;
    let response = member
        .post(&format!("/admin/users/{boss}/disable"), &[("csrf", &csrf)])
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    assert_eq!(invitation_count(&app).await, 0);
    assert!(!is_disabled(&app, ADMIN).await);
    // Nor does the header offer the link.
    let html = member.get("/songs").await.text().await.unwrap();
    assert!(!html.contains("href=\"/admin/users\""), "{html}");

    // The admin: the page lists everyone, and the header links to it.
    let mut admin = signed_in(&app, ADMIN).await;
    let response = admin.get("/admin/users").await;
    assert_eq!(response.status(), StatusCode::OK);
    let html = response.text().await.unwrap();
    assert!(html.contains(MEMBER) && html.contains(ADMIN), "{html}");
    assert!(html.contains(&format!("/admin/users/{ada}/disable")));
    // No button to disable oneself.
    assert!(!html.contains(&format!("/admin/users/{boss}/disable")));
    let html = admin.get("/songs").await.text().await.unwrap();
    assert!(html.contains("href=\"/admin/users\""), "{html}");
    // A bad role comes back on the page.
    let response = admin
        .submit("/admin/users", "/admin/users", &[("role", "owner")])
        .await;
    assert_eq!(response.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(invitation_count(&app).await, 0);
    // An unknown user is a 404.
    let unknown = uuid::Uuid::now_v7();
    let response = admin
        .submit(
            "/admin/users",
            &format!("/admin/users/{unknown}/disable"),
            &[],
        )
        .await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_admin_forms_refuse_a_missing_or_wrong_csrf_token() {
    let app = team_app(&[]).await;
    let ada = user_id(&app, MEMBER).await;
    let mut admin = signed_in(&app, ADMIN).await;
    let wrong = "B".repeat(43);
    for fields in [
        vec![("role", "member")],
        vec![("role", "member"), ("csrf", &wrong)],
    ] {
        let response = admin.post("/admin/users", &fields).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
    for action in ["disable", "enable"] {
        let path = format!("/admin/users/{ada}/{action}");
        assert_eq!(admin.post(&path, &[]).await.status(), StatusCode::FORBIDDEN);
        let response = admin.post(&path, &[("csrf", &wrong)]).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN);
    }
    assert_eq!(invitation_count(&app).await, 0);
    assert!(!is_disabled(&app, MEMBER).await);

    // The join form too: nothing made, the link still usable.
    let path = invite(&mut admin, "member").await;
    let mut guest = Browser::new(&app);
    let fields = [
        ("email", "new@example.com"),
        ("password", PASSWORD),
        ("password_confirm", PASSWORD),
    ];
    let response = guest.post(&path, &fields).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(
        find_user_by_email(app.env.db.pool(), "new@example.com")
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(guest.get(&path).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn disabling_ends_the_users_sessions_at_once_and_enabling_lets_them_back() {
    let app = team_app(&[]).await;
    let ada = user_id(&app, MEMBER).await;
    let mut member = signed_in(&app, MEMBER).await;
    let mut other_browser = signed_in(&app, MEMBER).await;
    assert!(is_signed_in(&mut member).await);

    let mut admin = signed_in(&app, ADMIN).await;
    let response = admin
        .submit("/admin/users", &format!("/admin/users/{ada}/disable"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&response), "/admin/users");
    assert!(is_disabled(&app, MEMBER).await);
    let html = admin.get("/admin/users").await.text().await.unwrap();
    assert!(
        html.contains(&format!("/admin/users/{ada}/enable")),
        "{html}"
    );

    // Their very next request, in either browser, asks them to sign in.
    assert!(!is_signed_in(&mut member).await);
    assert!(!is_signed_in(&mut other_browser).await);
    let response = member.sign_in(MEMBER, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);

    let response = admin
        .submit("/admin/users", &format!("/admin/users/{ada}/enable"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(!is_disabled(&app, MEMBER).await);
    let response = member.sign_in(MEMBER, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(is_signed_in(&mut member).await);
}

#[tokio::test]
async fn an_admin_cannot_disable_themselves() {
    let app = team_app(&[]).await;
    let boss = user_id(&app, ADMIN).await;
    let mut admin = signed_in(&app, ADMIN).await;
    let response = admin
        .submit("/admin/users", &format!("/admin/users/{boss}/disable"), &[])
        .await;
    assert_eq!(response.status(), StatusCode::CONFLICT);
    let html = response.text().await.unwrap();
    assert!(
        html.contains("You cannot disable your own account."),
        "{html}"
    );
    assert!(!is_disabled(&app, ADMIN).await);
    assert!(is_signed_in(&mut admin).await);
}

#[tokio::test]
async fn the_users_page_speaks_both_languages() {
    let app = team_app(&[]).await;
    let mut admin = signed_in(&app, ADMIN).await;
    let path = invite(&mut admin, "member").await;
    for (lang, title, join_title, invalid) in [
        ("en", "Team", "Join Chorus", "This link does not work"),
        ("zh-CN", "团队", "加入 Chorus", "此链接无法使用"),
    ] {
        admin.set_cookie("lang", lang);
        let mut guest = Browser::new(&app);
        guest.set_cookie("lang", lang);
        let check = |html: String, page: &str, text: &str| {
            assert!(html.contains(&format!("<html lang=\"{lang}\">")), "{html}");
            assert!(html.contains(text), "{page} in {lang}: {html}");
            no_raw_keys(&html);
        };
        check(
            admin.get("/admin/users").await.text().await.unwrap(),
            "/admin/users",
            title,
        );
        check(
            guest.get(&path).await.text().await.unwrap(),
            &path,
            join_title,
        );
        let response = guest.get("/join/nothing").await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND);
        check(response.text().await.unwrap(), "/join/nothing", invalid);
    }
}

#[tokio::test]
async fn a_users_language_follows_them_to_another_browser() {
    let app = team_app(&[]).await;
    let mut first = signed_in(&app, MEMBER).await;
    let response = first.get("/lang/zh-CN?next=/songs").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let stored: Option<String> = sqlx::query_scalar("SELECT locale FROM users WHERE email = $1")
        .bind(MEMBER)
        .fetch_one(app.env.db.pool())
        .await
        .unwrap();
    assert_eq!(stored.as_deref(), Some("zh-CN"));

    // Another browser, asking for English, with no language cookie.
    let second = signed_in(&app, MEMBER).await;
    assert!(second.cookie("lang").is_none());
    let session = second.cookie("chorus_session").unwrap();
    let html = http_client()
        .get(format!("{}/songs", app.web_url))
        .header(COOKIE, format!("chorus_session={session}"))
        .header(ACCEPT_LANGUAGE, "en-US,en;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<html lang=\"zh-CN\">"), "{html}");
    // Signed out, the same browser follows Accept-Language again.
    let html = http_client()
        .get(format!("{}/sign-in", app.web_url))
        .header(ACCEPT_LANGUAGE, "en-US,en;q=0.9")
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("<html lang=\"en\">"));
}

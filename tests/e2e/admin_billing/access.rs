//! Only admins reach the billing page, its CSV and its forms; members get
//! the 404 of an address that does not exist; the signed-out are sent to
//! sign in; and every form refuses a missing or wrong CSRF token.

use reqwest::StatusCode;

use super::{BOSS, Team, team_without_worker};
use crate::accounts_web::browser::location;

const PAGES: [&str; 3] = [
    "/admin/billing",
    "/admin/billing?month=2026-01",
    "/admin/billing/export.csv?month=2026-01",
];

/// Each form with fields that would go through for an admin.
fn forms(team_member: &str) -> [(&'static str, Vec<(&'static str, String)>); 3] {
    [
        (
            "/admin/billing/budget",
            vec![
                ("user_id", team_member.to_owned()),
                ("amount", "1".to_owned()),
                ("reason", "r".to_owned()),
            ],
        ),
        (
            "/admin/billing/cap",
            vec![("amount", "1".to_owned()), ("reason", "r".to_owned())],
        ),
        (
            "/admin/billing/refund",
            vec![
                ("generation_id", uuid::Uuid::now_v7().to_string()),
                ("reason", "r".to_owned()),
            ],
        ),
    ]
}

fn with_token<'a>(fields: &'a [(&'static str, String)], csrf: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut all: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
    all.push(("csrf", csrf));
    all
}

async fn nothing_changed(team: &Team) {
    assert_eq!(team.audit_count().await, 0);
    let settings: (Option<i64>, i64) = sqlx::query_as(
        "SELECT (SELECT monthly_cap_micros FROM team_settings),
                (SELECT count(*) FROM users WHERE monthly_budget_micros IS NOT NULL)",
    )
    .fetch_one(team.pool())
    .await
    .unwrap();
    assert_eq!(settings, (None, 0));
}

#[tokio::test]
async fn only_admins_reach_the_billing_page_its_csv_and_its_forms() {
    let team = team_without_worker().await;
    let ada = team.ada.id.to_string();

    // Signed out: sent to sign in, for the pages and the forms alike.
    let mut guest = crate::accounts_web::browser::Browser::new(&team.app);
    for path in PAGES {
        let response = guest.get(path).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        assert!(location(&response).starts_with("/sign-in?next=/admin/billing"));
    }
    let csrf = guest.csrf_of("/sign-in").await;
    for (path, fields) in forms(&ada) {
        let response = guest.post(path, &with_token(&fields, &csrf)).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        assert!(location(&response).starts_with("/sign-in"), "{path}");
    }

    // A member: none of it exists for them, even with a good CSRF token.
    let mut member = team.signed_in(super::ADA).await;
    for path in PAGES {
        let response = member.get(path).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
        let body = response.text().await.unwrap();
        assert!(!body.contains("date,recorded_at"), "{path}: {body}");
    }
    let csrf = member.csrf_of("/account/password").await;
    for (path, fields) in forms(&ada) {
        let response = member.post(path, &with_token(&fields, &csrf)).await;
        assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
    }
    nothing_changed(&team).await;
    let html = member.get("/songs").await.text().await.unwrap();
    assert!(!html.contains("href=\"/admin/billing\""), "{html}");

    // The admin: the page, the file, and the header's link to the page.
    let mut boss = team.signed_in(BOSS).await;
    for path in PAGES {
        assert_eq!(boss.get(path).await.status(), StatusCode::OK, "{path}");
    }
    let html = boss.get("/songs").await.text().await.unwrap();
    assert!(html.contains("href=\"/admin/billing\""), "{html}");
    let html = boss.get("/admin/billing").await.text().await.unwrap();
    assert!(
        html.contains("<a href=\"/admin/billing\" aria-current=\"page\">Team billing</a>"),
        "{html}"
    );
}

#[tokio::test]
async fn every_billing_form_refuses_a_missing_or_wrong_csrf_token() {
    let team = team_without_worker().await;
    let ada = team.ada.id.to_string();
    let mut boss = team.signed_in(BOSS).await;
    // The browser holds a real token, so only the field is wrong.
    boss.csrf_of("/admin/billing").await;
    let wrong = "B".repeat(43);
    for (path, fields) in forms(&ada) {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let response = boss.post(path, &fields).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
        let mut with_wrong = fields.clone();
        with_wrong.push(("csrf", &wrong));
        let response = boss.post(path, &with_wrong).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
        // Another site's page cannot post it even with the right token.
        let csrf = boss.csrf_of("/admin/billing").await;
        boss.origin = Some("https://evil.example".to_owned());
        let response = boss.post(path, &with_token_pairs(&fields, &csrf)).await;
        boss.origin = None;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{path}");
    }
    nothing_changed(&team).await;
}

fn with_token_pairs<'a>(fields: &[(&'a str, &'a str)], csrf: &'a str) -> Vec<(&'a str, &'a str)> {
    let mut all = fields.to_vec();
    all.push(("csrf", csrf));
    all
}

//! Who may see what: signed-out visitors sign in first; a member sees only
//! their own month, whatever the address asks for.

use reqwest::StatusCode;

use super::{ledger_rows, page, signed_in};
use crate::accounts_web::browser::location;
use crate::helpers::spawn_app;
use crate::pipeline::members::{admin, describe};

#[tokio::test]
async fn signed_out_visitors_are_sent_to_sign_in_and_come_back() {
    let app = spawn_app().await;
    for (path, next) in [
        ("/billing", "/sign-in?next=/billing"),
        (
            "/billing?month=2026-01",
            "/sign-in?next=/billing%3Fmonth%3D2026-01",
        ),
        (
            "/billing/export.csv?month=2026-01",
            "/sign-in?next=/billing/export.csv%3Fmonth%3D2026-01",
        ),
    ] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(location(&response), next);
    }
}

#[tokio::test]
async fn a_member_never_sees_another_members_songs_or_figures() {
    let app = spawn_app().await;
    let (ada, _) = signed_in(&app, "ada@example.com", None).await;
    let (_, mut bobs) = signed_in(&app, "bob@example.com", None).await;
    let song = app.request_song(&ada, &describe()).await;
    app.finished(&ada, song).await;

    let month = super::this_month(&app).await;
    let label = chorus_core::billing::zone::month_label(month);
    let tricks = [
        "/billing".to_owned(),
        format!("/billing?user={}", ada.id),
        format!("/billing?user_id={}&month={label}", ada.id),
        "/billing?member=ada@example.com&scope=team".to_owned(),
        format!("/billing?month={label}&month=2020-01&user={}", ada.id),
    ];
    for path in &tricks {
        let response = bobs.get(path).await;
        // A repeated parameter may be refused, never answered with Ada's.
        if response.status() != StatusCode::OK {
            assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
            continue;
        }
        let html = response.text().await.unwrap();
        assert!(!html.contains(&song.to_string()), "{path}: {html}");
        assert!(!html.contains("a song about spring"), "{path}");
        assert!(ledger_rows(&html).is_empty(), "{path}");
        assert_eq!(super::figure(&html, "spent"), "USD 0.00", "{path}");
    }
    for path in [
        format!("/billing/export.csv?month={label}"),
        format!("/billing/export.csv?month={label}&user={}", ada.id),
    ] {
        let response = bobs.get(&path).await;
        assert_eq!(response.status(), StatusCode::OK);
        let csv = response.text().await.unwrap();
        assert_eq!(csv, chorus_core::billing::statement::CSV_HEADER, "{path}");
    }
    // Ada's own page has the song.
    let mut adas = super::browser_of(&app, "ada@example.com").await;
    let html = page(&mut adas, "/billing").await;
    assert!(html.contains(&format!("href=\"/songs/{song}\"")), "{html}");
}

#[tokio::test]
async fn an_admins_billing_page_is_their_own_month_too() {
    let app = spawn_app().await;
    let (ada, _) = signed_in(&app, "ada@example.com", None).await;
    admin(&app, "boss@example.com").await;
    let song = app.request_song(&ada, &describe()).await;
    app.finished(&ada, song).await;

    let mut boss = super::browser_of(&app, "boss@example.com").await;
    let html = page(&mut boss, &format!("/billing?user={}", ada.id)).await;
    assert_eq!(super::figure(&html, "spent"), "USD 0.00");
    assert!(ledger_rows(&html).is_empty());
    assert!(!html.contains(&song.to_string()));
}

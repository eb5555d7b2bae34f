//! `GET /songs/{id}` and its actions: publish, unpublish, try again.

use chorus_core::Micros;
use reqwest::StatusCode;
use uuid::Uuid;

use super::*;

/// A custom song of the browser's member, made through the form.
async fn requested(browser: &mut Browser, title: &str) -> Uuid {
    let response = create(
        browser,
        &[
            ("mode", "custom"),
            ("title", title),
            ("tags", "pop"),
            ("lyrics", "la la"),
        ],
    )
    .await;
    song_id(&response)
}

/// Posts an action with the browser's CSRF token. The token is the
/// browser's, not the page's, so it is taken from the create page: a song
/// page without a button for the action has no form to take it from.
async fn act(browser: &mut Browser, id: Uuid, action: &str) -> reqwest::Response {
    let csrf = browser.csrf_of("/create").await;
    browser
        .post(&format!("/songs/{id}/{action}"), &[("csrf", &csrf)])
        .await
}

async fn published_at(app: &TestApp, id: Uuid) -> Option<time::OffsetDateTime> {
    sqlx::query_scalar("SELECT published_at FROM generations WHERE id = $1")
        .bind(id)
        .fetch_one(app.env.db.pool())
        .await
        .unwrap()
}

#[tokio::test]
async fn a_song_is_seen_by_its_owner_and_admins_and_by_others_once_published() {
    let app = web_only().await;
    let (_, mut ada) = signed_in(&app, "ada@example.com", None).await;
    let (_, mut bo) = signed_in(&app, "bo@example.com", None).await;
    let (_, mut boss) = signed_in_admin(&app, "boss@example.com").await;
    let id = requested(&mut ada, "Starlit").await;
    let path = format!("/songs/{id}");

    let (status, html) = page(&mut ada, &path).await;
    assert_eq!(status, StatusCode::OK);
    // Not finished: nothing to publish yet.
    assert!(!html.contains("/publish"), "{html}");
    assert!(!html.contains("/retry"), "{html}");
    let (status, _) = page(&mut boss, &path).await;
    assert_eq!(status, StatusCode::OK);
    let (status, html) = page(&mut bo, &path).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!html.contains("Starlit"), "{html}");
    let (status, _) = page(&mut bo, "/songs/not-a-uuid").await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // Only a finished song can be published, and only by its owner.
    assert_eq!(
        act(&mut ada, id, "publish").await.status(),
        StatusCode::NOT_FOUND
    );
    set_status(&app, id, "completed", None).await;
    let (_, html) = page(&mut ada, &path).await;
    assert!(html.contains("Publish to gallery"), "{html}");
    assert!(!html.contains("Unpublish"), "{html}");
    let (_, html) = page(&mut boss, &path).await;
    assert!(!html.contains("Publish to gallery"), "{html}");
    assert_eq!(
        act(&mut boss, id, "publish").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        act(&mut bo, id, "publish").await.status(),
        StatusCode::NOT_FOUND
    );
    assert!(published_at(&app, id).await.is_none());

    let response = act(&mut ada, id, "publish").await;
    assert_eq!(song_id(&response), id);
    assert!(published_at(&app, id).await.is_some());
    let (status, html) = page(&mut bo, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Starlit"), "{html}");
    assert!(
        !html.contains("Unpublish") && !html.contains("Publish to gallery"),
        "{html}"
    );
    assert_eq!(
        act(&mut bo, id, "unpublish").await.status(),
        StatusCode::NOT_FOUND
    );
    assert!(published_at(&app, id).await.is_some());
    let (_, html) = page(&mut ada, &path).await;
    assert!(
        html.contains("Unpublish") && html.contains("Published in the gallery"),
        "{html}"
    );

    // An admin may take it down; then it is private again.
    let response = act(&mut boss, id, "unpublish").await;
    assert_eq!(song_id(&response), id);
    assert!(published_at(&app, id).await.is_none());
    let (status, _) = page(&mut bo, &path).await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    // The owner can publish and unpublish again.
    act(&mut ada, id, "publish").await;
    act(&mut ada, id, "unpublish").await;
    assert!(published_at(&app, id).await.is_none());

    // Without the CSRF token nothing changes.
    let response = ada.post(&format!("{path}/publish"), &[]).await;
    assert_eq!(response.status(), StatusCode::FORBIDDEN);
    assert!(published_at(&app, id).await.is_none());
}

#[tokio::test]
async fn a_failed_song_can_be_tried_again_by_its_owner_as_a_new_paid_request() {
    let app = web_only().await;
    let (_, mut ada) = signed_in(&app, "ada@example.com", None).await;
    let (_, mut bo) = signed_in(&app, "bo@example.com", None).await;
    let (_, mut boss) = signed_in_admin(&app, "boss@example.com").await;
    let id = requested(&mut ada, "Starlit").await;
    let path = format!("/songs/{id}");
    assert_eq!(
        act(&mut ada, id, "retry").await.status(),
        StatusCode::NOT_FOUND
    );

    set_status(&app, id, "failed", Some("the upstream refused the lyrics")).await;
    let (_, html) = page(&mut ada, &path).await;
    assert!(
        html.contains("Why it failed: the upstream refused the lyrics"),
        "{html}"
    );
    assert!(html.contains("data-status=\"failed\""), "{html}");
    assert!(
        html.contains("Try again") && !html.contains("Publish to gallery"),
        "{html}"
    );
    let (_, html) = page(&mut boss, &path).await;
    assert!(!html.contains("Try again"), "{html}");
    assert_eq!(
        act(&mut boss, id, "retry").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        act(&mut bo, id, "retry").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(
        act(&mut ada, id, "publish").await.status(),
        StatusCode::NOT_FOUND
    );
    assert_eq!(generation_count(&app).await, 1);

    let retried = song_id(&act(&mut ada, id, "retry").await);
    assert_ne!(retried, id);
    let row: (
        String,
        Option<String>,
        Option<String>,
        Option<String>,
        String,
    ) = sqlx::query_as("SELECT mode, title, tags, lyrics, status FROM generations WHERE id = $1")
        .bind(retried)
        .fetch_one(app.env.db.pool())
        .await
        .unwrap();
    assert_eq!(
        row,
        (
            "custom".into(),
            Some("Starlit".into()),
            Some("pop".into()),
            Some("la la".into()),
            "pending".into()
        )
    );
    let reserved: i64 = sqlx::query_scalar("SELECT reserved_micros FROM usage_months")
        .fetch_one(app.env.db.pool())
        .await
        .unwrap();
    assert_eq!(reserved, 2 * 35_000, "the retry is charged anew");
}

#[tokio::test]
async fn trying_again_over_budget_stays_on_the_song_with_the_reason() {
    let app = web_only().await;
    // Exactly one song's worth: the failed one still holds it.
    let (_, mut ada) = signed_in(&app, "ada@example.com", Some(Micros(35_000))).await;
    let id = requested(&mut ada, "Starlit").await;
    set_status(&app, id, "failed", Some("lost")).await;
    let response = act(&mut ada, id, "retry").await;
    assert_eq!(response.status(), StatusCode::PAYMENT_REQUIRED);
    let html = response.text().await.unwrap();
    assert!(html.contains("This song costs USD 0.035"), "{html}");
    assert!(html.contains("<h1>Starlit</h1>"), "{html}");
    assert_eq!(generation_count(&app).await, 1);
}

#[tokio::test]
async fn what_members_typed_is_shown_as_text_on_the_song_page() {
    let app = web_only().await;
    let (_, mut ada) = signed_in(&app, "ada@example.com", None).await;
    let custom = song_id(
        &create(
            &mut ada,
            &[
                ("mode", "custom"),
                ("title", XSS),
                ("tags", XSS),
                ("lyrics", XSS),
            ],
        )
        .await,
    );
    let described = song_id(&create(&mut ada, &[("mode", "describe"), ("topic", XSS)]).await);
    set_status(&app, custom, "failed", Some(XSS)).await;
    for id in [custom, described] {
        let (status, html) = page(&mut ada, &format!("/songs/{id}")).await;
        assert_eq!(status, StatusCode::OK);
        assert!(html.contains(XSS_ESCAPED), "{html}");
        assert!(!html.contains(XSS), "{html}");
        assert!(!html.contains("<script>"), "{html}");
    }
}

#[tokio::test]
async fn a_song_page_follows_the_song_live_until_it_ends() {
    let app = web_only().await;
    let (_, mut ada) = signed_in(&app, "ada@example.com", None).await;
    let id = requested(&mut ada, "Starlit").await;
    let path = format!("/songs/{id}");

    let (_, html) = page(&mut ada, &path).await;
    assert!(
        html.contains(r#"<script src="/static/live.js" defer></script>"#),
        "{html}"
    );
    assert!(html.contains("data-reload-on-change"), "{html}");
    assert!(
        html.contains(r#"http-equiv="refresh""#),
        "without JS it refreshes itself: {html}"
    );

    set_status(&app, id, "completed", None).await;
    let (_, html) = page(&mut ada, &path).await;
    assert!(
        !html.contains(r#"http-equiv="refresh""#),
        "a finished song stops refreshing: {html}"
    );
}

//! Pages kept in memory never hide a change made through Chorus: the next
//! page after a change shows it, whether the web app, the API or the worker
//! made it.

use reqwest::StatusCode;
use uuid::Uuid;

use crate::helpers::spawn_app_with;
use crate::library::{page, signed_in};
use crate::pipeline::members::describe;

fn lists(html: &str, id: Uuid) -> bool {
    html.contains(&format!("data-generation-id=\"{id}\""))
}

#[tokio::test]
async fn a_song_the_worker_finishes_is_on_the_next_page_of_completed_songs() {
    // No archiving: only the worker's status event tells the page.
    let app = spawn_app_with(&[("CHORUS_ARCHIVE_MEDIA", "false")]).await;
    let (ada, mut browser) = signed_in(&app, "ada@example.com").await;
    let id = app.request_song(&ada, &describe()).await;
    // Viewed (and kept) while the song is still on its way.
    let before = page(&mut browser, "/songs?status=completed").await;
    assert!(!lists(&before, id));

    app.finished(&ada, id).await;
    let after = page(&mut browser, "/songs?status=completed").await;
    assert!(lists(&after, id), "{after}");
}

#[tokio::test]
async fn a_song_requested_through_the_api_is_on_the_next_page() {
    let app = spawn_app_with(&[]).await;
    let (ada, mut browser) = signed_in(&app, "ada@example.com").await;
    let first = app.request_song(&ada, &describe()).await;
    app.finished(&ada, first).await;
    let before = page(&mut browser, "/songs").await;
    assert!(lists(&before, first));

    let second = app.request_song(&ada, &describe()).await;
    let after = page(&mut browser, "/songs").await;
    assert!(lists(&after, first) && lists(&after, second), "{after}");
}

#[tokio::test]
async fn publishing_shows_on_the_next_view_of_the_song_and_the_gallery() {
    let app = spawn_app_with(&[]).await;
    let (ada, mut adas) = signed_in(&app, "ada@example.com").await;
    let (_, mut bobs) = signed_in(&app, "bob@example.com").await;
    let id = app.request_song(&ada, &describe()).await;
    app.finished(&ada, id).await;
    let song = format!("/songs/{id}");
    assert!(page(&mut adas, &song).await.contains("/publish\""));
    assert!(!lists(&page(&mut bobs, "/gallery").await, id));

    let response = adas.submit(&song, &format!("{song}/publish"), &[]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(page(&mut adas, &song).await.contains("/unpublish\""));
    assert!(lists(&page(&mut bobs, "/gallery").await, id));
}

#[tokio::test]
async fn only_requests_that_may_change_something_move_the_team_stamp() {
    let app = spawn_app_with(&[]).await;
    let (_, mut ada) = signed_in(&app, "ada@example.com").await;
    let stamp = async || -> Option<u64> {
        let mut redis = chorus_core::keyspace::connect(&app.config.redis_url)
            .await
            .unwrap();
        redis::cmd("GET")
            .arg(chorus_core::freshness::team_key(&app.config.keyspace()))
            .query_async(&mut redis)
            .await
            .unwrap()
    };
    let before = stamp().await;
    // Anonymous junk, and a form refused for its token: nothing changed.
    let anonymous = app
        .http
        .post(format!("{}/gallery/{}/favourite", app.web_url, Uuid::nil()))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::SEE_OTHER);
    let refused = ada.post("/account/password", &[("csrf", "wrong")]).await;
    assert_eq!(refused.status(), StatusCode::FORBIDDEN);
    assert_eq!(stamp().await, before);
    // A signed-in member's form that went through moves it.
    let csrf = ada.csrf_of("/account/password").await;
    ada.post("/sign-out", &[("csrf", &csrf)]).await;
    assert_ne!(stamp().await, before);
}

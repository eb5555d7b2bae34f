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

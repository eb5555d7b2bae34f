//! A finished song's page plays and offers Chorus's own copies, and the
//! browser's session opens them: `<audio>` cannot send a bearer token.

use std::time::Duration;

use reqwest::StatusCode;

use super::*;
use crate::helpers::{spawn_app, wait_for};
use crate::pipeline::members::describe;

#[tokio::test]
async fn the_song_page_plays_the_archived_clips_for_the_signed_in_owner() {
    let app = spawn_app().await;
    let (ada, mut browser) = signed_in(&app, "ada@example.com", None).await;
    let (_, mut bo) = signed_in(&app, "bo@example.com", None).await;
    let id = app.request_song(&ada, &describe()).await;
    let song = app.finished(&ada, id).await;
    assert_eq!(song["status"], "completed", "{song}");
    let pool = app.env.db.pool().clone();
    let clip_id: String = wait_for("the clips to be archived", Duration::from_secs(20), || {
        let pool = pool.clone();
        async move {
            let archived: Vec<String> = sqlx::query_scalar(
                "SELECT id FROM clips WHERE generation_id = $1
                   AND audio_path IS NOT NULL AND image_path IS NOT NULL
                 ORDER BY batch_index",
            )
            .bind(id)
            .fetch_all(&pool)
            .await
            .unwrap();
            (archived.len() == 2).then(|| archived[0].clone())
        }
    })
    .await;

    let (status, html) = page(&mut browser, &format!("/songs/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let audio = format!("/media/clips/{clip_id}/audio");
    assert!(
        html.contains(&format!("<audio controls preload=\"none\" src=\"{audio}\"")),
        "{html}"
    );
    assert!(
        html.contains(&format!("href=\"{audio}?download=1\"")),
        "{html}"
    );
    assert!(
        html.contains(&format!(
            "src=\"/media/clips/{clip_id}/cover\" alt=\"Cover art of "
        )),
        "{html}"
    );
    assert!(html.contains("Length: "), "{html}");
    assert!(html.contains("Publish to gallery"), "{html}");
    assert_no_raw_keys(&html);

    // The owner's session cookie opens the file; no cookie is a 401, and
    // another member's session the same 404 as no such clip.
    let response = browser.get(&audio).await;
    assert_eq!(response.status(), StatusCode::OK);
    let content_type = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(content_type.starts_with("audio/"), "{content_type}");
    assert!(!response.bytes().await.unwrap().is_empty());
    let response = browser.get(&format!("{audio}?download=1")).await;
    assert!(
        response.headers()["content-disposition"]
            .to_str()
            .unwrap()
            .starts_with("attachment")
    );
    let response = Browser::new(&app).get(&audio).await;
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let response = bo.get(&audio).await;
    assert_eq!(response.status(), StatusCode::NOT_FOUND);
    // The token still works for scripts.
    let response = app
        .http
        .get(format!("{}{audio}", app.web_url))
        .bearer_auth(&ada.token)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
}

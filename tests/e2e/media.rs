//! Archived media served by Chorus: the exact bytes, seekable, with the
//! right headers, and only to whoever may see the song.

use std::path::PathBuf;
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT_RANGES, CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_RANGE, CONTENT_TYPE,
    ETAG, IF_NONE_MATCH, RANGE,
};
use serde_json::Value;
use uuid::Uuid;

use crate::helpers::{TestApp, spawn_app, wait_for};
use crate::pipeline::members::{Member, admin, describe, member};

/// One clip of a finished song, once Chorus has its own copies.
struct Archived {
    generation_id: Uuid,
    clip_id: String,
    audio: PathBuf,
    cover: PathBuf,
}

/// Requests a song for `owner` and waits until both its clips are archived.
async fn archived_song(app: &TestApp, owner: &Member) -> Archived {
    let generation_id = app.request_song(owner, &describe()).await;
    let song = app.finished(owner, generation_id).await;
    assert_eq!(song["status"], "completed", "{song}");
    let pool = app.env.db.pool().clone();
    let clips: Vec<(String, String, String)> =
        wait_for("the clips to be archived", Duration::from_secs(20), || {
            let pool = pool.clone();
            async move {
                let clips: Vec<(String, String, String)> = sqlx::query_as(
                    "SELECT id, audio_path, image_path FROM clips
                     WHERE generation_id = $1 AND audio_path IS NOT NULL AND image_path IS NOT NULL
                     ORDER BY batch_index",
                )
                .bind(generation_id)
                .fetch_all(&pool)
                .await
                .unwrap();
                (clips.len() == 2).then_some(clips)
            }
        })
        .await;
    let (clip_id, audio, cover) = clips.into_iter().next().unwrap();
    let root = app.env.storage.path();
    Archived {
        generation_id,
        clip_id,
        audio: root.join(audio),
        cover: root.join(cover),
    }
}

impl TestApp {
    /// `GET /media/clips/{clip}/{what}{query}` with a token and extra headers.
    async fn media(
        &self,
        token: Option<&str>,
        clip_id: &str,
        what: &str,
        headers: &[(reqwest::header::HeaderName, &str)],
    ) -> reqwest::Response {
        let url = format!("{}/media/clips/{clip_id}/{what}", self.web_url);
        let mut request = self.http.get(url);
        if let Some(token) = token {
            request = request.bearer_auth(token);
        }
        for (name, value) in headers {
            request = request.header(name, *value);
        }
        request.send().await.unwrap()
    }
}

fn header(response: &reqwest::Response, name: reqwest::header::HeaderName) -> String {
    match response.headers().get(&name) {
        Some(value) => value.to_str().unwrap().to_owned(),
        None => panic!("no {name} in {:?}", response.headers()),
    }
}

#[tokio::test]
async fn the_owner_gets_the_archived_files_seekable_and_the_api_points_at_them() {
    let app = spawn_app().await;
    let alice = member(&app, "alice@example.com", None).await;
    let song = archived_song(&app, &alice).await;
    let (clip, token) = (song.clip_id.as_str(), Some(alice.token.as_str()));
    let audio = std::fs::read(&song.audio).unwrap();
    assert!(audio.len() > 200, "{} bytes", audio.len());

    let whole = app.media(token, clip, "audio", &[]).await;
    assert_eq!(whole.status(), 200);
    assert_eq!(header(&whole, CONTENT_TYPE), "audio/wav");
    assert_eq!(header(&whole, ACCEPT_RANGES), "bytes");
    assert_eq!(header(&whole, CACHE_CONTROL), "private, max-age=604800");
    assert_eq!(
        header(&whole, "x-content-type-options".parse().unwrap()),
        "nosniff"
    );
    let disposition = header(&whole, CONTENT_DISPOSITION);
    assert!(
        disposition.starts_with("inline; filename=\""),
        "{disposition}"
    );
    assert!(disposition.ends_with(" (1).wav\""), "{disposition}");
    let etag = header(&whole, ETAG);
    assert_eq!(whole.bytes().await.unwrap(), audio);

    let url = format!("{}/media/clips/{clip}/audio", app.web_url);
    let head = app
        .http
        .head(url)
        .bearer_auth(&alice.token)
        .send()
        .await
        .unwrap();
    assert_eq!(head.status(), 200);
    // `content_length()` would be the (empty) body's: read the header.
    assert_eq!(header(&head, CONTENT_LENGTH), audio.len().to_string());
    assert!(head.bytes().await.unwrap().is_empty());

    let first = app
        .media(token, clip, "audio", &[(RANGE, "bytes=0-99")])
        .await;
    assert_eq!(first.status(), StatusCode::PARTIAL_CONTENT);
    let expected_range = format!("bytes 0-99/{}", audio.len());
    assert_eq!(header(&first, CONTENT_RANGE), expected_range);
    assert_eq!(first.bytes().await.unwrap(), audio[..100]);

    let past_end = format!("bytes={}-", audio.len() + 10);
    let beyond = app.media(token, clip, "audio", &[(RANGE, &past_end)]).await;
    assert_eq!(beyond.status(), StatusCode::RANGE_NOT_SATISFIABLE);
    assert_eq!(
        header(&beyond, CONTENT_RANGE),
        format!("bytes */{}", audio.len())
    );

    let unchanged = app
        .media(token, clip, "audio", &[(IF_NONE_MATCH, &etag)])
        .await;
    assert_eq!(unchanged.status(), StatusCode::NOT_MODIFIED);

    let download = app.media(token, clip, "audio?download=1", &[]).await;
    assert_eq!(download.status(), 200);
    let disposition = header(&download, CONTENT_DISPOSITION);
    assert!(
        disposition.starts_with("attachment; filename=\""),
        "{disposition}"
    );

    let cover = app.media(token, clip, "cover", &[]).await;
    assert_eq!(cover.status(), 200);
    assert_eq!(header(&cover, CONTENT_TYPE), "image/png");
    assert_eq!(
        cover.bytes().await.unwrap(),
        std::fs::read(&song.cover).unwrap()
    );

    let path = format!("/generations/{}", song.generation_id);
    let view: Value = app.api_get(&alice.token, &path).await.json().await.unwrap();
    let api_clip = &view["clips"][0];
    assert_eq!(api_clip["id"], clip, "{view}");
    assert_eq!(api_clip["audio_url"], format!("/media/clips/{clip}/audio"));
    assert_eq!(api_clip["image_url"], format!("/media/clips/{clip}/cover"));
}

#[tokio::test]
async fn a_private_song_is_for_its_owner_and_admins_until_it_is_published() {
    let app = spawn_app().await;
    let alice = member(&app, "alice@example.com", None).await;
    let bob = member(&app, "bob@example.com", None).await;
    let root = admin(&app, "root@example.com").await;
    let song = archived_song(&app, &alice).await;
    let clip = song.clip_id.as_str();

    let status = |response: reqwest::Response| response.status().as_u16();
    assert_eq!(status(app.media(None, clip, "audio", &[]).await), 401);
    assert_eq!(
        status(app.media(Some("chorus_nope"), clip, "audio", &[]).await),
        401
    );
    assert_eq!(
        status(app.media(Some(&root.token), clip, "audio", &[]).await),
        200
    );
    // Another member cannot tell a private song from no song at all.
    let hidden = app.media(Some(&bob.token), clip, "audio", &[]).await;
    assert_eq!(hidden.status(), 404);
    assert_eq!(header(&hidden, CACHE_CONTROL), "no-store");
    let hidden: Value = hidden.json().await.unwrap();
    let unknown = app
        .media(Some(&bob.token), "no-such-clip", "audio", &[])
        .await;
    assert_eq!(unknown.status(), 404);
    assert_eq!(unknown.json::<Value>().await.unwrap(), hidden);
    assert_eq!(
        status(app.media(Some(&bob.token), clip, "cover", &[]).await),
        404
    );

    let pool = app.env.db.pool();
    sqlx::query("UPDATE generations SET published_at = now() WHERE id = $1")
        .bind(song.generation_id)
        .execute(pool)
        .await
        .unwrap();
    let shared = app.media(Some(&bob.token), clip, "audio", &[]).await;
    assert_eq!(shared.status(), 200);
    assert_eq!(header(&shared, CACHE_CONTROL), "public, max-age=3600");
    assert_eq!(status(app.media(None, clip, "audio", &[]).await), 401);

    // A path the storage refuses, and a file gone from disk: 404 as well.
    sqlx::query("UPDATE clips SET image_path = '../../etc/passwd' WHERE id = $1")
        .bind(clip)
        .execute(pool)
        .await
        .unwrap();
    assert_eq!(
        status(app.media(Some(&alice.token), clip, "cover", &[]).await),
        404
    );
    std::fs::remove_file(&song.audio).unwrap();
    assert_eq!(
        status(app.media(Some(&alice.token), clip, "audio", &[]).await),
        404
    );
}

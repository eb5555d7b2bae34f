//! The archive step against the simulator: a completed song's audio and
//! covers land in the storage directory byte for byte, the database points
//! at them, and a second run downloads nothing.

use std::path::Path;
use std::time::Duration;

use chorus_core::storage::Storage;
use chorus_core::upstream::{Clip, SongRequest, TaskStatus, UpstreamClient};
use chorus_testkit::TestEnv;
use chorus_worker::{ArchiveError, archive_clips};
use sqlx::PgPool;
use uuid::Uuid;

use crate::helpers::{http_client, wait_for};

/// A task submitted straight to the simulator, polled until it completed.
async fn completed_clips(upstream: &UpstreamClient) -> Vec<Clip> {
    let request = SongRequest::Describe {
        topic: "a song about archives".into(),
        instrumental: true,
    };
    let ids = vec![upstream.submit(&request).await.unwrap()];
    wait_for("the task to complete", Duration::from_secs(10), || async {
        let reply = upstream.poll(&ids).await.unwrap();
        let report = reply.reports.into_iter().next()?;
        (report.status == TaskStatus::Completed).then_some(report.clips)
    })
    .await
}

/// A member's completed generation with these clips, as the poller would
/// have left it: `(clip id, audio_url, image_url)`.
async fn insert_generation(
    pool: &PgPool,
    status: &str,
    clips: &[(String, Option<String>, Option<String>)],
) -> Uuid {
    let (user_id, generation_id) = (Uuid::new_v4(), Uuid::new_v4());
    sqlx::query("INSERT INTO users (id, email, password_hash) VALUES ($1, $2, 'x')")
        .bind(user_id)
        .bind(format!("{user_id}@example.com"))
        .execute(pool)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO generations (id, user_id, mode, topic, instrumental, status, price_micros)
         VALUES ($1, $2, 'describe', 'archives', true, $3, 35000)",
    )
    .bind(generation_id)
    .bind(user_id)
    .bind(status)
    .execute(pool)
    .await
    .unwrap();
    for (index, (id, audio_url, image_url)) in clips.iter().enumerate() {
        sqlx::query(
            "INSERT INTO clips (id, generation_id, batch_index, status, audio_url, image_url)
             VALUES ($1, $2, $3, 'complete', $4, $5)",
        )
        .bind(id)
        .bind(generation_id)
        .bind(index as i16)
        .bind(audio_url)
        .bind(image_url)
        .execute(pool)
        .await
        .unwrap();
    }
    generation_id
}

fn rows(clips: &[Clip]) -> Vec<(String, Option<String>, Option<String>)> {
    clips
        .iter()
        .map(|c| (c.id.clone(), c.audio_url.clone(), c.image_url.clone()))
        .collect()
}

type Archived = (Option<String>, Option<String>, bool);

/// `(audio_path, image_path, archived_at is set)` of a clip.
async fn archived(pool: &PgPool, clip_id: &str) -> Archived {
    sqlx::query_as(
        "SELECT audio_path, image_path, archived_at IS NOT NULL FROM clips WHERE id = $1",
    )
    .bind(clip_id)
    .fetch_one(pool)
    .await
    .unwrap()
}

async fn served(url: &str) -> Vec<u8> {
    let response = http_client().get(url).send().await.unwrap();
    assert_eq!(response.status(), 200, "{url}");
    response.bytes().await.unwrap().to_vec()
}

fn client(env: &TestEnv) -> UpstreamClient {
    UpstreamClient::new(env.config().upstream.settings()).unwrap()
}

#[tokio::test]
async fn a_completed_song_is_archived_once_byte_for_byte() {
    let env = TestEnv::start().await;
    let (pool, upstream) = (env.db.pool(), client(&env));
    let storage = Storage::new(env.storage.path());
    let clips = completed_clips(&upstream).await;
    assert_eq!(clips.len(), 2);
    let generation_id = insert_generation(pool, "completed", &rows(&clips)).await;

    let outcome = archive_clips(pool, &upstream, &storage, generation_id)
        .await
        .unwrap();
    assert_eq!(
        (outcome.clips, outcome.audio_stored, outcome.covers_stored),
        (2, 2, 2)
    );

    for clip in &clips {
        let (audio_path, image_path, archived_at) = archived(pool, &clip.id).await;
        let audio_path = audio_path.unwrap();
        let image_path = image_path.unwrap();
        assert_eq!(audio_path, format!("{generation_id}/{}.wav", clip.id));
        assert_eq!(image_path, format!("{generation_id}/{}-cover.png", clip.id));
        assert!(archived_at);
        let stored_audio = std::fs::read(env.storage.path().join(&audio_path)).unwrap();
        let stored_cover = std::fs::read(env.storage.path().join(&image_path)).unwrap();
        assert_eq!(
            stored_audio,
            served(clip.audio_url.as_deref().unwrap()).await
        );
        assert_eq!(
            stored_cover,
            served(clip.image_url.as_deref().unwrap()).await
        );
    }

    let before = env.sim.handle().stats();
    let again = archive_clips(pool, &upstream, &storage, generation_id)
        .await
        .unwrap();
    assert_eq!((again.audio_stored, again.covers_stored), (0, 0));
    let after = env.sim.handle().stats();
    assert_eq!(after.audio_downloads, before.audio_downloads);
    assert_eq!(after.image_downloads, before.image_downloads);
}

#[tokio::test]
async fn a_missing_cover_does_not_hold_back_the_audio() {
    let env = TestEnv::start().await;
    let (pool, upstream) = (env.db.pool(), client(&env));
    let storage = Storage::new(env.storage.path());
    let clips = completed_clips(&upstream).await;
    let clip = &clips[0];
    // A cover the simulator never made: 404, which no retry mends.
    let media = env.sim.api_base_url().replace("/api/v2", "/media");
    let gone = format!("{media}/image/{}.png", Uuid::new_v4());
    let row = (clip.id.clone(), clip.audio_url.clone(), Some(gone));
    let generation_id = insert_generation(pool, "completed", &[row]).await;

    let outcome = archive_clips(pool, &upstream, &storage, generation_id)
        .await
        .unwrap();
    assert_eq!((outcome.audio_stored, outcome.covers_missing), (1, 1));
    let (audio_path, image_path, archived_at) = archived(pool, &clip.id).await;
    assert!(audio_path.is_some() && archived_at);
    assert_eq!(image_path, None);
}

#[tokio::test]
async fn audio_that_cannot_be_had_fails_for_good_and_records_nothing() {
    let env = TestEnv::start().await;
    let (pool, upstream) = (env.db.pool(), client(&env));
    let storage = Storage::new(env.storage.path());
    let media = env.sim.api_base_url().replace("/api/v2", "/media");
    let gone = format!("{media}/audio/{}.wav", Uuid::new_v4());
    let row = ("clip-gone".to_owned(), Some(gone), None);
    let generation_id = insert_generation(pool, "completed", &[row]).await;

    let err = archive_clips(pool, &upstream, &storage, generation_id)
        .await
        .unwrap_err();
    assert!(matches!(err, ArchiveError::Download { .. }), "{err:?}");
    assert!(!err.is_retryable(), "a 404 is permanent: {err}");
    assert_eq!(archived(pool, "clip-gone").await, (None, None, false));
    assert!(is_empty(env.storage.path()));
}

#[tokio::test]
async fn a_generation_still_in_flight_is_left_alone() {
    let env = TestEnv::start().await;
    let (pool, upstream) = (env.db.pool(), client(&env));
    let storage = Storage::new(env.storage.path());
    let clips = completed_clips(&upstream).await;
    let generation_id = insert_generation(pool, "streaming", &rows(&clips)).await;

    let outcome = archive_clips(pool, &upstream, &storage, generation_id)
        .await
        .unwrap();
    assert_eq!(outcome.clips, 0);
    assert_eq!(env.sim.handle().stats().audio_downloads, 0);
    assert!(is_empty(env.storage.path()));
}

fn is_empty(dir: &Path) -> bool {
    std::fs::read_dir(dir).unwrap().next().is_none()
}

//! Reading a request and its clips, for whoever may see it: its owner, an
//! admin, or anyone once it is published to the gallery.

use serde::Serialize;
use sqlx::{FromRow, PgPool};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::generations::{GenerationStatus, media};

#[derive(Debug, Clone, Copy)]
pub struct Viewer {
    pub user_id: Uuid,
    pub is_admin: bool,
}

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct GenerationView {
    pub id: Uuid,
    pub user_id: Uuid,
    pub status: String,
    pub mode: String,
    pub topic: Option<String>,
    pub instrumental: Option<bool>,
    pub tags: Option<String>,
    pub lyrics: Option<String>,
    pub title: Option<String>,
    pub error: Option<String>,
    pub price_micros: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339::option")]
    pub finished_at: Option<OffsetDateTime>,
    #[serde(skip)]
    pub published_at: Option<OffsetDateTime>,
    #[sqlx(skip)]
    pub clips: Vec<ClipView>,
}

#[derive(Debug, Clone, Serialize, FromRow)]
pub struct ClipView {
    pub id: String,
    pub batch_index: i16,
    pub status: String,
    pub title: Option<String>,
    /// Chorus's archived copy once there is one (see [`media`]), else the
    /// upstream's final file, else its stream.
    pub audio_url: Option<String>,
    pub image_url: Option<String>,
    pub duration_s: Option<f64>,
    #[serde(skip)]
    pub audio_path: Option<String>,
    #[serde(skip)]
    pub image_path: Option<String>,
}

impl GenerationView {
    /// Completed or failed: from here on only publishing, archiving and
    /// refunds change it.
    pub fn is_final(&self) -> bool {
        GenerationStatus::parse(&self.status).is_some_and(GenerationStatus::is_final)
    }
}

/// `None` when the generation does not exist or the viewer may not see it:
/// the two are indistinguishable to the caller, so ids cannot be probed.
pub async fn find_visible(
    pool: &PgPool,
    id: Uuid,
    viewer: Viewer,
) -> sqlx::Result<Option<GenerationView>> {
    let found: Option<GenerationView> = sqlx::query_as(
        "SELECT id, user_id, status, mode, topic, instrumental, tags, lyrics, title, error,
                price_micros, created_at, finished_at, published_at
         FROM generations
         WHERE id = $1 AND (user_id = $2 OR $3 OR published_at IS NOT NULL)",
    )
    .bind(id)
    .bind(viewer.user_id)
    .bind(viewer.is_admin)
    .fetch_optional(pool)
    .await?;
    let Some(mut generation) = found else {
        return Ok(None);
    };
    generation.clips = sqlx::query_as(
        "SELECT id, batch_index, status, title, COALESCE(audio_url, stream_url) AS audio_url,
                image_url, duration_s, audio_path, image_path
         FROM clips WHERE generation_id = $1 ORDER BY batch_index",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    generation.clips.iter_mut().for_each(media::prefer_archived);
    Ok(Some(generation))
}

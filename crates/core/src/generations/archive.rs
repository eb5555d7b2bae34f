//! The archive step's SQL: which clips of a completed request still need
//! Chorus's own copy of their media, and recording a copy once it is on
//! disk. The files themselves are the worker's business.

use sqlx::{FromRow, PgPool};
use uuid::Uuid;

/// A clip of a completed request, with the upstream's URLs and whatever
/// is already archived (paths relative to `CHORUS_STORAGE_DIR`).
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ClipToArchive {
    pub id: String,
    pub audio_url: Option<String>,
    pub image_url: Option<String>,
    pub audio_path: Option<String>,
    pub image_path: Option<String>,
}

impl ClipToArchive {
    /// The audio still to download: there is a final URL and no copy yet.
    pub fn audio_pending(&self) -> Option<&str> {
        self.audio_path
            .is_none()
            .then_some(self.audio_url.as_deref())
            .flatten()
    }

    /// The cover still to download.
    pub fn image_pending(&self) -> Option<&str> {
        self.image_path
            .is_none()
            .then_some(self.image_url.as_deref())
            .flatten()
    }
}

/// The clips of `generation_id` in batch order, if it is `completed`;
/// none otherwise (unknown, in flight or failed: nothing final to keep).
/// Clips already archived are included; [`ClipToArchive::audio_pending`]
/// and [`ClipToArchive::image_pending`] say what is left.
pub async fn clips_to_archive(
    pool: &PgPool,
    generation_id: Uuid,
) -> sqlx::Result<Vec<ClipToArchive>> {
    sqlx::query_as(
        "SELECT c.id, c.audio_url, c.image_url, c.audio_path, c.image_path
         FROM clips c JOIN generations g ON g.id = c.generation_id
         WHERE g.id = $1 AND g.status = 'completed'
         ORDER BY c.batch_index",
    )
    .bind(generation_id)
    .fetch_all(pool)
    .await
}

/// Records the copies just stored; `None` leaves a path as it was, so the
/// audio and the cover can be recorded separately. `archived_at` is set
/// the first time the clip has its audio: that is what makes a song
/// outlive the upstream's URLs. Returns whether the clip exists.
pub async fn mark_archived(
    pool: &PgPool,
    clip_id: &str,
    audio_path: Option<&str>,
    image_path: Option<&str>,
) -> sqlx::Result<bool> {
    let updated = sqlx::query(
        "UPDATE clips
         SET audio_path = COALESCE($2, audio_path),
             image_path = COALESCE($3, image_path),
             archived_at = CASE WHEN COALESCE($2, audio_path) IS NOT NULL
                                THEN COALESCE(archived_at, now()) ELSE archived_at END,
             updated_at = now()
         WHERE id = $1",
    )
    .bind(clip_id)
    .bind(audio_path)
    .bind(image_path)
    .execute(pool)
    .await?
    .rows_affected();
    Ok(updated == 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clip(audio_path: Option<&str>, image_url: Option<&str>) -> ClipToArchive {
        ClipToArchive {
            id: "c1".into(),
            audio_url: Some("https://cdn.example/c1.mp3".into()),
            image_url: image_url.map(str::to_owned),
            audio_path: audio_path.map(str::to_owned),
            image_path: None,
        }
    }

    #[test]
    fn pending_media_are_those_with_a_url_and_no_copy() {
        let fresh = clip(None, Some("https://cdn.example/c1.png"));
        assert_eq!(fresh.audio_pending(), Some("https://cdn.example/c1.mp3"));
        assert_eq!(fresh.image_pending(), Some("https://cdn.example/c1.png"));
        let archived = clip(Some("g/c1.mp3"), None);
        assert_eq!(archived.audio_pending(), None);
        assert_eq!(archived.image_pending(), None);
    }
}

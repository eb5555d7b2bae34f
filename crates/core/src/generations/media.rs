//! Chorus's own copies of a clip's audio and cover, for whoever may see the
//! song: which files a clip has, and the addresses the web app serves them
//! at. The files themselves live in [`crate::storage`].

use sqlx::{FromRow, PgPool};
use uuid::Uuid;

use crate::generations::view::{ClipView, Viewer};

/// A clip's archived files (paths relative to `CHORUS_STORAGE_DIR`, `None`
/// until archived) and what serving them needs to know.
#[derive(Debug, Clone, PartialEq, Eq, FromRow)]
pub struct ClipMedia {
    pub clip_id: String,
    pub generation_id: Uuid,
    pub batch_index: i16,
    /// The clip's title, else the request's: for download file names.
    pub title: Option<String>,
    pub audio_path: Option<String>,
    pub image_path: Option<String>,
    /// Published to the gallery: every member may see it, so shared caches
    /// may keep it.
    pub published: bool,
}

/// `None` when the clip does not exist or the viewer may not see its song,
/// indistinguishably, so clip ids cannot be probed. The rule is
/// [`crate::generations::view::find_visible`]'s: the owner, an admin, or
/// anyone once the song is published.
pub async fn find_clip_media(
    pool: &PgPool,
    clip_id: &str,
    viewer: Viewer,
) -> sqlx::Result<Option<ClipMedia>> {
    sqlx::query_as(
        "SELECT c.id AS clip_id, c.generation_id, c.batch_index,
                COALESCE(c.title, g.title) AS title, c.audio_path, c.image_path,
                g.published_at IS NOT NULL AS published
         FROM clips c JOIN generations g ON g.id = c.generation_id
         WHERE c.id = $1 AND (g.user_id = $2 OR $3 OR g.published_at IS NOT NULL)",
    )
    .bind(clip_id)
    .bind(viewer.user_id)
    .bind(viewer.is_admin)
    .fetch_optional(pool)
    .await
}

/// Where the web app serves a clip's archived audio. Only archived clips
/// get one, and archiving accepts only ids that are safe file names
/// (`[A-Za-z0-9_-]`), so the id needs no escaping here.
pub fn audio_url(clip_id: &str) -> String {
    format!("/media/clips/{clip_id}/audio")
}

/// Where the web app serves a clip's archived cover.
pub fn cover_url(clip_id: &str) -> String {
    format!("/media/clips/{clip_id}/cover")
}

/// Points a clip's URLs at Chorus's own copies once they exist: the
/// upstream's URLs expire, ours do not.
pub fn prefer_archived(clip: &mut ClipView) {
    if clip.audio_path.is_some() {
        clip.audio_url = Some(audio_url(&clip.id));
    }
    if clip.image_path.is_some() {
        clip.image_url = Some(cover_url(&clip.id));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn clip(audio_path: Option<&str>, image_path: Option<&str>) -> ClipView {
        ClipView {
            id: "c1".into(),
            batch_index: 0,
            status: "complete".into(),
            title: None,
            audio_url: Some("https://cdn.example/c1.mp3".into()),
            image_url: Some("https://cdn.example/c1.png".into()),
            duration_s: Some(30.0),
            audio_path: audio_path.map(str::to_owned),
            image_path: image_path.map(str::to_owned),
        }
    }

    #[test]
    fn archived_files_replace_the_upstream_urls() {
        let mut archived = clip(Some("g/c1.mp3"), Some("g/c1-cover.png"));
        prefer_archived(&mut archived);
        assert_eq!(archived.audio_url.as_deref(), Some("/media/clips/c1/audio"));
        assert_eq!(archived.image_url.as_deref(), Some("/media/clips/c1/cover"));
    }

    #[test]
    fn files_not_yet_archived_keep_the_upstream_urls() {
        let mut half = clip(Some("g/c1.mp3"), None);
        prefer_archived(&mut half);
        assert_eq!(half.audio_url.as_deref(), Some("/media/clips/c1/audio"));
        assert_eq!(
            half.image_url.as_deref(),
            Some("https://cdn.example/c1.png")
        );
        let mut fresh = clip(None, None);
        prefer_archived(&mut fresh);
        assert_eq!(
            fresh.audio_url.as_deref(),
            Some("https://cdn.example/c1.mp3")
        );
    }
}

//! The archive job: copy a completed song's audio and covers into
//! `CHORUS_STORAGE_DIR`, so it outlives the upstream's URLs.
//!
//! Postgres says what is left: a clip whose copy is recorded is skipped, so
//! a job that runs twice downloads nothing the second time. The audio is
//! what matters; a cover that cannot be had is logged and left out.

use std::fmt;
use std::io;
use std::path::Path;

use chorus_core::freshness::Stamps;
use chorus_core::generations::archive::{self, ClipToArchive};
use chorus_core::storage::{self, PathError, Storage};
use chorus_core::upstream::{Download, DownloadError, UpstreamClient};
use sqlx::PgPool;
use tracing::Instrument;
use uuid::Uuid;

use crate::backoff::backoff;
use crate::context::WorkerContext;

/// A song is a few MiB; anything far bigger is not one.
pub const MAX_AUDIO_BYTES: usize = 50 * 1024 * 1024;
pub const MAX_IMAGE_BYTES: usize = 10 * 1024 * 1024;
/// Tries per file within one run, for blips (a reset, a 503); longer
/// outages are left to the job's own retries.
const DOWNLOAD_TRIES: i32 = 3;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Media {
    Audio,
    Cover,
}

impl fmt::Display for Media {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Media::Audio => "audio",
            Media::Cover => "cover",
        })
    }
}

/// What one run did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ArchiveOutcome {
    /// Clips of the generation (none unless it is `completed`).
    pub clips: usize,
    pub audio_stored: usize,
    pub covers_stored: usize,
    /// Covers given up for good (404, wrong type, …); the audio is kept.
    pub covers_missing: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("could not download the {media} of clip {clip_id}: {source}")]
    Download {
        clip_id: String,
        media: Media,
        source: DownloadError,
    },
    #[error("the {media} of clip {clip_id} cannot be stored: {source}")]
    Unstorable {
        clip_id: String,
        media: Media,
        source: PathError,
    },
    #[error("could not write {path}: {source}")]
    Write { path: String, source: io::Error },
    #[error("database error while archiving: {0}")]
    Database(#[from] sqlx::Error),
}

impl ArchiveError {
    /// Whether running the job again may succeed. A full or read-only disk
    /// counts as passing: an operator fixes it, and the song is not lost.
    pub fn is_retryable(&self) -> bool {
        match self {
            ArchiveError::Download { source, .. } => source.is_retryable(),
            ArchiveError::Unstorable { .. } => false,
            ArchiveError::Write { .. } | ArchiveError::Database(_) => true,
        }
    }
}

/// The job's entry point: archives into the configured storage directory.
pub async fn archive_generation(
    ctx: &WorkerContext,
    generation_id: Uuid,
) -> Result<ArchiveOutcome, ArchiveError> {
    let storage = Storage::new(ctx.config.storage_dir.clone());
    let outcome = archive_clips(&ctx.pool, &ctx.upstream, &storage, generation_id).await;
    // Pages kept in memory now lack the download links (even a failed run
    // may have stored some files).
    let stamps = Stamps::new(ctx.redis.clone(), ctx.keyspace.clone());
    if let Err(e) = stamps.touch_team().await {
        tracing::warn!(error = %e, %generation_id, "could not move the team stamp after archiving");
    }
    outcome
}

/// Archives every clip of a completed generation that still lacks a copy.
/// Every clip is attempted even if one fails; the error returned is then a
/// retryable one if any is, so the job comes back for what may still work.
pub async fn archive_clips(
    pool: &PgPool,
    upstream: &UpstreamClient,
    storage: &Storage,
    generation_id: Uuid,
) -> Result<ArchiveOutcome, ArchiveError> {
    let span = tracing::info_span!("archive", %generation_id);
    archive_in_span(pool, upstream, storage, generation_id)
        .instrument(span)
        .await
}

async fn archive_in_span(
    pool: &PgPool,
    upstream: &UpstreamClient,
    storage: &Storage,
    generation_id: Uuid,
) -> Result<ArchiveOutcome, ArchiveError> {
    let clips = archive::clips_to_archive(pool, generation_id).await?;
    let mut outcome = ArchiveOutcome {
        clips: clips.len(),
        ..ArchiveOutcome::default()
    };
    let mut errors = Vec::new();
    for clip in &clips {
        let copy = Copier {
            upstream,
            storage,
            generation_id,
            clip,
        };
        let audio = match clip.audio_pending() {
            Some(url) => match copy.fetch(Media::Audio, url).await {
                Ok(path) => Some(path),
                Err(e) => {
                    errors.push(e);
                    None
                }
            },
            None => None,
        };
        let cover = match clip.image_pending() {
            Some(url) => match copy.fetch(Media::Cover, url).await {
                Ok(path) => Some(path),
                // A retry may still bring it; the audio is recorded anyway.
                Err(e) if e.is_retryable() => {
                    errors.push(e);
                    None
                }
                Err(e) => {
                    tracing::warn!(clip_id = %clip.id, error = %e, "cover left out of the archive");
                    outcome.covers_missing += 1;
                    None
                }
            },
            None => None,
        };
        if audio.is_none() && cover.is_none() {
            continue;
        }
        outcome.audio_stored += usize::from(audio.is_some());
        outcome.covers_stored += usize::from(cover.is_some());
        let found =
            archive::mark_archived(pool, &clip.id, audio.as_deref(), cover.as_deref()).await?;
        if !found {
            tracing::warn!(clip_id = %clip.id, "clip vanished while it was archived");
        }
    }
    tracing::info!(
        clips = outcome.clips,
        audio = outcome.audio_stored,
        covers = outcome.covers_stored,
        failures = errors.len(),
        "archive run done"
    );
    let pick = errors
        .iter()
        .position(ArchiveError::is_retryable)
        .unwrap_or(0);
    match errors.into_iter().nth(pick) {
        Some(error) => Err(error),
        None => Ok(outcome),
    }
}

/// Downloads and stores one clip's media.
struct Copier<'a> {
    upstream: &'a UpstreamClient,
    storage: &'a Storage,
    generation_id: Uuid,
    clip: &'a ClipToArchive,
}

impl Copier<'_> {
    /// Stores the file and returns its path relative to the storage root,
    /// as the database keeps it.
    async fn fetch(&self, media: Media, url: &str) -> Result<String, ArchiveError> {
        let clip_id = &self.clip.id;
        let Download {
            bytes,
            content_type,
        } = self.download(media, url).await?;
        let relative = match media {
            Media::Audio => {
                Storage::path_for_clip_audio(self.generation_id, clip_id, &content_type)
            }
            Media::Cover => {
                Storage::path_for_clip_cover(self.generation_id, clip_id, &content_type)
            }
        }
        .map_err(|source| ArchiveError::Unstorable {
            clip_id: clip_id.clone(),
            media,
            source,
        })?;
        // Built from a UUID, a checked clip id and a known extension: ASCII.
        let path = relative.to_string_lossy().into_owned();
        let size = bytes.len();
        self.storage
            .store(Path::new(&path), bytes)
            .await
            .map_err(|source| ArchiveError::Write {
                path: path.clone(),
                source,
            })?;
        tracing::debug!(%clip_id, %media, %path, size, "media archived");
        Ok(path)
    }

    async fn download(&self, media: Media, url: &str) -> Result<Download, ArchiveError> {
        let (cap, accept) = match media {
            Media::Audio => (MAX_AUDIO_BYTES, storage::AUDIO_TYPES),
            Media::Cover => (MAX_IMAGE_BYTES, storage::IMAGE_TYPES),
        };
        let mut tries = 1;
        loop {
            match self.upstream.download(url, cap, accept).await {
                Ok(download) => return Ok(download),
                Err(e) if e.is_retryable() && tries < DOWNLOAD_TRIES => {
                    tokio::time::sleep(backoff(tries)).await;
                    tries += 1;
                }
                Err(source) => {
                    return Err(ArchiveError::Download {
                        clip_id: self.clip.id.clone(),
                        media,
                        source,
                    });
                }
            }
        }
    }
}

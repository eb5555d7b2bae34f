//! `/media/...`: the files the clips link to. A clip's media exist only once
//! its task has reached the phase that publishes them: stream and images
//! from `streaming` on, the final audio once `completed`.

use std::time::Instant;

use actix_web::http::header::CACHE_CONTROL;
use actix_web::{HttpResponse, web};
use bytes::Bytes;
use futures_util::stream;
use uuid::Uuid;

use crate::media::{MediaKind, audio, image};
use crate::state::SimState;
use crate::task::Status;

/// Bytes per chunk of the streaming response.
const STREAM_CHUNK: usize = 16 * 1024;

pub(super) async fn audio(state: web::Data<SimState>, file: web::Path<String>) -> HttpResponse {
    let Some(clip) = published_clip(&state, &file, ".wav", true) else {
        return HttpResponse::NotFound().finish();
    };
    match state
        .media
        .get_or_make(MediaKind::Audio, clip, || audio::render_wav(clip))
    {
        Ok(wav) => {
            state.count(|s| s.audio_downloads += 1);
            HttpResponse::Ok().content_type("audio/wav").body(wav)
        }
        Err(error) => render_failed(&error),
    }
}

/// The same audio as the final file, but chunked with no length, the way a
/// stream of a song still being generated arrives.
pub(super) async fn stream(state: web::Data<SimState>, clip: web::Path<String>) -> HttpResponse {
    let Some(clip) = published_clip(&state, &clip, "", false) else {
        return HttpResponse::NotFound().finish();
    };
    match state
        .media
        .get_or_make(MediaKind::Audio, clip, || audio::render_wav(clip))
    {
        Ok(wav) => {
            state.count(|s| s.audio_streams += 1);
            let chunks: Vec<Bytes> = (0..wav.len())
                .step_by(STREAM_CHUNK)
                .map(|at| wav.slice(at..(at + STREAM_CHUNK).min(wav.len())))
                .collect();
            HttpResponse::Ok()
                .content_type("audio/wav")
                .insert_header((CACHE_CONTROL, "no-store"))
                .streaming(stream::iter(
                    chunks.into_iter().map(Ok::<_, std::io::Error>),
                ))
        }
        Err(error) => render_failed(&error),
    }
}

pub(super) async fn image(state: web::Data<SimState>, file: web::Path<String>) -> HttpResponse {
    cover(&state, &file, MediaKind::Image, image::SMALL)
}

pub(super) async fn image_large(
    state: web::Data<SimState>,
    file: web::Path<String>,
) -> HttpResponse {
    cover(&state, &file, MediaKind::ImageLarge, image::LARGE)
}

/// The simulated account's avatar, so `avatar_image_url` resolves too.
pub(super) async fn avatar(state: web::Data<SimState>) -> HttpResponse {
    png_response(&state, MediaKind::Image, Uuid::nil(), image::SMALL)
}

fn cover(state: &SimState, file: &str, kind: MediaKind, size: u32) -> HttpResponse {
    match published_clip(state, file, ".png", false) {
        Some(clip) => png_response(state, kind, clip, size),
        None => HttpResponse::NotFound().finish(),
    }
}

fn png_response(state: &SimState, kind: MediaKind, id: Uuid, size: u32) -> HttpResponse {
    match state
        .media
        .get_or_make(kind, id, || image::render_png(id, size))
    {
        Ok(png) => {
            state.count(|s| s.image_downloads += 1);
            HttpResponse::Ok().content_type("image/png").body(png)
        }
        Err(error) => render_failed(&error),
    }
}

/// The clip named by `file` (its id plus `suffix`), if its task has
/// published it: completed, or (unless `final_only`) streaming.
fn published_clip(state: &SimState, file: &str, suffix: &str, final_only: bool) -> Option<Uuid> {
    let clip = Uuid::parse_str(file.strip_suffix(suffix)?).ok()?;
    let task = state.task_of_clip(clip)?;
    let (status, _) = task.status_at(&state.clock, Instant::now());
    let published = match status {
        Status::Completed => true,
        Status::Streaming => !final_only,
        _ => false,
    };
    published.then_some(clip)
}

fn render_failed(error: &dyn std::error::Error) -> HttpResponse {
    tracing::error!(%error, "could not render media");
    HttpResponse::InternalServerError().finish()
}

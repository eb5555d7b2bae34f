//! `GET /media/clips/{clip_id}/audio` and `GET /media/clips/{clip_id}/cover`:
//! the archived files of a clip, served by Chorus to whoever may see the
//! song (its owner, an admin, every member once it is published).
//!
//! `NamedFile` answers `Range` (206, 416), `If-Range`, `ETag` and
//! `Last-Modified`, so players can seek and browsers revalidate cheaply.
//! Add `?download=1` for `Content-Disposition: attachment`.
//!
//! Errors are the API's JSON problems: 401 without a valid token, and one
//! 404 for an unknown clip, a song the viewer may not see and a file not
//! archived (or gone), so nobody can learn that a private song exists.

mod disposition;
mod viewer;

use std::io;
use std::path::{Path, PathBuf};

use actix_files::NamedFile;
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::DefaultHeaders;
use actix_web::{HttpRequest, HttpResponse, mime, route, web};
use chorus_core::generations::media::{ClipMedia, find_clip_media};
use chorus_core::storage::Storage;
use serde::Deserialize;

use self::viewer::MediaViewer;
use crate::api::error::ApiError;
use crate::state::AppState;

/// A private song is only ever served to viewers who may always see it
/// (its owner, admins), so their browsers may keep it long: archived files
/// never change.
const PRIVATE_CACHE: &str = "private, max-age=604800";
/// A published song may be kept by shared caches too; an hour bounds how
/// long it stays there after it is unpublished.
const PUBLIC_CACHE: &str = "public, max-age=3600";

/// Which of a clip's files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Audio,
    Cover,
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    // Errors must not be cached: a 404 for a private song turns into a 200
    // once it is published. Files set their own `Cache-Control`, which
    // `DefaultHeaders` leaves alone.
    cfg.service(
        web::scope("/media")
            .wrap(DefaultHeaders::new().add((header::CACHE_CONTROL, "no-store")))
            .service(audio)
            .service(cover),
    );
}

#[route("/clips/{clip_id}/audio", method = "GET", method = "HEAD")]
async fn audio(
    req: HttpRequest,
    state: web::Data<AppState>,
    MediaViewer(viewer): MediaViewer,
    clip_id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let media = find_clip_media(&state.pool, &clip_id, viewer).await?;
    serve(&req, &state, media, Kind::Audio).await
}

#[route("/clips/{clip_id}/cover", method = "GET", method = "HEAD")]
async fn cover(
    req: HttpRequest,
    state: web::Data<AppState>,
    MediaViewer(viewer): MediaViewer,
    clip_id: web::Path<String>,
) -> Result<HttpResponse, ApiError> {
    let media = find_clip_media(&state.pool, &clip_id, viewer).await?;
    serve(&req, &state, media, Kind::Cover).await
}

async fn serve(
    req: &HttpRequest,
    state: &AppState,
    media: Option<ClipMedia>,
    kind: Kind,
) -> Result<HttpResponse, ApiError> {
    let media = media.ok_or(ApiError::NotFound)?;
    let relative = match kind {
        Kind::Audio => media.audio_path.as_deref(),
        Kind::Cover => media.image_path.as_deref(),
    }
    .ok_or(ApiError::NotFound)?;
    let storage = Storage::new(&state.config.storage_dir);
    // The database only holds paths the archive made; anything else was
    // put there by hand or by an attack, and is not followed.
    let Some(path) = storage.resolve(relative) else {
        tracing::warn!(clip_id = %media.clip_id, path = relative, "archived path leaves the storage root; not serving it");
        return Err(ApiError::NotFound);
    };
    let Some((ext, media_type)) = media_type(&path) else {
        tracing::warn!(clip_id = %media.clip_id, path = relative, "archived file has a type Chorus does not keep; not serving it");
        return Err(ApiError::NotFound);
    };
    let Some(file) = open(path).await? else {
        tracing::warn!(clip_id = %media.clip_id, path = relative, "archived file is missing from the storage directory");
        return Err(ApiError::NotFound);
    };
    let disposition = disposition::for_clip(&media, kind, ext, wants_download(req));
    let mut response = file
        .set_content_type(media_type)
        .set_content_disposition(disposition)
        .into_response(req);
    let cache = if media.published {
        PUBLIC_CACHE
    } else {
        PRIVATE_CACHE
    };
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    Ok(response)
}

/// The file's extension and media type, for the types the archive stores
/// (see `chorus_core::storage::extension_for`); `None` for any other.
fn media_type(path: &Path) -> Option<(&'static str, mime::Mime)> {
    let ext = path.extension()?.to_str()?;
    let (ext, media_type) = match ext {
        "mp3" => ("mp3", "audio/mpeg"),
        "wav" => ("wav", "audio/wav"),
        "png" => ("png", "image/png"),
        "jpg" => ("jpg", "image/jpeg"),
        "webp" => ("webp", "image/webp"),
        _ => return None,
    };
    Some((ext, media_type.parse().ok()?))
}

/// Opens the file off the async runtime; `None` when there is no such file.
async fn open(path: PathBuf) -> Result<Option<NamedFile>, ApiError> {
    let opened = web::block(move || NamedFile::open(path))
        .await
        .map_err(ApiError::internal)?;
    match opened {
        Ok(file) if file.metadata().is_file() => Ok(Some(file)),
        Ok(_) => Ok(None),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(ApiError::internal(e)),
    }
}

#[derive(Deserialize)]
struct MediaQuery {
    download: Option<String>,
}

/// `?download=1` (or `true`); a query that does not parse is no reason to
/// refuse the file, so it just means inline.
fn wants_download(req: &HttpRequest) -> bool {
    web::Query::<MediaQuery>::from_query(req.query_string())
        .is_ok_and(|q| matches!(q.download.as_deref(), Some("1" | "true")))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use actix_web::test::TestRequest;

    use super::*;

    #[test]
    fn media_types_follow_the_archived_extensions() {
        let cases = [
            ("g/c.mp3", "audio/mpeg"),
            ("g/c.wav", "audio/wav"),
            ("g/c-cover.png", "image/png"),
            ("g/c-cover.jpg", "image/jpeg"),
            ("g/c-cover.webp", "image/webp"),
        ];
        for (path, expected) in cases {
            let (_, found) = media_type(Path::new(path)).unwrap();
            assert_eq!(found.essence_str(), expected, "{path}");
        }
        for other in ["g/c.html", "g/c", "g/c.MP3.exe", "g/c.svg"] {
            assert!(media_type(Path::new(other)).is_none(), "{other}");
        }
    }

    #[test]
    fn only_download_1_or_true_asks_for_an_attachment() {
        let asks = |query: &str| {
            wants_download(
                &TestRequest::get()
                    .uri(&format!("/x{query}"))
                    .to_http_request(),
            )
        };
        assert!(asks("?download=1"));
        assert!(asks("?download=true"));
        assert!(!asks(""));
        assert!(!asks("?download=0"));
        assert!(!asks("?download=%ZZ"));
    }
}

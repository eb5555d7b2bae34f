//! Downloading a clip's media (final audio, cover image) from wherever the
//! upstream's URLs point, usually a CDN on another host than the API.
//!
//! Downloads go through a client of their own that never carries the
//! `api-key` header: a media URL is whatever the upstream wrote in a reply,
//! and the key must not reach any host but the API's.

use std::time::{Duration, Instant};

use reqwest::header::CONTENT_TYPE;
use reqwest::{StatusCode, Url, redirect};

use super::body::{BodyEnd, BodyRead, read_capped};
use super::client::UpstreamClient;
use super::error::BuildError;
use super::settings::UpstreamSettings;
use super::transport::describe;

/// A whole download, first byte to last. A 50 MiB file needs a few minutes
/// on a slow link, far more than an API call's deadline; a stalled one is
/// still cut off sooner by the idle read timeout.
const DOWNLOAD_TIMEOUT: Duration = Duration::from_secs(300);
/// CDNs redirect to signed or regional URLs; a longer chain is a loop.
const MAX_REDIRECTS: usize = 5;

/// What a successful download brought back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Download {
    pub bytes: Vec<u8>,
    /// The media type without parameters, lower-cased: `audio/mpeg`.
    pub content_type: String,
}

/// Why a download failed. [`DownloadError::is_retryable`] says whether the
/// same download may succeed later.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DownloadError {
    /// Not an absolute http(s) URL. The URL is left out: signed media URLs
    /// carry credentials in their query.
    #[error("not a downloadable URL: {reason}")]
    BadUrl { reason: String },
    /// No connection could be made (refused, DNS, connect timeout).
    #[error("media host unreachable: {reason}")]
    Unreachable { reason: String },
    /// The connection broke or timed out before the body was complete.
    #[error("download interrupted: {reason}")]
    Interrupted { reason: String },
    /// Too many redirects, or a redirect to a URL we cannot follow.
    #[error("download redirected too often or badly: {reason}")]
    Redirect { reason: String },
    #[error("media server answered HTTP {status}")]
    Status { status: u16 },
    /// E.g. an HTML error page served with 200 instead of the audio.
    #[error("media is of type {content_type}, expected one of {expected}")]
    WrongType {
        content_type: String,
        expected: String,
    },
    #[error("media is larger than {cap} bytes")]
    TooLarge { cap: usize },
}

impl DownloadError {
    /// Connection trouble, 408, 429 and 5xx may pass; a 4xx, a wrong type
    /// or an oversized file will be the same next time.
    pub fn is_retryable(&self) -> bool {
        match self {
            DownloadError::Unreachable { .. } | DownloadError::Interrupted { .. } => true,
            DownloadError::Status { status } => {
                let status = StatusCode::from_u16(*status).ok();
                status.is_some_and(|s| {
                    s == StatusCode::REQUEST_TIMEOUT
                        || s == StatusCode::TOO_MANY_REQUESTS
                        || s.is_server_error()
                })
            }
            DownloadError::BadUrl { .. }
            | DownloadError::Redirect { .. }
            | DownloadError::WrongType { .. }
            | DownloadError::TooLarge { .. } => false,
        }
    }

    /// A short stable label for metrics and logs.
    pub fn kind(&self) -> &'static str {
        match self {
            DownloadError::BadUrl { .. } => "bad_url",
            DownloadError::Unreachable { .. } => "unreachable",
            DownloadError::Interrupted { .. } => "interrupted",
            DownloadError::Redirect { .. } => "redirect",
            DownloadError::Status { .. } => "status",
            DownloadError::WrongType { .. } => "wrong_type",
            DownloadError::TooLarge { .. } => "too_large",
        }
    }
}

/// The client used for downloads: same timeouts for connecting and for
/// each read as the API client, but no default headers, and redirects
/// followed (safe without the key; reqwest stays on http/https).
pub(super) fn media_client(settings: &UpstreamSettings) -> Result<reqwest::Client, BuildError> {
    reqwest::Client::builder()
        .user_agent(super::client::USER_AGENT)
        .connect_timeout(settings.connect_timeout)
        .read_timeout(settings.read_timeout)
        .timeout(DOWNLOAD_TIMEOUT)
        .redirect(redirect::Policy::limited(MAX_REDIRECTS))
        .build()
        .map_err(BuildError::Http)
}

impl UpstreamClient {
    /// Downloads `url` if it answers 200 with a media type matching one of
    /// `accept` (an entry ending in `/` matches by prefix, e.g. `"audio/"`;
    /// any other matches exactly) in at most `max_bytes` bytes. The API key
    /// is never sent.
    pub async fn download(
        &self,
        url: &str,
        max_bytes: usize,
        accept: &[&str],
    ) -> Result<Download, DownloadError> {
        let started = Instant::now();
        let result = self.send_download(url, max_bytes, accept).await;
        let latency_ms = started.elapsed().as_millis();
        match &result {
            Ok(d) => tracing::debug!(
                content_type = %d.content_type, bytes = d.bytes.len(), latency_ms, "media downloaded"
            ),
            Err(e) => {
                tracing::warn!(kind = e.kind(), error = %e, latency_ms, "media download failed")
            }
        }
        result
    }

    async fn send_download(
        &self,
        url: &str,
        max_bytes: usize,
        accept: &[&str],
    ) -> Result<Download, DownloadError> {
        let url = media_url(url)?;
        let response = self
            .media_http()
            .get(url)
            .send()
            .await
            .map_err(send_failed)?;
        let status = response.status();
        if status != StatusCode::OK {
            return Err(DownloadError::Status {
                status: status.as_u16(),
            });
        }
        // Checked before reading, so a large page of the wrong kind is
        // never downloaded.
        let content_type = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(media_type)
            .unwrap_or_default();
        if !accepts(accept, &content_type) {
            return Err(DownloadError::WrongType {
                content_type: if content_type.is_empty() {
                    "(none)".to_owned()
                } else {
                    content_type
                },
                expected: accept.join(", "),
            });
        }
        let BodyRead { bytes, end } = read_capped(response, max_bytes).await;
        match end {
            BodyEnd::Complete => Ok(Download {
                bytes,
                content_type,
            }),
            BodyEnd::TooLarge => Err(DownloadError::TooLarge { cap: max_bytes }),
            BodyEnd::Broken(e) => Err(DownloadError::Interrupted {
                reason: describe(e),
            }),
        }
    }
}

fn media_url(raw: &str) -> Result<Url, DownloadError> {
    let url = Url::parse(raw.trim()).map_err(|e| DownloadError::BadUrl {
        reason: e.to_string(),
    })?;
    match url.scheme() {
        "http" | "https" if url.has_host() => Ok(url),
        scheme => Err(DownloadError::BadUrl {
            reason: format!("scheme {scheme} without a host, or not http(s)"),
        }),
    }
}

/// A failed `send()`: a connect error (checked first, as a connect timeout
/// is also a timeout) reached nobody; anything later broke the exchange.
fn send_failed(err: reqwest::Error) -> DownloadError {
    if err.is_connect() {
        DownloadError::Unreachable {
            reason: describe(err),
        }
    } else if err.is_redirect() {
        DownloadError::Redirect {
            reason: describe(err),
        }
    } else if err.is_builder() {
        DownloadError::BadUrl {
            reason: describe(err),
        }
    } else {
        DownloadError::Interrupted {
            reason: describe(err),
        }
    }
}

/// `Audio/MPEG; charset=x` → `audio/mpeg`.
fn media_type(header: &str) -> String {
    let essence = header.split(';').next().unwrap_or_default();
    essence.trim().to_ascii_lowercase()
}

fn accepts(accept: &[&str], content_type: &str) -> bool {
    !content_type.is_empty()
        && accept.iter().any(|want| {
            let want = want.to_ascii_lowercase();
            if want.ends_with('/') {
                content_type.starts_with(&want)
            } else {
                content_type == want
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_lose_parameters_and_case() {
        assert_eq!(media_type("Audio/MPEG; charset=binary"), "audio/mpeg");
        assert_eq!(media_type(" image/png "), "image/png");
    }

    #[test]
    fn accept_matches_prefixes_and_exact_types() {
        assert!(accepts(&["audio/"], "audio/wav"));
        assert!(accepts(&["audio/mpeg", "audio/wav"], "audio/wav"));
        assert!(!accepts(&["audio/mpeg"], "audio/mpeg4-generic"));
        assert!(!accepts(&["audio/"], "text/html"));
        assert!(!accepts(&["audio/"], ""));
    }

    #[test]
    fn only_http_urls_with_a_host_are_downloaded() {
        assert!(media_url("https://cdn1.example/a.mp3").is_ok());
        for bad in [
            "ftp://h/a.mp3",
            "file:///etc/passwd",
            "not a url",
            "data:,x",
        ] {
            assert!(
                matches!(media_url(bad), Err(DownloadError::BadUrl { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn retryable_means_it_may_pass_later() {
        let status = |status| DownloadError::Status { status };
        assert!(status(503).is_retryable());
        assert!(status(429).is_retryable());
        assert!(!status(404).is_retryable());
        assert!(!status(403).is_retryable());
        assert!(!DownloadError::TooLarge { cap: 1 }.is_retryable());
        let cut = DownloadError::Interrupted { reason: "r".into() };
        assert!(cut.is_retryable());
    }
}

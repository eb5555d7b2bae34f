//! The HTTP client of the upstream: `POST /music/task` to submit,
//! `GET /music/task?ids=…` to poll. Cheap to clone (one connection pool).

use std::collections::HashSet;
use std::fmt;
use std::time::{Duration, Instant};

use reqwest::header::{CONTENT_TYPE, HeaderMap, HeaderName, HeaderValue};
use reqwest::{Url, redirect};
use secrecy::ExposeSecret;

use super::error::{BuildError, UpstreamError};
use super::parse::{parse_poll_reply, parse_submit_reply};
use super::report::PollReply;
use super::request::{SongRequest, TaskId};
use super::settings::UpstreamSettings;
use super::transport::{self, Exchange};

/// The vendor's limit of task ids per poll.
pub const MAX_IDS_PER_POLL: usize = 25;

const API_KEY: HeaderName = HeaderName::from_static("api-key");
const POOL_IDLE_TIMEOUT: Duration = Duration::from_secs(30);
pub(super) const USER_AGENT: &str = concat!("chorus/", env!("CARGO_PKG_VERSION"));

/// Installs ring as the process's rustls crypto provider; reqwest is built
/// without one and panics on `build()` otherwise. Safe to call repeatedly.
pub fn init_crypto() {
    // An Err only says a provider is already installed.
    let _ = rustls::crypto::ring::default_provider().install_default();
}

#[derive(Clone)]
pub struct UpstreamClient {
    http: reqwest::Client,
    /// For media downloads: no `api-key` header (see `download`).
    media: reqwest::Client,
    /// `{base}/music/task`, the one endpoint.
    task_url: Url,
    max_response_bytes: usize,
}

impl fmt::Debug for UpstreamClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("UpstreamClient")
            .field("task_url", &self.task_url.as_str())
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}

impl UpstreamClient {
    pub fn new(settings: UpstreamSettings) -> Result<Self, BuildError> {
        init_crypto();
        let task_url = task_url(&settings.base_url)?;
        let media = super::download::media_client(&settings)?;
        let mut key = HeaderValue::from_str(settings.api_key.expose_secret())
            .map_err(|_| BuildError::ApiKey)?;
        if key.is_empty() {
            return Err(BuildError::ApiKey);
        }
        // Keeps the key out of `Debug` output and HTTP/2 header tables.
        key.set_sensitive(true);
        let headers = HeaderMap::from_iter([(API_KEY, key)]);
        let http = reqwest::Client::builder()
            .user_agent(USER_AGENT)
            .default_headers(headers)
            .connect_timeout(settings.connect_timeout)
            .timeout(settings.read_timeout)
            // Servers often drop idle keep-alive connections after about a
            // minute; a submit reusing one just then would end with an
            // unknown outcome, so idle connections are retired sooner.
            .pool_idle_timeout(POOL_IDLE_TIMEOUT)
            // A redirect would resend our `api-key` header (reqwest strips
            // only the standard credential headers) and turn a POST into a
            // GET; the API has no reason to redirect, so we never follow.
            .redirect(redirect::Policy::none())
            .build()
            .map_err(BuildError::Http)?;
        Ok(UpstreamClient {
            http,
            media,
            task_url,
            max_response_bytes: settings.max_response_bytes,
        })
    }

    pub(super) fn media_http(&self) -> &reqwest::Client {
        &self.media
    }

    /// Creates one paid task. On error, [`UpstreamError::retry`] says
    /// whether sending it again could pay twice.
    pub async fn submit(&self, request: &SongRequest) -> Result<TaskId, UpstreamError> {
        let started = Instant::now();
        let result = self.send_submit(request).await;
        let latency_ms = started.elapsed().as_millis();
        match &result {
            Ok(task_id) => tracing::debug!(%task_id, latency_ms, "upstream task submitted"),
            Err(e) => {
                tracing::warn!(kind = e.kind(), error = %e, latency_ms, "upstream submit failed")
            }
        }
        result
    }

    async fn send_submit(&self, request: &SongRequest) -> Result<TaskId, UpstreamError> {
        let exchange = Exchange::Submit;
        let response = self
            .http
            .post(self.task_url.clone())
            .header(CONTENT_TYPE, "application/json")
            .body(request.to_body().to_string())
            .send()
            .await
            .map_err(|e| transport::send_failed(exchange, e))?;
        if !response.status().is_success() {
            return Err(transport::status_error(response).await);
        }
        let body = transport::success_body(exchange, response, self.max_response_bytes).await?;
        parse_submit_reply(&body)
    }

    /// Asks for 1 to 25 tasks (duplicates are sent once). A poll creates
    /// nothing, so every error but a caller bug is retry-safe.
    pub async fn poll(&self, ids: &[TaskId]) -> Result<PollReply, UpstreamError> {
        let mut seen = HashSet::new();
        let unique: Vec<TaskId> = ids.iter().filter(|id| seen.insert(*id)).cloned().collect();
        match unique.len() {
            0 => return Err(UpstreamError::NoIds),
            count if count > MAX_IDS_PER_POLL => {
                return Err(UpstreamError::TooManyIds { count });
            }
            _ => {}
        }
        let started = Instant::now();
        let result = self.send_poll(&unique).await;
        let latency_ms = started.elapsed().as_millis();
        let ids = unique
            .iter()
            .map(TaskId::as_str)
            .collect::<Vec<_>>()
            .join(",");
        match &result {
            Ok(reply) if reply.missing.is_empty() && reply.unreadable == 0 => {
                tracing::debug!(%ids, latency_ms, "upstream polled");
            }
            Ok(reply) => tracing::warn!(
                %ids, latency_ms, missing = reply.missing.len(), unreadable = reply.unreadable,
                "upstream poll reply left tasks out"
            ),
            Err(e) => {
                tracing::warn!(%ids, kind = e.kind(), error = %e, latency_ms, "upstream poll failed")
            }
        }
        result
    }

    async fn send_poll(&self, ids: &[TaskId]) -> Result<PollReply, UpstreamError> {
        let exchange = Exchange::Poll;
        let mut url = self.task_url.clone();
        let list: Vec<String> = ids.iter().map(|id| encode_id(id.as_str())).collect();
        // Commas stay literal, as in the vendor's example.
        url.set_query(Some(&format!("ids={}", list.join(","))));
        let response = self
            .http
            .get(url)
            .send()
            .await
            .map_err(|e| transport::send_failed(exchange, e))?;
        if !response.status().is_success() {
            return Err(transport::status_error(response).await);
        }
        let body = transport::success_body(exchange, response, self.max_response_bytes).await?;
        parse_poll_reply(&body, ids)
    }
}

/// `{base}/music/task`, whether or not the base ends in a slash.
fn task_url(base: &Url) -> Result<Url, BuildError> {
    let invalid = || BuildError::BaseUrl(base.to_string());
    if !matches!(base.scheme(), "http" | "https") {
        return Err(invalid());
    }
    let mut url = base.clone();
    url.set_query(None);
    url.set_fragment(None);
    url.path_segments_mut()
        .map_err(|()| invalid())?
        .pop_if_empty()
        .extend(["music", "task"]);
    Ok(url)
}

/// Percent-encodes everything but unreserved characters, so an odd id can
/// neither add a query parameter nor split the comma list.
fn encode_id(id: &str) -> String {
    let mut out = String::with_capacity(id.len());
    for byte in id.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn task_url_appends_to_the_base_path() {
        for base in ["https://h.example/api/v2", "https://h.example/api/v2/"] {
            let url = task_url(&Url::parse(base).unwrap()).unwrap();
            assert_eq!(url.as_str(), "https://h.example/api/v2/music/task");
        }
        let root = task_url(&Url::parse("http://127.0.0.1:9").unwrap()).unwrap();
        assert_eq!(root.as_str(), "http://127.0.0.1:9/music/task");
        assert!(task_url(&Url::parse("mailto:x@example.com").unwrap()).is_err());
    }

    fn settings(base: &str, key: &str) -> UpstreamSettings {
        UpstreamSettings::new(Url::parse(base).unwrap(), key.into())
    }

    #[test]
    fn builds_for_https_and_refuses_bad_keys() {
        let client = UpstreamClient::new(settings("https://h.example/api/v2", "sk-1")).unwrap();
        assert!(!format!("{client:?}").contains("sk-1"));
        for key in ["", "line\nbreak"] {
            let result = UpstreamClient::new(settings("https://h.example", key));
            assert!(matches!(result, Err(BuildError::ApiKey)), "{key:?}");
        }
    }

    #[test]
    fn ids_are_encoded_without_touching_uuids() {
        let uuid = "4f3acce5-eb32-46b4-9c96-9cc1e2b2c922";
        assert_eq!(encode_id(uuid), uuid);
        assert_eq!(encode_id("a,b&c=d"), "a%2Cb%26c%3Dd");
    }
}

//! The upstream client: parsing of the vendor's replies (its own examples,
//! made valid JSON, and broken or hostile ones), then the real transport
//! against a scripted raw TCP server.
//!
//! Fixtures: `queued.json`, `streaming.json` and `completed.json` are the
//! vendor's examples. Where the vendor elides (`{...}`) they hold a plausible
//! value; the second clip of each is a copy of the first with its own id.
//! The streaming example lacks a closing brace, which puts `audio_url` and
//! friends inside `metadata`; the fixture keeps them there.
#![allow(clippy::unwrap_used)]

#[path = "upstream_client/download.rs"]
mod download;
#[path = "upstream_client/parse_poll.rs"]
mod parse_poll;
#[path = "upstream_client/parse_submit.rs"]
mod parse_submit;
#[path = "upstream_client/poll.rs"]
mod poll;
#[path = "upstream_client/server.rs"]
mod server;
#[path = "upstream_client/submit.rs"]
mod submit;

use std::time::Duration;

use chorus_core::upstream::{TaskId, UpstreamClient, UpstreamSettings};
use reqwest::Url;
use secrecy::SecretString;

const KEY: &str = "test-key-123";

fn client(base: &Url) -> UpstreamClient {
    client_with_timeout(base, Duration::from_secs(10))
}

fn client_with_timeout(base: &Url, timeout: Duration) -> UpstreamClient {
    let mut settings = UpstreamSettings::new(base.clone(), SecretString::from(KEY));
    settings.read_timeout = timeout;
    settings.connect_timeout = timeout;
    UpstreamClient::new(settings).unwrap()
}

fn ids(raw: &[&str]) -> Vec<TaskId> {
    raw.iter().map(|id| TaskId::new(*id)).collect()
}

/// A base URL where nothing listens: the port was bound, then released.
fn refused_base() -> Url {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    Url::parse(&format!("http://127.0.0.1:{port}/api/v2")).unwrap()
}

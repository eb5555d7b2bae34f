//! Where the upstream lives and how long and how much we are willing to
//! wait for it.

use std::time::Duration;

use reqwest::Url;
use secrecy::SecretString;

/// Connecting takes milliseconds when the upstream is healthy.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// A whole request, connect to last body byte.
pub const DEFAULT_READ_TIMEOUT: Duration = Duration::from_secs(30);
/// A reply of 25 tasks with two clips each is a few dozen KiB; anything far
/// bigger is broken or hostile and must not be buffered.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 4 * 1024 * 1024;

/// Settings of an [`UpstreamClient`](super::UpstreamClient). `Debug` shows
/// the key as redacted, so the value can be logged.
#[derive(Debug, Clone)]
pub struct UpstreamSettings {
    /// E.g. `https://api.foxaihub.com/api/v2`, with or without a trailing slash.
    pub base_url: Url,
    /// Sent as the `api-key` header; never logged.
    pub api_key: SecretString,
    pub connect_timeout: Duration,
    /// Deadline of a whole request, including reading the reply.
    pub read_timeout: Duration,
    /// Replies larger than this are abandoned, not buffered.
    pub max_response_bytes: usize,
}

impl UpstreamSettings {
    /// Settings with the default timeouts and size cap.
    pub fn new(base_url: Url, api_key: SecretString) -> Self {
        UpstreamSettings {
            base_url,
            api_key,
            connect_timeout: DEFAULT_CONNECT_TIMEOUT,
            read_timeout: DEFAULT_READ_TIMEOUT,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn debug_never_shows_the_key() {
        let settings = UpstreamSettings::new(
            Url::parse("https://api.example.com/api/v2").unwrap(),
            SecretString::from("sk-very-secret"),
        );
        let printed = format!("{settings:?}");
        assert!(!printed.contains("sk-very-secret"), "{printed}");
        assert!(printed.contains("api.example.com"));
    }
}

//! Upstream errors, classified by what they mean for a paid request: was
//! anything created, and may the caller send it again?
//!
//! Policy: no connection, or a complete answer that is not a success (429,
//! 5xx, `success: false`), means nothing was created; any other 4xx is a
//! permanent refusal; only a lost answer to a submit leaves the outcome
//! unknown. A poll creates nothing, so its failures are always retry-safe.

use std::time::Duration;

/// Whether sending the same request again is right.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// Nothing was created: send again (after [`UpstreamError::retry_after`]).
    Safe,
    /// Nothing was created, but the same request would fail the same way.
    Never,
    /// The task may exist: sending again may pay twice. Surface it.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UpstreamError {
    /// No connection could be made: nothing reached the upstream.
    #[error("upstream unreachable: {reason}")]
    Unreachable { reason: String },
    /// A complete answer declining the request for now: 429, 5xx, or a
    /// success status with `success: false` (then `status` is `None`).
    #[error("upstream rejected the request ({}): {message}", status_label(*.status))]
    Rejected {
        status: Option<u16>,
        message: String,
        retry_after: Option<Duration>,
    },
    /// A 4xx other than 429 (or a redirect, which we never follow): the
    /// request, key or account is wrong; resending will not help.
    #[error("upstream refused the request (HTTP {status}): {message}")]
    Refused { status: u16, message: String },
    /// A submit whose answer was lost (timeout or reset after sending) or
    /// unreadable: the task may have been created and billed.
    #[error("submit outcome unknown, the task may exist: {reason}")]
    OutcomeUnknown { reason: String },
    /// A poll broke off after it was sent (timeout, reset, cut body).
    #[error("poll interrupted: {reason}")]
    Interrupted { reason: String },
    /// A poll's success answer could not be read as the vendor's format.
    #[error("unreadable poll reply: {reason}")]
    MalformedReply { reason: String },
    /// Caller bug: a poll asks for at most 25 ids. Nothing was sent.
    #[error("a poll asks for at most 25 task ids, got {count}")]
    TooManyIds { count: usize },
    /// Caller bug: a poll needs at least one id. Nothing was sent.
    #[error("a poll needs at least one task id")]
    NoIds,
}

fn status_label(status: Option<u16>) -> String {
    match status {
        Some(code) => format!("HTTP {code}"),
        None => "success: false".to_owned(),
    }
}

impl UpstreamError {
    pub fn retry(&self) -> Retry {
        match self {
            UpstreamError::Unreachable { .. }
            | UpstreamError::Rejected { .. }
            | UpstreamError::Interrupted { .. }
            | UpstreamError::MalformedReply { .. } => Retry::Safe,
            UpstreamError::Refused { .. }
            | UpstreamError::TooManyIds { .. }
            | UpstreamError::NoIds => Retry::Never,
            UpstreamError::OutcomeUnknown { .. } => Retry::Unknown,
        }
    }

    /// How long the upstream asked us to wait (`Retry-After`, in seconds).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            UpstreamError::Rejected { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// A short stable label for metrics and logs.
    pub fn kind(&self) -> &'static str {
        match self {
            UpstreamError::Unreachable { .. } => "unreachable",
            UpstreamError::Rejected { status, .. } => match status {
                Some(429) => "rate_limited",
                Some(500..=599) => "server_error",
                Some(_) => "rejected",
                None => "declined",
            },
            UpstreamError::Refused {
                status: 401 | 403, ..
            } => "unauthorized",
            UpstreamError::Refused { .. } => "refused",
            UpstreamError::OutcomeUnknown { .. } => "outcome_unknown",
            UpstreamError::Interrupted { .. } => "interrupted",
            UpstreamError::MalformedReply { .. } => "malformed_reply",
            UpstreamError::TooManyIds { .. } => "too_many_ids",
            UpstreamError::NoIds => "no_ids",
        }
    }
}

/// Why an [`UpstreamClient`](super::UpstreamClient) could not be built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("upstream base URL {0} is not an http(s) URL that can take a path")]
    BaseUrl(String),
    #[error("the upstream API key is empty or not a valid HTTP header value")]
    ApiKey,
    #[error("could not build the upstream HTTP client")]
    Http(#[source] reqwest::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rejected(status: Option<u16>) -> UpstreamError {
        UpstreamError::Rejected {
            status,
            message: "m".into(),
            retry_after: Some(Duration::from_secs(7)),
        }
    }

    #[test]
    fn classification_follows_the_policy() {
        let unknown = UpstreamError::OutcomeUnknown { reason: "r".into() };
        let refused = UpstreamError::Refused {
            status: 400,
            message: "m".into(),
        };
        assert_eq!(rejected(Some(429)).retry(), Retry::Safe);
        assert_eq!(
            rejected(Some(429)).retry_after(),
            Some(Duration::from_secs(7))
        );
        assert_eq!(refused.retry(), Retry::Never);
        assert_eq!(refused.retry_after(), None);
        assert_eq!(unknown.retry(), Retry::Unknown);
        assert_eq!(UpstreamError::NoIds.retry(), Retry::Never);
        let malformed = UpstreamError::MalformedReply { reason: "r".into() };
        assert_eq!(malformed.retry(), Retry::Safe);
    }

    #[test]
    fn kinds_are_stable_labels() {
        assert_eq!(rejected(Some(429)).kind(), "rate_limited");
        assert_eq!(rejected(Some(503)).kind(), "server_error");
        assert_eq!(rejected(None).kind(), "declined");
        let unauthorized = UpstreamError::Refused {
            status: 401,
            message: "m".into(),
        };
        assert_eq!(unauthorized.kind(), "unauthorized");
        assert_eq!(
            rejected(None).to_string(),
            "upstream rejected the request (success: false): m"
        );
    }
}

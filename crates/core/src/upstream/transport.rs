//! Turning what happened on the wire into an [`UpstreamError`]. Whether the
//! request may have taken effect depends on how far the exchange got, and
//! on whether it was a submit (creates a paid task) or a poll (creates
//! nothing).

use std::error::Error as _;
use std::time::Duration;

use reqwest::header::{CONTENT_TYPE, HeaderMap, RETRY_AFTER};
use reqwest::{Response, StatusCode};

use super::body::{BodyEnd, BodyRead, read_capped};
use super::error::UpstreamError;
use super::text;

/// Enough of an error body for its message.
const ERROR_BODY_LIMIT: usize = 16 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exchange {
    Submit,
    Poll,
}

impl Exchange {
    /// The request was (or may have been) sent, and no answer came back.
    pub(crate) fn answer_lost(self, reason: String) -> UpstreamError {
        match self {
            Exchange::Submit => UpstreamError::OutcomeUnknown { reason },
            Exchange::Poll => UpstreamError::Interrupted { reason },
        }
    }

    /// A success status arrived but its body cannot be used.
    pub(crate) fn unusable_success(self, reason: String) -> UpstreamError {
        match self {
            Exchange::Submit => UpstreamError::OutcomeUnknown { reason },
            Exchange::Poll => UpstreamError::MalformedReply { reason },
        }
    }
}

/// `send()` failed. A connect error (including a connect timeout, so it is
/// checked before any timeout) means nothing was sent. Anything later (a
/// timeout or reset after the request went out) lost the answer.
pub(crate) fn send_failed(exchange: Exchange, err: reqwest::Error) -> UpstreamError {
    if err.is_connect() || err.is_builder() {
        UpstreamError::Unreachable {
            reason: describe(err),
        }
    } else {
        exchange.answer_lost(describe(err))
    }
}

/// Reads a success body under the cap; a cut, slow or oversized body is an
/// unusable answer.
pub(crate) async fn success_body(
    exchange: Exchange,
    response: Response,
    cap: usize,
) -> Result<Vec<u8>, UpstreamError> {
    let status = response.status().as_u16();
    let BodyRead { bytes, end } = read_capped(response, cap).await;
    match end {
        BodyEnd::Complete => Ok(bytes),
        BodyEnd::TooLarge => {
            Err(exchange.unusable_success(format!("HTTP {status} with a body over {cap} bytes")))
        }
        BodyEnd::Broken(err) => {
            Err(exchange.answer_lost(format!("HTTP {status} body cut off: {}", describe(err))))
        }
    }
}

/// A complete answer with a non-success status: the upstream decided, so
/// 429 and 5xx are retry-safe rejections and everything else (4xx, and
/// redirects, which we do not follow) is a refusal. The body only supplies
/// the message, so an unreadable one changes nothing.
pub(crate) async fn status_error(response: Response) -> UpstreamError {
    let status = response.status();
    let retry_after = retry_after(response.headers());
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let BodyRead { bytes, end } = read_capped(response, ERROR_BODY_LIMIT).await;
    let code = status.as_u16();
    let message = match end {
        BodyEnd::Broken(_) if bytes.is_empty() => format!("HTTP {code}, body unreadable"),
        BodyEnd::TooLarge if bytes.is_empty() => format!("HTTP {code} with a large body"),
        _ => text::summarize_body(code, content_type.as_deref(), &bytes),
    };
    if status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error() {
        UpstreamError::Rejected {
            status: Some(code),
            message,
            retry_after,
        }
    } else {
        UpstreamError::Refused {
            status: code,
            message,
        }
    }
}

/// `Retry-After` in delta-seconds; the HTTP-date form is ignored.
fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let seconds = headers
        .get(RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    Some(Duration::from_secs(seconds))
}

/// A reqwest error with its causes on one line ("connection refused" is in
/// the chain, not the top message), without the URL (25 ids are long).
pub(crate) fn describe(err: reqwest::Error) -> String {
    let err = err.without_url();
    let mut parts = vec![err.to_string()];
    let mut source = err.source();
    while let Some(cause) = source {
        let line = cause.to_string();
        if !parts.contains(&line) {
            parts.push(line);
        }
        source = cause.source();
    }
    text::one_line(&parts.join(": "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn retry_after_reads_seconds_only() {
        let mut headers = HeaderMap::new();
        headers.insert(RETRY_AFTER, HeaderValue::from_static(" 12 "));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(12)));
        let date = HeaderValue::from_static("Wed, 21 Oct 2015 07:28:00 GMT");
        headers.insert(RETRY_AFTER, date);
        assert_eq!(retry_after(&headers), None);
    }
}

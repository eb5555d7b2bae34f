//! `submit` over the wire: what is sent, and how every way an answer can go
//! wrong is classified.

use std::time::{Duration, Instant};

use chorus_core::upstream::{Retry, SongRequest, UpstreamError};

use crate::server::{Answer, TestServer, reply};
use crate::{KEY, client, client_with_timeout, refused_base};

fn song() -> SongRequest {
    SongRequest::Describe {
        topic: "a song about spring".into(),
        instrumental: true,
    }
}

/// Submits `song()` to a server giving `answer`; returns the error.
async fn submit_error(answer: Answer) -> UpstreamError {
    let server = TestServer::start(answer).await;
    client(&server.base).submit(&song()).await.unwrap_err()
}

#[tokio::test]
async fn sends_the_vendor_body_with_the_api_key() {
    let mut server = TestServer::start(reply(
        "200 OK",
        &["Content-Type: application/json"],
        r#"{"success": true, "task_id": "4f3acce5-eb32-46b4-9c96-9cc1e2b2c922"}"#,
    ))
    .await;
    let id = client(&server.base).submit(&song()).await.unwrap();
    assert_eq!(id.as_str(), "4f3acce5-eb32-46b4-9c96-9cc1e2b2c922");

    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let (head, body) = requests[0].split_once("\r\n\r\n").unwrap();
    let head = head.to_ascii_lowercase();
    assert!(
        head.starts_with("post /api/v2/music/task http/1.1\r\n"),
        "{head}"
    );
    assert!(head.contains(&format!("\r\napi-key: {KEY}")), "{head}");
    assert!(
        head.contains("\r\ncontent-type: application/json"),
        "{head}"
    );
    assert!(head.contains("\r\nuser-agent: chorus/"), "{head}");
    assert!(!head.contains("authorization"), "{head}");
    let sent: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(sent, song().to_body());
}

#[tokio::test]
async fn rate_limit_is_retry_safe_after_the_given_delay() {
    let err = submit_error(reply(
        "429 Too Many Requests",
        &["Retry-After: 7"],
        "slow down",
    ))
    .await;
    assert_eq!(err.retry(), Retry::Safe);
    assert_eq!(err.retry_after(), Some(Duration::from_secs(7)));
    assert_eq!(err.kind(), "rate_limited");
    assert!(err.to_string().contains("slow down"), "{err}");
}

#[tokio::test]
async fn server_error_page_is_retry_safe_and_summarised() {
    let page = "<html><body><h1>503 Service Unavailable</h1>nginx internals</body></html>";
    let err = submit_error(reply(
        "503 Service Unavailable",
        &["Content-Type: text/html"],
        page,
    ))
    .await;
    assert_eq!(
        err,
        UpstreamError::Rejected {
            status: Some(503),
            message: "HTTP 503 with an HTML body".into(),
            retry_after: None
        }
    );
    assert_eq!(err.kind(), "server_error");
}

#[tokio::test]
async fn client_errors_are_permanent_refusals() {
    let err = submit_error(reply(
        "400 Bad Request",
        &[],
        r#"{"message": "lyrics too long"}"#,
    ))
    .await;
    assert_eq!(
        err,
        UpstreamError::Refused {
            status: 400,
            message: "lyrics too long".into()
        }
    );
    assert_eq!(err.retry(), Retry::Never);
    let err = submit_error(reply("401 Unauthorized", &[], "")).await;
    assert_eq!(err.retry(), Retry::Never);
    assert_eq!(err.kind(), "unauthorized");
}

#[tokio::test]
async fn redirects_are_refused_not_followed() {
    let mut server = TestServer::start(reply("302 Found", &["Location: /elsewhere"], "")).await;
    let err = client(&server.base).submit(&song()).await.unwrap_err();
    assert_eq!(err.retry(), Retry::Never);
    assert_eq!(
        server.requests().len(),
        1,
        "the key must not follow a redirect"
    );
}

#[tokio::test]
async fn success_false_is_retry_safe() {
    let err = submit_error(reply(
        "200 OK",
        &[],
        r#"{"success": false, "message": "busy"}"#,
    ))
    .await;
    assert_eq!(err.retry(), Retry::Safe);
    assert_eq!(err.kind(), "declined");
}

#[tokio::test]
async fn unreadable_success_answers_leave_the_outcome_unknown() {
    let html = reply(
        "200 OK",
        &["Content-Type: text/html"],
        "<html>maintenance</html>",
    );
    let cut =
        Answer::Raw(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n{\"success\":true".to_vec());
    let no_id = reply("200 OK", &[], r#"{"success": true}"#);
    for answer in [html, cut, no_id, Answer::HangUp] {
        let err = submit_error(answer).await;
        assert!(
            matches!(err, UpstreamError::OutcomeUnknown { .. }),
            "{err:?}"
        );
        assert_eq!(err.retry(), Retry::Unknown);
    }
}

#[tokio::test]
async fn a_silent_server_times_out_as_an_unknown_outcome() {
    let server = TestServer::start(Answer::Silence).await;
    let client = client_with_timeout(&server.base, Duration::from_millis(300));
    let started = Instant::now();
    let err = client.submit(&song()).await.unwrap_err();
    assert_eq!(err.retry(), Retry::Unknown, "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(5));
}

#[tokio::test]
async fn connection_refused_is_unreachable_and_retry_safe() {
    let err = client(&refused_base()).submit(&song()).await.unwrap_err();
    assert!(matches!(err, UpstreamError::Unreachable { .. }), "{err:?}");
    assert_eq!(err.retry(), Retry::Safe);
    assert!(err.to_string().to_lowercase().contains("refused"), "{err}");
}

#[tokio::test]
async fn a_huge_declared_body_is_abandoned_at_once() {
    let total = 50 * 1024 * 1024;
    let head = format!("HTTP/1.1 200 OK\r\nContent-Length: {total}\r\n\r\n").into_bytes();
    let server = TestServer::start(Answer::Huge {
        head,
        total,
        chunked: false,
    })
    .await;
    let started = Instant::now();
    let err = client(&server.base).submit(&song()).await.unwrap_err();
    assert_eq!(err.retry(), Retry::Unknown, "{err:?}");
    assert!(err.to_string().contains("body over 4194304 bytes"), "{err}");
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(server.body_bytes_written() < total);
}

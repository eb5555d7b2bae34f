//! `poll` over the wire: the query sent, the reply parsed, and failures
//! that are all retry-safe because a poll creates nothing.

use std::time::{Duration, Instant};

use chorus_core::upstream::{Retry, TaskStatus, UpstreamError};

use crate::parse_poll::{COMPLETED, TASK};
use crate::server::{Answer, TestServer, reply};
use crate::{KEY, client, client_with_timeout, ids, refused_base};

async fn poll_error(answer: Answer) -> UpstreamError {
    let server = TestServer::start(answer).await;
    client(&server.base).poll(&ids(&[TASK])).await.unwrap_err()
}

#[tokio::test]
async fn polls_with_a_comma_list_and_parses_the_reply() {
    let mut server = TestServer::start(reply("200 OK", &[], COMPLETED)).await;
    let base = server.base.join("v2/").unwrap(); // the trailing-slash form
    let reply = client(&base).poll(&ids(&[TASK, "b", TASK])).await.unwrap();
    assert_eq!(reply.reports[0].status, TaskStatus::Completed);
    assert_eq!(reply.reports[0].clips.len(), 2);
    assert_eq!(reply.missing, ids(&["b"]));

    let requests = server.requests();
    let head = requests[0].to_ascii_lowercase();
    let line = format!("get /api/v2/music/task?ids={TASK},b http/1.1\r\n");
    assert!(head.starts_with(&line), "{head}");
    assert!(head.contains(&format!("\r\napi-key: {KEY}")), "{head}");
}

#[tokio::test]
async fn no_ids_or_too_many_ids_send_nothing() {
    let mut server = TestServer::start(reply("200 OK", &[], "[]")).await;
    let client = client(&server.base);
    assert_eq!(client.poll(&[]).await.unwrap_err(), UpstreamError::NoIds);
    let many: Vec<String> = (0..26).map(|i| format!("task-{i}")).collect();
    let many = ids(&many.iter().map(String::as_str).collect::<Vec<_>>());
    let err = client.poll(&many).await.unwrap_err();
    assert_eq!(err, UpstreamError::TooManyIds { count: 26 });
    assert_eq!(err.retry(), Retry::Never);
    assert!(client.poll(&many[..25]).await.is_ok(), "25 is allowed");
    assert_eq!(server.requests().len(), 1, "only the valid poll was sent");
}

#[tokio::test]
async fn failed_polls_are_all_retry_safe() {
    let cut = Answer::Raw(b"HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n[{\"task".to_vec());
    let answers = [
        (
            reply("500 Internal Server Error", &[], "boom"),
            "server_error",
        ),
        (reply("200 OK", &[], "<html>oops</html>"), "malformed_reply"),
        (
            reply("200 OK", &[], r#"{"success": false, "message": "bad ids"}"#),
            "declined",
        ),
        (cut, "interrupted"),
        (Answer::HangUp, "interrupted"),
    ];
    for (answer, kind) in answers {
        let err = poll_error(answer).await;
        assert_eq!((err.kind(), err.retry()), (kind, Retry::Safe), "{err:?}");
    }
    let err = client(&refused_base())
        .poll(&ids(&[TASK]))
        .await
        .unwrap_err();
    assert_eq!((err.kind(), err.retry()), ("unreachable", Retry::Safe));
}

#[tokio::test]
async fn a_silent_server_times_out_retry_safe() {
    let server = TestServer::start(Answer::Silence).await;
    let client = client_with_timeout(&server.base, Duration::from_millis(300));
    let err = client.poll(&ids(&[TASK])).await.unwrap_err();
    assert!(matches!(err, UpstreamError::Interrupted { .. }), "{err:?}");
}

#[tokio::test]
async fn an_endless_chunked_body_is_cut_at_the_cap() {
    let total = 50 * 1024 * 1024;
    let head = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
    let server = TestServer::start(Answer::Huge {
        head,
        total,
        chunked: true,
    })
    .await;
    let started = Instant::now();
    let err = client(&server.base).poll(&ids(&[TASK])).await.unwrap_err();
    assert!(
        matches!(err, UpstreamError::MalformedReply { .. }),
        "{err:?}"
    );
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(
        server.body_bytes_written() < total / 2,
        "the client stopped reading"
    );
}

//! `download` over the wire: the key never leaves with it, the type and
//! size are checked before the body is kept, and each failure says whether
//! a retry may help.

use std::time::{Duration, Instant};

use chorus_core::upstream::{Download, DownloadError};

use crate::server::{Answer, TestServer, reply};
use crate::{client, refused_base};

const AUDIO: &[&str] = &["audio/"];
const CAP: usize = 1024 * 1024;

async fn fetch(answer: Answer) -> Result<Download, DownloadError> {
    let server = TestServer::start(answer).await;
    let url = server.base.join("/media/audio/c1.wav").unwrap();
    client(&server.base)
        .download(url.as_str(), CAP, AUDIO)
        .await
}

#[tokio::test]
async fn downloads_media_without_sending_the_api_key() {
    // Even on the API's own host: media URLs are never trusted with it.
    let head = ["Content-Type: Audio/MPEG; charset=binary"];
    let mut server = TestServer::start(reply("200 OK", &head, "ID3-fake-mp3")).await;
    let url = server.base.join("/media/audio/c1.mp3").unwrap();
    let got = client(&server.base)
        .download(url.as_str(), CAP, AUDIO)
        .await
        .unwrap();
    assert_eq!(got.bytes, b"ID3-fake-mp3");
    assert_eq!(got.content_type, "audio/mpeg");
    let requests = server.requests();
    let head = requests[0].to_ascii_lowercase();
    assert!(
        head.starts_with("get /media/audio/c1.mp3 http/1.1\r\n"),
        "{head}"
    );
    assert!(!head.contains("api-key"), "{head}");
}

#[tokio::test]
async fn redirects_are_followed_and_still_carry_no_key() {
    let mut cdn = TestServer::start(reply("200 OK", &["Content-Type: audio/wav"], "RIFF")).await;
    let target = cdn.base.join("/signed/c1.wav?sig=abc").unwrap();
    let location = format!("Location: {target}");
    let api = TestServer::start(reply("302 Found", &[&location], "")).await;
    let url = api.base.join("/media/audio/c1.wav").unwrap();
    let got = client(&api.base)
        .download(url.as_str(), CAP, AUDIO)
        .await
        .unwrap();
    assert_eq!(got.bytes, b"RIFF");
    let head = cdn.requests()[0].to_ascii_lowercase();
    assert!(!head.contains("api-key"), "{head}");
}

#[tokio::test]
async fn an_html_page_instead_of_audio_is_refused_for_good() {
    let page = reply("200 OK", &["Content-Type: text/html"], "<html>gone</html>");
    let err = fetch(page).await.unwrap_err();
    assert!(
        matches!(&err, DownloadError::WrongType { content_type, .. } if content_type == "text/html"),
        "{err:?}"
    );
    assert!(!err.is_retryable());
    let untyped = fetch(reply("200 OK", &[], "RIFF")).await.unwrap_err();
    assert!(
        matches!(untyped, DownloadError::WrongType { .. }),
        "{untyped:?}"
    );
}

#[tokio::test]
async fn a_declared_length_over_the_cap_is_refused_before_reading() {
    let total = 50 * 1024 * 1024;
    let head =
        format!("HTTP/1.1 200 OK\r\nContent-Type: audio/wav\r\nContent-Length: {total}\r\n\r\n");
    let server = TestServer::start(Answer::Huge {
        head: head.into_bytes(),
        total,
        chunked: false,
    })
    .await;
    let url = server.base.join("/media/audio/c1.wav").unwrap();
    let started = Instant::now();
    let err = client(&server.base)
        .download(url.as_str(), CAP, AUDIO)
        .await
        .unwrap_err();
    assert_eq!(err, DownloadError::TooLarge { cap: CAP });
    assert!(!err.is_retryable());
    assert!(started.elapsed() < Duration::from_secs(5));
    assert!(server.body_bytes_written() < total);
}

#[tokio::test]
async fn an_endless_body_is_abandoned_at_the_cap() {
    let total = 50 * 1024 * 1024;
    let head = b"HTTP/1.1 200 OK\r\nContent-Type: audio/wav\r\nTransfer-Encoding: chunked\r\n\r\n";
    let server = TestServer::start(Answer::Huge {
        head: head.to_vec(),
        total,
        chunked: true,
    })
    .await;
    let url = server.base.join("/media/audio/c1.wav").unwrap();
    let err = client(&server.base)
        .download(url.as_str(), CAP, AUDIO)
        .await
        .unwrap_err();
    assert_eq!(err, DownloadError::TooLarge { cap: CAP });
    assert!(
        server.body_bytes_written() < total / 2,
        "the client stopped reading"
    );
}

#[tokio::test]
async fn statuses_are_retryable_only_when_they_may_pass() {
    let cases = [
        ("404 Not Found", false),
        ("403 Forbidden", false),
        ("429 Too Many Requests", true),
        ("503 Service Unavailable", true),
    ];
    for (status, retryable) in cases {
        let err = fetch(reply(status, &["Content-Type: audio/wav"], ""))
            .await
            .unwrap_err();
        assert!(matches!(err, DownloadError::Status { .. }), "{err:?}");
        assert_eq!(err.is_retryable(), retryable, "{status}");
    }
}

#[tokio::test]
async fn connection_trouble_is_retryable() {
    let base = refused_base();
    let url = base.join("/media/audio/c1.wav").unwrap();
    let err = client(&base)
        .download(url.as_str(), CAP, AUDIO)
        .await
        .unwrap_err();
    assert!(matches!(err, DownloadError::Unreachable { .. }), "{err:?}");
    assert!(err.is_retryable());

    let cut = b"HTTP/1.1 200 OK\r\nContent-Type: audio/wav\r\nContent-Length: 100\r\n\r\nRIFF";
    let err = fetch(Answer::Raw(cut.to_vec())).await.unwrap_err();
    assert!(matches!(err, DownloadError::Interrupted { .. }), "{err:?}");
    assert!(err.is_retryable());
}

#[tokio::test]
async fn only_http_urls_are_fetched() {
    let server = TestServer::start(reply("200 OK", &[], "")).await;
    let client = client(&server.base);
    for url in [
        "ftp://127.0.0.1/a.wav",
        "file:///etc/passwd",
        "/media/a.wav",
    ] {
        let err = client.download(url, CAP, AUDIO).await.unwrap_err();
        assert!(
            matches!(err, DownloadError::BadUrl { .. }),
            "{url}: {err:?}"
        );
        assert!(!err.is_retryable());
    }
}

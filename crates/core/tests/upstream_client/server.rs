//! A tiny scripted HTTP/1.1 server on 127.0.0.1:0. Every connection gets
//! the same [`Answer`]; each request it read is recorded before answering,
//! so once the client has its result the request is already recorded.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use reqwest::Url;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

#[derive(Clone)]
pub enum Answer {
    /// Write these bytes, then close.
    Raw(Vec<u8>),
    /// Read the request, then close without answering.
    HangUp,
    /// Read the request, then keep the connection open and say nothing.
    Silence,
    /// Write `head`, then up to `total` body bytes (chunk-framed if
    /// `chunked`) until the client hangs up.
    Huge {
        head: Vec<u8>,
        total: usize,
        chunked: bool,
    },
}

/// A complete response with a `Content-Length` body.
pub fn reply(status: &str, headers: &[&str], body: &str) -> Answer {
    let mut text = format!("HTTP/1.1 {status}\r\nContent-Length: {}\r\n", body.len());
    for header in headers {
        text.push_str(&format!("{header}\r\n"));
    }
    Answer::Raw(format!("{text}\r\n{body}").into_bytes())
}

pub struct TestServer {
    /// The API base, `http://127.0.0.1:<port>/api/v2`.
    pub base: Url,
    requests: mpsc::UnboundedReceiver<String>,
    /// Body bytes written by `Answer::Huge` before the client hung up.
    written: Arc<AtomicUsize>,
    task: JoinHandle<()>,
}

impl TestServer {
    pub async fn start(answer: Answer) -> TestServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (sender, requests) = mpsc::unbounded_channel();
        let written = Arc::new(AtomicUsize::new(0));
        let counter = written.clone();
        let task = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (answer, sender, counter) = (answer.clone(), sender.clone(), counter.clone());
                tokio::spawn(serve(stream, answer, sender, counter));
            }
        });
        let base = Url::parse(&format!("http://127.0.0.1:{port}/api/v2")).unwrap();
        TestServer {
            base,
            requests,
            written,
            task,
        }
    }

    /// The requests received so far, as text (head and body).
    pub fn requests(&mut self) -> Vec<String> {
        std::iter::from_fn(|| self.requests.try_recv().ok()).collect()
    }

    pub fn body_bytes_written(&self) -> usize {
        self.written.load(Ordering::SeqCst)
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn serve(
    mut stream: TcpStream,
    answer: Answer,
    requests: mpsc::UnboundedSender<String>,
    written: Arc<AtomicUsize>,
) {
    let Some(request) = read_request(&mut stream).await else {
        return;
    };
    let _ = requests.send(request);
    match answer {
        Answer::Raw(bytes) => {
            let _ = stream.write_all(&bytes).await;
            let _ = stream.shutdown().await;
        }
        Answer::HangUp => {}
        Answer::Silence => {
            // Holds the socket until the test's runtime ends.
            std::future::pending::<()>().await;
        }
        Answer::Huge {
            head,
            total,
            chunked,
        } => {
            if stream.write_all(&head).await.is_err() {
                return;
            }
            let block = vec![b'x'; 64 * 1024];
            while written.load(Ordering::SeqCst) < total {
                let frame = if chunked {
                    [format!("{:x}\r\n", block.len()).as_bytes(), &block, b"\r\n"].concat()
                } else {
                    block.clone()
                };
                if stream.write_all(&frame).await.is_err() {
                    return;
                }
                written.fetch_add(block.len(), Ordering::SeqCst);
            }
        }
    }
}

/// Reads one request: the head up to the blank line, then `Content-Length`
/// bytes of body.
async fn read_request(stream: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
        let n = stream.read(&mut chunk).await.ok().filter(|n| *n > 0)?;
        buf.extend_from_slice(&chunk[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).to_ascii_lowercase();
    let length: usize = head
        .lines()
        .find_map(|line| line.strip_prefix("content-length:"))
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(0);
    while buf.len() < head_end + length {
        let n = stream.read(&mut chunk).await.ok().filter(|n| *n > 0)?;
        buf.extend_from_slice(&chunk[..n]);
    }
    Some(String::from_utf8_lossy(&buf).into_owned())
}

//! The yardstick for page benchmarks: a bare actix-web + askama server that
//! renders a list of 20 songs from memory, no database, no session.

use actix_web::{App, HttpServer, get};
use askama::Template;
use askama_web::WebTemplate;

pub struct Song {
    id: String,
    title: String,
    status: &'static str,
    mode: &'static str,
    created: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "bench/baseline.html")]
struct BaselinePage {
    heading: &'static str,
    songs: &'static [Song],
}

fn songs() -> &'static [Song] {
    static SONGS: std::sync::OnceLock<Vec<Song>> = std::sync::OnceLock::new();
    SONGS.get_or_init(|| {
        (0..20)
            .map(|i| Song {
                id: uuid::Uuid::new_v4().to_string(),
                title: format!("Song {i} about spring"),
                status: "completed",
                mode: "custom",
                created: format!("25 Nov 2026, 14:{i:02}"),
            })
            .collect()
    })
}

#[get("/")]
async fn page() -> BaselinePage {
    BaselinePage {
        heading: "My songs",
        songs: songs(),
    }
}

/// Serves the page on a free local port; returns its URL.
pub fn start() -> std::io::Result<String> {
    let listener = std::net::TcpListener::bind("127.0.0.1:0")?;
    let url = format!("http://{}/", listener.local_addr()?);
    let server = HttpServer::new(|| App::new().service(page))
        .disable_signals()
        .listen(listener)?
        .run();
    tokio::spawn(server);
    Ok(url)
}

//! "My songs" (`GET /songs`) and the live events behind it (`GET /events`),
//! over HTTP as a signed-in member.

use std::collections::HashSet;
use std::time::Duration;

use futures_util::StreamExt;
use reqwest::StatusCode;
use serde_json::json;
use uuid::Uuid;

use crate::accounts_web::browser::{Browser, location};
use crate::helpers::{TestApp, spawn_app, web_only};
use crate::pipeline::members::{Member, PASSWORD, custom, describe, member};

pub async fn signed_in(app: &TestApp, email: &str) -> (Member, Browser) {
    let member = member(app, email, None).await;
    let mut browser = Browser::new(app);
    let response = browser.sign_in(email, PASSWORD).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    (member, browser)
}

pub async fn page(browser: &mut Browser, path: &str) -> String {
    let response = browser.get(path).await;
    assert_eq!(response.status(), StatusCode::OK, "GET {path}");
    response.text().await.unwrap()
}

/// The song ids a page lists, in order.
fn listed(html: &str) -> Vec<Uuid> {
    html.split("data-generation-id=\"")
        .skip(1)
        .map(|rest| rest[..36].parse().unwrap())
        .collect()
}

/// Opens `/events` with the browser's session and waits for its first
/// frame, which means the subscription is in place.
pub async fn open_events(
    app: &TestApp,
    browser: &Browser,
) -> impl futures_util::Stream<Item = reqwest::Result<actix_web::web::Bytes>> + Unpin + use<> {
    let session = browser.cookie("chorus_session").unwrap().to_owned();
    // No overall timeout: the stream is meant to stay open.
    let response = reqwest::Client::new()
        .get(format!("{}/events", app.web_url))
        .header("cookie", format!("chorus_session={session}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let mut body = response.bytes_stream();
    let opening = tokio::time::timeout(Duration::from_secs(5), body.next())
        .await
        .expect("the stream opens at once")
        .unwrap()
        .unwrap();
    assert!(String::from_utf8_lossy(&opening).starts_with("retry:"));
    body
}

/// The "older" link's href, its escaped `&` undone.
fn older(html: &str) -> Option<String> {
    let start = html.find("rel=\"next\"")?;
    let before = &html[..start];
    let href = before.rsplit("href=\"").next()?;
    Some(
        href.split('"')
            .next()?
            .replace("&amp;", "&")
            .replace("&#38;", "&"),
    )
}

async fn set_status(app: &TestApp, id: Uuid, status: &str) {
    sqlx::query("UPDATE generations SET status = $2 WHERE id = $1")
        .bind(id)
        .bind(status)
        .execute(app.env.db.pool())
        .await
        .unwrap();
    app.changed_behind_the_app().await;
}

#[tokio::test]
async fn a_member_sees_only_their_own_songs_newest_first_and_filtered() {
    // No worker: statuses are set by hand, so they stay put.
    let app = web_only().await;
    let (ada, mut browser) = signed_in(&app, "ada@example.com").await;
    let bob = member(&app, "bob@example.com", None).await;
    let theirs = app.request_song(&bob, &describe()).await;
    let first = app.request_song(&ada, &describe()).await;
    let second = app.request_song(&ada, &custom()).await;
    let third = app.request_song(&ada, &describe()).await;
    set_status(&app, first, "completed").await;
    set_status(&app, second, "failed").await;

    let html = page(&mut browser, "/songs").await;
    assert_eq!(listed(&html), [third, second, first]);
    assert!(!html.contains(&theirs.to_string()), "{html}");
    assert!(html.contains("Starlit"), "the custom song's title: {html}");
    assert!(html.contains("a song about spring"), "the topic: {html}");
    assert!(html.contains(&format!("href=\"/songs/{first}\"")), "{html}");
    // Something is still waiting: without JavaScript the page refreshes.
    assert!(html.contains("http-equiv=\"refresh\""), "{html}");
    assert!(
        html.contains("<script src=\"/static/live.js\" defer>"),
        "{html}"
    );
    assert!(html.contains("href=\"/create\""), "{html}");

    let cases = [
        ("in_flight", vec![third]),
        ("completed", vec![first]),
        ("failed", vec![second]),
    ];
    for (status, expected) in cases {
        let html = page(&mut browser, &format!("/songs?status={status}")).await;
        assert_eq!(listed(&html), expected, "{status}");
    }
    let html = page(&mut browser, "/songs?status=completed").await;
    assert!(
        !html.contains("http-equiv=\"refresh\""),
        "nothing is waiting: {html}"
    );
    // A filter or cursor that means nothing is ignored, not a 500 or a 400.
    for path in [
        "/songs?status=bogus",
        "/songs?status=%27%3B--",
        "/songs?status=completed&status=failed&x=1",
        "/songs?before=nonsense",
        "/songs?before=99999999999999999999999999999,x",
    ] {
        let response = browser.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let html = response.text().await.unwrap();
        if path.contains("bogus") || path.contains("before") {
            assert_eq!(listed(&html), [third, second, first], "{path}");
        }
    }

    // Bob sees his song and none of Ada's.
    let mut bobs = Browser::new(&app);
    bobs.sign_in("bob@example.com", PASSWORD).await;
    assert_eq!(listed(&page(&mut bobs, "/songs").await), [theirs]);
}

#[tokio::test]
async fn pages_of_twenty_cover_every_song_once() {
    let app = web_only().await;
    let (ada, mut browser) = signed_in(&app, "ada@example.com").await;
    let mut requested = Vec::new();
    for _ in 0..25 {
        requested.push(app.request_song(&ada, &describe()).await);
    }
    requested.reverse();

    let html = page(&mut browser, "/songs").await;
    let first_page = listed(&html);
    assert_eq!(first_page.len(), 20);
    let next = older(&html).expect("an older link");
    let html = page(&mut browser, &next).await;
    let second_page = listed(&html);
    assert_eq!(second_page.len(), 5);
    assert!(older(&html).is_none(), "no page after the last: {html}");
    let all: Vec<Uuid> = first_page.into_iter().chain(second_page).collect();
    assert_eq!(all, requested, "newest first, no gap, no repeat");
    assert_eq!(all.iter().collect::<HashSet<_>>().len(), 25);

    // The filter survives paging.
    let html = page(&mut browser, "/songs?status=in_flight").await;
    let next = older(&html).unwrap();
    assert!(next.contains("status=in_flight"), "{next}");
    assert_eq!(listed(&page(&mut browser, &next).await).len(), 5);
}

#[tokio::test]
async fn signed_out_visitors_are_sent_to_sign_in() {
    let app = web_only().await;
    for path in ["/songs", "/events"] {
        let response = app.get(path).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{path}");
        assert_eq!(location(&response), format!("/sign-in?next={path}"));
    }
}

#[tokio::test]
async fn titles_and_topics_are_shown_as_text() {
    let app = web_only().await;
    let (ada, mut browser) = signed_in(&app, "ada@example.com").await;
    let xss = "<script>alert(1)</script>";
    app.request_song(
        &ada,
        &json!({"mode": "describe", "topic": xss, "instrumental": true}),
    )
    .await;
    app.request_song(
        &ada,
        &json!({"mode": "custom", "tags": "pop", "lyrics": "la la", "title": format!("\"{xss}")}),
    )
    .await;
    let html = page(&mut browser, "/songs").await;
    assert!(!html.contains(xss), "{html}");
    // Askama escapes with numeric references.
    assert!(
        html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
        "{html}"
    );
}

#[tokio::test]
async fn the_page_speaks_both_languages_without_raw_keys() {
    let app = web_only().await;
    let (ada, mut browser) = signed_in(&app, "ada@example.com").await;
    app.request_song(&ada, &describe()).await;
    for (lang, words) in [
        ("en", ["My songs", "Waiting"]),
        ("zh-CN", ["我的歌曲", "排队中"]),
    ] {
        browser.set_cookie("lang", lang);
        for path in ["/songs", "/songs?status=failed"] {
            let html = page(&mut browser, path).await;
            for word in words {
                if path == "/songs" || word != words[1] {
                    assert!(html.contains(word), "{lang} {path}: {word}\n{html}");
                }
            }
            assert!(
                !html.contains("library."),
                "{lang} {path}: a raw key\n{html}"
            );
            assert!(html.contains(&format!("lang=\"{lang}\"")), "{html}");
        }
    }
}

#[tokio::test]
async fn the_live_script_is_served_as_javascript() {
    let app = web_only().await;
    let response = app.get("/static/live.js").await;
    assert_eq!(response.status(), StatusCode::OK);
    let kind = response.headers()["content-type"]
        .to_str()
        .unwrap()
        .to_owned();
    assert!(kind.starts_with("text/javascript"), "{kind}");
    assert!(response.headers().contains_key("cache-control"));
    assert!(response.text().await.unwrap().contains("EventSource"));
}

#[tokio::test]
async fn events_stream_the_members_own_songs_and_no_one_elses() {
    let app = spawn_app().await;
    let (ada, browser) = signed_in(&app, "ada@example.com").await;
    let bob = member(&app, "bob@example.com", None).await;
    let session = browser.cookie("chorus_session").unwrap().to_owned();
    // No overall timeout: the stream is meant to stay open.
    let response = reqwest::Client::new()
        .get(format!("{}/events", app.web_url))
        .header("cookie", format!("chorus_session={session}"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers();
    assert!(
        headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/event-stream")
    );
    assert_eq!(headers["cache-control"], "no-cache");
    assert_eq!(headers["x-accel-buffering"], "no");
    let mut body = response.bytes_stream();
    // The first frame means the subscription is in place.
    let opening = tokio::time::timeout(Duration::from_secs(5), body.next())
        .await
        .expect("the stream opens at once")
        .unwrap()
        .unwrap();
    assert!(String::from_utf8_lossy(&opening).starts_with("retry:"));

    // Bob's song runs to its end while Ada listens: none of it reaches her.
    let bobs = app.request_song(&bob, &describe()).await;
    app.finished(&bob, bobs).await;
    let id = app.request_song(&ada, &describe()).await;
    let done = format!("\"generation_id\":\"{id}\",\"status\":\"completed\"");
    let mut seen = String::new();
    let read = tokio::time::timeout(Duration::from_secs(30), async {
        while !seen.contains(&done) {
            let chunk = body.next().await.expect("the stream ended").unwrap();
            seen.push_str(&String::from_utf8_lossy(&chunk));
        }
    })
    .await;
    assert!(read.is_ok(), "no completed event for {id}; got:\n{seen}");
    assert!(seen.contains("event: generation\ndata: {"), "{seen}");
    assert!(
        !seen.contains(&bobs.to_string()),
        "Bob's song leaked: {seen}"
    );
}

#[tokio::test]
async fn an_open_event_stream_ends_once_its_session_is_over() {
    let app = web_only().await;
    let (_, mut browser) = signed_in(&app, "ada@example.com").await;
    let mut body = open_events(&app, &browser).await;

    let csrf = browser.csrf_of("/account/password").await;
    let response = browser.post("/sign-out", &[("csrf", &csrf)]).await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    // The next heartbeat (every 15 s) finds the session gone and ends the
    // stream instead of sending it.
    let ended = tokio::time::timeout(Duration::from_secs(25), async {
        while let Some(frame) = body.next().await {
            let frame = frame.unwrap();
            assert!(!String::from_utf8_lossy(&frame).contains("heartbeat"));
        }
    })
    .await;
    assert!(ended.is_ok(), "the stream outlived its session");
}

//! The team gallery (`GET /gallery`) and favourites, over HTTP as signed-in
//! members: what is listed, in what order, searched and filtered how, and
//! who may mark what.

mod favourites;
mod listing;
mod search;

use reqwest::StatusCode;
use serde_json::Value;
use uuid::Uuid;

use crate::accounts_web::browser::Browser;
use crate::accounts_web::browser::signed_in_as as sign_in;
use crate::helpers::{TestApp, web_only};
use crate::pipeline::members::{Member, PASSWORD, member};

async fn signed_in(app: &TestApp, email: &str) -> (Member, Browser) {
    let member = member(app, email, None).await;
    let browser = sign_in(app, email).await;
    (member, browser)
}

/// Requests a song, finishes it behind the app's back, and publishes it
/// through core's own publishing, as its owner would.
async fn published(app: &TestApp, owner: &Member, body: &Value) -> Uuid {
    let id = finished(app, owner, body).await;
    let pool = app.env.db.pool();
    let done = chorus_core::generations::publish::set_published(pool, id, owner.id, false, true)
        .await
        .unwrap();
    assert!(done, "publish {id}");
    id
}

/// A completed song that stays private.
async fn finished(app: &TestApp, owner: &Member, body: &Value) -> Uuid {
    let id = app.request_song(owner, body).await;
    sqlx::query("UPDATE generations SET status = 'completed', finished_at = now() WHERE id = $1")
        .bind(id)
        .execute(app.env.db.pool())
        .await
        .unwrap();
    app.changed_behind_the_app().await;
    id
}

/// Sets when a song was published, `seconds` after a fixed moment, so the
/// order is known; equal seconds make ties that only the id breaks.
async fn published_at(app: &TestApp, id: Uuid, seconds: i64) {
    sqlx::query(
        "UPDATE generations
         SET published_at = '2026-11-01T00:00:00Z'::timestamptz + make_interval(secs => $2)
         WHERE id = $1",
    )
    .bind(id)
    .bind(seconds as f64)
    .execute(app.env.db.pool())
    .await
    .unwrap();
    app.changed_behind_the_app().await;
}

async fn page(browser: &mut Browser, path: &str) -> String {
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

/// The "older" link's href, its escaped `&` undone.
fn older(html: &str) -> Option<String> {
    let start = html.find("rel=\"next\"")?;
    let href = html[..start].rsplit("href=\"").next()?;
    Some(
        href.split('"')
            .next()?
            .replace("&amp;", "&")
            .replace("&#38;", "&"),
    )
}

/// A custom song with these words.
fn song(title: &str, tags: &str, lyrics: &str) -> Value {
    serde_json::json!({"mode": "custom", "title": title, "tags": tags, "lyrics": lyrics})
}

/// No key of `locales/gallery.yml` shows raw: rust-i18n shows a missing
/// text as its key.
fn assert_no_raw_keys(html: &str) {
    let catalog = include_str!("../../crates/web/locales/gallery.yml");
    let keys = catalog
        .lines()
        .filter_map(|line| line.strip_suffix(':'))
        .filter(|key| key.contains('.') && !key.starts_with(' '));
    for key in keys {
        assert!(!html.contains(key), "raw key {key} on the page: {html}");
    }
}

//! The create page (`/create`) and a song's page (`/songs/{id}`) in the
//! browser: what they show, who may see them, and the forms behind them.

mod create;
mod media;
mod song;

use chorus_core::Micros;
use reqwest::StatusCode;
use uuid::Uuid;

use crate::accounts_web::browser::signed_in_as as sign_in;
use crate::accounts_web::browser::{Browser, location};
use crate::helpers::{TestApp, web_only};
use crate::pipeline::members::{Member, admin, member};

const XSS: &str = "<script>alert(1)</script>";
/// As askama escapes it.
const XSS_ESCAPED: &str = "&#60;script&#62;alert(1)&#60;/script&#62;";

/// A member (with `budget`) and their signed-in browser.
async fn signed_in(app: &TestApp, email: &str, budget: Option<Micros>) -> (Member, Browser) {
    let member = member(app, email, budget).await;
    let browser = sign_in(app, email).await;
    (member, browser)
}

async fn signed_in_admin(app: &TestApp, email: &str) -> (Member, Browser) {
    let admin = admin(app, email).await;
    let browser = sign_in(app, email).await;
    (admin, browser)
}

/// Submits the create form; the song's id when it was accepted.
async fn create(browser: &mut Browser, fields: &[(&str, &str)]) -> reqwest::Response {
    browser.submit("/create", "/create", fields).await
}

/// The id of the song a 303 from `/create` or an action leads to.
fn song_id(response: &reqwest::Response) -> Uuid {
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let location = location(response);
    location
        .strip_prefix("/songs/")
        .unwrap_or_else(|| panic!("not a song page: {location}"))
        .parse()
        .unwrap()
}

async fn page(browser: &mut Browser, path: &str) -> (StatusCode, String) {
    let response = browser.get(path).await;
    (response.status(), response.text().await.unwrap())
}

async fn generation_count(app: &TestApp) -> i64 {
    sqlx::query_scalar("SELECT count(*) FROM generations")
        .fetch_one(app.env.db.pool())
        .await
        .unwrap()
}

/// Moves a song to `status` behind the app's back, as the worker would.
async fn set_status(app: &TestApp, id: Uuid, status: &str, error: Option<&str>) {
    sqlx::query("UPDATE generations SET status = $2, error = $3 WHERE id = $1")
        .bind(id)
        .bind(status)
        .bind(error)
        .execute(app.env.db.pool())
        .await
        .unwrap();
    app.changed_behind_the_app().await;
}

/// No key of `locales/songs.yml` shows raw: rust-i18n shows a missing
/// text as its key.
fn assert_no_raw_keys(html: &str) {
    let catalog = include_str!("../../crates/web/locales/songs.yml");
    let keys = catalog
        .lines()
        .filter_map(|line| line.strip_suffix(':'))
        .filter(|key| key.contains('.') && !key.starts_with(' '));
    for key in keys {
        assert!(!html.contains(key), "raw key {key} on the page: {html}");
    }
}

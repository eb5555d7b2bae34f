//! Whole journeys through the portal in a real browser: the first admin,
//! an invitation, a member's song from the create form to playback and
//! publishing, and another member finding it in the gallery.

use chorus_upstream_sim::{SimClock, SimConfig};

use super::Browser;
use super::song::{create_custom_song, play_and_publish, watch_the_status_change_live};
use crate::helpers::{TestApp, spawn_app_on};
use crate::pipeline::members::member;

const PASSWORD: &str = "correct horse battery";

/// Phases slow enough (1.5 s queued, 1.5 s composing, 3 s streaming) that
/// a browser polling every 100 ms sees each status on "My songs".
async fn slow_app() -> TestApp {
    spawn_app_on(
        SimConfig {
            clock: SimClock::from_millis(1500, 1500, 3000),
            ..SimConfig::default()
        },
        &[],
    )
    .await
}

#[tokio::test]
async fn from_first_run_to_a_published_song_found_in_the_gallery_in_a_real_browser() {
    let app = slow_app().await;
    let browser = Browser::start(&app.web_url).await;

    set_up_the_first_admin(&browser).await;
    let link = invite_a_member(&browser).await;
    sign_out(&browser).await;
    join(&browser, &link, "ada@example.com").await;
    sign_out(&browser).await;

    // Signed out, "My songs" sends to the sign-in page, and back after it.
    browser.goto("/songs").await;
    browser.wait_for_path("/sign-in").await;
    assert_eq!(browser.path().await, "/sign-in?next=/songs");
    browser.screenshot("sign-in").await;
    sign_in(&browser, "ada@example.com").await;
    browser.wait_for_path("/songs").await;

    let id = create_custom_song(&browser).await;
    watch_the_status_change_live(&browser, &id).await;
    play_and_publish(&browser, &id).await;
    sign_out(&browser).await;

    // Another member finds it by a word of its lyrics.
    member(&app, "bo@example.com", None).await;
    browser.goto("/sign-in").await;
    sign_in(&browser, "bo@example.com").await;
    browser.wait_for_path("/").await;
    browser.goto("/gallery").await;
    browser.type_into("#gallery-q", "lanterns").await;
    browser
        .click("form.gallery-search button[type=submit]")
        .await;
    browser
        .wait("the search to be run", async |b| {
            Ok(b.path().await.contains("q=lanterns").then_some(()))
        })
        .await;
    let found = format!("li.gallery-song[data-generation-id='{id}'] a.song-title");
    assert_eq!(
        browser.find(&found).await.text().await.unwrap(),
        "Harbour lights"
    );
    browser.screenshot("gallery").await;

    browser.quit().await;
}

/// The first run: /setup creates the admin, who is then signed in.
async fn set_up_the_first_admin(browser: &Browser) {
    browser.goto("/setup").await;
    browser.find("form[action='/setup']").await;
    browser.screenshot("setup").await;
    browser.type_into("#email", "admin@example.com").await;
    browser.type_into("#password", PASSWORD).await;
    browser.type_into("#password_confirm", PASSWORD).await;
    browser
        .click("form[action='/setup'] button[type=submit]")
        .await;
    browser.wait_for_path("/").await;
}

/// The admin invites a member on /admin/users; the link, as a path.
async fn invite_a_member(browser: &Browser) -> String {
    browser.goto("/admin/users").await;
    browser.find("form[action='/admin/users'] #role").await;
    browser
        .click("form[action='/admin/users'] button[type=submit]")
        .await;
    let link = browser.find("#invitation-link").await;
    let link = link.value().await.unwrap().unwrap();
    browser.screenshot("admin-users").await;
    let path = link
        .strip_prefix(browser.base())
        .unwrap_or_else(|| panic!("an invitation link elsewhere: {link}"));
    assert!(path.starts_with("/join/"), "{link}");
    path.to_owned()
}

/// Someone signed out joins with the invitation link and is signed in.
async fn join(browser: &Browser, link: &str, email: &str) {
    browser.goto(link).await;
    browser.find("#password_confirm").await;
    browser.screenshot("join").await;
    browser.type_into("#email", email).await;
    browser.type_into("#password", PASSWORD).await;
    browser.type_into("#password_confirm", PASSWORD).await;
    browser
        .click(&format!("form[action='{link}'] button[type=submit]"))
        .await;
    browser.wait_for_path("/").await;
}

pub(super) async fn sign_in(browser: &Browser, email: &str) {
    browser.type_into("#email", email).await;
    browser.type_into("#password", PASSWORD).await;
    browser
        .click("form[action='/sign-in'] button[type=submit]")
        .await;
}

/// Signs out with the button on the account page.
pub(super) async fn sign_out(browser: &Browser) {
    browser.goto("/account/password").await;
    // Signed in: the account page opens rather than sending to /sign-in.
    browser.wait_for_path("/account/password").await;
    browser.click("form[action='/sign-out'] button").await;
    browser.wait_for_path("/sign-in").await;
}

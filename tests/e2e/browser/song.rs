//! A member's song in the browser: the create form with its helper
//! buttons, the live status on "My songs", playback and publishing.

use serde_json::{Value, json};

use super::Browser;

/// Fills in the custom form (with the page's helper buttons) and submits
/// it; the new song's id.
pub async fn create_custom_song(browser: &Browser) -> String {
    browser.click("a[href='/create']").await;
    browser.wait_for_path("/create").await;
    browser.click("a[href='/create?mode=custom']").await;
    browser.find("#lyrics").await;
    browser.type_into("#title", "Harbour lights").await;
    browser.type_into("#tags", "female vocal").await;
    // create.js shows the suggestion and marker buttons.
    browser.click(".suggestions button[data-tag='pop']").await;
    browser
        .click(".markers button[data-marker='[Verse]']")
        .await;
    browser
        .type_into("#lyrics", "Lanterns on the water\n")
        .await;
    browser
        .click(".markers button[data-marker='[Chorus]']")
        .await;
    browser
        .type_into("#lyrics", "Harbour lights, guide me home")
        .await;
    let tags = browser.find("#tags").await.value().await.unwrap();
    assert_eq!(tags.as_deref(), Some("female vocal, pop"));
    let lyrics = browser.find("#lyrics").await.value().await.unwrap();
    assert_eq!(
        lyrics.as_deref(),
        Some("[Verse]\nLanterns on the water\n[Chorus]\nHarbour lights, guide me home")
    );
    // The count follows the typing (create.js), not only the server's "0".
    let count = browser.find("#lyrics-count").await.text().await.unwrap();
    assert_eq!(count, "68 of 5000 characters");
    browser.screenshot("create").await;

    browser
        .click("form[action='/create'] button[type=submit]")
        .await;
    let id = browser
        .wait("the new song's page", async |b| {
            let url = b.driver.current_url().await?;
            Ok(url.path().strip_prefix("/songs/").map(str::to_owned))
        })
        .await;
    let heading = browser.text_of("h1").await;
    assert_eq!(heading, "Harbour lights");
    id
}

/// On "My songs" the badge goes from waiting to streaming to completed
/// through /events and live.js, without the page being loaded again.
pub async fn watch_the_status_change_live(browser: &Browser, id: &str) {
    browser.follow("a[href='/songs']", "/songs").await;
    let badge = format!("li[data-generation-id='{id}'] .status-badge");
    browser.find(&badge).await;
    // A reload would forget this.
    browser
        .script("window.chorusSamePage = true; return true;", vec![])
        .await
        .unwrap();
    // "status:label" each time the badge changes.
    let mut seen: Vec<String> = Vec::new();
    browser
        .wait("the song to complete on My songs", async |b| {
            let badge = b
                .script(
                    "var e = document.querySelector(arguments[0]); \
                     return e && e.dataset.status + ':' + e.textContent.trim();",
                    vec![json!(badge)],
                )
                .await?;
            let Some(badge) = badge.as_str() else {
                return Ok(None);
            };
            if seen.last().map(String::as_str) != Some(badge) {
                if seen.is_empty() {
                    b.screenshot("my-songs-in-flight").await;
                }
                seen.push(badge.to_owned());
            }
            Ok(badge.starts_with("completed:").then_some(()))
        })
        .await;
    eprintln!("badges seen on My songs: {seen:?}");
    assert!(
        !seen[0].starts_with("completed"),
        "done when first seen: {seen:?}"
    );
    assert!(seen.iter().any(|s| s == "streaming:Streaming"), "{seen:?}");
    assert_eq!(seen.last().unwrap(), "completed:Completed");
    let same_page = browser
        .script("return window.chorusSamePage === true;", vec![])
        .await
        .unwrap();
    assert_eq!(same_page, json!(true), "the page was reloaded: {seen:?}");
    browser.screenshot("my-songs").await;
}

/// Opens the song, plays its first clip once archived, and publishes it.
pub async fn play_and_publish(browser: &Browser, id: &str) {
    browser
        .click(&format!("a.song-title[href='/songs/{id}']"))
        .await;
    browser.wait_for_path(&format!("/songs/{id}")).await;
    // Archiving follows completion: the page serves our copy once it has it.
    browser
        .wait("the archived audio", async |b| {
            let src = b.find(".clip audio").await.attr("src").await?;
            if src
                .as_deref()
                .is_some_and(|s| s.starts_with("/media/clips/"))
            {
                return Ok(Some(()));
            }
            b.driver.refresh().await?;
            Ok(None)
        })
        .await;
    let audio = browser.find(".clip audio").await;
    let started = browser
        .script(
            "return arguments[0].play().then(() => !arguments[0].paused);",
            vec![audio.to_json().unwrap()],
        )
        .await
        .unwrap();
    assert_eq!(started, json!(true));
    let audio = audio.to_json().unwrap();
    browser
        .wait("the audio to play", async |b| {
            let time = b
                .script("return arguments[0].currentTime;", vec![audio.clone()])
                .await?;
            Ok((time.as_f64().unwrap_or(0.0) > 0.0).then_some(()))
        })
        .await;
    // The cover (loaded lazily, so scrolled to) is a real image.
    browser
        .wait("the cover image", async |b| {
            let cover = b.find(".clip-cover").await;
            cover.scroll_into_view().await?;
            let width: Value = b
                .script(
                    "return arguments[0].complete ? arguments[0].naturalWidth : 0;",
                    vec![cover.to_json()?],
                )
                .await?;
            Ok((width.as_u64().unwrap_or(0) > 0).then_some(()))
        })
        .await;
    browser
        .find(".clip audio")
        .await
        .scroll_into_view()
        .await
        .unwrap();
    browser.screenshot("song-playing").await;

    browser
        .click(&format!("form[action='/songs/{id}/publish'] button"))
        .await;
    browser.find(".published-badge").await;
    browser
        .find(&format!("form[action='/songs/{id}/unpublish']"))
        .await;
    browser.screenshot("song").await;
}

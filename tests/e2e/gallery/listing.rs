//! What the gallery lists, in what order, a page at a time, and how it
//! shows it.

use std::collections::HashSet;

use reqwest::StatusCode;

use super::{
    PASSWORD, assert_no_raw_keys, finished, listed, older, page, published, published_at,
    signed_in, song, web_only,
};
use crate::accounts_web::browser::{Browser, location};
use crate::pipeline::members::{admin, custom, describe};

#[tokio::test]
async fn only_published_songs_appear_newest_first_to_everyone() {
    let app = web_only().await;
    let (ada, mut adas) = signed_in(&app, "ada@example.com").await;
    let (bob, mut bobs) = signed_in(&app, "bob@example.com").await;
    admin(&app, "root@example.com").await;
    let mut roots = Browser::new(&app);
    roots.sign_in("root@example.com", PASSWORD).await;

    let first = published(&app, &ada, &custom()).await;
    let second = published(&app, &bob, &describe()).await;
    let private = finished(&app, &ada, &song("Hidden", "secret", "never shown")).await;
    let pending = app.request_song(&ada, &custom()).await;
    let unpublished = published(&app, &bob, &custom()).await;
    chorus_core::generations::publish::set_published(
        app.env.db.pool(),
        unpublished,
        bob.id,
        false,
        false,
    )
    .await
    .unwrap();
    published_at(&app, first, 10).await;
    published_at(&app, second, 20).await;

    // An archived clip lends the row its cover and player.
    sqlx::query(
        "INSERT INTO clips (id, generation_id, batch_index, status, audio_path, image_path)
         VALUES ('clip-b', $1, 1, 'complete', 'a/b.mp3', 'a/b.jpg'),
                ('clip-a', $1, 0, 'complete', NULL, NULL)",
    )
    .bind(first)
    .execute(app.env.db.pool())
    .await
    .unwrap();
    app.changed_behind_the_app().await;

    for browser in [&mut adas, &mut bobs, &mut roots] {
        let html = page(browser, "/gallery").await;
        assert_eq!(listed(&html), [second, first], "{html}");
        for hidden in [private, pending, unpublished] {
            assert!(!html.contains(&hidden.to_string()), "{hidden}: {html}");
        }
        assert!(!html.contains("Hidden"), "{html}");
        assert!(html.contains("Starlit") && html.contains("a song about spring"));
        assert!(html.contains("ada@example.com") && html.contains("bob@example.com"));
        assert!(html.contains(&format!("href=\"/songs/{first}\"")), "{html}");
        assert!(
            html.contains("<audio controls preload=\"none\" src=\"/media/clips/clip-b/audio\""),
            "{html}"
        );
        assert!(html.contains("src=\"/media/clips/clip-b/cover\""), "{html}");
        assert!(html.contains("Favourites: 0"), "{html}");
        assert!(html.contains("<a href=\"/gallery\" aria-current=\"page\">Gallery</a>"));
        // The published date, not the time.
        assert!(html.contains("Published 1 Nov 2026</span>"), "{html}");
    }
    // A song with no archived clip has neither player nor cover.
    let html = page(&mut bobs, &format!("/gallery?member={}", bob.id)).await;
    assert_eq!(listed(&html), [second]);
    assert!(!html.contains("<audio") && !html.contains("<img"), "{html}");
}

#[tokio::test]
async fn pages_follow_each_other_without_gaps_or_repeats() {
    let app = web_only().await;
    let (ada, mut browser) = signed_in(&app, "ada@example.com").await;
    let mut songs = Vec::new();
    for i in 0..25 {
        let id = published(&app, &ada, &custom()).await;
        // Threes share a second: only the id orders them.
        published_at(&app, id, i / 3).await;
        songs.push((i / 3, id));
    }
    songs.sort_by(|a, b| b.cmp(a));
    let expected: Vec<_> = songs.iter().map(|(_, id)| *id).collect();

    for start in ["/gallery", "/gallery?q=starlit&tag=POP"] {
        let first = page(&mut browser, start).await;
        assert_eq!(listed(&first).len(), 20, "{start}");
        let next = older(&first).unwrap();
        if start.contains('?') {
            // The filters survive the page turn.
            assert!(
                next.contains("q=starlit") && next.contains("tag=POP"),
                "{next}"
            );
        }
        let second = page(&mut browser, &next).await;
        assert!(older(&second).is_none(), "{start}: no third page");
        let all: Vec<_> = listed(&first).into_iter().chain(listed(&second)).collect();
        assert_eq!(all, expected, "{start}");
        assert_eq!(all.iter().collect::<HashSet<_>>().len(), 25);
    }
    // A song published meanwhile does not shift the older page.
    let first = page(&mut browser, "/gallery").await;
    let next = older(&first).unwrap();
    published(&app, &ada, &describe()).await;
    assert_eq!(listed(&page(&mut browser, &next).await), expected[20..]);
}

#[tokio::test]
async fn odd_input_is_ignored_or_matches_nothing_but_never_fails() {
    let app = web_only().await;
    let (ada, mut browser) = signed_in(&app, "ada@example.com").await;
    let id = published(&app, &ada, &custom()).await;
    for (path, shown) in [
        ("/gallery?q=&&&", true),
        ("/gallery?q=%26%26%26", false),
        ("/gallery?q=%21%21%21%7C%28%29%3A*", false),
        ("/gallery?q=%22unclosed", false),
        ("/gallery?q=-", false),
        ("/gallery?q=%3Cscript%3E", false),
        ("/gallery?q=a%00b", false),
        ("/gallery?before=garbage", true),
        ("/gallery?before=99999999999999999999999999999,x", true),
        ("/gallery?member=not-a-uuid", true),
        (
            "/gallery?member=00000000-0000-0000-0000-000000000000",
            false,
        ),
        ("/gallery?tag=%27%3B--&tag=x", false),
        ("/gallery?q=starlit&unknown=1", true),
    ] {
        let response = browser.get(path).await;
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let html = response.text().await.unwrap();
        assert_eq!(listed(&html) == [id], shown, "{path}: {html}");
    }
}

#[tokio::test]
async fn signed_out_visitors_are_sent_to_sign_in() {
    let app = web_only().await;
    let mut browser = Browser::new(&app);
    let response = browser.get("/gallery?q=x").await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(location(&response).starts_with("/sign-in?next=/gallery"));
}

#[tokio::test]
async fn payloads_in_titles_tags_and_lyrics_are_escaped() {
    const XSS: &str = "<script>alert(1)</script>";
    let app = web_only().await;
    let (ada, mut browser) = signed_in(&app, "ada@example.com").await;
    let payload = song(
        XSS,
        &format!("{XSS}, \"onmouseover=x"),
        &format!("{XSS} zephyr"),
    );
    published(&app, &ada, &payload).await;
    for path in ["/gallery", "/gallery?q=zephyr", "/gallery?q=%3Cscript%3E"] {
        let html = page(&mut browser, path).await;
        assert!(!html.contains(XSS), "{path}: {html}");
        assert!(!html.contains("\"onmouseover"), "{path}: {html}");
    }
    let html = page(&mut browser, "/gallery").await;
    assert!(
        html.contains("&#60;script&#62;alert(1)&#60;/script&#62;"),
        "{html}"
    );
    // The tag filter link carries it percent-encoded.
    assert!(
        html.contains("tag=%3Cscript%3Ealert%281%29%3C%2Fscript%3E"),
        "{html}"
    );
    let html = page(&mut browser, "/gallery?tag=%3Cscript%3E&q=%3Cb%3E").await;
    assert!(
        !html.contains("<script>") && !html.contains("<b>"),
        "{html}"
    );
}

#[tokio::test]
async fn both_languages_read_without_raw_keys() {
    let app = web_only().await;
    let (ada, mut browser) = signed_in(&app, "ada@example.com").await;
    let html = page(&mut browser, "/gallery").await;
    assert!(html.contains("Nothing is published yet"), "{html}");
    assert_no_raw_keys(&html);
    published(&app, &ada, &custom()).await;
    for (lang, title) in [("en", "Gallery"), ("zh-CN", "作品廊")] {
        browser.set_cookie("lang", lang);
        for path in ["/gallery", "/gallery?q=nothing-here&tag=pop"] {
            let html = page(&mut browser, path).await;
            assert!(
                html.contains(&format!("<h1>{title}</h1>")),
                "{lang}: {html}"
            );
            assert_no_raw_keys(&html);
        }
    }
    let html = page(&mut browser, "/gallery?q=nothing-here").await;
    assert!(html.contains("没有符合条件的已发布歌曲"), "{html}");
}

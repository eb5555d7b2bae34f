//! Marking gallery songs as favourites: idempotent, CSRF-protected, back to
//! the same gallery page, and only for published songs.

use reqwest::StatusCode;
use uuid::Uuid;

use super::{finished, page, published, signed_in, web_only};
use crate::accounts_web::browser::{Browser, location};
use crate::pipeline::members::{custom, describe};

/// Posts a favourite form from the gallery page `from`, with its token and
/// its way back.
async fn toggle(browser: &mut Browser, from: &str, id: Uuid, action: &str) -> reqwest::Response {
    let csrf = browser.csrf_of(from).await;
    let back = from.split_once('?').map_or("", |(_, query)| query);
    let path = format!("/gallery/{id}/{action}");
    browser
        .post(&path, &[("csrf", &csrf), ("back", back)])
        .await
}

async fn favourite_count(browser: &mut Browser, id: Uuid) -> (bool, String) {
    let html = page(browser, "/gallery").await;
    let start = html.find(&format!("id=\"song-{id}\"")).unwrap();
    let row = &html[start..];
    let row = &row[..row.find("</div>").unwrap()];
    let count = row.split("Favourites: ").nth(1).unwrap();
    let count = count[..count.find('<').unwrap()].to_owned();
    (row.contains("/unfavourite\""), count)
}

#[tokio::test]
async fn members_mark_and_unmark_songs_once_each() {
    let app = web_only().await;
    let (ada, mut adas) = signed_in(&app, "ada@example.com").await;
    let (_, mut bobs) = signed_in(&app, "bob@example.com").await;
    let song = published(&app, &ada, &custom()).await;
    let other = published(&app, &ada, &describe()).await;

    let from = "/gallery?q=starlit&tag=pop";
    for _ in 0..2 {
        let response = toggle(&mut bobs, from, song, "favourite").await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            location(&response),
            format!("/gallery?q=starlit&tag=pop#song-{song}")
        );
    }
    assert_eq!(favourite_count(&mut bobs, song).await, (true, "1".into()));
    assert_eq!(favourite_count(&mut adas, song).await, (false, "1".into()));
    assert_eq!(favourite_count(&mut bobs, other).await, (false, "0".into()));
    let response = toggle(&mut adas, "/gallery", song, "favourite").await;
    assert_eq!(location(&response), format!("/gallery#song-{song}"));
    assert_eq!(favourite_count(&mut bobs, song).await, (true, "2".into()));

    for _ in 0..2 {
        let response = toggle(&mut bobs, "/gallery", song, "unfavourite").await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER);
    }
    assert_eq!(favourite_count(&mut bobs, song).await, (false, "1".into()));
    assert_eq!(favourite_count(&mut adas, song).await, (true, "1".into()));

    // A way back that is not a plain query starts the gallery afresh.
    let csrf = bobs.csrf_of("/gallery").await;
    let path = format!("/gallery/{song}/favourite");
    for back in ["//evil.example/", "x\r\nSet-Cookie: a=b", "a#b"] {
        let response = bobs.post(&path, &[("csrf", &csrf), ("back", back)]).await;
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "{back:?}");
        let to = location(&response);
        assert!(
            to == format!("/gallery#song-{song}") || to.starts_with("/gallery?"),
            "{to}"
        );
    }
}

#[tokio::test]
async fn only_published_songs_can_be_marked_and_only_from_our_pages() {
    let app = web_only().await;
    let (ada, mut adas) = signed_in(&app, "ada@example.com").await;
    let (_, mut bobs) = signed_in(&app, "bob@example.com").await;
    let song = published(&app, &ada, &custom()).await;
    let private = finished(&app, &ada, &custom()).await;
    let csrf = bobs.csrf_of("/gallery").await;

    // Without the token, or with another's, nothing happens.
    for action in ["favourite", "unfavourite"] {
        let path = format!("/gallery/{song}/{action}");
        let response = bobs.post(&path, &[("back", "")]).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{action}");
        let response = bobs.post(&path, &[("csrf", "forged"), ("back", "")]).await;
        assert_eq!(response.status(), StatusCode::FORBIDDEN, "{action}");
    }
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM favourites")
        .fetch_one(app.env.db.pool())
        .await
        .unwrap();
    assert_eq!(count, 0);

    // A private song, even its owner's, one that does not exist, and an id
    // that is not one are all the same 404.
    let adas_csrf = adas.csrf_of("/gallery").await;
    for (browser, csrf) in [(&mut bobs, &csrf), (&mut adas, &adas_csrf)] {
        for action in ["favourite", "unfavourite"] {
            for id in [
                private.to_string(),
                Uuid::new_v4().to_string(),
                "nope".into(),
            ] {
                let path = format!("/gallery/{id}/{action}");
                let response = browser.post(&path, &[("csrf", csrf)]).await;
                assert_eq!(response.status(), StatusCode::NOT_FOUND, "{path}");
            }
        }
    }

    // Signed out: to the sign-in page, nothing marked.
    let mut stranger = Browser::new(&app);
    let response = stranger
        .post(&format!("/gallery/{song}/favourite"), &[("csrf", &csrf)])
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert!(location(&response).starts_with("/sign-in"));
    let count: i64 = sqlx::query_scalar("SELECT count(*) FROM favourites")
        .fetch_one(app.env.db.pool())
        .await
        .unwrap();
    assert_eq!(count, 0);
}

//! Finding songs in the gallery: by the words of their lyrics, by tag, by
//! member, and all of them at once.

use super::{listed, page, published, signed_in, song, web_only};
use crate::pipeline::members::describe;

#[tokio::test]
async fn a_member_finds_songs_by_words_tag_and_member() {
    let app = web_only().await;
    let (ada, _) = signed_in(&app, "ada@example.com").await;
    let (bob, _) = signed_in(&app, "bob@example.com").await;
    let (_, mut carol) = signed_in(&app, "carol@example.com").await;
    sqlx::query("UPDATE users SET display_name = 'Bob the Bard' WHERE id = $1")
        .bind(bob.id)
        .execute(app.env.db.pool())
        .await
        .unwrap();
    app.changed_behind_the_app().await;
    let lyrics = "[Verse]\nthe zephyrquill sings at dawn\n\n[Chorus]\n月光 照在河上";
    let adas = published(
        &app,
        &ada,
        &song("Morning Glass", "Synthwave, 城市民谣", lyrics),
    )
    .await;
    let bobs = published(&app, &bob, &describe()).await;
    let bobs_pop = published(&app, &bob, &song("Bubbles", "pop, synth", "la la la")).await;
    let all = page(&mut carol, "/gallery").await;
    assert_eq!(listed(&all), [bobs_pop, bobs, adas]);
    // The member filter offers everyone who has published.
    for member in [ada.id, bob.id] {
        assert!(
            all.contains(&format!("<option value=\"{member}\">")),
            "{all}"
        );
    }
    assert!(all.contains("Bob the Bard") && all.contains("ada@example.com"));

    let cases = [
        // Words of the lyrics, any case; Chinese words as written.
        ("q=zephyrquill", vec![adas]),
        ("q=ZephyrQuill", vec![adas]),
        ("q=%E6%9C%88%E5%85%89", vec![adas]),
        // Chinese words inside a longer run of characters, and only where
        // they stand: 照在 and 在河 are in 照在河上, 照河 is not.
        ("q=照在", vec![adas]),
        ("q=在河", vec![adas]),
        ("q=照河", vec![]),
        // Title, topic and tags are searched too; every word must match.
        ("q=morning+glass", vec![adas]),
        ("q=spring", vec![bobs]),
        ("q=synth", vec![bobs_pop]),
        ("q=%22glass+morning%22", vec![]),
        ("q=la+-bubbles", vec![]),
        ("q=nowhere-to-be-found", vec![]),
        // A tag is a whole element of the list, in any case.
        ("tag=synthwave", vec![adas]),
        ("tag=%20SYNTH%20", vec![bobs_pop]),
        ("tag=wave", vec![]),
        ("tag=%E5%9F%8E%E5%B8%82%E6%B0%91%E8%B0%A3", vec![adas]),
        (&format!("member={}", bob.id), vec![bobs_pop, bobs]),
        (&format!("member={}", ada.id), vec![adas]),
        // Filters combine.
        (&format!("member={}&q=synth", bob.id), vec![bobs_pop]),
        (&format!("member={}&q=zephyrquill", bob.id), vec![]),
        (&format!("member={}&tag=pop&q=la", bob.id), vec![bobs_pop]),
    ];
    for (query, expected) in cases {
        let html = page(&mut carol, &format!("/gallery?{query}")).await;
        assert_eq!(listed(&html), expected, "{query}");
        if expected.is_empty() {
            assert!(
                html.contains("No published song matches."),
                "{query}: {html}"
            );
            assert!(html.contains("Show every song"), "{query}");
        }
    }
    // A filtered page says so, keeps its filters in the search form and
    // offers a way out of each.
    let html = page(&mut carol, &format!("/gallery?member={}&tag=pop", bob.id)).await;
    assert!(html.contains("Songs by Bob the Bard."), "{html}");
    assert!(html.contains("Songs tagged “pop”."), "{html}");
    assert!(html.contains("name=\"tag\" value=\"pop\""), "{html}");
    assert!(html.contains(&format!("<option value=\"{}\" selected>", bob.id)));
    assert!(html.contains("href=\"/gallery?tag=pop\""), "{html}");
    let html = page(&mut carol, "/gallery?q=zephyrquill").await;
    assert!(html.contains("value=\"zephyrquill\""), "{html}");
}

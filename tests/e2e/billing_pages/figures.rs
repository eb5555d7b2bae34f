//! The page's figures are the ledger's, after real requests through the API
//! and the simulator; the month picker; the ledger table.

use chorus_core::Micros;
use chorus_core::billing::refund::refund_generation;
use chorus_core::billing::{dashboard, zone};
use reqwest::StatusCode;
use serde_json::json;

use super::{figure, ledger_rows, page, signed_in, this_month};
use crate::helpers::spawn_app;
use crate::pipeline::members::{admin, describe};

/// Undoes askama's escaping (`&#60;` or `&lt;`).
fn unescape(text: &str) -> String {
    [
        ("&#60;", "<"),
        ("&lt;", "<"),
        ("&#62;", ">"),
        ("&gt;", ">"),
        ("&#34;", "\""),
        ("&quot;", "\""),
        ("&#39;", "'"),
        ("&#38;", "&"),
        ("&amp;", "&"),
    ]
    .iter()
    .fold(text.to_owned(), |text, (from, to)| text.replace(from, to))
}

#[tokio::test]
async fn three_songs_and_a_refund_show_as_the_ledger_says() {
    let app = spawn_app().await;
    let boss = admin(&app, "boss@example.com").await;
    let (ada, mut browser) = signed_in(&app, "ada@example.com", Some(Micros(1_000_000))).await;
    let mut songs = Vec::new();
    for _ in 0..3 {
        let id = app.request_song(&ada, &describe()).await;
        songs.push(id);
    }
    for id in &songs {
        app.finished(&ada, *id).await;
    }
    refund_generation(
        app.env.db.pool(),
        boss.id,
        songs[1],
        None,
        "a glitch at 0:42",
    )
    .await
    .unwrap();
    app.changed_behind_the_app().await;

    let html = page(&mut browser, "/billing").await;
    assert_eq!(figure(&html, "spent"), "USD 0.07");
    assert_eq!(figure(&html, "reserved"), "USD 0.00");
    assert_eq!(figure(&html, "budget"), "USD 1.00");
    assert_eq!(figure(&html, "remaining"), "USD 0.93");
    assert_eq!(figure(&html, "songs_made"), "3");
    // The same figures as the domain reads them from the totals.
    let month = this_month(&app).await;
    let shown = dashboard::member_month(app.env.db.pool(), ada.id, month)
        .await
        .unwrap();
    assert_eq!(
        (shown.spent, shown.reserved, shown.songs_made),
        (Micros(70_000), Micros::ZERO, 3)
    );

    let rows = ledger_rows(&html);
    let ledger: Vec<(String, i64, Option<String>, String)> = sqlx::query_as(
        "SELECT l.kind, l.amount_micros, l.note, COALESCE(g.title, g.topic)
         FROM ledger l JOIN generations g ON g.id = l.generation_id
         WHERE l.user_id = $1 ORDER BY l.billing_day DESC, l.id DESC",
    )
    .bind(ada.id)
    .fetch_all(app.env.db.pool())
    .await
    .unwrap();
    assert_eq!(rows.len(), 7, "3 reserves, 3 charges, 1 refund: {rows:?}");
    assert_eq!(rows.len(), ledger.len());
    for (row, (kind, amount, note, song)) in rows.iter().zip(&ledger) {
        let label = match kind.as_str() {
            "reserve" => "Reserved",
            "charge" => "Charged",
            "refund" => "Refunded",
            other => panic!("unexpected {other}"),
        };
        assert_eq!(row[2], label, "{row:?}");
        assert_eq!(row[3], format!("USD {}", Micros(*amount)), "{row:?}");
        assert_eq!(row[4], note.clone().unwrap_or_default(), "{row:?}");
        assert_eq!(&row[1], song);
    }
    assert!(
        rows.iter()
            .any(|r| r[2] == "Refunded" && r[3] == "USD -0.035")
    );
    for id in &songs {
        assert!(html.contains(&format!("<a href=\"/songs/{id}\">")), "{id}");
    }
    // Charts, with their figures as text.
    assert_eq!(html.matches("<svg ").count(), 2);
    assert!(html.contains("role=\"img\""));
    assert!(html.contains("<title id=\"daily-title\">Spend per day,"));
    assert!(
        html.contains("<td class=\"amount\">USD 0.07</td>"),
        "{html}"
    );
    let export = format!("/billing/export.csv?month={}", zone::month_label(month));
    assert!(html.contains(&format!("href=\"{export}\"")));
    // No later month than this one.
    assert!(!html.contains(&format!(
        "/billing?month={}",
        zone::month_label(zone::next_month(month))
    )));
}

#[tokio::test]
async fn a_past_month_without_activity_shows_zeros() {
    let app = spawn_app().await;
    let (ada, mut browser) = signed_in(&app, "ada@example.com", None).await;
    let song = app.request_song(&ada, &describe()).await;
    app.finished(&ada, song).await;

    let html = page(&mut browser, "/billing?month=2020-01").await;
    assert!(html.contains("January 2020"), "{html}");
    for name in ["spent", "reserved"] {
        assert_eq!(figure(&html, name), "USD 0.00");
    }
    assert_eq!(figure(&html, "remaining"), "No budget");
    assert_eq!(figure(&html, "songs_made"), "0");
    assert!(ledger_rows(&html).is_empty());
    assert!(html.contains("Nothing was charged or reserved in January 2020."));
    assert!(html.contains("href=\"/billing?month=2019-12\""));
    assert!(html.contains("href=\"/billing?month=2020-02\""));
    assert!(html.contains("value=\"2020-01\""));
    assert!(!html.contains(&song.to_string()));
}

#[tokio::test]
async fn a_malformed_month_is_a_clear_error() {
    let app = spawn_app().await;
    let (_, mut browser) = signed_in(&app, "ada@example.com", None).await;
    for path in [
        "/billing?month=2026-13",
        "/billing?month=last",
        "/billing?month=%3Cscript%3E",
        "/billing/export.csv?month=2026-1",
    ] {
        let response = browser.get(path).await;
        assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{path}");
        let html = response.text().await.unwrap();
        assert!(html.contains("Not a month"), "{path}: {html}");
        assert!(html.contains("for example 2026-11"), "{path}");
        assert!(!html.contains("<script>"), "{path}");
    }
}

#[tokio::test]
async fn markup_in_a_song_title_is_escaped_in_the_ledger() {
    let app = spawn_app().await;
    let (ada, mut browser) = signed_in(&app, "ada@example.com", None).await;
    let body = json!({"mode": "custom", "tags": "pop", "lyrics": "la la",
                      "title": "<script>alert(1)</script>"});
    let id = app.request_song(&ada, &body).await;
    app.finished(&ada, id).await;

    let html = page(&mut browser, "/billing").await;
    assert!(!html.contains("<script>alert(1)"), "{html}");
    let rows = ledger_rows(&html);
    assert!(
        rows.iter()
            .all(|row| unescape(&row[1]) == "<script>alert(1)</script>"),
        "{rows:?}"
    );
}

#[tokio::test]
async fn the_ledger_pages_back_through_older_lines() {
    let app = spawn_app().await;
    let (ada, mut browser) = signed_in(&app, "ada@example.com", None).await;
    // 13 songs: 26 lines, one more than a page.
    let mut songs = Vec::new();
    for _ in 0..13 {
        songs.push(app.request_song(&ada, &describe()).await);
    }
    for id in &songs {
        app.finished(&ada, *id).await;
    }
    let first = page(&mut browser, "/billing").await;
    assert_eq!(ledger_rows(&first).len(), 25);
    let marker = "href=\"/billing?month=";
    let older = first
        .match_indices(marker)
        .map(|(at, _)| {
            let rest = &first[at + 6..];
            unescape(&rest[..rest.find('"').unwrap()])
        })
        .find(|href| href.contains("after="))
        .expect("an older link");
    let second = page(&mut browser, &older).await;
    let rows = ledger_rows(&second);
    assert_eq!(rows.len(), 1, "{rows:?}");
    // The oldest line: the first song's reservation.
    assert_eq!(rows[0][2], "Reserved");
    assert!(second.contains("Newest lines"));
    assert!(!second.contains("after="));
}

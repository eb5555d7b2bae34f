//! The CSV export: the member's own lines of the month, oldest first, each
//! field as the ledger has it, quoted where CSV needs it.

use chorus_core::Micros;
use chorus_core::billing::refund::refund_generation;
use chorus_core::billing::statement::CSV_HEADER;
use chorus_core::billing::zone;
use reqwest::StatusCode;
use reqwest::header::{CONTENT_DISPOSITION, CONTENT_TYPE};
use serde_json::json;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use uuid::Uuid;

use super::{signed_in, this_month};
use crate::helpers::spawn_app;
use crate::pipeline::members::{admin, describe};

/// RFC 4180 fields of one line (without its CRLF).
fn fields(line: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(std::mem::take(&mut field)),
            (c, _) => field.push(c),
        }
    }
    fields.push(field);
    fields
}

#[tokio::test]
async fn the_export_is_the_members_ledger_line_by_line() {
    let app = spawn_app().await;
    let boss = admin(&app, "boss@example.com").await;
    let (ada, mut browser) = signed_in(&app, "ada@example.com", None).await;
    let (bob, _) = signed_in(&app, "bob@example.com", None).await;
    let hello = json!({"mode": "custom", "tags": "pop", "lyrics": "la la",
                       "title": "Hello, \"world\""});
    let first = app.request_song(&ada, &hello).await;
    let second = app.request_song(&ada, &describe()).await;
    let bobs = app.request_song(&bob, &describe()).await;
    for (who, id) in [(&ada, first), (&ada, second), (&bob, bobs)] {
        app.finished(who, id).await;
    }
    refund_generation(
        app.env.db.pool(),
        boss.id,
        first,
        Some(Micros(10_000)),
        "=cmd, \"loud\"",
    )
    .await
    .unwrap();
    app.changed_behind_the_app().await;

    let month = zone::month_label(this_month(&app).await);
    let response = browser
        .get(&format!("/billing/export.csv?month={month}"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.headers()[CONTENT_TYPE], "text/csv; charset=utf-8");
    assert_eq!(
        response.headers()[CONTENT_DISPOSITION],
        format!("attachment; filename=\"chorus-ledger-{month}.csv\"").as_str()
    );
    let csv = response.text().await.unwrap();
    assert!(csv.starts_with(CSV_HEADER));
    assert_eq!(
        CSV_HEADER,
        "date,recorded_at,member,song_id,song,kind,amount_usd,note,by_admin\r\n"
    );
    // The quoting, as a spreadsheet reads it.
    assert!(csv.contains(",\"Hello, \"\"world\"\"\","), "{csv}");
    assert!(csv.contains(",\"'=cmd, \"\"loud\"\"\","), "{csv}");

    type Row = (
        time::Date,
        OffsetDateTime,
        Uuid,
        String,
        String,
        i64,
        Option<String>,
    );
    let ledger: Vec<Row> = sqlx::query_as(
        "SELECT l.billing_day, l.created_at, l.generation_id, COALESCE(g.title, g.topic),
                l.kind, l.amount_micros, l.note
         FROM ledger l JOIN generations g ON g.id = l.generation_id
         WHERE l.user_id = $1 ORDER BY l.billing_day, l.id",
    )
    .bind(ada.id)
    .fetch_all(app.env.db.pool())
    .await
    .unwrap();
    assert!(csv.ends_with("\r\n"));
    let lines: Vec<&str> = csv.trim_end_matches("\r\n").split("\r\n").skip(1).collect();
    // Two reserves, two charges, one refund; none of Bob's.
    assert_eq!(lines.len(), 5, "{csv}");
    assert_eq!(lines.len(), ledger.len());
    assert!(!csv.contains("bob@example.com") && !csv.contains(&bobs.to_string()));
    for (line, (day, at, song_id, title, kind, amount, note)) in lines.iter().zip(&ledger) {
        let f = fields(line);
        assert_eq!(f.len(), 9, "{line}");
        assert_eq!(f[0], day.to_string());
        let recorded = OffsetDateTime::parse(&f[1], &Rfc3339).unwrap();
        assert_eq!(recorded.unix_timestamp(), at.unix_timestamp(), "{line}");
        assert_eq!(f[2], "ada@example.com");
        assert_eq!(f[3], song_id.to_string());
        assert_eq!(f[4], *title);
        assert_eq!(f[5], *kind);
        assert_eq!(f[6], Micros(*amount).to_string());
        // A formula-like note is defused with a leading quote.
        let expected_note = match note.as_deref() {
            Some(n) if n.starts_with(['=', '+', '-', '@', '\t', '\r']) => format!("'{n}"),
            other => other.unwrap_or_default().to_owned(),
        };
        assert_eq!(f[7], expected_note, "{line}");
        let by = if kind == "refund" {
            "boss@example.com"
        } else {
            ""
        };
        assert_eq!(f[8], by, "{line}");
    }
    let amounts: Vec<String> = lines.iter().map(|l| fields(l)[6].clone()).collect();
    assert_eq!(
        amounts.iter().filter(|a| *a == "0.035").count(),
        4,
        "{amounts:?}"
    );
    assert!(amounts.contains(&"-0.01".to_owned()), "{amounts:?}");

    // A month without lines is the header alone.
    let empty = browser.get("/billing/export.csv?month=2020-01").await;
    assert_eq!(
        empty.headers()[CONTENT_DISPOSITION],
        "attachment; filename=\"chorus-ledger-2020-01.csv\""
    );
    assert_eq!(empty.text().await.unwrap(), CSV_HEADER);
}

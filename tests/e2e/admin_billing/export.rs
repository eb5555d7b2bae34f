//! The team's CSV: every ledger row of the month, both members', oldest
//! first, checked line by line against the ledger.

use chorus_core::Micros;
use chorus_core::billing::statement::CSV_HEADER;
use reqwest::StatusCode;
use uuid::Uuid;

use super::{ADA, BOB, BOSS, team_with_worker};

#[tokio::test]
async fn the_team_csv_holds_every_ledger_row_of_the_month_line_by_line() {
    let team = team_with_worker().await;
    let ada_song = team.song(&team.ada, "completed").await;
    let bob_song = team.song(&team.bob, "completed").await;
    team.songs_fail_from_now_on();
    let failed = team.song(&team.bob, "failed").await;
    team.app
        .all_settled(std::time::Duration::from_secs(20))
        .await;
    let month = team.this_month().await;

    let mut boss = team.signed_in(BOSS).await;
    let response = boss
        .get(&format!("/admin/billing/export.csv?month={month}"))
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    let headers = response.headers().clone();
    assert_eq!(headers["content-type"], "text/csv; charset=utf-8");
    assert_eq!(
        headers["content-disposition"],
        format!("attachment; filename=\"chorus-team-ledger-{month}.csv\"").as_str()
    );
    let body = response.text().await.unwrap();
    assert!(body.starts_with(CSV_HEADER), "{body}");
    let lines: Vec<&str> = body.split("\r\n").collect();
    assert_eq!(lines.last(), Some(&""), "every line ends with CRLF");
    let rows: Vec<Vec<String>> = lines[1..lines.len() - 1]
        .iter()
        .map(|line| fields(line))
        .collect();

    // The ledger, in the export's order.
    let ledger: Vec<(String, String, Option<Uuid>, String, i64)> = sqlx::query_as(
        "SELECT l.billing_day::text, u.email, l.generation_id, l.kind, l.amount_micros
         FROM ledger l JOIN users u ON u.id = l.user_id ORDER BY l.billing_day, l.id",
    )
    .fetch_all(team.pool())
    .await
    .unwrap();
    assert_eq!(rows.len(), ledger.len(), "{body}");
    for (row, (day, email, song, kind, amount)) in rows.iter().zip(&ledger) {
        assert_eq!(row.len(), 9, "{row:?}");
        assert_eq!(&row[0], day);
        assert_eq!(&row[2], email);
        assert_eq!(row[3], song.map(|id| id.to_string()).unwrap_or_default());
        assert_eq!(&row[5], kind);
        assert_eq!(row[6], Micros(*amount).to_string());
    }

    // By song: what each one moved, in order.
    let of = |song: Uuid| -> Vec<(&str, &str, &str)> {
        rows.iter()
            .filter(|row| row[3] == song.to_string())
            .map(|row| (row[2].as_str(), row[5].as_str(), row[6].as_str()))
            .collect()
    };
    assert_eq!(
        of(ada_song),
        [(ADA, "reserve", "0.035"), (ADA, "charge", "0.035"),]
    );
    assert_eq!(
        of(bob_song),
        [(BOB, "reserve", "0.035"), (BOB, "charge", "0.035"),]
    );
    assert_eq!(
        of(failed),
        [
            (BOB, "reserve", "0.035"),
            (BOB, "charge", "0.035"),
            (BOB, "refund", "-0.035"),
        ]
    );
    assert!(rows.iter().all(|row| row[0].starts_with(&month)));

    // Another month's file is the header alone.
    let body = boss
        .get("/admin/billing/export.csv?month=2001-01")
        .await
        .text()
        .await
        .unwrap();
    assert_eq!(body, CSV_HEADER);
}

#[tokio::test]
async fn a_month_of_thousands_of_lines_streams_whole_and_in_order() {
    let team = super::team_without_worker().await;
    // Adjustments written behind the app, spread over January's days: two
    // full pages of the export exactly, so the last page is empty.
    sqlx::query(
        "INSERT INTO ledger (user_id, kind, amount_micros, note, created_by, billing_day)
         SELECT CASE WHEN i % 2 = 0 THEN $1 ELSE $2 END, 'adjustment', i, 'line ' || i, $3,
                DATE '2026-01-01' + (i % 31)
         FROM generate_series(1, 2000) AS i",
    )
    .bind(team.ada.id)
    .bind(team.bob.id)
    .bind(team.boss.id)
    .execute(team.pool())
    .await
    .unwrap();
    let mut boss = team.signed_in(BOSS).await;
    let response = boss.get("/admin/billing/export.csv?month=2026-01").await;
    assert_eq!(response.status(), StatusCode::OK);
    let body = response.text().await.unwrap();
    let rows: Vec<Vec<String>> = body
        .strip_prefix(CSV_HEADER)
        .unwrap()
        .split_terminator("\r\n")
        .map(fields)
        .collect();
    assert_eq!(rows.len(), 2000);
    let numbers: Vec<i64> = sqlx::query_scalar(
        "SELECT amount_micros FROM ledger WHERE billing_day >= '2026-01-01' AND billing_day < '2026-02-01'
         ORDER BY billing_day, id",
    )
    .fetch_all(team.pool())
    .await
    .unwrap();
    let shown: Vec<i64> = rows
        .iter()
        .map(|row| row[7].strip_prefix("line ").unwrap().parse().unwrap())
        .collect();
    assert_eq!(shown, numbers, "every line once, in the ledger's order");
    assert!(
        rows.iter()
            .all(|row| row[5] == "adjustment" && row[8] == BOSS)
    );
    assert!(
        rows.windows(2).all(|pair| pair[0][0] <= pair[1][0]),
        "by day"
    );
}

/// A CSV line's fields (RFC 4180 quoting; no line breaks inside fields
/// here).
fn fields(line: &str) -> Vec<String> {
    let mut fields = vec![String::new()];
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                fields.last_mut().unwrap().push('"');
            }
            ('"', _) => quoted = !quoted,
            (',', false) => fields.push(String::new()),
            (c, _) => fields.last_mut().unwrap().push(c),
        }
    }
    fields
}

#[test]
fn csv_fields_are_read_with_their_quotes() {
    assert_eq!(fields("a,\"b, \"\"c\"\"\",,d"), ["a", "b, \"c\"", "", "d"]);
}

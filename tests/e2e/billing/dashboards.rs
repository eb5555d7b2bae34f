//! The dashboards' queries read the totals and the rollup; here they are
//! compared with the same figures recomputed from the ledger itself.

use chorus_core::Micros;
use chorus_core::billing::statement::{self, ExportScope, LedgerCursor};
use chorus_core::billing::{dashboard, team_view, zone};
use sqlx::PgPool;
use time::Date;
use uuid::Uuid;

use super::driver::Driver;

/// (spent, reserved) of a member's month, from the ledger.
async fn ledger_month(pool: &PgPool, user_id: Uuid, month: Date) -> (i64, i64) {
    sqlx::query_as(
        "SELECT COALESCE(SUM(amount_micros) FILTER (WHERE kind IN ('charge', 'refund', 'adjustment')), 0)::BIGINT,
                COALESCE(SUM(CASE kind WHEN 'charge' THEN -amount_micros WHEN 'reserve' THEN amount_micros
                                       WHEN 'release' THEN amount_micros ELSE 0 END), 0)::BIGINT
         FROM ledger WHERE user_id = $1 AND billing_day >= $2 AND billing_day < $3",
    )
    .bind(user_id)
    .bind(month)
    .bind(zone::next_month(month))
    .fetch_one(pool)
    .await
    .unwrap()
}

/// Ledger ids of a month, oldest first by (day, id); one member's or all.
async fn ledger_ids(pool: &PgPool, user_id: Option<Uuid>, month: Date) -> Vec<i64> {
    sqlx::query_scalar(
        "SELECT id FROM ledger WHERE ($1::uuid IS NULL OR user_id = $1)
           AND billing_day >= $2 AND billing_day < $3 ORDER BY billing_day, id",
    )
    .bind(user_id)
    .bind(month)
    .bind(zone::next_month(month))
    .fetch_all(pool)
    .await
    .unwrap()
}

async fn exported_ids(pool: &PgPool, scope: ExportScope, month: Date) -> Vec<i64> {
    let mut ids = Vec::new();
    let mut after = None;
    loop {
        let page = statement::export_page(pool, scope, month, after, 5)
            .await
            .unwrap();
        ids.extend(page.iter().map(|l| l.id));
        after = statement::cursor_after(&page);
        if page.len() < 5 {
            return ids;
        }
    }
}

/// Every dashboard figure of `month` equals the ledger's.
pub async fn assert_dashboards_match_ledger(pool: &PgPool, month: Date) {
    let users: Vec<(Uuid, Option<i64>)> =
        sqlx::query_as("SELECT id, monthly_budget_micros FROM users ORDER BY id")
            .fetch_all(pool)
            .await
            .unwrap();
    let (mut team_spent, mut team_reserved) = (0, 0);
    for (user_id, budget) in &users {
        let (spent, reserved) = ledger_month(pool, *user_id, month).await;
        team_spent += spent;
        team_reserved += reserved;
        let shown = dashboard::member_month(pool, *user_id, month)
            .await
            .unwrap();
        assert_eq!(
            (shown.spent, shown.reserved),
            (Micros(spent), Micros(reserved)),
            "{user_id}"
        );
        assert_eq!(shown.budget, budget.map(Micros));
        assert_eq!(
            shown.remaining,
            budget.map(|b| Micros((b - spent - reserved).max(0)))
        );
        let (requests, songs): (i64, i64) = sqlx::query_as(
            "SELECT count(*),
                    count(*) FILTER (WHERE status <> 'failed' AND EXISTS
                        (SELECT 1 FROM ledger WHERE generation_id = g.id AND kind = 'charge'))
             FROM generations g WHERE user_id = $1 AND billing_month = $2
               AND EXISTS (SELECT 1 FROM ledger WHERE generation_id = g.id AND kind = 'reserve')",
        )
        .bind(user_id)
        .bind(month)
        .fetch_one(pool)
        .await
        .unwrap();
        assert_eq!(
            (shown.requests, shown.songs_made),
            (requests, songs),
            "{user_id}"
        );

        let days = dashboard::member_daily(pool, *user_id, month)
            .await
            .unwrap();
        let expected_days = (zone::next_month(month) - month).whole_days();
        assert_eq!(days.len() as i64, expected_days);
        assert!(
            days.windows(2)
                .all(|w| w[1].date == w[0].date.next_day().unwrap())
        );
        assert_eq!(days.iter().map(|d| d.spent.as_i64()).sum::<i64>(), spent);
        let months = dashboard::member_monthly(pool, *user_id, month, 12)
            .await
            .unwrap();
        assert_eq!(months.len(), 12);
        assert_eq!(months[11].date, month);
        assert_eq!(months[11].spent, Micros(spent));

        // Newest first, page by page, every line exactly once.
        let mut paged = Vec::new();
        let mut after: Option<LedgerCursor> = None;
        loop {
            let page = statement::ledger_page(pool, *user_id, month, after, 7)
                .await
                .unwrap();
            paged.extend(page.lines.iter().map(|l| l.id));
            match page.next {
                Some(next) => after = Some(next),
                None => break,
            }
        }
        let mut newest_first = ledger_ids(pool, Some(*user_id), month).await;
        newest_first.reverse();
        assert_eq!(paged, newest_first, "{user_id}: ledger pages");
        assert_eq!(
            exported_ids(pool, ExportScope::Member(*user_id), month).await,
            ledger_ids(pool, Some(*user_id), month).await
        );
    }
    assert_eq!(
        exported_ids(pool, ExportScope::Team, month).await,
        ledger_ids(pool, None, month).await
    );

    let team = team_view::team_month(pool, month).await.unwrap();
    assert_eq!(
        (team.spent, team.reserved),
        (Micros(team_spent), Micros(team_reserved))
    );
    let (charged, refunded, adjusted): (i64, i64, i64) = sqlx::query_as(
        "SELECT COALESCE(SUM(amount_micros) FILTER (WHERE kind = 'charge'), 0)::BIGINT,
                COALESCE(-SUM(amount_micros) FILTER (WHERE kind = 'refund'), 0)::BIGINT,
                COALESCE(SUM(amount_micros) FILTER (WHERE kind = 'adjustment'), 0)::BIGINT
         FROM ledger WHERE billing_day >= $1 AND billing_day < $2",
    )
    .bind(month)
    .bind(zone::next_month(month))
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(
        (team.charged, team.refunded, team.adjusted),
        (Micros(charged), Micros(refunded), Micros(adjusted))
    );
    let (tasks, task_cost): (i64, i64) = sqlx::query_as(
        "SELECT count(*), COALESCE(SUM(price_micros), 0)::BIGINT FROM generations
         WHERE task_id IS NOT NULL AND billing_month = $1",
    )
    .bind(month)
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(
        (team.vendor_tasks, team.vendor_task_cost),
        (tasks, Micros(task_cost))
    );

    let members = team_view::members_month(pool, month).await.unwrap();
    assert_eq!(members.len(), users.len());
    for m in &members {
        let (spent, reserved) = ledger_month(pool, m.user_id, month).await;
        assert_eq!(
            (m.spent, m.reserved),
            (Micros(spent), Micros(reserved)),
            "{}",
            m.email
        );
    }
    let top = team_view::top_spenders(pool, month, 2).await.unwrap();
    let mut expected: Vec<_> = members.iter().filter(|m| m.spent > Micros::ZERO).collect();
    expected.sort_by(|a, b| b.spent.cmp(&a.spent).then(a.email.cmp(&b.email)));
    let expected: Vec<Uuid> = expected.iter().take(2).map(|m| m.user_id).collect();
    assert_eq!(top.iter().map(|m| m.user_id).collect::<Vec<_>>(), expected);
}

#[tokio::test]
async fn a_members_month_shows_every_day_and_its_csv_lists_every_movement() {
    let driver = Driver::new().await;
    let ada = driver.user("ada", false, Some(Micros(100_000))).await;
    let first = driver.create(ada, Micros(35_000)).await.unwrap().ticket.id;
    let second = driver.create(ada, Micros(35_000)).await.unwrap().ticket.id;
    driver.accept(first).await;
    driver.refuse(second).await;
    let month = zone::this_month(driver.pool(), &driver.zone).await.unwrap();

    let shown = dashboard::member_month(driver.pool(), ada, month)
        .await
        .unwrap();
    assert_eq!(shown.spent, Micros(35_000));
    assert_eq!(shown.reserved, Micros::ZERO);
    assert_eq!(shown.remaining, Some(Micros(65_000)));
    assert_eq!(shown.requests, 2);

    let lines = statement::export_page(driver.pool(), ExportScope::Member(ada), month, None, 100)
        .await
        .unwrap();
    let csv: Vec<String> = lines.iter().map(|l| l.csv_line()).collect();
    let kinds: Vec<&str> = csv.iter().map(|l| l.split(',').nth(5).unwrap()).collect();
    assert_eq!(kinds, ["reserve", "reserve", "charge", "release"]);
    let amounts: Vec<&str> = csv.iter().map(|l| l.split(',').nth(6).unwrap()).collect();
    assert_eq!(amounts, ["0.035", "0.035", "0.035", "-0.035"]);
    assert!(
        csv.iter()
            .all(|l| l.contains("ada@example.com") && l.ends_with("\r\n"))
    );
    assert!(csv[3].contains("refused upstream"), "{}", csv[3]);
    assert!(
        statement::CSV_HEADER.starts_with("date,recorded_at,member,song_id,song,kind,amount_usd")
    );
    assert_dashboards_match_ledger(driver.pool(), month).await;
}

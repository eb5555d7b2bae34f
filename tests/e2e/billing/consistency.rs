//! The ledger is the truth; the running totals and the per-day rollup are
//! derived from it. These checks recompute every derived row from the
//! ledger and compare, both ways, so a missing row fails as loudly as a
//! wrong one.

use sqlx::PgPool;

/// What the ledger says each member's day should hold.
const LEDGER_DAYS: &str = "
    SELECT user_id, billing_day AS day,
           COALESCE(SUM(CASE kind WHEN 'charge' THEN -amount_micros WHEN 'reserve' THEN amount_micros
                                  WHEN 'release' THEN amount_micros END), 0)::BIGINT AS reserved,
           COALESCE(SUM(amount_micros) FILTER (WHERE kind = 'charge'), 0)::BIGINT AS charged,
           COALESCE(SUM(amount_micros) FILTER (WHERE kind = 'refund'), 0)::BIGINT AS refunded,
           COALESCE(SUM(amount_micros) FILTER (WHERE kind = 'adjustment'), 0)::BIGINT AS adjusted,
           count(*) FILTER (WHERE kind = 'reserve') AS requests,
           count(*) FILTER (WHERE kind = 'charge')
               - count(*) FILTER (WHERE kind = 'refund' AND created_by IS NULL) AS songs
    FROM ledger GROUP BY user_id, billing_day";

const ROLLUP_DAYS: &str = "
    SELECT user_id, day, reserved_micros, charged_micros, refunded_micros, adjusted_micros,
           requests::BIGINT, songs::BIGINT
    FROM usage_days
    WHERE (reserved_micros, charged_micros, refunded_micros, adjusted_micros, requests, songs)
          <> (0, 0, 0, 0, 0, 0)";

const LEDGER_MONTHS: &str = "
    SELECT user_id, date_trunc('month', billing_day)::date AS month,
           COALESCE(SUM(amount_micros) FILTER (WHERE kind IN ('charge', 'refund', 'adjustment')), 0)::BIGINT AS spent,
           COALESCE(SUM(CASE kind WHEN 'charge' THEN -amount_micros WHEN 'reserve' THEN amount_micros
                                  WHEN 'release' THEN amount_micros ELSE 0 END), 0)::BIGINT AS reserved
    FROM ledger GROUP BY 1, 2";

const TEAM_FROM_LEDGER: &str = "
    SELECT date_trunc('month', billing_day)::date AS month,
           COALESCE(SUM(amount_micros) FILTER (WHERE kind IN ('charge', 'refund', 'adjustment')), 0)::BIGINT AS spent,
           COALESCE(SUM(CASE kind WHEN 'charge' THEN -amount_micros WHEN 'reserve' THEN amount_micros
                                  WHEN 'release' THEN amount_micros ELSE 0 END), 0)::BIGINT AS reserved
    FROM ledger GROUP BY 1";

/// Rows in one query's result and not the other's, both ways.
async fn difference(pool: &PgPool, left: &str, right: &str) -> Vec<String> {
    let sql = format!(
        "SELECT 'only in derived: ' || row(d.*)::text FROM (({left}) EXCEPT ({right})) d
         UNION ALL
         SELECT 'only in ledger: ' || row(l.*)::text FROM (({right}) EXCEPT ({left})) l"
    );
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .fetch_all(pool)
        .await
        .unwrap()
}

/// Rollup days, monthly totals and team totals all equal the ledger, and
/// each day's song count equals its songs made.
pub async fn assert_derived_money_matches_ledger(pool: &PgPool) {
    let days = difference(pool, ROLLUP_DAYS, LEDGER_DAYS).await;
    assert!(
        days.is_empty(),
        "usage_days differs from the ledger: {days:#?}"
    );

    let months = difference(
        pool,
        "SELECT user_id, month, spent_micros, reserved_micros FROM usage_months
         WHERE (spent_micros, reserved_micros) <> (0, 0)",
        &format!("SELECT * FROM ({LEDGER_MONTHS}) m WHERE (m.spent, m.reserved) <> (0, 0)"),
    )
    .await;
    assert!(
        months.is_empty(),
        "usage_months differs from the ledger: {months:#?}"
    );

    let team = difference(
        pool,
        "SELECT month, spent_micros, reserved_micros FROM team_usage_months
         WHERE (spent_micros, reserved_micros) <> (0, 0)",
        &format!("SELECT * FROM ({TEAM_FROM_LEDGER}) t WHERE (t.spent, t.reserved) <> (0, 0)"),
    )
    .await;
    assert!(
        team.is_empty(),
        "team_usage_months differs from the ledger: {team:#?}"
    );

    // Songs made: charged, and not failed (completed, or still being made).
    let songs = difference(
        pool,
        "SELECT user_id, day, songs::BIGINT FROM usage_days WHERE songs <> 0",
        "SELECT user_id, billing_day, count(*) FROM generations g
         WHERE status <> 'failed'
           AND EXISTS (SELECT 1 FROM ledger WHERE generation_id = g.id AND kind = 'charge')
         GROUP BY 1, 2",
    )
    .await;
    assert!(
        songs.is_empty(),
        "usage_days.songs differs from the songs made: {songs:#?}"
    );

    let strays: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM ledger l JOIN generations g ON g.id = l.generation_id
         WHERE l.billing_day <> g.billing_day OR l.user_id <> g.user_id",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    assert_eq!(
        strays, 0,
        "ledger rows must count on their generation's day"
    );
}

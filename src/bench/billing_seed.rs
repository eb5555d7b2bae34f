//! Seeds a scratch database for the billing dashboards' benchmark: a year
//! of money across many members, about `ledger_rows` ledger rows (exactly,
//! with a few refunds by hand to make up the count), written with
//! set-based SQL, then the rollup and the totals recomputed from the ledger
//! so they agree with it as if every row had been written one by one.
//!
//! Each request is reserved then charged; one in twenty fails after it was
//! accepted (and is refunded), one in twenty is refused (and released).

use chorus_core::Micros;
use chorus_core::accounts::{NewUser, Role, create_user};
use chorus_core::billing::BillingZone;
use sqlx::PgPool;

use super::seed::PASSWORD;

/// What the benchmark signs in as, and what was written.
#[derive(Debug, Clone)]
pub struct BillingSeed {
    /// A member with a budget and a full year of songs.
    pub member_email: String,
    pub admin_email: String,
    pub generations: i64,
    pub ledger_rows: i64,
}

/// Ledger rows per request on average: 18 × 2 (completed) + 3 (failed,
/// refunded) + 2 (refused, released), over 20.
const ROWS_PER_20_REQUESTS: i64 = 41;

/// `members` people (one of them an admin) and their last `months` months,
/// billed by calendar days in `zone`. Expects a freshly migrated database.
pub async fn seed_billing(
    pool: &PgPool,
    members: i64,
    ledger_rows: i64,
    months: i64,
    zone: &BillingZone,
) -> anyhow::Result<BillingSeed> {
    let price = Micros(35_000);
    let new_user = |email: &str, role, monthly_budget| NewUser {
        email: email.to_owned(),
        password: PASSWORD.into(),
        role,
        monthly_budget,
    };
    let member_email = "bench@chorus.invalid".to_owned();
    let admin_email = "bench-admin@chorus.invalid".to_owned();
    create_user(
        pool,
        new_user(&member_email, Role::Member, Some(Micros(50_000_000))),
    )
    .await?;
    let admin = create_user(pool, new_user(&admin_email, Role::Admin, None)).await?;
    sqlx::query(
        "INSERT INTO users (id, email, password_hash, monthly_budget_micros)
         SELECT gen_random_uuid(), 'member' || i || '@chorus.invalid', '!',
                CASE WHEN i % 2 = 0 THEN 20000000 END
         FROM generate_series(3, $1) AS i",
    )
    .bind(members)
    .execute(pool)
    .await?;
    sqlx::query("UPDATE team_settings SET monthly_cap_micros = $1")
        .bind(members * 50_000_000)
        .execute(pool)
        .await?;

    let generations = ledger_rows * 20 / ROWS_PER_20_REQUESTS;
    // Refused requests (i % 20 = 1) never got a task; failed ones (i % 20 = 0) did.
    sqlx::query(
        "INSERT INTO generations (id, user_id, mode, tags, lyrics, title, status, price_micros,
                                  billing_month, billing_day, task_id, error, created_at, updated_at,
                                  submitted_at, finished_at, next_attempt_at)
         SELECT gen_random_uuid(), members.ids[1 + i % cardinality(members.ids)], 'custom',
                'billing bench', '[Verse]' || chr(10) || 'la la la', 'Song ' || i,
                CASE WHEN i % 20 IN (0, 1) THEN 'failed' ELSE 'completed' END, $2,
                day - (EXTRACT(DAY FROM day)::int - 1), day,
                CASE WHEN i % 20 <> 1 THEN 'billing-task-' || i END,
                CASE WHEN i % 20 IN (0, 1) THEN 'failed in the benchmark' END,
                at, at, at, at, at
         FROM generate_series(1, $1) AS i,
              LATERAL (SELECT now() - make_interval(secs => i * $3 * 30 * 86400.0 / $1) AS at) AS t,
              LATERAL (SELECT billing_day(at, $4) AS day) AS d,
              (SELECT array_agg(id ORDER BY id) AS ids FROM users) AS members",
    )
    .bind(generations)
    .bind(price.as_i64())
    .bind(months)
    .bind(zone.name())
    .execute(pool)
    .await?;
    sqlx::query(
        "INSERT INTO ledger (user_id, generation_id, kind, amount_micros, note, billing_day, created_at)
         SELECT g.user_id, g.id, k.kind, k.sign * g.price_micros,
                CASE WHEN k.kind IN ('release', 'refund') THEN g.error END,
                g.billing_day, g.created_at + k.step * interval '1 minute'
         FROM generations g
         CROSS JOIN (VALUES ('reserve', 1, 0), ('charge', 1, 1), ('release', -1, 1), ('refund', -1, 2))
             AS k(kind, sign, step)
         WHERE g.tags = 'billing bench'
           AND (k.kind = 'reserve'
                OR (k.kind = 'charge' AND g.task_id IS NOT NULL)
                OR (k.kind = 'release' AND g.task_id IS NULL)
                OR (k.kind = 'refund' AND g.task_id IS NOT NULL AND g.status = 'failed'))
         ORDER BY g.created_at, k.step",
    )
    .execute(pool)
    .await?;
    // Make up the exact count with small refunds by hand on completed songs.
    sqlx::query(
        "INSERT INTO ledger (user_id, generation_id, kind, amount_micros, note, created_by, billing_day, created_at)
         SELECT g.user_id, g.id, 'refund', -1000, 'goodwill', $2, g.billing_day, g.created_at + interval '1 day'
         FROM generations g WHERE g.status = 'completed' AND g.tags = 'billing bench'
         ORDER BY g.created_at DESC
         LIMIT GREATEST(0, $1 - (SELECT count(*) FROM ledger))",
    )
    .bind(ledger_rows)
    .bind(admin.id)
    .execute(pool)
    .await?;
    recompute_from_ledger(pool).await?;
    sqlx::query("ANALYZE").execute(pool).await?;
    let ledger_rows: i64 = sqlx::query_scalar("SELECT count(*) FROM ledger")
        .fetch_one(pool)
        .await?;
    Ok(BillingSeed {
        member_email,
        admin_email,
        generations,
        ledger_rows,
    })
}

/// Rebuilds the rollup, the monthly totals and the vendor's days from the
/// ledger and the generations, in one transaction.
pub async fn recompute_from_ledger(pool: &PgPool) -> anyhow::Result<()> {
    let mut tx = pool.begin().await?;
    for statement in [
        "TRUNCATE usage_days, usage_months, team_usage_months, vendor_usage_days",
        "INSERT INTO usage_days (user_id, day, reserved_micros, charged_micros, refunded_micros,
                                 adjusted_micros, requests, songs)
         SELECT user_id, billing_day,
                COALESCE(SUM(CASE kind WHEN 'charge' THEN -amount_micros WHEN 'reserve' THEN amount_micros
                                       WHEN 'release' THEN amount_micros END), 0),
                COALESCE(SUM(amount_micros) FILTER (WHERE kind = 'charge'), 0),
                COALESCE(SUM(amount_micros) FILTER (WHERE kind = 'refund'), 0),
                COALESCE(SUM(amount_micros) FILTER (WHERE kind = 'adjustment'), 0),
                count(*) FILTER (WHERE kind = 'reserve'),
                count(*) FILTER (WHERE kind = 'charge')
                    - count(*) FILTER (WHERE kind = 'refund' AND created_by IS NULL)
         FROM ledger GROUP BY user_id, billing_day",
        "INSERT INTO usage_months (user_id, month, spent_micros, reserved_micros)
         SELECT user_id, date_trunc('month', day)::date,
                SUM(charged_micros + refunded_micros + adjusted_micros), SUM(reserved_micros)
         FROM usage_days GROUP BY 1, 2",
        "INSERT INTO team_usage_months (month, spent_micros, reserved_micros)
         SELECT month, SUM(spent_micros), SUM(reserved_micros) FROM usage_months GROUP BY month",
        "INSERT INTO vendor_usage_days (day, accepted_tasks, task_micros)
         SELECT billing_day, count(*), SUM(price_micros) FROM generations
         WHERE task_id IS NOT NULL GROUP BY billing_day",
    ] {
        sqlx::query(statement).execute(&mut *tx).await?;
    }
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[tokio::test]
    async fn seeds_exactly_the_rows_asked_for_with_rollups_that_match_the_ledger() {
        chorus_testkit::init();
        let db = chorus_testkit::TestDb::migrated().await;
        let pool = db.pool();
        let seeded = seed_billing(pool, 20, 5_000, 12, &BillingZone::utc())
            .await
            .unwrap();
        assert_eq!(seeded.ledger_rows, 5_000);
        let members: i64 = sqlx::query_scalar("SELECT count(DISTINCT user_id) FROM ledger")
            .fetch_one(pool)
            .await
            .unwrap();
        assert_eq!(members, 20);
        let months: i64 = sqlx::query_scalar("SELECT count(*) FROM team_usage_months")
            .fetch_one(pool)
            .await
            .unwrap();
        assert!((12..=13).contains(&months), "{months}");
        // The rollup by day and the team's totals against the ledger.
        let mismatched: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM (
                 SELECT user_id, billing_day,
                        COALESCE(SUM(amount_micros) FILTER (WHERE kind IN ('charge', 'refund', 'adjustment')), 0)
                 FROM ledger GROUP BY 1, 2
                 EXCEPT
                 SELECT user_id, day, charged_micros + refunded_micros + adjusted_micros FROM usage_days) d",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        assert_eq!(mismatched, 0);
        let (team, ledger): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT SUM(spent_micros)::BIGINT FROM team_usage_months),
                    (SELECT SUM(amount_micros)::BIGINT FROM ledger WHERE kind IN ('charge', 'refund', 'adjustment'))",
        )
        .fetch_one(pool)
        .await
        .unwrap();
        assert_eq!(team, ledger);
    }
}

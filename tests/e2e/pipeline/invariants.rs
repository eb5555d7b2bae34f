//! The money invariants, asserted after every scenario:
//! - a member's spend = the prices of their completed generations;
//! - their reservations = the prices of requests not yet accepted, so 0
//!   when nothing is in flight;
//! - the running totals equal what the ledger adds up to;
//! - the vendor's cost = the prices of accepted tasks, and no generation
//!   was ever accepted twice;
//! - the per-day rollup and the team's totals equal the ledger.

use crate::helpers::TestApp;

pub async fn assert_money_invariants(app: &TestApp) {
    let pool = app.env.db.pool();
    let members: Vec<(uuid::Uuid,)> = sqlx::query_as("SELECT id FROM users")
        .fetch_all(pool)
        .await
        .unwrap();
    for (user_id,) in members {
        let (spent, reserved): (i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(spent_micros), 0)::BIGINT, COALESCE(SUM(reserved_micros), 0)::BIGINT
             FROM usage_months WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_one(pool)
        .await
        .unwrap();
        let (completed, unaccepted): (i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(price_micros) FILTER (WHERE status = 'completed'), 0)::BIGINT,
                    COALESCE(SUM(price_micros) FILTER (WHERE status IN ('pending', 'submitting')), 0)::BIGINT
             FROM generations WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_one(pool)
        .await
        .unwrap();
        let (ledger_spent, ledger_reserved): (i64, i64) = sqlx::query_as(
            "SELECT COALESCE(SUM(amount_micros) FILTER (WHERE kind IN ('charge', 'refund', 'adjustment')), 0)::BIGINT,
                    COALESCE(SUM(CASE kind WHEN 'reserve' THEN amount_micros WHEN 'release' THEN amount_micros
                                           WHEN 'charge' THEN -amount_micros ELSE 0 END), 0)::BIGINT
             FROM ledger WHERE user_id = $1",
        )
        .bind(user_id)
        .fetch_one(pool)
        .await
        .unwrap();
        assert_eq!(
            spent, completed,
            "{user_id}: spend must equal the completed songs"
        );
        assert_eq!(
            reserved, unaccepted,
            "{user_id}: reservations must equal requests not yet accepted"
        );
        assert_eq!(
            (spent, reserved),
            (ledger_spent, ledger_reserved),
            "{user_id}: totals must match the ledger"
        );
    }
    let (accepted, accepted_micros): (i64, i64) = sqlx::query_as(
        "SELECT count(*), COALESCE(SUM(price_micros), 0)::BIGINT FROM generations WHERE task_id IS NOT NULL",
    )
    .fetch_one(pool)
    .await
    .unwrap();
    let cost = chorus_core::billing::vendor::vendor_cost(pool)
        .await
        .unwrap();
    assert_eq!(
        cost.accepted_tasks, accepted,
        "vendor tasks must equal accepted generations"
    );
    assert_eq!(
        cost.task_micros, accepted_micros,
        "vendor cost must be price x accepted tasks"
    );
    let charges: Vec<(i64,)> = sqlx::query_as(
        "SELECT count(*) FROM ledger WHERE kind = 'charge' GROUP BY generation_id HAVING count(*) > 1",
    )
    .fetch_all(pool)
    .await
    .unwrap();
    assert!(charges.is_empty(), "a generation was charged twice");
    crate::billing::consistency::assert_derived_money_matches_ledger(pool).await;
    let created = app.env.sim.handle().stats().tasks_created as i64;
    assert!(
        accepted <= created,
        "Chorus recorded {accepted} tasks but the upstream created {created}"
    );
}

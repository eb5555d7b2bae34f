//! A member's billing dashboard: the month's totals, its days, and the last
//! months, all read from the monthly totals and the per-day rollup (a few
//! dozen rows), never from a scan of the ledger.

use sqlx::PgExecutor;
use time::Date;
use uuid::Uuid;

use super::zone::{next_month, previous_month};
use crate::money::Micros;

/// A member's month at a glance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberMonth {
    pub month: Date,
    /// Charged, less refunds, plus adjustments.
    pub spent: Micros,
    /// Held for requests not yet accepted upstream.
    pub reserved: Micros,
    pub budget: Option<Micros>,
    /// What the budget still allows; `None` without a budget.
    pub remaining: Option<Micros>,
    /// Requests the budget let through.
    pub requests: i64,
    /// Songs charged for and not failed: completed, or still being made.
    pub songs_made: i64,
}

pub async fn member_month(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    month: Date,
) -> sqlx::Result<MemberMonth> {
    let (spent, reserved, budget, requests, songs): (i64, i64, Option<i64>, i64, i64) = sqlx::query_as(
        "SELECT COALESCE(u.spent_micros, 0), COALESCE(u.reserved_micros, 0), users.monthly_budget_micros,
                COALESCE(d.requests, 0)::BIGINT, COALESCE(d.songs, 0)::BIGINT
         FROM users
         LEFT JOIN usage_months u ON u.user_id = users.id AND u.month = $2
         LEFT JOIN LATERAL (SELECT SUM(requests) AS requests, SUM(songs) AS songs FROM usage_days
                            WHERE user_id = $1 AND day >= $2 AND day < $3) d ON true
         WHERE users.id = $1",
    )
    .bind(user_id)
    .bind(month)
    .bind(next_month(month))
    .fetch_one(db)
    .await?;
    Ok(MemberMonth {
        month,
        spent: Micros(spent),
        reserved: Micros(reserved),
        budget: budget.map(Micros),
        remaining: budget.map(|b| Micros((b - spent - reserved).max(0))),
        requests,
        songs_made: songs,
    })
}

/// One day (or month) of a member's spend.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Spend {
    /// The day, or the first day of the month.
    pub date: Date,
    /// charged − refunded + adjusted.
    pub spent: Micros,
    pub charged: Micros,
    /// Given back (a positive amount).
    pub refunded: Micros,
    pub adjusted: Micros,
    pub songs: i64,
}

type SpendRow = (Date, i64, i64, i64, i64);

fn spend((date, charged, refunded, adjusted, songs): SpendRow) -> Spend {
    Spend {
        date,
        spent: Micros(charged + refunded + adjusted),
        charged: Micros(charged),
        refunded: Micros(-refunded),
        adjusted: Micros(adjusted),
        songs,
    }
}

/// Every day of the month, in order, zero where nothing happened.
pub async fn member_daily(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    month: Date,
) -> sqlx::Result<Vec<Spend>> {
    let rows: Vec<SpendRow> = sqlx::query_as(
        "SELECT $2::date + i, COALESCE(d.charged_micros, 0), COALESCE(d.refunded_micros, 0),
                COALESCE(d.adjusted_micros, 0), COALESCE(d.songs, 0)::BIGINT
         FROM generate_series(0, $3::date - $2::date - 1) AS i
         LEFT JOIN usage_days d ON d.user_id = $1 AND d.day = $2::date + i
         ORDER BY i",
    )
    .bind(user_id)
    .bind(month)
    .bind(next_month(month))
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(spend).collect())
}

/// The `count` months up to and including `last`, oldest first.
pub fn months_up_to(last: Date, count: usize) -> Vec<Date> {
    let mut months = vec![last];
    for _ in 1..count {
        let earliest = months[months.len() - 1];
        months.push(previous_month(earliest));
    }
    months.reverse();
    months
}

/// The `count` months up to `last`, oldest first, zero where nothing happened.
pub async fn member_monthly(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    last: Date,
    count: usize,
) -> sqlx::Result<Vec<Spend>> {
    let months = months_up_to(last, count);
    let rows: Vec<SpendRow> = sqlx::query_as(
        "SELECT m, COALESCE(SUM(d.charged_micros), 0)::BIGINT, COALESCE(SUM(d.refunded_micros), 0)::BIGINT,
                COALESCE(SUM(d.adjusted_micros), 0)::BIGINT, COALESCE(SUM(d.songs), 0)::BIGINT
         FROM unnest($2::date[]) AS m
         LEFT JOIN usage_days d ON d.user_id = $1 AND d.day >= m AND d.day < (m + interval '1 month')::date
         GROUP BY m ORDER BY m",
    )
    .bind(user_id)
    .bind(&months)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().map(spend).collect())
}

//! The vendor-side cost, kept apart from what members are charged: the
//! vendor bills every accepted task whatever became of it.

use sqlx::PgExecutor;
use time::Date;

use super::zone::BillingZone;
use crate::money::Micros;

/// Counts an accepted task on its generation's billing day, so a month's
/// vendor cost sits next to that month's member charges.
pub(crate) async fn record_accepted_task(
    db: impl PgExecutor<'_>,
    price: Micros,
    day: Date,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO vendor_usage_days (day, accepted_tasks, task_micros) VALUES ($2, 1, $1)
         ON CONFLICT (day) DO UPDATE SET accepted_tasks = vendor_usage_days.accepted_tasks + 1,
                                         task_micros = vendor_usage_days.task_micros + $1",
    )
    .bind(price.as_i64())
    .bind(day)
    .execute(db)
    .await?;
    Ok(())
}

/// Counts poll requests (one per HTTP request, however many ids it named)
/// on today's billing day.
pub async fn record_poll_requests(
    db: impl PgExecutor<'_>,
    requests: i64,
    poll_price: Micros,
    zone: &BillingZone,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO vendor_usage_days (day, poll_requests, poll_micros)
         VALUES (billing_day(now(), $3), $1, $2)
         ON CONFLICT (day) DO UPDATE SET poll_requests = vendor_usage_days.poll_requests + $1,
                                         poll_micros = vendor_usage_days.poll_micros + $2",
    )
    .bind(requests)
    .bind(requests * poll_price.as_i64())
    .bind(zone.name())
    .execute(db)
    .await?;
    Ok(())
}

/// Totals over all time: accepted tasks and what the vendor billed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct VendorCost {
    pub accepted_tasks: i64,
    pub poll_requests: i64,
    pub task_micros: i64,
    pub poll_micros: i64,
}

pub async fn vendor_cost(db: impl PgExecutor<'_>) -> sqlx::Result<VendorCost> {
    let (accepted_tasks, poll_requests, task_micros, poll_micros) = sqlx::query_as(
        "SELECT COALESCE(SUM(accepted_tasks), 0)::BIGINT, COALESCE(SUM(poll_requests), 0)::BIGINT,
                COALESCE(SUM(task_micros), 0)::BIGINT, COALESCE(SUM(poll_micros), 0)::BIGINT
         FROM vendor_usage_days",
    )
    .fetch_one(db)
    .await?;
    Ok(VendorCost {
        accepted_tasks,
        poll_requests,
        task_micros,
        poll_micros,
    })
}

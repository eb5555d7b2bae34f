//! Gauges read from Postgres at scrape time, shared by the web app's and
//! the worker's `/metrics`: in-flight requests by status, and money.

use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::registry::Registry;
use sqlx::PgPool;

use crate::generations::GenerationStatus;

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct StatusLabel {
    pub status: String,
}

/// Registers and fills the database gauges into `registry`.
pub async fn register_database_gauges(registry: &mut Registry, pool: &PgPool) -> sqlx::Result<()> {
    let by_status = Family::<StatusLabel, Gauge>::default();
    let counts: Vec<(String, i64)> = sqlx::query_as(
        "SELECT status, count(*) FROM generations
         WHERE status NOT IN ('completed', 'failed') GROUP BY status",
    )
    .fetch_all(pool)
    .await?;
    for status in GenerationStatus::ALL.iter().filter(|s| !s.is_final()) {
        let n = counts
            .iter()
            .find(|(s, _)| s == status.as_str())
            .map_or(0, |(_, n)| *n);
        by_status
            .get_or_create(&StatusLabel {
                status: status.as_str().to_owned(),
            })
            .set(n);
    }
    registry.register(
        "chorus_generations_in_flight",
        "Generations not yet completed or failed, by status",
        by_status,
    );
    let (spent, reserved): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE(SUM(spent_micros), 0)::BIGINT, COALESCE(SUM(reserved_micros), 0)::BIGINT
         FROM usage_months",
    )
    .fetch_one(pool)
    .await?;
    let vendor: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(task_micros + poll_micros), 0)::BIGINT FROM vendor_usage_days",
    )
    .fetch_one(pool)
    .await?;
    for (name, help, value) in [
        (
            "chorus_member_spent_micros",
            "Members' spend, all months, micro-USD",
            spent,
        ),
        (
            "chorus_member_reserved_micros",
            "Reserved for requests in flight, micro-USD",
            reserved,
        ),
        (
            "chorus_vendor_cost_micros",
            "What the vendor bills: accepted tasks and polls, micro-USD",
            vendor,
        ),
    ] {
        let gauge = Gauge::<i64>::default();
        gauge.set(value);
        registry.register(name, help, gauge);
    }
    Ok(())
}

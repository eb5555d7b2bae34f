//! Requests whose job or worker was lost. Postgres is the truth; the queue
//! is only a doorbell, so these sweeps make sure every paid request moves.

use std::time::Duration;

use sqlx::PgPool;
use uuid::Uuid;

use super::{Ticket, ticket_columns};

/// `pending` requests whose submit job should have run `grace` ago (Redis
/// lost it, or the process died between commit and enqueue). Their next
/// attempt is pushed back by `grace`, so a sweep re-enqueues each only once
/// per period.
pub async fn overdue_pending(
    pool: &PgPool,
    grace: Duration,
    limit: i64,
) -> sqlx::Result<Vec<Uuid>> {
    sqlx::query_scalar(
        "WITH overdue AS (
             SELECT id FROM generations
             WHERE status = 'pending' AND next_attempt_at < now() - $1 * interval '1 millisecond'
             ORDER BY next_attempt_at
             LIMIT $2
             FOR UPDATE SKIP LOCKED)
         UPDATE generations g SET next_attempt_at = now()
         FROM overdue WHERE g.id = overdue.id
         RETURNING g.id",
    )
    .bind(grace.as_millis() as f64)
    .bind(limit)
    .fetch_all(pool)
    .await
}

/// `submitting` requests whose worker's lease ran out: it died in the
/// middle of a request, so whether the upstream created a task is unknown.
pub async fn abandoned_submissions(pool: &PgPool, limit: i64) -> sqlx::Result<Vec<Ticket>> {
    sqlx::query_as(concat!(
        "SELECT ",
        ticket_columns!(),
        " FROM generations WHERE status = 'submitting' AND locked_until < now() LIMIT $1"
    ))
    .bind(limit)
    .fetch_all(pool)
    .await
}

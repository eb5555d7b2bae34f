//! Submission, as the worker sees it: claim a `pending` request, send it,
//! and record what the upstream said. A request is sent again only when the
//! upstream provably created nothing.

use std::time::Duration;

use sqlx::PgPool;
use uuid::Uuid;

use super::{GenerationStatus, SongInput, Ticket, ticket_columns, transition};
use crate::billing::{member, vendor};
use crate::money::Micros;

/// A request this worker holds in `submitting`, with what to send.
#[derive(Debug, Clone)]
pub struct Claimed {
    pub ticket: Ticket,
    pub input: SongInput,
    pub attempts: i32,
}

#[derive(sqlx::FromRow)]
struct InputRow {
    mode: String,
    topic: Option<String>,
    instrumental: Option<bool>,
    tags: Option<String>,
    lyrics: Option<String>,
    title: Option<String>,
    submit_attempts: i32,
}

/// `pending → submitting`, held by `worker` for `lease`. `None` when the
/// request is not pending (already sent, or another worker has it): a
/// replayed job then does nothing.
pub async fn claim(
    pool: &PgPool,
    id: Uuid,
    worker: &str,
    lease: Duration,
) -> sqlx::Result<Option<Claimed>> {
    let mut tx = pool.begin().await?;
    let ticket: Option<Ticket> = sqlx::query_as(concat!(
        "UPDATE generations
         SET status = 'submitting', submit_attempts = submit_attempts + 1, locked_by = $2,
             locked_until = now() + $3 * interval '1 millisecond', updated_at = now()
         WHERE id = $1 AND status = 'pending'
         RETURNING ",
        ticket_columns!()
    ))
    .bind(id)
    .bind(worker)
    .bind(lease.as_millis() as f64)
    .fetch_optional(&mut *tx)
    .await?;
    let Some(ticket) = ticket else {
        return Ok(None);
    };
    let row: InputRow = sqlx::query_as(
        "SELECT mode, topic, instrumental, tags, lyrics, title, submit_attempts
         FROM generations WHERE id = $1",
    )
    .bind(id)
    .fetch_one(&mut *tx)
    .await?;
    transition::record(
        &mut tx,
        id,
        Some(GenerationStatus::Pending),
        GenerationStatus::Submitting,
        None,
    )
    .await?;
    tx.commit().await?;
    let input = match row.mode.as_str() {
        "describe" => SongInput::Describe {
            topic: row.topic.unwrap_or_default(),
            instrumental: row.instrumental.unwrap_or(false),
        },
        _ => SongInput::Custom {
            tags: row.tags.unwrap_or_default(),
            lyrics: row.lyrics.unwrap_or_default(),
            title: row.title,
        },
    };
    Ok(Some(Claimed {
        ticket,
        input,
        attempts: row.submit_attempts,
    }))
}

/// The upstream accepted: store the task, charge the member, count the
/// vendor's cost, and hand the request to the poller.
///
/// Returns `false` when this worker no longer held the claim (its lease ran
/// out and the request was given up): the task still exists and the vendor
/// bills it, so its id is kept on the row, flagged for admins, and counted
/// in the vendor's cost; the member is not charged.
pub async fn accepted(
    pool: &PgPool,
    claimed: &Claimed,
    worker: &str,
    task_id: &str,
    first_poll_in: Duration,
) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    let moved = sqlx::query(
        "UPDATE generations
         SET status = 'submitted', task_id = $2, submitted_at = now(), error = NULL,
             next_poll_at = now() + $3 * interval '1 millisecond',
             locked_by = NULL, locked_until = NULL, updated_at = now()
         WHERE id = $1 AND status = 'submitting' AND locked_by = $4",
    )
    .bind(claimed.ticket.id)
    .bind(task_id)
    .bind(first_poll_in.as_millis() as f64)
    .bind(worker)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !moved {
        let kept = sqlx::query(
            "UPDATE generations
             SET task_id = $2, needs_attention = true, updated_at = now(),
                 error = 'the upstream accepted this request after it was given up; task ' || $2
             WHERE id = $1 AND task_id IS NULL AND status = 'failed'",
        )
        .bind(claimed.ticket.id)
        .bind(task_id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if kept {
            vendor::record_accepted_task(
                &mut *tx,
                Micros(claimed.ticket.price_micros),
                claimed.ticket.billing_day,
            )
            .await?;
        }
        tx.commit().await?;
        return Ok(false);
    }
    member::charge(&mut tx, claimed.ticket.billed()).await?;
    vendor::record_accepted_task(
        &mut *tx,
        Micros(claimed.ticket.price_micros),
        claimed.ticket.billing_day,
    )
    .await?;
    transition::record(
        &mut tx,
        claimed.ticket.id,
        Some(GenerationStatus::Submitting),
        GenerationStatus::Submitted,
        Some(task_id),
    )
    .await?;
    tx.commit().await?;
    Ok(true)
}

/// Nothing was created and a retry is safe: back to `pending`, to be sent
/// again after `delay`.
pub async fn retry_later(
    pool: &PgPool,
    claimed: &Claimed,
    worker: &str,
    delay: Duration,
    reason: &str,
) -> sqlx::Result<bool> {
    let mut tx = pool.begin().await?;
    let moved = sqlx::query(
        "UPDATE generations
         SET status = 'pending', error = $2, next_attempt_at = now() + $3 * interval '1 millisecond',
             locked_by = NULL, locked_until = NULL, updated_at = now()
         WHERE id = $1 AND status = 'submitting' AND locked_by = $4",
    )
    .bind(claimed.ticket.id)
    .bind(reason)
    .bind(delay.as_millis() as f64)
    .bind(worker)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if moved {
        transition::record(
            &mut tx,
            claimed.ticket.id,
            Some(GenerationStatus::Submitting),
            GenerationStatus::Pending,
            Some(reason),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(moved)
}

/// Who may end a `submitting` request.
#[derive(Debug, Clone, Copy)]
pub enum Holder<'a> {
    /// The worker whose claim it is.
    Worker(&'a str),
    /// Anyone, once the claim's lease has run out (its worker died).
    LapsedLease,
}

/// Ends a request that was never (or may never have been) accepted: the
/// member's reservation is released. `needs_attention` flags an unknown
/// outcome for admins: a task may exist upstream that nobody tracks.
pub async fn give_up(
    pool: &PgPool,
    ticket: &Ticket,
    holder: Holder<'_>,
    reason: &str,
    needs_attention: bool,
) -> sqlx::Result<bool> {
    let from = GenerationStatus::Submitting;
    let worker = match holder {
        Holder::Worker(name) => Some(name),
        Holder::LapsedLease => None,
    };
    let mut tx = pool.begin().await?;
    // Guarded by the claim, so the sweep can never end a live submission
    // and a worker can never end one another worker now holds.
    let moved = sqlx::query(
        "UPDATE generations
         SET status = 'failed', error = $3, needs_attention = $4, finished_at = now(),
             locked_by = NULL, locked_until = NULL, updated_at = now()
         WHERE id = $1 AND status = 'submitting'
           AND CASE WHEN $2::TEXT IS NULL THEN locked_until < now() ELSE locked_by = $2 END",
    )
    .bind(ticket.id)
    .bind(worker)
    .bind(reason)
    .bind(needs_attention)
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if moved {
        member::release(&mut tx, ticket.billed(), reason).await?;
        transition::record(
            &mut tx,
            ticket.id,
            Some(from),
            GenerationStatus::Failed,
            Some(reason),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(moved)
}

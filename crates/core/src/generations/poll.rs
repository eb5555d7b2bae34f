//! Polling, as the worker sees it: claim due in-flight requests in batches
//! (any number of workers share them without polling a task twice), and
//! record what each report says.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use sqlx::{PgConnection, PgPool};
use uuid::Uuid;

use super::{GenerationStatus, Ticket, transition};
use crate::billing::member;
use crate::upstream::{Clip, ClipStatus, TaskReport, TaskStatus};

/// Claims up to `limit` in-flight requests whose next poll is due and whose
/// lease (if any) has run out, oldest due first, for `lease`.
///
/// A batch smaller than `limit` is claimed only once its oldest request has
/// waited `linger`: requests that fall due a moment apart then share one
/// upstream query instead of each taking a query of their own.
pub async fn claim_due(
    pool: &PgPool,
    worker: &str,
    lease: Duration,
    limit: i64,
    linger: Duration,
) -> sqlx::Result<Vec<Ticket>> {
    // The columns of a Ticket, qualified: `due` has an `id` too.
    sqlx::query_as(
        "WITH due AS (
             SELECT id, next_poll_at FROM generations
             WHERE status IN ('submitted', 'queued', 'processing', 'streaming')
               AND next_poll_at <= now()
               AND (locked_until IS NULL OR locked_until < now())
             ORDER BY next_poll_at
             LIMIT $3
             FOR UPDATE SKIP LOCKED)
         UPDATE generations g
         SET locked_by = $1, locked_until = now() + $2 * interval '1 millisecond'
         FROM due WHERE g.id = due.id
           AND ((SELECT count(*) FROM due) >= $3
                OR (SELECT min(next_poll_at) FROM due) <= now() - $4 * interval '1 millisecond')
         RETURNING g.id, g.user_id, g.status, g.price_micros, g.billing_month, g.billing_day, g.task_id,
                   g.submitted_at, g.created_at",
    )
    .bind(worker)
    .bind(lease.as_millis() as f64)
    .bind(limit)
    .bind(linger.as_millis() as f64)
    .fetch_all(pool)
    .await
}

/// What a report changed, for events and follow-up jobs.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub id: Uuid,
    pub user_id: Uuid,
    pub from: GenerationStatus,
    pub to: GenerationStatus,
    pub error: Option<String>,
}

/// What recording a poll's reports did.
#[derive(Debug, Default)]
pub struct Recorded {
    pub changes: Vec<Change>,
    /// Reports that could not be recorded (the rest of the poll was): their
    /// claims are released so a later poll tries again.
    pub unrecorded: Vec<Uuid>,
}

/// Applies one poll's reports in one transaction (one commit per poll, not
/// per song): status, clips, money, and when to poll next. Each change runs
/// in a savepoint, so one report the database refuses cannot hold back the
/// other 24. Requests in `expired` that the report does not show finished
/// end as timed out. Only this worker's claims are touched.
pub async fn apply_reports(
    pool: &PgPool,
    worker: &str,
    reports: &[(&Ticket, &TaskReport)],
    expired: &HashSet<Uuid>,
    timeout: Duration,
    next_poll_in: impl Fn(GenerationStatus) -> Duration,
) -> sqlx::Result<Recorded> {
    // Money rows are locked in one order by every poll (a month's team row,
    // then its members' rows, month by month), so two concurrent polls
    // refunding the same members cannot deadlock.
    let mut reports = reports.to_vec();
    reports.sort_by_key(|(ticket, _)| (ticket.billing_month, ticket.user_id, ticket.id));
    let mut tx = pool.begin().await?;
    let mut recorded = Recorded::default();
    let mut unchanged: HashMap<Duration, Vec<Uuid>> = HashMap::new();
    for (ticket, report) in reports {
        let from = GenerationStatus::parse(&ticket.status).unwrap_or(GenerationStatus::Submitted);
        let mut to = match &report.status {
            TaskStatus::Queued => GenerationStatus::Queued,
            TaskStatus::Processing => GenerationStatus::Processing,
            TaskStatus::Streaming => GenerationStatus::Streaming,
            TaskStatus::Completed => GenerationStatus::Completed,
            TaskStatus::Failed => GenerationStatus::Failed,
            // Not ours to interpret: keep waiting, the timeout ends it.
            TaskStatus::Unknown(_) => from,
        };
        let mut error = (to == GenerationStatus::Failed).then(|| {
            report
                .failure_reason
                .clone()
                .unwrap_or_else(|| "the upstream reported a failure without a reason".to_owned())
        });
        if expired.contains(&ticket.id) && !to.is_final() {
            to = GenerationStatus::Failed;
            error = Some(timed_out(timeout));
        }
        if to == from {
            unchanged
                .entry(next_poll_in(to))
                .or_default()
                .push(ticket.id);
            continue;
        }
        let mut savepoint = sqlx::Connection::begin(&mut *tx).await?;
        let delay = next_poll_in(to);
        match apply_change(
            &mut savepoint,
            worker,
            ticket,
            report,
            (from, to),
            error,
            delay,
        )
        .await
        {
            Ok(change) => {
                savepoint.commit().await?;
                recorded.changes.extend(change);
            }
            Err(e) => {
                savepoint.rollback().await?;
                tracing::error!(error = %e, generation_id = %ticket.id, "could not record a report");
                recorded.unrecorded.push(ticket.id);
            }
        }
    }
    // Most polls change nothing: one statement per poll interval.
    for (delay, ids) in unchanged {
        sqlx::query(
            "UPDATE generations
             SET last_polled_at = now(), poll_count = poll_count + 1,
                 next_poll_at = now() + $3 * interval '1 millisecond', locked_by = NULL, locked_until = NULL
             WHERE id = ANY($1) AND locked_by = $2",
        )
        .bind(&ids)
        .bind(worker)
        .bind(delay.as_millis() as f64)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(recorded)
}

fn timed_out(timeout: Duration) -> String {
    format!("timed out: no result after {} s", timeout.as_secs())
}

async fn apply_change(
    tx: &mut PgConnection,
    worker: &str,
    ticket: &Ticket,
    report: &TaskReport,
    (from, to): (GenerationStatus, GenerationStatus),
    error: Option<String>,
    next_poll_in: Duration,
) -> sqlx::Result<Option<Change>> {
    let moved = sqlx::query(
        "UPDATE generations
         SET status = $3, error = COALESCE($4, error), last_polled_at = now(),
             poll_count = poll_count + 1,
             next_poll_at = CASE WHEN $5 THEN NULL ELSE now() + $6 * interval '1 millisecond' END,
             finished_at = CASE WHEN $5 THEN now() ELSE finished_at END,
             locked_by = NULL, locked_until = NULL, updated_at = now()
         WHERE id = $1 AND locked_by = $2 AND status = $7",
    )
    .bind(ticket.id)
    .bind(worker)
    .bind(to.as_str())
    .bind(error.as_deref())
    .bind(to.is_final())
    .bind(next_poll_in.as_millis() as f64)
    .bind(from.as_str())
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !moved {
        return Ok(None);
    }
    for clip in &report.clips {
        upsert_clip(&mut *tx, ticket.id, clip).await?;
    }
    if to == GenerationStatus::Failed {
        let note = error.as_deref().unwrap_or("failed");
        member::refund(&mut *tx, ticket.billed(), note).await?;
    }
    transition::record(&mut *tx, ticket.id, Some(from), to, error.as_deref()).await?;
    Ok(Some(Change {
        id: ticket.id,
        user_id: ticket.user_id,
        from,
        to,
        error,
    }))
}

/// Streaming URLs come first and final URLs later; a later report never
/// erases what an earlier one gave.
async fn upsert_clip(
    conn: &mut PgConnection,
    generation_id: Uuid,
    clip: &Clip,
) -> sqlx::Result<()> {
    let streaming = clip.status == ClipStatus::Streaming;
    let status = match &clip.status {
        ClipStatus::Queued => "queued",
        ClipStatus::Streaming => "streaming",
        ClipStatus::Complete => "complete",
        ClipStatus::Error => "error",
        ClipStatus::Unknown(s) => s.as_str(),
    };
    sqlx::query(
        "INSERT INTO clips (id, generation_id, batch_index, status, title, tags, lyrics, duration_s,
                            stream_url, audio_url, image_url, image_large_url)
         VALUES ($1, $2, COALESCE($3, (SELECT count(*) FROM clips WHERE generation_id = $2))::SMALLINT,
                 $4, $5, $6, $7, $8, $9, $10, $11, $12)
         ON CONFLICT (id) DO UPDATE SET
             status = EXCLUDED.status,
             title = COALESCE(EXCLUDED.title, clips.title),
             tags = COALESCE(EXCLUDED.tags, clips.tags),
             lyrics = COALESCE(EXCLUDED.lyrics, clips.lyrics),
             duration_s = COALESCE(EXCLUDED.duration_s, clips.duration_s),
             stream_url = COALESCE(EXCLUDED.stream_url, clips.stream_url),
             audio_url = COALESCE(EXCLUDED.audio_url, clips.audio_url),
             image_url = COALESCE(EXCLUDED.image_url, clips.image_url),
             image_large_url = COALESCE(EXCLUDED.image_large_url, clips.image_large_url),
             updated_at = now()
         WHERE clips.generation_id = EXCLUDED.generation_id",
    )
    .bind(&clip.id)
    .bind(generation_id)
    .bind(clip.batch_index.and_then(|i| i16::try_from(i).ok()))
    .bind(status)
    .bind(&clip.title)
    .bind(&clip.tags)
    .bind(&clip.lyrics)
    .bind(clip.duration_s)
    .bind(if streaming { clip.audio_url.as_deref() } else { None })
    .bind(if streaming { None } else { clip.audio_url.as_deref() })
    .bind(&clip.image_url)
    .bind(&clip.image_large_url)
    .execute(conn)
    .await?;
    Ok(())
}

/// Polls again after `delay` without a change (the poll failed, or the
/// reply left the task out).
pub async fn reschedule(
    pool: &PgPool,
    worker: &str,
    ids: &[Uuid],
    delay: Duration,
) -> sqlx::Result<()> {
    sqlx::query(
        "UPDATE generations
         SET next_poll_at = now() + $3 * interval '1 millisecond', locked_by = NULL, locked_until = NULL
         WHERE id = ANY($1) AND locked_by = $2",
    )
    .bind(ids)
    .bind(worker)
    .bind(delay.as_millis() as f64)
    .execute(pool)
    .await?;
    Ok(())
}

/// The task outlived the timeout: it ends `failed`, and is refunded.
pub async fn time_out(
    pool: &PgPool,
    worker: &str,
    ticket: &Ticket,
    timeout: Duration,
) -> sqlx::Result<Option<Change>> {
    let from = GenerationStatus::parse(&ticket.status).unwrap_or(GenerationStatus::Submitted);
    let reason = timed_out(timeout);
    let mut tx = pool.begin().await?;
    let moved = sqlx::query(
        "UPDATE generations
         SET status = 'failed', error = $3, finished_at = now(), next_poll_at = NULL,
             locked_by = NULL, locked_until = NULL, updated_at = now()
         WHERE id = $1 AND locked_by = $2 AND status = $4",
    )
    .bind(ticket.id)
    .bind(worker)
    .bind(&reason)
    .bind(from.as_str())
    .execute(&mut *tx)
    .await?
    .rows_affected()
        == 1;
    if !moved {
        tx.rollback().await?;
        return Ok(None);
    }
    member::refund(&mut tx, ticket.billed(), &reason).await?;
    transition::record(
        &mut tx,
        ticket.id,
        Some(from),
        GenerationStatus::Failed,
        Some(&reason),
    )
    .await?;
    tx.commit().await?;
    Ok(Some(Change {
        id: ticket.id,
        user_id: ticket.user_id,
        from,
        to: GenerationStatus::Failed,
        error: Some(reason),
    }))
}

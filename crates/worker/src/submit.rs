//! The submit job: send one pending request to the upstream, exactly once
//! unless the upstream provably created nothing.

use std::time::{Duration, Instant};

use apalis::prelude::{BoxDynError, Data};
use chorus_core::generations::GenerationStatus;
use chorus_core::generations::submit::{self, Claimed, Holder};
use chorus_core::jobs::SubmitGeneration;
use chorus_core::upstream::{Retry, UpstreamError};
use time::OffsetDateTime;
use tracing::Instrument;
use uuid::Uuid;

use crate::backoff::backoff;
use crate::context::WorkerContext;
use crate::notify::notify;

/// The apalis handler. Only database errors are returned (apalis then runs
/// the job again, which is safe: the claim makes a replay do nothing).
pub async fn handle(job: SubmitGeneration, ctx: Data<WorkerContext>) -> Result<(), BoxDynError> {
    let span = tracing::info_span!("submit", generation_id = %job.generation_id);
    submit_generation(&ctx, job.generation_id)
        .instrument(span)
        .await
        .map_err(|e| {
            tracing::error!(error = %e, generation_id = %job.generation_id, "submit job failed; it will run again");
            e.into()
        })
}

pub async fn submit_generation(ctx: &WorkerContext, id: Uuid) -> sqlx::Result<()> {
    // Well beyond the request timeout, so the lease never runs out while
    // this worker still waits for the upstream or records its answer.
    let lease = ctx.config.upstream.request_timeout + Duration::from_secs(30);
    let Some(claimed) = submit::claim(&ctx.pool, id, &ctx.name, lease).await? else {
        return Ok(());
    };
    let user_id = claimed.ticket.user_id;
    notify(ctx, user_id, id, GenerationStatus::Submitting, None).await;
    let started = Instant::now();
    let result = ctx.upstream.submit(&claimed.input.to_upstream()).await;
    ctx.metrics
        .latency("submit", started.elapsed().as_secs_f64());
    match result {
        Ok(task_id) => {
            ctx.metrics.submit("accepted");
            if record_acceptance(ctx, &claimed, task_id.as_str()).await? {
                notify(ctx, user_id, id, GenerationStatus::Submitted, None).await;
            } else {
                tracing::error!(%task_id, "the upstream accepted a task after this worker lost its claim; kept on the row for admins");
                // The failed song now shows the task and the vendor's cost.
                notify(ctx, user_id, id, GenerationStatus::Failed, None).await;
            }
        }
        Err(error) => {
            ctx.metrics.upstream_error(error.kind());
            refused(ctx, &claimed, &error).await?;
        }
    }
    Ok(())
}

/// The upstream made (and bills) a task: recording it must not be lost to
/// a passing database error, so it is retried while the lease lasts. A
/// replayed job could not do it: its claim finds the row `submitting`.
async fn record_acceptance(
    ctx: &WorkerContext,
    claimed: &Claimed,
    task_id: &str,
) -> sqlx::Result<bool> {
    let first_poll = ctx.config.poll_interval;
    let mut attempt = 0;
    loop {
        attempt += 1;
        match submit::accepted(&ctx.pool, claimed, &ctx.name, task_id, first_poll).await {
            Ok(recorded) => return Ok(recorded),
            Err(e) if attempt < 5 => {
                tracing::warn!(error = %e, %task_id, attempt, "could not record an accepted task; retrying");
                tokio::time::sleep(backoff(attempt)).await;
            }
            Err(e) => {
                tracing::error!(error = %e, %task_id, "could not record an accepted task");
                return Err(e);
            }
        }
    }
}

async fn refused(
    ctx: &WorkerContext,
    claimed: &Claimed,
    error: &UpstreamError,
) -> sqlx::Result<()> {
    let ticket = &claimed.ticket;
    let age = OffsetDateTime::now_utc() - ticket.created_at;
    let (reason, needs_attention) = match error.retry() {
        Retry::Safe if age < ctx.config.submit_retry_window => {
            ctx.metrics.submit("retry");
            let delay = backoff(claimed.attempts).max(error.retry_after().unwrap_or_default());
            let reason = format!("will retry: {error}");
            if submit::retry_later(&ctx.pool, claimed, &ctx.name, delay, &reason).await? {
                notify(
                    ctx,
                    ticket.user_id,
                    ticket.id,
                    GenerationStatus::Pending,
                    None,
                )
                .await;
                if let Err(e) = ctx.queues.submit(ticket.id, delay).await {
                    // The recovery sweep re-enqueues it.
                    tracing::warn!(error = %e, "could not schedule the retry");
                }
            }
            return Ok(());
        }
        Retry::Safe => {
            ctx.metrics.submit("refused");
            (
                format!("the upstream could not take the request in time: {error}"),
                false,
            )
        }
        Retry::Never => {
            ctx.metrics.submit("refused");
            (format!("refused by the upstream: {error}"), false)
        }
        Retry::Unknown => {
            ctx.metrics.submit("unknown");
            (
                format!(
                    "outcome unknown: {error}; the upstream may have created a task, an admin should check"
                ),
                true,
            )
        }
    };
    let holder = Holder::Worker(&ctx.name);
    if submit::give_up(&ctx.pool, ticket, holder, &reason, needs_attention).await? {
        notify(
            ctx,
            ticket.user_id,
            ticket.id,
            GenerationStatus::Failed,
            Some(reason),
        )
        .await;
    }
    Ok(())
}

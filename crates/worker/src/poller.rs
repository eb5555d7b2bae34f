//! The poller: claims due in-flight requests 25 at a time (the upstream's
//! limit per query), polls them, and records what changed. Any number of
//! workers run one each; leases keep them off each other's rows.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chorus_core::billing::vendor;
use chorus_core::generations::poll::{self, Change};
use chorus_core::generations::{GenerationStatus, Ticket};
use chorus_core::upstream::{MAX_IDS_PER_POLL, PollReply, TaskId, UpstreamError};
use time::OffsetDateTime;
use tokio::sync::{Semaphore, watch};
use uuid::Uuid;

use crate::backoff::backoff;
use crate::context::WorkerContext;
use crate::notify::notify;

/// Polls in flight at once; each carries up to 25 ids.
const CONCURRENT_POLLS: usize = 8;
/// How long the poller rests when nothing is due.
const IDLE_TICK: Duration = Duration::from_millis(50);
/// How long a due request may wait for others to fill its batch.
const LINGER: Duration = Duration::from_millis(150);

pub async fn run(ctx: WorkerContext, mut stop: watch::Receiver<bool>) {
    let permits = Arc::new(Semaphore::new(CONCURRENT_POLLS));
    // Longer than a poll can take, so a lease only lapses when its worker died.
    let lease = ctx.config.upstream.request_timeout + Duration::from_secs(5);
    while !*stop.borrow() {
        let Ok(permit) = Arc::clone(&permits).acquire_owned().await else {
            return;
        };
        let batch =
            match poll::claim_due(&ctx.pool, &ctx.name, lease, MAX_IDS_PER_POLL as i64, LINGER)
                .await
            {
                Ok(batch) => batch,
                Err(e) => {
                    tracing::error!(error = %e, "could not claim due generations");
                    Vec::new()
                }
            };
        if batch.is_empty() {
            drop(permit);
            tokio::select! {
                _ = tokio::time::sleep(IDLE_TICK) => {}
                _ = stop.changed() => {}
            }
            continue;
        }
        let ctx = ctx.clone();
        tokio::spawn(async move {
            poll_batch(&ctx, batch).await;
            drop(permit);
        });
    }
    // Let the polls in flight finish before returning.
    let _ = permits.acquire_many(CONCURRENT_POLLS as u32).await;
}

async fn poll_batch(ctx: &WorkerContext, batch: Vec<Ticket>) {
    // Requests past the timeout are still asked about once: one that
    // finished since the last poll is recorded, not refunded by mistake.
    let now = OffsetDateTime::now_utc();
    let timeout = ctx.config.task_timeout;
    let expired: HashSet<Uuid> = batch
        .iter()
        .filter(|t| t.submitted_at.is_some_and(|at| now - at > timeout))
        .map(|t| t.id)
        .collect();
    let ids: Vec<TaskId> = batch
        .iter()
        .filter_map(|t| t.task_id.clone())
        .map(TaskId::new)
        .collect();
    if ids.is_empty() {
        return;
    }
    let started = Instant::now();
    let result = ctx.upstream.poll(&ids).await;
    ctx.metrics.latency("poll", started.elapsed().as_secs_f64());
    ctx.metrics.polls.inc();
    ctx.metrics.ids_per_poll.observe(ids.len() as f64);
    if let Err(e) = vendor::record_poll_requests(
        &ctx.pool,
        1,
        ctx.config.poll_price,
        &ctx.config.billing_zone,
    )
    .await
    {
        tracing::error!(error = %e, "could not record a poll's vendor cost");
    }
    match result {
        Ok(reply) => record(ctx, &batch, reply, &expired).await,
        Err(error) => {
            back_off(ctx, &batch, &error).await;
            time_out_unanswered(ctx, &batch, &expired).await;
        }
    }
}

async fn record(ctx: &WorkerContext, batch: &[Ticket], reply: PollReply, expired: &HashSet<Uuid>) {
    let mut answered = Vec::new();
    let mut unanswered = Vec::new();
    for ticket in batch {
        let report = reply
            .reports
            .iter()
            .find(|r| Some(r.task_id.as_str()) == ticket.task_id.as_deref());
        match report {
            Some(report) => answered.push((ticket, report)),
            None => unanswered.push(ticket.clone()),
        }
    }
    let timeout = ctx.config.task_timeout;
    let next = |status| next_poll_in(ctx, status);
    let mut retry: Vec<Uuid> = Vec::new();
    match poll::apply_reports(&ctx.pool, &ctx.name, &answered, expired, timeout, next).await {
        Ok(recorded) => {
            for change in recorded.changes {
                announce(ctx, change).await;
            }
            retry.extend(recorded.unrecorded);
        }
        Err(e) => {
            tracing::error!(error = %e, "could not record a poll's reports");
            retry.extend(answered.iter().map(|(t, _)| t.id));
        }
    }
    time_out_unanswered(ctx, &unanswered, expired).await;
    // Left out of the reply, or not recorded: ask again later; the timeout
    // ends them if that never works.
    retry.extend(
        unanswered
            .iter()
            .map(|t| t.id)
            .filter(|id| !expired.contains(id)),
    );
    if !retry.is_empty()
        && let Err(e) =
            poll::reschedule(&ctx.pool, &ctx.name, &retry, ctx.config.poll_interval).await
    {
        tracing::error!(error = %e, "could not reschedule unanswered tasks");
    }
}

/// Expired requests the upstream gave no report for end as timed out.
async fn time_out_unanswered(ctx: &WorkerContext, tickets: &[Ticket], expired: &HashSet<Uuid>) {
    let timeout = ctx.config.task_timeout;
    for ticket in tickets.iter().filter(|t| expired.contains(&t.id)) {
        match poll::time_out(&ctx.pool, &ctx.name, ticket, timeout).await {
            Ok(Some(change)) => announce(ctx, change).await,
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, generation_id = %ticket.id, "could not time out"),
        }
    }
}

async fn back_off(ctx: &WorkerContext, batch: &[Ticket], error: &UpstreamError) {
    ctx.metrics.upstream_error(error.kind());
    tracing::warn!(%error, tasks = batch.len(), "poll failed; backing off");
    let delay = backoff(2)
        .max(error.retry_after().unwrap_or_default())
        .max(ctx.config.poll_interval);
    let ids: Vec<_> = batch.iter().map(|t| t.id).collect();
    if let Err(e) = poll::reschedule(&ctx.pool, &ctx.name, &ids, delay).await {
        tracing::error!(error = %e, "could not reschedule after a failed poll");
    }
}

fn next_poll_in(ctx: &WorkerContext, status: GenerationStatus) -> Duration {
    match status {
        GenerationStatus::Streaming => ctx.config.streaming_poll_interval,
        _ => ctx.config.poll_interval,
    }
}

async fn announce(ctx: &WorkerContext, change: Change) {
    notify(
        ctx,
        change.user_id,
        change.id,
        change.to,
        change.error.clone(),
    )
    .await;
    if change.to == GenerationStatus::Completed
        && ctx.config.archive_media
        && let Err(e) = ctx.queues.archive(change.id).await
    {
        tracing::warn!(error = %e, generation_id = %change.id, "could not enqueue the archive job");
    }
}

//! The recovery sweep: finds paid requests that would otherwise never move
//! (a lost job, a worker killed mid-request) and moves them.

use std::time::Duration;

use chorus_core::generations::GenerationStatus;
use chorus_core::generations::recovery;
use chorus_core::generations::submit::{self, Holder};
use tokio::sync::watch;

use crate::context::WorkerContext;
use crate::notify::notify;

const EVERY: Duration = Duration::from_secs(1);
const BATCH: i64 = 500;

pub async fn run(ctx: WorkerContext, mut stop: watch::Receiver<bool>) {
    while !*stop.borrow() {
        if let Err(e) = sweep_once(&ctx).await {
            tracing::error!(error = %e, "recovery sweep failed");
        }
        tokio::select! {
            _ = tokio::time::sleep(EVERY) => {}
            _ = stop.changed() => {}
        }
    }
}

pub async fn sweep_once(ctx: &WorkerContext) -> sqlx::Result<()> {
    for id in recovery::overdue_pending(&ctx.pool, ctx.config.recovery_grace, BATCH).await? {
        tracing::info!(generation_id = %id, "re-enqueueing a pending request whose job was lost");
        if let Err(e) = ctx.queues.submit(id, Duration::ZERO).await {
            tracing::warn!(error = %e, "could not re-enqueue; the next sweep tries again");
        }
    }
    for ticket in recovery::abandoned_submissions(&ctx.pool, BATCH).await? {
        let reason = "outcome unknown: the worker stopped while submitting; \
                      the upstream may have created a task, an admin should check";
        if submit::give_up(&ctx.pool, &ticket, Holder::LapsedLease, reason, true).await? {
            tracing::warn!(generation_id = %ticket.id, "abandoned submission given up");
            notify(
                ctx,
                ticket.user_id,
                ticket.id,
                GenerationStatus::Failed,
                Some(reason.to_owned()),
            )
            .await;
        }
    }
    Ok(())
}

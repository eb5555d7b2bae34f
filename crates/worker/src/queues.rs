//! The apalis side: the submit and archive workers, fed from Redis.
//! apalis is the doorbell; Postgres says what is left to do, so each handler
//! is safe to run twice.

use std::time::Duration;

use apalis::prelude::{
    AbortError, BackendExt, BoxDynError, Data, Monitor, WorkerBuilder, WorkerBuilderExt,
};
use apalis_redis::RedisStorage;
use chorus_core::jobs::{self, ArchiveGeneration, SubmitGeneration};

use crate::context::WorkerContext;
use crate::{archive, submit};

/// How soon a job pushed by another process is noticed (apalis otherwise
/// waits for its next heartbeat).
const POLL_EVERY: Duration = Duration::from_millis(200);
const SUBMIT_CONCURRENCY: usize = 16;
const ARCHIVE_CONCURRENCY: usize = 4;
/// apalis retries a failing job itself (up to 25 times); past this many
/// attempts an archive job is dropped and logged.
const ARCHIVE_ATTEMPTS: usize = 8;

pub fn monitor(ctx: &WorkerContext) -> Monitor {
    let submit_ctx = ctx.clone();
    let archive_ctx = ctx.clone();
    Monitor::new()
        .register(move |_restarts| {
            let ctx = submit_ctx.clone();
            let config = jobs::queue_config(&ctx.keyspace, jobs::SUBMIT_QUEUE);
            let storage = RedisStorage::<SubmitGeneration>::new(ctx.redis.clone())
                .with_config(config)
                .poll_with_interval(POLL_EVERY);
            WorkerBuilder::new(format!("{}-submit", ctx.name))
                .backend(storage)
                .data(ctx)
                .concurrency(SUBMIT_CONCURRENCY)
                .catch_panic()
                .build(submit::handle)
        })
        .register(move |_restarts| {
            let ctx = archive_ctx.clone();
            let config = jobs::queue_config(&ctx.keyspace, jobs::ARCHIVE_QUEUE);
            let storage = RedisStorage::<ArchiveGeneration>::new(ctx.redis.clone())
                .with_config(config)
                .poll_with_interval(POLL_EVERY);
            WorkerBuilder::new(format!("{}-archive", ctx.name))
                .backend(storage)
                .data(ctx)
                .concurrency(ARCHIVE_CONCURRENCY)
                .catch_panic()
                .build(archive_job)
        })
        .shutdown_timeout(Duration::from_secs(30))
}

async fn archive_job(
    job: ArchiveGeneration,
    ctx: Data<WorkerContext>,
    attempt: apalis::prelude::Attempt,
) -> Result<(), BoxDynError> {
    let id = job.generation_id;
    match archive::archive_generation(&ctx, id).await {
        Ok(_) => Ok(()),
        Err(e) if e.is_retryable() && attempt.current() < ARCHIVE_ATTEMPTS => {
            tracing::warn!(generation_id = %id, error = %e, "archiving failed; it will be retried");
            Err(e.into())
        }
        Err(e) => {
            tracing::error!(generation_id = %id, error = %e, "archiving failed for good");
            Err(AbortError::new(e).into())
        }
    }
}

use std::time::Duration;

use chorus_core::events::{self, GenerationEvent};
use chorus_core::generations::GenerationStatus;
use uuid::Uuid;

use crate::context::WorkerContext;

const PUBLISH_TIMEOUT: Duration = Duration::from_secs(1);

/// Publishes a status change for the member's live pages. Best effort: the
/// change is already committed, and pages read Postgres when they load.
pub async fn notify(
    ctx: &WorkerContext,
    user_id: Uuid,
    generation_id: Uuid,
    status: GenerationStatus,
    error: Option<String>,
) {
    let event = GenerationEvent {
        generation_id,
        status: status.as_str().to_owned(),
        error,
    };
    // Never let a slow Redis hold up a submission whose lease is running.
    let publish = events::publish(&ctx.redis, &ctx.keyspace, user_id, &event);
    match tokio::time::timeout(PUBLISH_TIMEOUT, publish).await {
        Ok(Ok(())) => {}
        Ok(Err(e)) => {
            tracing::warn!(error = %e, %generation_id, "could not publish a status event")
        }
        Err(_) => tracing::warn!(%generation_id, "publishing a status event timed out"),
    }
}

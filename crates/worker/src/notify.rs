use chorus_core::events::{self, GenerationEvent};
use chorus_core::generations::GenerationStatus;
use uuid::Uuid;

use crate::context::WorkerContext;

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
    if let Err(e) = events::publish(&ctx.redis, &ctx.keyspace, user_id, &event).await {
        tracing::warn!(error = %e, %generation_id, "could not publish a status event");
    }
}

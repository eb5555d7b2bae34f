//! What every handler can reach.

use std::sync::Arc;

use chorus_core::Config;
use chorus_core::jobs::JobQueues;
use redis::aio::ConnectionManager;
use sqlx::PgPool;

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub pool: PgPool,
    pub redis: ConnectionManager,
    /// Where new requests are handed to the worker.
    pub queues: JobQueues,
}

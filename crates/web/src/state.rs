//! What every handler can reach.

use std::sync::Arc;

use chorus_core::Config;
use chorus_core::freshness::Stamps;
use chorus_core::jobs::JobQueues;
use redis::aio::ConnectionManager;
use sqlx::PgPool;

use crate::cache::Caches;

#[derive(Clone)]
pub struct AppState {
    pub config: Arc<Config>,
    pub pool: PgPool,
    pub redis: ConnectionManager,
    /// Where new requests are handed to the worker.
    pub queues: JobQueues,
    /// What says whether kept pages' data still holds.
    pub stamps: Stamps,
    pub caches: Arc<Caches>,
}

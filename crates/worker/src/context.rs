//! What every part of the worker shares.

use std::sync::Arc;

use chorus_core::Config;
use chorus_core::jobs::JobQueues;
use chorus_core::keyspace::Keyspace;
use chorus_core::upstream::UpstreamClient;
use redis::aio::ConnectionManager;
use sqlx::PgPool;

use crate::metrics::Metrics;

#[derive(Clone)]
pub struct WorkerContext {
    pub config: Arc<Config>,
    pub pool: PgPool,
    pub redis: ConnectionManager,
    pub keyspace: Keyspace,
    pub upstream: UpstreamClient,
    pub queues: JobQueues,
    pub metrics: Arc<Metrics>,
    /// Unique per process: it names the leases this worker holds.
    pub name: String,
}

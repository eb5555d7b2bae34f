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

impl AppState {
    /// A song request at today's price, billed in the configured zone, its
    /// budget warnings announced on Redis.
    pub async fn request_song(
        &self,
        user_id: uuid::Uuid,
        request: chorus_core::generations::Request<'_>,
    ) -> Result<chorus_core::generations::Ticket, chorus_core::generations::CreateError> {
        let announcer = chorus_core::generations::create::Announcer {
            redis: self.redis.clone(),
            keyspace: self.config.keyspace(),
        };
        let terms = chorus_core::generations::Terms {
            price: self.config.price,
            zone: &self.config.billing_zone,
        };
        chorus_core::generations::request_song(
            &self.pool,
            &self.queues,
            &announcer,
            user_id,
            request,
            terms,
        )
        .await
    }
}

//! Status changes, published on Redis per member so the web app can relay
//! them to the browser as they happen. Best effort: a page that missed an
//! event still reads the truth from Postgres.

use redis::aio::ConnectionManager;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::freshness;
use crate::keyspace::Keyspace;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenerationEvent {
    pub generation_id: Uuid,
    pub status: String,
    pub error: Option<String>,
}

/// The channel a member's events are published on.
pub fn channel(keyspace: &Keyspace, user_id: Uuid) -> String {
    keyspace.key(&format!("events:user:{user_id}"))
}

pub async fn publish(
    redis: &ConnectionManager,
    keyspace: &Keyspace,
    user_id: Uuid,
    event: &GenerationEvent,
) -> redis::RedisResult<()> {
    let payload = serde_json::to_string(event).map_err(|e| {
        redis::RedisError::from((redis::ErrorKind::Client, "event encoding", e.to_string()))
    })?;
    // The member's stamp moves first, in the same round trip: a page
    // reloaded on this event reads the new state, never a kept copy.
    redis::pipe()
        .incr(freshness::member_key(keyspace, user_id), 1)
        .ignore()
        .publish(channel(keyspace, user_id), payload)
        .ignore()
        .exec_async(&mut redis.clone())
        .await
}

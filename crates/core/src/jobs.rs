//! The jobs the web app and the worker exchange over Redis (apalis), and
//! the producer side. Jobs carry only ids: Postgres holds the truth, and a
//! job that runs twice finds nothing left to do.

use std::time::Duration;

use apalis::prelude::{TaskBuilder, TaskSink};
use apalis_redis::{Config as QueueConfig, RedisStorage};
use redis::aio::ConnectionManager;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::keyspace::Keyspace;

/// Send this generation to the upstream.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SubmitGeneration {
    pub generation_id: Uuid,
}

/// Copy this completed generation's audio and images into Chorus's storage.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArchiveGeneration {
    pub generation_id: Uuid,
}

/// A worker's heartbeat; a killed worker's jobs go back to the queue after
/// `HEARTBEAT × MISSED_HEARTBEATS` (apalis's default would be five minutes).
pub const HEARTBEAT: Duration = Duration::from_secs(5);
pub const MISSED_HEARTBEATS: usize = 3;

/// Queue settings, named explicitly under the instance's keyspace (the
/// default name would follow the Rust type's path).
pub fn queue_config(keyspace: &Keyspace, queue: &str) -> QueueConfig {
    QueueConfig::default()
        .queue(keyspace.key(&format!("jobs:{queue}")))
        .heartbeat_interval(HEARTBEAT)
        .missed_heartbeats(MISSED_HEARTBEATS)
}

pub const SUBMIT_QUEUE: &str = "submit";
pub const ARCHIVE_QUEUE: &str = "archive";

#[derive(Debug, thiserror::Error)]
#[error("could not enqueue a {queue} job: {message}")]
pub struct EnqueueError {
    pub queue: &'static str,
    pub message: String,
}

/// The producer side of both queues. Clones share one connection.
#[derive(Clone)]
pub struct JobQueues {
    submit: RedisStorage<SubmitGeneration>,
    archive: RedisStorage<ArchiveGeneration>,
}

impl JobQueues {
    pub fn new(conn: ConnectionManager, keyspace: &Keyspace) -> JobQueues {
        JobQueues {
            submit: RedisStorage::new(conn.clone())
                .with_config(queue_config(keyspace, SUBMIT_QUEUE)),
            archive: RedisStorage::new(conn).with_config(queue_config(keyspace, ARCHIVE_QUEUE)),
        }
    }

    pub async fn submit(&self, generation_id: Uuid, after: Duration) -> Result<(), EnqueueError> {
        let task = TaskBuilder::new(SubmitGeneration { generation_id })
            .run_after(after)
            .build();
        self.submit
            .clone()
            .push_task(task)
            .await
            .map_err(|e| EnqueueError {
                queue: SUBMIT_QUEUE,
                message: e.to_string(),
            })
    }

    pub async fn archive(&self, generation_id: Uuid) -> Result<(), EnqueueError> {
        self.archive
            .clone()
            .push(ArchiveGeneration { generation_id })
            .await
            .map_err(|e| EnqueueError {
                queue: ARCHIVE_QUEUE,
                message: e.to_string(),
            })
    }
}

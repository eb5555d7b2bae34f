//! What `/healthz` of the web app and the worker report.

use redis::aio::ConnectionManager;
use serde::Serialize;
use sqlx::PgPool;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Health {
    pub database: bool,
    pub redis: bool,
}

impl Health {
    pub fn ok(&self) -> bool {
        self.database && self.redis
    }
}

pub async fn check(pool: &PgPool, redis: &ConnectionManager) -> Health {
    let database = sqlx::query("SELECT 1").execute(pool).await.is_ok();
    let redis = redis::cmd("PING")
        .query_async::<String>(&mut redis.clone())
        .await
        .is_ok();
    Health { database, redis }
}

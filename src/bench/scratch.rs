//! A throw-away database and Redis prefix for one benchmark run.

use chorus_core::db;
use chorus_core::keyspace::{self, Keyspace};
use redis::aio::ConnectionManager;
use secrecy::{ExposeSecret, SecretString};
use sqlx::{Connection, Executor, PgConnection, PgPool};

pub struct Scratch {
    pub database_url: SecretString,
    admin_url: String,
    name: String,
    pub pool: PgPool,
    pub redis: ConnectionManager,
    pub keyspace: Keyspace,
}

impl Scratch {
    /// Creates and migrates `chorus_bench_<id>` next to the configured
    /// database.
    pub async fn create(database_url: &SecretString, redis_url: &str) -> anyhow::Result<Scratch> {
        let admin_url = database_url.expose_secret().to_owned();
        let id = uuid::Uuid::new_v4().simple().to_string();
        let name = format!("chorus_bench_{id}");
        let mut url = reqwest::Url::parse(&admin_url)?;
        url.set_path(&format!("/{name}"));
        let database_url = SecretString::from(url.to_string());
        let pool = db::migrate(&database_url).await?;
        let redis = keyspace::connect(redis_url).await?;
        Ok(Scratch {
            database_url,
            admin_url,
            name,
            pool,
            redis,
            keyspace: Keyspace::new(format!("chorus-bench:{id}")),
        })
    }

    pub async fn drop_all(self) -> anyhow::Result<()> {
        self.pool.close().await;
        let mut admin = PgConnection::connect(&self.admin_url).await?;
        let drop = format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name);
        admin.execute(sqlx::AssertSqlSafe(drop)).await?;
        let mut redis = self.redis;
        let keys: Vec<String> = redis::cmd("KEYS")
            .arg(self.keyspace.pattern())
            .query_async(&mut redis)
            .await?;
        if !keys.is_empty() {
            redis::cmd("DEL")
                .arg(keys)
                .query_async::<()>(&mut redis)
                .await?;
        }
        Ok(())
    }
}

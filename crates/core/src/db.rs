//! The Postgres connection and the schema's migrations.

use std::collections::HashMap;
use std::time::Duration;

use secrecy::{ExposeSecret, SecretString};
use sqlx::Postgres;
use sqlx::migrate::{MigrateDatabase, Migrator};
use sqlx::postgres::{PgPool, PgPoolOptions};

/// Every migration in `migrations/`, compiled into the binary.
pub static MIGRATOR: Migrator = sqlx::migrate!("../../migrations");

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("cannot reach Postgres at {url}: {source}")]
    Unreachable { url: String, source: sqlx::Error },
    #[error(
        "the database at {url} is not migrated ({pending} migration(s) pending): run `chorus migrate` first"
    )]
    NotMigrated { url: String, pending: usize },
    #[error(
        "the database at {url} has migration {version} that this build of Chorus does not know: run a newer Chorus"
    )]
    UnknownMigration { url: String, version: i64 },
    #[error("migration {version} was changed after it was applied to {url}")]
    ChangedMigration { url: String, version: i64 },
    #[error("migrating {url} failed: {source}")]
    Migrate {
        url: String,
        source: sqlx::migrate::MigrateError,
    },
    #[error(transparent)]
    Query(#[from] sqlx::Error),
}

/// Connects a pool; the URL in errors has its password masked.
pub async fn connect(database_url: &SecretString) -> Result<PgPool, DbError> {
    let url = database_url.expose_secret();
    PgPoolOptions::new()
        // The worker's submit jobs and pollers run side by side.
        .max_connections(20)
        .acquire_timeout(Duration::from_secs(5))
        .connect(url)
        .await
        .map_err(|source| DbError::Unreachable {
            url: masked(url),
            source,
        })
}

/// Creates the database if it does not exist yet, then applies pending
/// migrations. Safe to run from several processes at once (sqlx takes an
/// advisory lock).
pub async fn migrate(database_url: &SecretString) -> Result<PgPool, DbError> {
    let url = database_url.expose_secret();
    let exists = Postgres::database_exists(url)
        .await
        .map_err(|source| DbError::Unreachable {
            url: masked(url),
            source,
        })?;
    if !exists {
        Postgres::create_database(url)
            .await
            .map_err(|source| DbError::Unreachable {
                url: masked(url),
                source,
            })?;
    }
    let pool = connect(database_url).await?;
    MIGRATOR
        .run(&pool)
        .await
        .map_err(|source| DbError::Migrate {
            url: masked(url),
            source,
        })?;
    Ok(pool)
}

/// Refuses a database whose schema is not exactly the one this build expects.
pub async fn ensure_migrated(pool: &PgPool, database_url: &SecretString) -> Result<(), DbError> {
    let url = masked(database_url.expose_secret());
    let has_table: bool =
        sqlx::query_scalar("SELECT to_regclass('public._sqlx_migrations') IS NOT NULL")
            .fetch_one(pool)
            .await?;
    let applied: HashMap<i64, Vec<u8>> = if has_table {
        sqlx::query_as::<_, (i64, Vec<u8>)>(
            "SELECT version, checksum FROM _sqlx_migrations WHERE success",
        )
        .fetch_all(pool)
        .await?
        .into_iter()
        .collect()
    } else {
        HashMap::new()
    };
    let known: Vec<_> = MIGRATOR
        .iter()
        .filter(|m| m.migration_type.is_up_migration())
        .collect();
    if let Some(version) = applied
        .keys()
        .find(|v| !known.iter().any(|m| m.version == **v))
    {
        return Err(DbError::UnknownMigration {
            url,
            version: *version,
        });
    }
    let mut pending = 0;
    for migration in &known {
        match applied.get(&migration.version) {
            None => pending += 1,
            Some(sum) if sum[..] != migration.checksum[..] => {
                return Err(DbError::ChangedMigration {
                    url,
                    version: migration.version,
                });
            }
            Some(_) => {}
        }
    }
    if pending > 0 {
        return Err(DbError::NotMigrated { url, pending });
    }
    Ok(())
}

/// The database URL without its password, fit for logs.
pub fn masked_secret(url: &SecretString) -> String {
    masked(url.expose_secret())
}

/// The URL without its password, fit for logs and error messages.
pub fn masked(url: &str) -> String {
    match reqwest::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("***"));
            parsed.to_string()
        }
        _ => url.to_owned(),
    }
}

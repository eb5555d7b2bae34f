use std::hash::{DefaultHasher, Hash, Hasher};

use chorus_core::db::MIGRATOR;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::{Connection, Executor, PgConnection, PgPool};
use tokio::sync::OnceCell;

use crate::blocking::run_to_completion;

const DEFAULT_ADMIN_URL: &str = "postgres://postgres@127.0.0.1:5432/postgres";

/// A database of its own for one test, dropped when the test ends.
pub struct TestDb {
    name: String,
    url: String,
    admin_url: String,
    pool: PgPool,
}

impl TestDb {
    /// A fresh database with every migration applied.
    pub async fn migrated() -> TestDb {
        let template = template().await;
        TestDb::create(&format!("TEMPLATE {template}")).await
    }

    /// A fresh database with nothing in it, not even the migrations table.
    pub async fn empty() -> TestDb {
        TestDb::create("").await
    }

    /// A database name that does not exist yet (for tests of creating
    /// it); dropped at the end if something created it. Its pool connects
    /// lazily.
    pub async fn absent() -> TestDb {
        let admin_url = admin_url();
        drop(admin_connection(&admin_url).await);
        let name = new_name();
        let url = with_database(&admin_url, &name);
        let pool = PgPoolOptions::new()
            .max_connections(2)
            .connect_lazy(&url)
            .unwrap_or_else(|e| panic!("bad database URL {url}: {e}"));
        TestDb {
            name,
            url,
            admin_url,
            pool,
        }
    }

    async fn create(options: &str) -> TestDb {
        let admin_url = admin_url();
        let name = new_name();
        let mut admin = admin_connection(&admin_url).await;
        admin
            .execute(sqlx::AssertSqlSafe(format!(
                "CREATE DATABASE {name} {options}"
            )))
            .await
            .unwrap_or_else(|e| panic!("cannot create test database {name}: {e}"));
        let url = with_database(&admin_url, &name);
        let pool = PgPoolOptions::new()
            .max_connections(10)
            .connect(&url)
            .await
            .unwrap_or_else(|e| panic!("cannot connect to {url}: {e}"));
        TestDb {
            name,
            url,
            admin_url,
            pool,
        }
    }

    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let (name, admin_url) = (self.name.clone(), self.admin_url.clone());
        run_to_completion(async move {
            if let Ok(mut admin) = PgConnection::connect(&admin_url).await {
                let drop = format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)");
                let _ = admin.execute(sqlx::AssertSqlSafe(drop)).await;
            }
        });
    }
}

fn new_name() -> String {
    format!("chorus_test_{}", uuid::Uuid::new_v4().simple())
}

fn admin_url() -> String {
    std::env::var("DATABASE_URL").unwrap_or_else(|_| DEFAULT_ADMIN_URL.to_owned())
}

async fn admin_connection(url: &str) -> PgConnection {
    PgConnection::connect(url).await.unwrap_or_else(|e| {
        panic!(
            "Postgres is not reachable at {url} ({e}). Start it with \
             `pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start`, \
             or set DATABASE_URL to a server whose role may CREATE DATABASE."
        )
    })
}

fn with_database(url: &str, name: &str) -> String {
    let mut parsed = reqwest::Url::parse(url)
        .unwrap_or_else(|e| panic!("DATABASE_URL {url:?} is not a URL: {e}"));
    parsed.set_path(&format!("/{name}"));
    parsed.to_string()
}

/// The template database for the current set of migrations, migrated once
/// per set: its name carries a hash of every migration's checksum, so a new
/// or changed migration gets a new template.
async fn template() -> &'static str {
    static TEMPLATE: OnceCell<String> = OnceCell::const_new();
    TEMPLATE.get_or_init(build_template).await
}

async fn build_template() -> String {
    let mut hasher = DefaultHasher::new();
    for migration in MIGRATOR.iter() {
        (migration.version, &migration.checksum[..]).hash(&mut hasher);
    }
    let name = format!("chorus_template_{:016x}", hasher.finish());
    let admin_url = admin_url();
    let mut admin = admin_connection(&admin_url).await;
    // Test binaries run in parallel: one builds, the others wait.
    sqlx::query("SELECT pg_advisory_lock(7447010001)")
        .execute(&mut admin)
        .await
        .unwrap();
    let exists: bool =
        sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
            .bind(&name)
            .fetch_one(&mut admin)
            .await
            .unwrap();
    if !exists {
        // Build under a temporary name and rename, so a crash mid-way never
        // leaves a half-migrated template behind.
        let building = format!("{name}_building_{}", uuid::Uuid::new_v4().simple());
        admin
            .execute(sqlx::AssertSqlSafe(format!("CREATE DATABASE {building}")))
            .await
            .unwrap();
        let options: PgConnectOptions = with_database(&admin_url, &building).parse().unwrap();
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .connect_with(options)
            .await
            .unwrap();
        MIGRATOR
            .run(&pool)
            .await
            .unwrap_or_else(|e| panic!("migrating the test template failed: {e}"));
        pool.close().await;
        admin
            .execute(sqlx::AssertSqlSafe(format!(
                "ALTER DATABASE {building} RENAME TO {name}"
            )))
            .await
            .unwrap();
    }
    sqlx::query("SELECT pg_advisory_unlock(7447010001)")
        .execute(&mut admin)
        .await
        .unwrap();
    name
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    #[should_panic(
        expected = "Postgres is not reachable at postgres://postgres@127.0.0.1:1/postgres"
    )]
    async fn an_unreachable_postgres_fails_the_test_and_says_how_to_start_it() {
        admin_connection("postgres://postgres@127.0.0.1:1/postgres").await;
    }

    #[tokio::test]
    async fn each_test_database_is_migrated_isolated_and_dropped() {
        let (a, b) = tokio::join!(TestDb::migrated(), TestDb::migrated());
        assert_ne!(a.name(), b.name());
        sqlx::query("INSERT INTO users (id, email, password_hash) VALUES ($1, 'a@x', 'h')")
            .bind(uuid::Uuid::new_v4())
            .execute(a.pool())
            .await
            .unwrap();
        let in_b: i64 = sqlx::query_scalar("SELECT count(*) FROM users")
            .fetch_one(b.pool())
            .await
            .unwrap();
        assert_eq!(in_b, 0);

        let name = a.name().to_owned();
        drop(a);
        let mut admin = admin_connection(&admin_url()).await;
        let left: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
                .bind(&name)
                .fetch_one(&mut admin)
                .await
                .unwrap();
        assert!(!left, "{name} was not dropped");
    }
}

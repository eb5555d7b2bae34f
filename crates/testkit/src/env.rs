use std::collections::HashMap;

use chorus_core::Config;
use chorus_upstream_sim::{SimClock, SimConfig};

use crate::{TestDb, TestRedis, TestSim};

/// Everything Chorus needs, isolated for one test.
pub struct TestEnv {
    pub db: TestDb,
    pub redis: TestRedis,
    pub sim: TestSim,
    pub storage: tempfile::TempDir,
}

impl TestEnv {
    /// A migrated database, a Redis prefix and a fast simulator without
    /// faults (a song takes 0.8 s).
    pub async fn start() -> TestEnv {
        TestEnv::with_sim(SimConfig {
            // Fast, yet with a streaming phase long enough that a poller
            // polling every 50 ms sees it even on a busy machine.
            clock: SimClock::from_millis(100, 200, 500),
            ..SimConfig::default()
        })
        .await
    }

    pub async fn with_sim(sim: SimConfig) -> TestEnv {
        crate::init();
        let (db, redis, sim) =
            tokio::join!(TestDb::migrated(), TestRedis::new(), TestSim::start(sim));
        let storage = tempfile::tempdir().unwrap_or_else(|e| panic!("no temp dir: {e}"));
        TestEnv {
            db,
            redis,
            sim,
            storage,
        }
    }

    /// The configuration of a Chorus that uses this environment and listens
    /// on random ports.
    pub fn config(&self) -> Config {
        self.config_with(&[])
    }

    /// Like [`TestEnv::config`], with some variables set differently.
    pub fn config_with(&self, overrides: &[(&str, &str)]) -> Config {
        let mut vars: HashMap<String, String> = self
            .env_vars()
            .into_iter()
            .map(|(k, v)| (k.to_owned(), v))
            .collect();
        for (k, v) in overrides {
            vars.insert((*k).to_owned(), (*v).to_owned());
        }
        Config::from_lookup(|name| vars.get(name).cloned())
            .unwrap_or_else(|e| panic!("test configuration refused: {e}"))
    }

    /// The same configuration as environment variables, for running the
    /// `chorus` binary.
    pub fn env_vars(&self) -> Vec<(&'static str, String)> {
        vec![
            ("DATABASE_URL", self.db.url().to_owned()),
            ("REDIS_URL", self.redis.url().to_owned()),
            (
                "CHORUS_REDIS_PREFIX",
                self.redis.keyspace().prefix().to_owned(),
            ),
            ("CHORUS_BIND", "127.0.0.1:0".to_owned()),
            ("CHORUS_WORKER_BIND", "127.0.0.1:0".to_owned()),
            ("CHORUS_UPSTREAM_URL", self.sim.api_base_url().to_owned()),
            (
                "CHORUS_STORAGE_DIR",
                self.storage.path().to_string_lossy().into_owned(),
            ),
            // The pipeline at test speed.
            ("CHORUS_POLL_INTERVAL_MS", "100".to_owned()),
            ("CHORUS_STREAMING_POLL_INTERVAL_MS", "50".to_owned()),
            ("CHORUS_RECOVERY_GRACE_S", "1".to_owned()),
            ("CHORUS_UPSTREAM_TIMEOUT_S", "3".to_owned()),
        ]
    }
}

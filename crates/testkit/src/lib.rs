//! The test harness every Chorus test builds on: real Postgres, real Redis
//! and the real simulator, each isolated per test.
//!
//! - [`TestDb`]: a fresh, migrated database per test, copied from a template
//!   that is migrated once per set of migrations, and dropped afterwards.
//! - [`TestRedis`]: a fresh key prefix per test, whose keys are deleted
//!   afterwards.
//! - [`TestSim`]: the upstream simulator on a random port.
//! - [`TestEnv`]: all three, and the [`chorus_core::Config`] that points at
//!   them.
//!
//! A test that cannot reach Postgres or Redis fails with the URL it tried and
//! how to start the service; it never passes by skipping.

#![allow(clippy::unwrap_used)]

mod blocking;
mod database;
mod env;
mod keyspace;
mod sim;

pub use database::TestDb;
pub use env::TestEnv;
pub use keyspace::TestRedis;
pub use sim::TestSim;

/// Installs the crypto provider and, when `TEST_LOG` is set, a log
/// subscriber; cheap to call from every test.
pub fn init() {
    chorus_core::upstream::init_crypto();
    if std::env::var_os("TEST_LOG").is_some() {
        let _ = tracing_subscriber::fmt()
            .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
            .with_test_writer()
            .try_init();
    }
}

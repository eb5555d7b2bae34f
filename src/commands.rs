//! What each subcommand does: read the config, check the database, run.

mod accounts;

use anyhow::Context;
use chorus_core::{Config, billing, db, telemetry, upstream};
use chorus_upstream_sim::{SimConfig, Simulator};
use chorus_web::WebApp;
use chorus_worker::WorkerApp;
use sqlx::PgPool;

pub use accounts::{TokenCreateArgs, UserCreateArgs, token_create, user_create};

fn config() -> anyhow::Result<Config> {
    let config = Config::from_env()?;
    telemetry::init(config.log_format);
    upstream::init_crypto();
    Ok(config)
}

/// Every role but `migrate` and `all` refuses an unmigrated database.
async fn migrated_pool(config: &Config) -> anyhow::Result<PgPool> {
    let pool = db::connect(&config.database_url).await?;
    db::ensure_migrated(&pool, &config.database_url).await?;
    billing::zone::ensure_known(&pool, &config.billing_zone).await?;
    Ok(pool)
}

pub async fn web() -> anyhow::Result<()> {
    let config = config()?;
    let pool = migrated_pool(&config).await?;
    WebApp::build(config, pool)
        .await?
        .run_until_stopped()
        .await?;
    Ok(())
}

pub async fn worker() -> anyhow::Result<()> {
    let config = config()?;
    let pool = migrated_pool(&config).await?;
    WorkerApp::build(config, pool)
        .await?
        .run_until_stopped()
        .await?;
    Ok(())
}

pub async fn migrate() -> anyhow::Result<()> {
    let config = config()?;
    db::migrate(&config.database_url).await?;
    tracing::info!(database = %db::masked_secret(&config.database_url), "migrations applied");
    Ok(())
}

pub async fn sim() -> anyhow::Result<()> {
    let config = config()?;
    let sim = simulator(&config)?;
    sim.run_until_stopped().await?;
    Ok(())
}

pub async fn all() -> anyhow::Result<()> {
    let mut config = config()?;
    let pool = db::migrate(&config.database_url).await?;
    billing::zone::ensure_known(&pool, &config.billing_zone).await?;
    // Without an API key, the built-in simulator is the upstream.
    let sim = match config.upstream.simulated {
        true => {
            let sim = simulator(&config)?;
            config.upstream.url = sim.api_base_url().parse()?;
            Some(sim)
        }
        false => None,
    };
    let web = WebApp::build(config.clone(), pool.clone()).await?;
    let worker = WorkerApp::build(config, pool).await?;
    let sim = async {
        match sim {
            Some(sim) => sim.run_until_stopped().await,
            None => Ok(()),
        }
    };
    tokio::try_join!(web.run_until_stopped(), worker.run_until_stopped(), sim)?;
    Ok(())
}

fn simulator(config: &Config) -> anyhow::Result<Simulator> {
    let sim_config = SimConfig::from_env()?;
    let sim = Simulator::bind(sim_config, &config.sim_bind)
        .with_context(|| format!("cannot listen on {} (CHORUS_SIM_BIND)", config.sim_bind))?;
    tracing::info!(url = %sim.api_base_url(), "upstream simulator listening");
    Ok(sim)
}

pub async fn bench_pipeline(args: crate::bench::PipelineArgs) -> anyhow::Result<()> {
    crate::bench::pipeline(bench_config()?, args).await
}

pub async fn bench_pages(args: crate::bench::PagesArgs) -> anyhow::Result<()> {
    crate::bench::pages(bench_config()?, args).await
}

pub async fn bench_billing(args: crate::bench::BillingArgs) -> anyhow::Result<()> {
    crate::bench::billing(bench_config()?, args).await
}

/// Warnings only unless RUST_LOG asks for more: a log line per request or
/// per task would be measured along with what the benchmark measures.
fn bench_config() -> anyhow::Result<Config> {
    let config = Config::from_env()?;
    telemetry::init_at(config.log_format, "warn");
    upstream::init_crypto();
    Ok(config)
}

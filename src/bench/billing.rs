//! `chorus bench billing`: the member's and the admin's billing dashboards
//! over a year of money (1 000 000 ledger rows across 200 members by
//! default), under concurrent signed-in clients.
//!
//! Each dashboard is measured twice in the same run: served by a web app
//! that keeps pages' data (the default), and by one with
//! `CHORUS_KEEP_PAGES=false`, where every view reads the rollup anew.

use std::time::Duration;

use chorus_core::Config;
use chorus_core::billing::zone;

use super::billing_seed::seed_billing;
use super::load;
use super::pages::{sign_in, start_web};
use super::scratch::Scratch;

#[derive(Debug, clap::Args)]
pub struct BillingArgs {
    /// Ledger rows in the database.
    #[arg(long, default_value_t = 1_000_000)]
    ledger_rows: i64,
    /// Members they belong to.
    #[arg(long, default_value_t = 200)]
    members: i64,
    /// Concurrent clients.
    #[arg(long, default_value_t = 16)]
    clients: usize,
    /// Seconds of load per dashboard.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
}

pub async fn billing(config: Config, args: BillingArgs) -> anyhow::Result<()> {
    let scratch = Scratch::create(&config.database_url, &config.redis_url).await?;
    let seeded = std::time::Instant::now();
    let seed = seed_billing(
        &scratch.pool,
        args.members,
        args.ledger_rows,
        12,
        &config.billing_zone,
    )
    .await?;
    eprintln!(
        "seeded {} ledger rows ({} songs) in {:.0} s",
        seed.ledger_rows,
        seed.generations,
        seeded.elapsed().as_secs_f64()
    );

    let this_month = zone::this_month(&scratch.pool, &config.billing_zone).await?;
    let kept_base = start_web(&config, &scratch, true).await?;
    let fresh_base = start_web(&config, &scratch, false).await?;
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(args.clients * 2)
        .build()?;
    let member = sign_in(&http, &kept_base, &seed.member_email).await?;
    let admin = sign_in(&http, &kept_base, &seed.admin_email).await?;
    // Last month: a whole month of days, not a partial one.
    let month = zone::month_label(zone::previous_month(this_month));

    let duration = Duration::from_secs(args.seconds);
    let mut rows = Vec::new();
    for (name, path, cookie) in [
        ("member /billing", "/billing", &member),
        ("admin /admin/billing", "/admin/billing", &admin),
    ] {
        for (how, base) in [("kept", &kept_base), ("read anew", &fresh_base)] {
            let url = format!("{base}{path}?month={month}");
            rows.push((
                format!("{name} ({how})"),
                load::page(&http, &url, cookie, args.clients, duration).await?,
            ));
        }
    }
    scratch.drop_all().await?;

    println!(
        "{} ledger rows, {} members, {} clients, {} s per dashboard",
        seed.ledger_rows, args.members, args.clients, args.seconds
    );
    for (name, result) in rows {
        println!("{name:<34} {}", result.figures());
    }
    Ok(())
}

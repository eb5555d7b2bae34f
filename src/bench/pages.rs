//! `chorus bench pages`: the web app's busiest pages over a database of many
//! songs, under concurrent signed-in clients, next to a bare actix-web +
//! askama page rendering a list from memory, in the same run.

use std::time::Duration;

use chorus_core::Config;
use chorus_web::WebApp;
use secrecy::ExposeSecret;
use uuid::Uuid;

use super::load;
use super::scratch::Scratch;
use super::{baseline, seed};

#[derive(Debug, clap::Args)]
pub struct PagesArgs {
    /// Songs in the database.
    #[arg(long, default_value_t = 1_000_000)]
    generations: i64,
    /// Members they belong to.
    #[arg(long, default_value_t = 200)]
    members: i64,
    /// Concurrent clients.
    #[arg(long, default_value_t = 64)]
    clients: usize,
    /// Seconds of load per page.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
}

pub async fn pages(config: Config, args: PagesArgs) -> anyhow::Result<()> {
    let scratch = Scratch::create(&config.database_url, &config.redis_url).await?;
    let seeded = std::time::Instant::now();
    let (user_id, email) = seed::seed(&scratch.pool, args.generations, args.members).await?;
    eprintln!(
        "seeded {} songs in {:.0} s",
        args.generations,
        seeded.elapsed().as_secs_f64()
    );

    let base = start_web(&config, &scratch, true).await?;
    let fresh_base = start_web(&config, &scratch, false).await?;
    let baseline_url = baseline::start()?;

    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .pool_max_idle_per_host(args.clients * 2)
        .build()?;
    let cookie = sign_in(&http, &base, &email).await?;
    let song: Uuid = sqlx::query_scalar(
        "SELECT id FROM generations WHERE user_id = $1 ORDER BY created_at DESC LIMIT 1",
    )
    .bind(user_id)
    .fetch_one(&scratch.pool)
    .await?;

    let duration = Duration::from_secs(args.seconds);
    let mut rows = vec![(
        "baseline (memory)".to_owned(),
        load::run(&http, &baseline_url, None, args.clients, duration).await,
    )];
    for (name, path) in [
        ("my songs", "/songs".to_owned()),
        ("song page", format!("/songs/{song}")),
        ("gallery", "/gallery".to_owned()),
    ] {
        for (how, base) in [("kept", &base), ("read anew", &fresh_base)] {
            let url = format!("{base}{path}");
            rows.push((
                format!("{name} ({how})"),
                load::page(&http, &url, &cookie, args.clients, duration).await?,
            ));
        }
    }
    scratch.drop_all().await?;

    let baseline_rps = rows[0].1.per_second;
    println!(
        "{} songs, {} members, {} clients, {} s per page",
        args.generations, args.members, args.clients, args.seconds
    );
    for (name, result) in rows {
        println!(
            "{name:<22} {} vs_baseline={:.2}",
            result.figures(),
            result.per_second / baseline_rps
        );
    }
    Ok(())
}

/// A web app on the scratch database, keeping pages' data or not; every
/// app shares the scratch Redis keyspace, so one session works on all.
pub(super) async fn start_web(
    config: &Config,
    scratch: &Scratch,
    keep_pages: bool,
) -> anyhow::Result<String> {
    let mut web_config = config.clone();
    web_config.database_url = scratch.database_url.expose_secret().to_owned().into();
    web_config.redis_prefix = scratch.keyspace.prefix().to_owned();
    web_config.bind = "127.0.0.1:0".to_owned();
    web_config.keep_pages = keep_pages;
    let web = WebApp::build(web_config, scratch.pool.clone()).await?;
    let base = format!("http://127.0.0.1:{}", web.port());
    tokio::spawn(web.run_until_stopped());
    Ok(base)
}

/// Signs in through the real form and returns the cookies to send.
pub(super) async fn sign_in(
    http: &reqwest::Client,
    base: &str,
    email: &str,
) -> anyhow::Result<String> {
    let form = http.get(format!("{base}/sign-in")).send().await?;
    let csrf_cookie = cookie_named(&form, "chorus_csrf")
        .ok_or_else(|| anyhow::anyhow!("the sign-in page set no CSRF cookie"))?;
    let html = form.text().await?;
    let token = html
        .split("name=\"csrf\" value=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .ok_or_else(|| anyhow::anyhow!("the sign-in page has no CSRF field"))?
        .to_owned();
    let signed_in = http
        .post(format!("{base}/sign-in"))
        .header("cookie", format!("chorus_csrf={csrf_cookie}"))
        .form(&[
            ("email", email),
            ("password", seed::PASSWORD),
            ("csrf", &token),
            ("next", "/"),
        ])
        .send()
        .await?;
    let session = cookie_named(&signed_in, "chorus_session")
        .ok_or_else(|| anyhow::anyhow!("sign-in failed: {}", signed_in.status()))?;
    Ok(format!(
        "chorus_session={session}; chorus_csrf={csrf_cookie}"
    ))
}

fn cookie_named(response: &reqwest::Response, name: &str) -> Option<String> {
    response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|v| {
            v.strip_prefix(&format!("{name}="))
                .map(|rest| rest.split(';').next().unwrap_or("").to_owned())
        })
}

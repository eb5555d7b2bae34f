//! `chorus bench pipeline`: requests many songs at once, web-less, against
//! the simulator, with the worker in a process of its own, and prints one
//! line of figures.

use std::time::{Duration, Instant};

use chorus_core::Config;
use chorus_core::generations::create::Announcer;
use chorus_core::generations::{Request, SongInput, Terms, request_song};
use chorus_core::jobs::JobQueues;
use chorus_upstream_sim::{SimClock, SimConfig, Simulator};
use futures_util::StreamExt;
use secrecy::ExposeSecret;
use sqlx::PgPool;
use time::OffsetDateTime;
use uuid::Uuid;

use super::scratch::Scratch;
use super::worker_process::WorkerProcess;

#[derive(Debug, clap::Args)]
pub struct PipelineArgs {
    /// How many songs to request.
    #[arg(long, default_value_t = 10_000)]
    songs: usize,
    /// The simulator's queued, processing and streaming phases, in ms.
    #[arg(long, default_value = "10000,10000,10000")]
    phase_ms: String,
    /// The worker's poll interval (CHORUS_POLL_INTERVAL_MS).
    #[arg(long, default_value_t = 5_000)]
    poll_interval_ms: u64,
    /// The worker's poll interval while a song streams.
    #[arg(long, default_value_t = 2_000)]
    streaming_poll_interval_ms: u64,
    /// Also copy every finished song into a scratch storage folder
    /// (measures downloads too; 10 000 songs write about 3 GB).
    #[arg(long)]
    archive: bool,
}

pub async fn pipeline(config: Config, args: PipelineArgs) -> anyhow::Result<()> {
    let phases: Vec<u64> = args
        .phase_ms
        .split(',')
        .map(|p| p.trim().parse())
        .collect::<Result<_, _>>()?;
    let [queued, processing, streaming] = phases[..] else {
        anyhow::bail!("--phase-ms takes three numbers: queued,processing,streaming");
    };
    let scratch = Scratch::create(&config.database_url, &config.redis_url).await?;
    let storage = tempfile::tempdir()?;
    let sim = Simulator::bind(
        SimConfig {
            clock: SimClock::from_millis(queued, processing, streaming),
            ..SimConfig::default()
        },
        "127.0.0.1:0",
    )?
    .without_os_signals();
    let sim_handle = sim.handle();
    let sim_url = sim.api_base_url();
    tokio::spawn(sim.run_until_stopped());

    let vars = vec![
        (
            "DATABASE_URL",
            scratch.database_url.expose_secret().to_owned(),
        ),
        ("REDIS_URL", config.redis_url.clone()),
        ("CHORUS_REDIS_PREFIX", scratch.keyspace.prefix().to_owned()),
        ("CHORUS_UPSTREAM_URL", sim_url),
        ("CHORUS_WORKER_BIND", "127.0.0.1:0".to_owned()),
        ("CHORUS_POLL_INTERVAL_MS", args.poll_interval_ms.to_string()),
        (
            "CHORUS_STREAMING_POLL_INTERVAL_MS",
            args.streaming_poll_interval_ms.to_string(),
        ),
        (
            "CHORUS_STORAGE_DIR",
            storage.path().to_string_lossy().into_owned(),
        ),
        ("CHORUS_ARCHIVE_MEDIA", args.archive.to_string()),
    ];
    let worker = WorkerProcess::start(&vars).await?;
    let user_id = bench_member(&scratch.pool).await?;
    let queues = JobQueues::new(scratch.redis.clone(), &scratch.keyspace);
    let announcer = Announcer {
        redis: scratch.redis.clone(),
        keyspace: scratch.keyspace.clone(),
    };
    let terms = Terms {
        price: config.price,
        zone: &config.billing_zone,
    };

    let started = Instant::now();
    let input = SongInput::Describe {
        topic: "a benchmark about spring".into(),
        instrumental: true,
    };
    let created = futures_util::stream::iter(0..args.songs)
        .map(|_| {
            request_song(
                &scratch.pool,
                &queues,
                &announcer,
                user_id,
                Request {
                    input: &input,
                    key: None,
                },
                terms,
            )
        })
        .buffer_unordered(32)
        .filter(|r| std::future::ready(r.is_ok()))
        .count()
        .await;
    anyhow::ensure!(
        created == args.songs,
        "only {created} of {} songs were created",
        args.songs
    );
    let requested_in = started.elapsed();

    let peak_in_flight = wait_until_settled(&scratch.pool, Duration::from_secs(900)).await?;
    let elapsed = started.elapsed();
    let usage = worker.usage()?;
    let lags = completion_lags(&scratch.pool, &sim_handle).await?;
    let stats = sim_handle.stats();
    let completed: i64 =
        sqlx::query_scalar("SELECT count(*) FROM generations WHERE status = 'completed'")
            .fetch_one(&scratch.pool)
            .await?;
    worker.stop().await?;
    scratch.drop_all().await?;

    let polls = stats.polls.max(1) as f64;
    let full = stats.ids_per_poll.get(&25).copied().unwrap_or(0) as f64;
    println!(
        "songs={} completed={completed} peak_in_flight={peak_in_flight} requested_in_s={:.1} total_s={:.1} \
         upstream_requests_per_song={:.2} polls={} mean_ids_per_poll={:.2} full_polls={:.1}% \
         lag_p50_ms={} lag_p99_ms={} lag_max_ms={} worker_cpu_s={:.1} worker_peak_rss_mb={:.1}",
        args.songs,
        requested_in.as_secs_f64(),
        elapsed.as_secs_f64(),
        (stats.submissions + stats.polls) as f64 / args.songs as f64,
        stats.polls,
        stats.poll_ids_total as f64 / polls,
        100.0 * full / polls,
        percentile(&lags, 0.50),
        percentile(&lags, 0.99),
        lags.last().copied().unwrap_or(0),
        usage.cpu_seconds,
        usage.peak_rss_mb,
    );
    Ok(())
}

async fn bench_member(pool: &PgPool) -> sqlx::Result<Uuid> {
    let id = Uuid::now_v7();
    // No password: nobody signs in as the benchmark.
    sqlx::query(
        "INSERT INTO users (id, email, password_hash) VALUES ($1, 'bench@chorus.invalid', '!')",
    )
    .bind(id)
    .execute(pool)
    .await?;
    Ok(id)
}

/// Waits until every song has ended; returns the most that were in flight
/// at once.
async fn wait_until_settled(pool: &PgPool, deadline: Duration) -> anyhow::Result<i64> {
    let start = Instant::now();
    let mut peak = 0;
    loop {
        let (open, in_flight): (i64, i64) = sqlx::query_as(
            "SELECT count(*) FILTER (WHERE status NOT IN ('completed', 'failed')),
                    count(*) FILTER (WHERE status IN ('submitted', 'queued', 'processing', 'streaming'))
             FROM generations",
        )
        .fetch_one(pool)
        .await?;
        peak = peak.max(in_flight);
        if open == 0 {
            return Ok(peak);
        }
        anyhow::ensure!(
            start.elapsed() < deadline,
            "{open} songs still open after {deadline:?}"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}

/// For each song, how long after the simulator finished it Chorus recorded
/// the end, in ms, sorted.
async fn completion_lags(
    pool: &PgPool,
    sim: &chorus_upstream_sim::SimHandle,
) -> anyhow::Result<Vec<i64>> {
    let rows: Vec<(String, OffsetDateTime)> = sqlx::query_as(
        "SELECT g.task_id, t.at FROM generations g
         JOIN generation_transitions t ON t.generation_id = g.id AND t.to_status IN ('completed', 'failed')
         WHERE g.task_id IS NOT NULL",
    )
    .fetch_all(pool)
    .await?;
    let mut lags: Vec<i64> = rows
        .into_iter()
        .filter_map(|(task_id, recorded)| {
            let finished = sim.finished_at(task_id.parse().ok()?)?;
            Some((recorded - finished).whole_milliseconds() as i64)
        })
        .collect();
    lags.sort_unstable();
    Ok(lags)
}

fn percentile(sorted: &[i64], q: f64) -> i64 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((sorted.len() as f64) * q).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

//! Nothing is lost when Redis forgets or a worker dies.

use std::time::Duration;

use chorus_core::Micros;
use chorus_core::generations::{Request, SongInput, Terms, create_generation};
use chorus_testkit::TestEnv;
use chorus_upstream_sim::{SimClock, SimConfig};

use super::invariants::assert_money_invariants;
use super::members::{describe, member};
use crate::cli::Running;
use crate::helpers::{spawn_app, spawn_web, wait_for};

#[tokio::test]
async fn songs_whose_jobs_redis_lost_are_still_made() {
    let mut app = spawn_web(TestEnv::start().await, &[]).await;
    let alice = member(&app, "alice@example.com", None).await;
    let mut ids = Vec::new();
    for _ in 0..10 {
        ids.push(app.request_song(&alice, &describe()).await);
    }
    // Redis forgets every job before any worker saw them.
    let keys = app.env.redis.keys().await;
    assert!(!keys.is_empty(), "the jobs were never queued");
    let _: () = redis::cmd("DEL")
        .arg(keys)
        .query_async(&mut app.env.redis.connection())
        .await
        .unwrap();

    app.start_worker().await;
    for id in ids {
        assert_eq!(
            app.finished_within(&alice, id, Duration::from_secs(30))
                .await["status"],
            "completed"
        );
    }
    assert_eq!(
        app.env.sim.handle().stats().tasks_created,
        10,
        "each song submitted once"
    );
    assert_money_invariants(&app).await;
}

#[tokio::test]
async fn a_submission_abandoned_by_a_dead_worker_is_failed_not_sent_again() {
    let app = spawn_app().await;
    let alice = member(&app, "alice@example.com", None).await;
    let input = SongInput::Describe {
        topic: "spring".into(),
        instrumental: false,
    };
    // A worker claimed it, then died: its lease has run out.
    let terms = Terms {
        price: Micros(35_000),
        zone: &app.config.billing_zone,
    };
    let ticket = create_generation(
        app.env.db.pool(),
        alice.id,
        Request {
            input: &input,
            key: None,
        },
        terms,
    )
    .await
    .unwrap()
    .ticket;
    sqlx::query(
        "UPDATE generations SET status = 'submitting', locked_by = 'dead-worker',
                locked_until = now() - interval '1 second' WHERE id = $1",
    )
    .bind(ticket.id)
    .execute(app.env.db.pool())
    .await
    .unwrap();

    let song = app.finished(&alice, ticket.id).await;
    assert_eq!(song["status"], "failed", "{song}");
    assert!(
        song["error"].as_str().unwrap().contains("outcome unknown"),
        "{song}"
    );
    assert_eq!(
        app.env.sim.handle().stats().submissions,
        0,
        "it must not be sent again"
    );
    let usage = app.usage(&alice).await;
    assert_eq!(usage["reserved_micros"], 0, "{usage}");
    assert_money_invariants(&app).await;
}

#[tokio::test]
async fn a_second_worker_finishes_what_a_killed_worker_had_in_flight() {
    let env = TestEnv::with_sim(SimConfig {
        clock: SimClock::from_millis(1_000, 1_000, 1_000),
        ..SimConfig::default()
    })
    .await;
    let app = spawn_web(env, &[]).await;
    let alice = member(&app, "alice@example.com", None).await;
    let vars: Vec<(&str, String)> = app.env.env_vars();
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();

    let mut first = Running::start(&["worker"], &vars);
    first.logged("worker ready").await;
    let mut ids = Vec::new();
    for _ in 0..200 {
        ids.push(app.request_song(&alice, &describe()).await);
    }
    let pool = app.env.db.pool().clone();
    wait_for(
        "all 200 songs to be accepted upstream",
        Duration::from_secs(60),
        || {
            let pool = pool.clone();
            async move {
                let accepted: i64 = sqlx::query_scalar(
                    "SELECT count(*) FROM generations WHERE task_id IS NOT NULL",
                )
                .fetch_one(&pool)
                .await
                .unwrap();
                (accepted == 200).then_some(())
            }
        },
    )
    .await;
    first.kill().await;
    let in_flight: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM generations WHERE status IN ('submitted', 'queued', 'processing', 'streaming')",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert!(
        in_flight > 0,
        "the worker was killed too late to prove anything"
    );

    let mut second = Running::start(&["worker"], &vars);
    second.logged("worker ready").await;
    app.all_settled(Duration::from_secs(90)).await;
    let completed: i64 =
        sqlx::query_scalar("SELECT count(*) FROM generations WHERE status = 'completed'")
            .fetch_one(&pool)
            .await
            .unwrap();
    assert_eq!(completed, 200);
    assert_eq!(
        app.env.sim.handle().stats().tasks_created,
        200,
        "no song was submitted twice"
    );
    assert_money_invariants(&app).await;
    second.stop().await;
}

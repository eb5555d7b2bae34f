//! Every fault the simulator can inject, and what the member pays for it.

use std::time::Duration;

use chorus_upstream_sim::{Faults, SimClock, SimConfig};

use super::invariants::assert_money_invariants;
use super::members::{describe, member};
use crate::helpers::{spawn_app, spawn_app_on, wait_for};

fn with_faults(faults: Faults) -> SimConfig {
    SimConfig {
        clock: SimClock::from_millis(100, 200, 500),
        faults,
        ..SimConfig::default()
    }
}

#[tokio::test]
async fn rate_limits_and_server_errors_are_retried_and_the_song_is_charged_once() {
    for faults in [
        Faults {
            rate_429: 1.0,
            ..Faults::none()
        },
        Faults {
            rate_5xx: 1.0,
            ..Faults::none()
        },
    ] {
        let app = spawn_app_on(with_faults(faults), &[]).await;
        let alice = member(&app, "alice@example.com", None).await;
        let id = app.request_song(&alice, &describe()).await;
        let sim = app.env.sim.handle().clone();
        wait_for("a refused submission", Duration::from_secs(10), || async {
            let s = sim.stats();
            (s.rejected_429 + s.rejected_5xx > 0).then_some(())
        })
        .await;
        sim.set_faults(Faults::none());
        let song = app
            .finished_within(&alice, id, Duration::from_secs(30))
            .await;
        assert_eq!(song["status"], "completed", "{song}");
        assert_eq!(sim.stats().tasks_created, 1);
        assert_money_invariants(&app).await;
    }
}

#[tokio::test]
async fn a_lost_answer_fails_the_song_flags_it_and_charges_nothing() {
    let app = spawn_app_on(
        with_faults(Faults {
            drop_response_rate: 1.0,
            ..Faults::none()
        }),
        &[],
    )
    .await;
    let alice = member(&app, "alice@example.com", None).await;
    let id = app.request_song(&alice, &describe()).await;
    let song = app.finished(&alice, id).await;
    assert_eq!(song["status"], "failed", "{song}");
    assert!(
        song["error"].as_str().unwrap().contains("outcome unknown"),
        "{song}"
    );
    let flagged: bool = sqlx::query_scalar("SELECT needs_attention FROM generations WHERE id = $1")
        .bind(id)
        .fetch_one(app.env.db.pool())
        .await
        .unwrap();
    assert!(flagged, "an unknown outcome must be flagged for admins");
    assert_eq!(
        app.env.sim.handle().stats().tasks_created,
        1,
        "submitted exactly once"
    );
    let usage = app.usage(&alice).await;
    assert_eq!(
        (
            usage["spent_micros"].as_i64(),
            usage["reserved_micros"].as_i64()
        ),
        (Some(0), Some(0))
    );
    assert_money_invariants(&app).await;
}

#[tokio::test]
async fn a_failed_task_is_refunded_with_its_reason() {
    let app = spawn_app_on(
        with_faults(Faults {
            failure_rate: 1.0,
            ..Faults::none()
        }),
        &[],
    )
    .await;
    let alice = member(&app, "alice@example.com", None).await;
    let id = app.request_song(&alice, &describe()).await;
    let song = app.finished(&alice, id).await;
    assert_eq!(song["status"], "failed", "{song}");
    assert!(!song["error"].as_str().unwrap().is_empty(), "{song}");
    let usage = app.usage(&alice).await;
    assert_eq!(usage["spent_micros"], 0, "{usage}");
    let kinds: Vec<(String,)> =
        sqlx::query_as("SELECT kind FROM ledger WHERE generation_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(app.env.db.pool())
            .await
            .unwrap();
    let kinds: Vec<&str> = kinds.iter().map(|(k,)| k.as_str()).collect();
    assert_eq!(kinds, ["reserve", "charge", "refund"]);
    assert_money_invariants(&app).await;
}

#[tokio::test]
async fn a_task_that_never_finishes_times_out_and_is_refunded() {
    let app = spawn_app_on(
        with_faults(Faults {
            never_finish_rate: 1.0,
            ..Faults::none()
        }),
        &[("CHORUS_TASK_TIMEOUT_S", "2")],
    )
    .await;
    let alice = member(&app, "alice@example.com", None).await;
    let id = app.request_song(&alice, &describe()).await;
    let song = app.finished(&alice, id).await;
    assert_eq!(song["status"], "failed", "{song}");
    assert!(
        song["error"].as_str().unwrap().contains("timed out"),
        "{song}"
    );
    assert_money_invariants(&app).await;
}

#[tokio::test]
async fn added_latency_only_slows_things_down() {
    let app = spawn_app_on(
        with_faults(Faults {
            latency_ms: 300,
            ..Faults::none()
        }),
        &[],
    )
    .await;
    let alice = member(&app, "alice@example.com", None).await;
    let id = app.request_song(&alice, &describe()).await;
    assert_eq!(app.finished(&alice, id).await["status"], "completed");
    assert_money_invariants(&app).await;
}

#[tokio::test]
async fn a_refusal_by_the_upstream_fails_the_song_and_releases_the_reservation() {
    let sim = SimConfig {
        api_key: Some("the-vendor-key".into()),
        ..with_faults(Faults::none())
    };
    let app = spawn_app_on(sim, &[("CHORUS_UPSTREAM_API_KEY", "a-wrong-key")]).await;
    let alice = member(&app, "alice@example.com", None).await;
    let id = app.request_song(&alice, &describe()).await;
    let song = app.finished(&alice, id).await;
    assert_eq!(song["status"], "failed", "{song}");
    assert!(
        song["error"].as_str().unwrap().contains("refused"),
        "{song}"
    );
    assert_eq!(app.env.sim.handle().stats().tasks_created, 0);
    assert_money_invariants(&app).await;
}

#[tokio::test]
async fn the_poller_asks_for_up_to_25_ids_at_a_time() {
    let app = spawn_app().await;
    let alice = member(&app, "alice@example.com", None).await;
    for _ in 0..60 {
        app.request_song(&alice, &describe()).await;
    }
    app.all_settled(Duration::from_secs(60)).await;
    let stats = app.env.sim.handle().stats();
    assert!(stats.max_ids_per_poll <= 25, "{stats:?}");
    assert!(
        stats.max_ids_per_poll >= 20,
        "polls were not batched: {stats:?}"
    );
    assert_money_invariants(&app).await;
}

#[tokio::test]
async fn a_song_that_finished_before_its_deadline_is_kept_though_noticed_after() {
    // The song ends after 0.8 s, but the first poll comes only after the
    // 1 s timeout: the poll must still record it completed and charged.
    let app = spawn_app_on(
        with_faults(Faults::none()),
        &[
            ("CHORUS_TASK_TIMEOUT_S", "1"),
            ("CHORUS_POLL_INTERVAL_MS", "1500"),
        ],
    )
    .await;
    let alice = member(&app, "alice@example.com", None).await;
    let id = app.request_song(&alice, &describe()).await;
    let song = app.finished(&alice, id).await;
    assert_eq!(song["status"], "completed", "{song}");
    assert_money_invariants(&app).await;
}

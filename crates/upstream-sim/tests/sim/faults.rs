//! Each fault, switched on in full, does what it says, through the handle
//! or over HTTP.

use std::time::{Duration, Instant};

use chorus_upstream_sim::{Faults, SimClock, SimConfig};
use serde_json::{Value, json};

use crate::helpers::{spawn_sim, spawn_sim_with, wait_until};

#[tokio::test]
async fn failing_tasks_give_a_reason_as_text_or_object() {
    let sim = spawn_sim_with(SimConfig {
        clock: SimClock::fast(),
        faults: Faults {
            failure_rate: 1.0,
            ..Faults::none()
        },
        ..SimConfig::default()
    });
    let first = sim.submit_describe().await;
    let second = sim.submit_describe().await;
    let a = sim.wait_for_status(&first, "failed").await;
    let b = sim.wait_for_status(&second, "failed").await;
    assert!(a["data"].as_str().is_some_and(|s| !s.is_empty()), "{a}");
    assert!(b["data"]["message"].is_string(), "{b}");
    assert_eq!(sim.handle.stats().tasks_doomed_to_fail, 2);
}

#[tokio::test]
async fn rate_429_answers_too_many_requests_with_retry_after() {
    let sim = spawn_sim();
    let put = sim
        .client
        .put(format!("{}/__sim/faults", sim.base))
        .json(&json!({ "rate_429": 1.0 }))
        .send()
        .await
        .expect("reaches the simulator");
    assert_eq!(put.status(), 200);
    let current: Faults = sim
        .get(&format!("{}/__sim/faults", sim.base))
        .await
        .json()
        .await
        .expect("faults JSON");
    assert_eq!(current.rate_429, 1.0);

    let submit = sim
        .submit(&json!({ "topic": "x", "is_instrumental": true }))
        .await;
    assert_eq!(submit.status(), 429);
    assert_eq!(submit.headers()["retry-after"], "1");
    let poll = sim.poll(&["x"]).await;
    assert_eq!(poll.status(), 429);
    let stats = sim.handle.stats();
    assert_eq!((stats.rejected_429, stats.tasks_created), (2, 0));
}

#[tokio::test]
async fn rate_5xx_answers_an_html_error_page() {
    let sim = spawn_sim();
    sim.handle.set_faults(Faults {
        rate_5xx: 1.0,
        ..Faults::none()
    });
    for res in [
        sim.submit(&json!({ "tags": "x", "lyrics": "" })).await,
        sim.poll(&["x"]).await,
    ] {
        assert!(
            [500, 503].contains(&res.status().as_u16()),
            "{}",
            res.status()
        );
        assert!(
            res.headers()["content-type"]
                .to_str()
                .is_ok_and(|t| t.starts_with("text/html"))
        );
        let body = res.text().await.expect("body");
        assert!(body.contains("<html>") && body.contains("nginx"), "{body}");
    }
    assert_eq!(sim.handle.stats().rejected_5xx, 2);
}

#[tokio::test]
async fn a_dropped_response_still_creates_the_task() {
    let sim = spawn_sim();
    sim.handle.set_faults(Faults {
        drop_response_rate: 1.0,
        ..Faults::none()
    });
    let sent = sim
        .client
        .post(sim.task_url())
        .header("api-key", crate::helpers::KEY)
        .json(&json!({ "topic": "x", "is_instrumental": true }))
        .send()
        .await;
    // Either the head never arrives or the body breaks off: no task id.
    let outcome = match sent {
        Ok(res) => res.json::<Value>().await.map(|_| ()),
        Err(e) => Err(e),
    };
    assert!(outcome.is_err(), "the client must not get a usable answer");
    let stats = sim.handle.stats();
    assert_eq!(
        (
            stats.submissions,
            stats.tasks_created,
            stats.dropped_responses
        ),
        (1, 1, 1)
    );
    assert_eq!(sim.handle.task_count(), 1);
}

#[tokio::test]
async fn never_finishing_tasks_stay_processing() {
    let sim = spawn_sim();
    sim.handle.set_faults(Faults {
        never_finish_rate: 1.0,
        ..Faults::none()
    });
    let stuck = sim.submit_describe().await;
    sim.handle.set_faults(Faults::none());
    let normal = sim.submit_describe().await;
    // The stuck task is older than one that has already completed.
    sim.wait_for_status(&normal, "completed").await;
    assert_eq!(sim.task(&stuck).await["status"], "processing");
    assert_eq!(sim.handle.stats().tasks_never_finishing, 1);
}

#[tokio::test]
async fn latency_delays_every_api_request() {
    let sim = spawn_sim();
    sim.handle.set_faults(Faults {
        latency_ms: 200,
        ..Faults::none()
    });
    let started = Instant::now();
    sim.poll_ok(&["x"]).await;
    assert!(started.elapsed() >= Duration::from_millis(200));
}

#[tokio::test]
async fn invalid_faults_are_refused_over_http() {
    let sim = spawn_sim();
    let url = format!("{}/__sim/faults", sim.base);
    for body in [json!({ "rate_5xx": 2.0 }), json!({ "rate5xx": 0.5 })] {
        let res = sim
            .client
            .put(&url)
            .json(&body)
            .send()
            .await
            .expect("reaches");
        assert_eq!(res.status(), 400);
    }
    assert_eq!(sim.handle.faults(), Faults::none());
    // In process, out-of-range rates are clamped rather than refused.
    sim.handle.set_faults(Faults {
        failure_rate: 7.0,
        ..Faults::none()
    });
    assert_eq!(sim.handle.faults().failure_rate, 1.0);
    let id = sim.submit_describe().await;
    wait_until("the doomed task to fail", || async {
        (sim.task(&id).await["status"] == "failed").then_some(())
    })
    .await;
}

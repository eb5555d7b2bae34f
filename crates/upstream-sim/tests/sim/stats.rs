//! The counters tests and benchmarks rely on are exact.

use chorus_upstream_sim::SimStats;
use serde_json::json;

use crate::helpers::spawn_sim;

#[tokio::test]
async fn submissions_polls_and_ids_per_poll_are_counted_exactly() {
    let sim = spawn_sim();
    let mut ids = Vec::new();
    for _ in 0..25 {
        ids.push(sim.submit_describe().await);
    }
    sim.submit(&json!({ "topic": 3 })).await;
    let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
    assert_eq!(sim.poll_ok(&refs).await.len(), 25);
    assert_eq!(sim.poll_ok(&refs).await.len(), 25);
    assert_eq!(sim.poll_ok(&refs[..3]).await.len(), 3);
    assert_eq!(sim.poll_ok(&refs[..1]).await.len(), 1);
    sim.poll(&[]).await;

    let stats = sim.handle.stats();
    assert_eq!(stats.submissions, 26);
    assert_eq!(stats.tasks_created, 25);
    assert_eq!(stats.bad_requests, 2);
    assert_eq!(stats.polls, 5);
    assert_eq!(stats.poll_ids_total, 54);
    assert_eq!(stats.max_ids_per_poll, 25);
    let histogram: Vec<(u32, u64)> = stats.ids_per_poll.iter().map(|(k, v)| (*k, *v)).collect();
    assert_eq!(histogram, [(1, 1), (3, 1), (25, 2)]);

    // The same numbers over HTTP, then reset.
    let url = format!("{}/__sim/stats", sim.base);
    let over_http: SimStats = sim.get(&url).await.json().await.expect("stats JSON");
    assert_eq!(over_http, stats);
    let raw: serde_json::Value = sim.get(&url).await.json().await.expect("stats JSON");
    assert_eq!(raw["ids_per_poll"]["25"], 2);
    let reset = sim
        .client
        .post(format!("{url}/reset"))
        .send()
        .await
        .expect("reaches");
    assert_eq!(reset.status(), 200);
    assert_eq!(sim.handle.stats(), SimStats::default());
    // Resetting the counters forgets no task.
    assert_eq!(sim.poll_ok(&refs[..2]).await.len(), 2);
    assert_eq!(sim.handle.stats().polls, 1);
}

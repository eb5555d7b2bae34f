//! Budgets hold under concurrency: the check and the reservation are one
//! conditional update.

use chorus_core::Micros;
use serde_json::Value;

use super::invariants::assert_money_invariants;
use super::members::{describe, member};
use crate::helpers::spawn_app;

#[tokio::test]
async fn a_request_over_budget_is_refused_with_402_and_creates_nothing() {
    let app = spawn_app().await;
    let alice = member(&app, "alice@example.com", Some(Micros(35_000))).await;
    let first = app.request_song(&alice, &describe()).await;
    let refused = app
        .api_post(&alice.token, "/generations", &describe())
        .await;
    assert_eq!(refused.status(), 402);
    let problem: Value = refused.json().await.unwrap();
    assert_eq!(problem["error"], "over_budget", "{problem}");
    assert!(
        problem["message"].as_str().unwrap().contains("resets on"),
        "{problem}"
    );
    app.finished(&alice, first).await;
    let generations: i64 = sqlx::query_scalar("SELECT count(*) FROM generations")
        .fetch_one(app.env.db.pool())
        .await
        .unwrap();
    assert_eq!(generations, 1);
    assert_money_invariants(&app).await;
}

#[tokio::test]
async fn of_200_concurrent_requests_against_a_budget_for_50_exactly_50_are_accepted() {
    let app = spawn_app().await;
    let alice = member(&app, "alice@example.com", Some(Micros(50 * 35_000))).await;
    let body = describe();
    let requests = (0..200).map(|_| app.api_post(&alice.token, "/generations", &body));
    let statuses: Vec<u16> = futures_util::future::join_all(requests)
        .await
        .iter()
        .map(|r| r.status().as_u16())
        .collect();
    assert_eq!(
        statuses.iter().filter(|s| **s == 202).count(),
        50,
        "{statuses:?}"
    );
    assert_eq!(
        statuses.iter().filter(|s| **s == 402).count(),
        150,
        "{statuses:?}"
    );

    app.all_settled(std::time::Duration::from_secs(60)).await;
    let usage = app.usage(&alice).await;
    assert_eq!(usage["spent_micros"], 50 * 35_000, "{usage}");
    assert_eq!(usage["budget_micros"], 50 * 35_000, "{usage}");
    assert_money_invariants(&app).await;
}

//! The team's cap under concurrency: many members at once, two worker
//! processes, and not one request past the cap.

use std::time::Duration;

use chorus_core::Micros;
use chorus_core::billing::settings::set_team_cap;
use chorus_testkit::TestEnv;
use serde_json::Value;

use crate::cli::Running;
use crate::helpers::spawn_web;
use crate::pipeline::members::{admin, describe, member};

#[tokio::test]
async fn of_200_parallel_requests_from_4_members_against_a_team_cap_for_50_exactly_50_are_accepted()
{
    let app = spawn_web(TestEnv::start().await, &[]).await;
    let boss = admin(&app, "boss@example.com").await;
    set_team_cap(app.env.db.pool(), boss.id, Some(Micros(50 * 35_000)), None)
        .await
        .unwrap();
    let mut members = Vec::new();
    for name in ["ada", "bob", "cy", "dee"] {
        // Personal budgets far above the cap: only the team's can refuse.
        members.push(
            member(
                &app,
                &format!("{name}@example.com"),
                Some(Micros(100 * 35_000)),
            )
            .await,
        );
    }
    let vars: Vec<(&str, String)> = app.env.env_vars();
    let vars: Vec<(&str, &str)> = vars.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let mut workers = [
        Running::start(&["worker"], &vars),
        Running::start(&["worker"], &vars),
    ];
    for worker in &mut workers {
        worker.logged("worker ready").await;
    }

    let body = describe();
    let requests = (0..200).map(|i| app.api_post(&members[i % 4].token, "/generations", &body));
    let responses = futures_util::future::join_all(requests).await;
    let mut accepted = 0;
    for response in responses {
        match response.status().as_u16() {
            202 => accepted += 1,
            402 => {
                let problem: Value = response.json().await.unwrap();
                assert_eq!(problem["error"], "over_budget", "{problem}");
                let message = problem["message"].as_str().unwrap();
                assert!(message.contains("the team's monthly budget"), "{message}");
                assert!(message.contains("resets on"), "{message}");
            }
            other => panic!("unexpected {other}: {:?}", response.text().await),
        }
    }
    assert_eq!(accepted, 50);

    app.all_settled(Duration::from_secs(90)).await;
    let (spent, reserved): (i64, i64) = sqlx::query_as(
        "SELECT COALESCE(SUM(spent_micros), 0)::BIGINT, COALESCE(SUM(reserved_micros), 0)::BIGINT
         FROM team_usage_months",
    )
    .fetch_one(app.env.db.pool())
    .await
    .unwrap();
    assert_eq!((spent, reserved), (50 * 35_000, 0));
    crate::pipeline::invariants::assert_money_invariants(&app).await;
    for worker in workers {
        worker.stop().await;
    }
}

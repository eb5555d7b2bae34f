//! The rules of the vendor's protocol: the api-key header, 1..=25 ids per
//! poll, unknown ids left out, malformed bodies refused.

use chorus_upstream_sim::{SimClock, SimConfig};
use serde_json::{Value, json};

use crate::helpers::{KEY, spawn_sim, spawn_sim_with};

async fn refusal(res: reqwest::Response, status: u16) -> String {
    assert_eq!(res.status(), status);
    let body: Value = res.json().await.expect("JSON refusal");
    assert_eq!(body["success"], false);
    body["message"].as_str().expect("message").to_owned()
}

#[tokio::test]
async fn a_poll_names_between_1_and_25_ids() {
    let sim = spawn_sim();
    let id = sim.submit_describe().await;
    let ids_26: Vec<String> = (0..26).map(|_| uuid::Uuid::new_v4().to_string()).collect();
    let refs: Vec<&str> = ids_26.iter().map(String::as_str).collect();

    refusal(sim.poll(&[]).await, 400).await;
    refusal(sim.poll(&refs).await, 400).await;
    let no_param = sim
        .client
        .get(sim.task_url())
        .header("api-key", KEY)
        .send()
        .await;
    refusal(no_param.expect("reaches the simulator"), 400).await;

    let mut refs_25 = refs[..24].to_vec();
    refs_25.push(&id);
    let reply = sim.poll_ok(&refs_25).await;
    assert_eq!(reply.len(), 1, "only the known id is answered");
    assert_eq!(sim.handle.stats().bad_requests, 3);
}

#[tokio::test]
async fn unknown_ids_are_left_out_of_the_reply() {
    let sim = spawn_sim();
    let a = sim.submit_describe().await;
    let b = sim.submit_describe().await;
    let stranger = uuid::Uuid::new_v4().to_string();
    let reply = sim.poll_ok(&[&stranger, &b, "not-a-uuid", &a]).await;
    let ids: Vec<&str> = reply.iter().filter_map(|t| t["task_id"].as_str()).collect();
    assert_eq!(ids, [b.as_str(), a.as_str()]);
    assert!(sim.poll_ok(&[&stranger]).await.is_empty());
}

#[tokio::test]
async fn a_configured_key_must_match() {
    let sim = spawn_sim_with(SimConfig {
        clock: SimClock::fast(),
        api_key: Some(KEY.to_owned()),
        ..SimConfig::default()
    });
    let body = json!({ "topic": "x", "is_instrumental": true });
    let post = |key: Option<&str>| {
        let req = sim.client.post(sim.task_url()).json(&body);
        let req = match key {
            Some(key) => req.header("api-key", key),
            None => req,
        };
        async move { req.send().await.expect("reaches the simulator") }
    };
    assert_eq!(refusal(post(None).await, 401).await, "invalid api-key");
    assert_eq!(
        refusal(post(Some("wrong")).await, 401).await,
        "invalid api-key"
    );
    // The vendor's header is `api-key`, not a bearer token.
    let bearer = sim
        .client
        .get(format!("{}?ids=x", sim.task_url()))
        .bearer_auth(KEY)
        .send()
        .await;
    refusal(bearer.expect("reaches the simulator"), 401).await;
    assert_eq!(post(Some(KEY)).await.status(), 200);

    let stats = sim.handle.stats();
    assert_eq!(stats.unauthorized, 3);
    assert_eq!(stats.tasks_created, 1);
}

#[tokio::test]
async fn without_a_configured_key_any_non_empty_key_passes() {
    let sim = spawn_sim();
    let poll = |key: &'static str| {
        let req = sim.client.get(format!("{}?ids=x", sim.task_url()));
        async move { req.header("api-key", key).send().await.expect("reaches") }
    };
    assert_eq!(poll("anything").await.status(), 200);
    refusal(poll("").await, 401).await;
}

#[tokio::test]
async fn malformed_submissions_are_refused() {
    let sim = spawn_sim();
    for body in [
        json!({}),
        json!({ "topic": "", "is_instrumental": true }),
        json!({ "topic": "x", "is_instrumental": "no" }),
        json!({ "tags": ["pop", "rock"], "lyrics": "" }),
        json!({ "tags": "", "lyrics": "la" }),
        json!(["topic"]),
    ] {
        let message = refusal(sim.submit(&body).await, 400).await;
        assert!(!message.is_empty());
    }
    let not_json = sim
        .client
        .post(sim.task_url())
        .header("api-key", KEY)
        .body(r#"{"topic":"x","is_instrumental":true}"#)
        .send()
        .await;
    refusal(not_json.expect("reaches the simulator"), 400).await;
    let stats = sim.handle.stats();
    assert_eq!(
        (stats.submissions, stats.bad_requests, stats.tasks_created),
        (7, 7, 0)
    );
}

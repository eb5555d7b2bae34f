//! A `TestSim` per test: a simulator on port 0 and a client with a helper
//! per endpoint.

use std::future::Future;
use std::time::{Duration, Instant};

use chorus_upstream_sim::{SimClock, SimConfig, SimHandle, Simulator};
use serde_json::{Value, json};

pub const KEY: &str = "test-key";

pub struct TestSim {
    pub base: String,
    pub api: String,
    pub handle: SimHandle,
    pub client: reqwest::Client,
}

/// A simulator with the fast clock and no faults.
pub fn spawn_sim() -> TestSim {
    spawn_sim_with(SimConfig {
        clock: SimClock::fast(),
        ..SimConfig::default()
    })
}

pub fn spawn_sim_with(config: SimConfig) -> TestSim {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let sim = Simulator::bind(config, "127.0.0.1:0")
        .expect("bind the simulator")
        .without_os_signals();
    let sim_test = TestSim {
        base: sim.base_url(),
        api: sim.api_base_url(),
        handle: sim.handle(),
        client: reqwest::Client::builder()
            .timeout(Duration::from_secs(10))
            .build()
            .expect("build the client"),
    };
    assert_eq!(sim_test.base, format!("http://127.0.0.1:{}", sim.port()));
    tokio::spawn(sim.run_until_stopped());
    sim_test
}

impl TestSim {
    pub fn task_url(&self) -> String {
        format!("{}/music/task", self.api)
    }

    pub async fn submit(&self, body: &Value) -> reqwest::Response {
        self.client
            .post(self.task_url())
            .header("api-key", KEY)
            .json(body)
            .send()
            .await
            .expect("submit reaches the simulator")
    }

    /// Submits and returns the new task's id.
    pub async fn submit_ok(&self, body: &Value) -> String {
        let res = self.submit(body).await;
        assert_eq!(res.status(), 200);
        let reply: Value = res.json().await.expect("JSON reply");
        assert_eq!(reply["success"], true);
        reply["task_id"].as_str().expect("task_id").to_owned()
    }

    pub async fn submit_describe(&self) -> String {
        self.submit_ok(&json!({ "topic": "a song about spring", "is_instrumental": true }))
            .await
    }

    pub async fn poll(&self, ids: &[&str]) -> reqwest::Response {
        self.client
            .get(self.task_url())
            .query(&[("ids", ids.join(","))])
            .header("api-key", KEY)
            .send()
            .await
            .expect("poll reaches the simulator")
    }

    pub async fn poll_ok(&self, ids: &[&str]) -> Vec<Value> {
        let res = self.poll(ids).await;
        assert_eq!(res.status(), 200);
        res.json().await.expect("JSON array")
    }

    /// The task's element of a poll reply.
    pub async fn task(&self, id: &str) -> Value {
        let mut reply = self.poll_ok(&[id]).await;
        assert_eq!(reply.len(), 1, "{reply:?}");
        reply.remove(0)
    }

    /// Polls until the task reports `status`.
    pub async fn wait_for_status(&self, id: &str, status: &str) -> Value {
        wait_until(&format!("{id} to be {status}"), || async {
            let task = self.task(id).await;
            (task["status"] == status).then_some(task)
        })
        .await
    }

    pub async fn get(&self, url: &str) -> reqwest::Response {
        self.client
            .get(url)
            .send()
            .await
            .expect("GET reaches the simulator")
    }
}

/// Retries `probe` until it yields, failing after 10 s.
pub async fn wait_until<T, F, Fut>(what: &str, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        if let Some(value) = probe().await {
            return value;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

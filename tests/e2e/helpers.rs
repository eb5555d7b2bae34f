//! `spawn_app`: a whole Chorus (web + worker) on random ports against a
//! `TestEnv` of its own.

use std::future::Future;
use std::time::{Duration, Instant};

use chorus_testkit::TestEnv;
use chorus_web::WebApp;
use chorus_worker::WorkerApp;

pub struct TestApp {
    /// Keeps the database, Redis prefix and simulator alive for the test,
    /// and lets it look behind the app.
    #[allow(dead_code)]
    pub env: TestEnv,
    /// `http://127.0.0.1:<web port>`
    pub web_url: String,
    /// `http://127.0.0.1:<worker status port>`
    pub worker_url: String,
    pub http: reqwest::Client,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// Like [`spawn_app`], with some configuration variables set differently.
pub async fn spawn_app_with(overrides: &[(&str, &str)]) -> TestApp {
    let env = TestEnv::start().await;
    let config = env.config_with(overrides);
    let pool = env.db.pool().clone();
    let web = WebApp::build(config.clone(), pool.clone()).await.unwrap();
    let worker = WorkerApp::build(config, pool).await.unwrap();
    let web_url = format!("http://127.0.0.1:{}", web.port());
    let worker_url = format!("http://127.0.0.1:{}", worker.port());
    tokio::spawn(web.run_until_stopped());
    tokio::spawn(worker.run_until_stopped());
    TestApp {
        env,
        web_url,
        worker_url,
        http: http_client(),
    }
}

/// A client that shows redirects instead of following them.
pub fn http_client() -> reqwest::Client {
    chorus_testkit::init();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap()
}

impl TestApp {
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.web_url))
            .send()
            .await
            .unwrap()
    }
}

/// Polls `probe` until it yields a value or the deadline passes.
pub async fn wait_for<T, F, Fut>(what: &str, deadline: Duration, mut probe: F) -> T
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Option<T>>,
{
    let start = Instant::now();
    loop {
        if let Some(value) = probe().await {
            return value;
        }
        assert!(
            start.elapsed() < deadline,
            "timed out after {deadline:?} waiting for {what}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

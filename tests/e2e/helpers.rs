//! `spawn_app`: a whole Chorus (web + worker) on random ports against a
//! `TestEnv` of its own.

use std::future::Future;
use std::time::{Duration, Instant};

use chorus_core::Config;
use chorus_core::freshness::Stamps;
use chorus_testkit::TestEnv;
use chorus_upstream_sim::SimConfig;
use chorus_web::WebApp;
use chorus_worker::WorkerApp;

pub struct TestApp {
    /// Keeps the database, Redis prefix and simulator alive for the test,
    /// and lets it look behind the app.
    pub env: TestEnv,
    pub config: Config,
    /// `http://127.0.0.1:<web port>`
    pub web_url: String,
    /// `http://127.0.0.1:<worker status port>`, once a worker runs.
    pub worker_url: Option<String>,
    pub http: reqwest::Client,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(&[]).await
}

/// Like [`spawn_app`], with some configuration variables set differently.
pub async fn spawn_app_with(overrides: &[(&str, &str)]) -> TestApp {
    let mut app = spawn_web(TestEnv::start().await, overrides).await;
    app.start_worker().await;
    app
}

/// Like [`spawn_app_with`], with a simulator configured as given.
pub async fn spawn_app_on(sim: SimConfig, overrides: &[(&str, &str)]) -> TestApp {
    let mut app = spawn_web(TestEnv::with_sim(sim).await, overrides).await;
    app.start_worker().await;
    app
}

/// The web app without a worker: requests stay `pending` until a test
/// moves them, so every page is seen in a known state.
pub async fn web_only() -> TestApp {
    spawn_web(TestEnv::start().await, &[]).await
}

/// The web app alone: requests are accepted and wait for a worker.
pub async fn spawn_web(env: TestEnv, overrides: &[(&str, &str)]) -> TestApp {
    let config = env.config_with(overrides);
    let web = WebApp::build(config.clone(), env.db.pool().clone())
        .await
        .unwrap();
    let web_url = format!("http://127.0.0.1:{}", web.port());
    tokio::spawn(web.run_until_stopped());
    TestApp {
        env,
        config,
        web_url,
        worker_url: None,
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
    /// Starts a worker in this process, as `spawn_app` does.
    pub async fn start_worker(&mut self) {
        let worker = WorkerApp::build(self.config.clone(), self.env.db.pool().clone())
            .await
            .unwrap();
        self.worker_url = Some(format!("http://127.0.0.1:{}", worker.port()));
        tokio::spawn(worker.run_until_stopped());
    }

    /// After the test changed the database behind the app's back (SQL by
    /// hand, core functions called directly): moves the team stamp as
    /// every change made through Chorus does, so no page kept in memory
    /// hides the change.
    pub async fn changed_behind_the_app(&self) {
        let redis = chorus_core::keyspace::connect(&self.config.redis_url)
            .await
            .unwrap();
        Stamps::new(redis, self.config.keyspace())
            .touch_team()
            .await
            .unwrap();
    }

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

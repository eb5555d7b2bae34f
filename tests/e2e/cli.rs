//! The `chorus` binary: configuration errors, migrations, and the roles it
//! runs.

use std::process::Stdio;
use std::time::Duration;

use chorus_testkit::{TestDb, TestRedis, init};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use tokio::sync::mpsc;

use crate::helpers::http_client;

/// The `chorus` binary with only these variables set, stdin closed and
/// stdout and stderr captured.
pub(crate) fn chorus(args: &[&str], vars: &[(&str, &str)]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_chorus"));
    command
        .args(args)
        .env_clear()
        .env("PATH", std::env::var("PATH").unwrap_or_default())
        .env("CHORUS_LOG_FORMAT", "json")
        .env("RUST_LOG", "info")
        .envs(vars.iter().copied())
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    command
}

/// Runs a command that must fail, and returns what it printed on stderr.
async fn failure(args: &[&str], vars: &[(&str, &str)]) -> String {
    let out = tokio::time::timeout(Duration::from_secs(30), chorus(args, vars).output())
        .await
        .expect("chorus did not exit")
        .unwrap();
    assert!(!out.status.success(), "chorus {args:?} succeeded");
    String::from_utf8(out.stderr).unwrap()
}

/// A running `chorus` whose JSON log lines the test reads. Its output is
/// drained as it comes, so a chatty process never blocks on a full pipe.
pub(crate) struct Running {
    child: Child,
    events: mpsc::UnboundedReceiver<serde_json::Value>,
}

impl Running {
    pub(crate) fn start(args: &[&str], vars: &[(&str, &str)]) -> Running {
        let mut child = chorus(args, vars).spawn().unwrap();
        let mut stdout = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut stderr = BufReader::new(child.stderr.take().unwrap()).lines();
        let (sender, events) = mpsc::unbounded_channel();
        tokio::spawn(async move {
            while let Ok(Some(line)) = stdout.next_line().await {
                let _ = sender.send(serde_json::from_str(&line).unwrap_or_default());
            }
        });
        tokio::spawn(async move {
            while let Ok(Some(line)) = stderr.next_line().await {
                eprintln!("chorus: {line}");
            }
        });
        Running { child, events }
    }

    /// Reads the log until an event with this message; returns its fields.
    pub(crate) async fn logged(&mut self, message: &str) -> serde_json::Value {
        let read = async {
            while let Some(event) = self.events.recv().await {
                if event["fields"]["message"] == message {
                    return event["fields"].clone();
                }
            }
            panic!("chorus exited before logging {message:?}");
        };
        tokio::time::timeout(Duration::from_secs(30), read)
            .await
            .unwrap_or_else(|_| panic!("chorus did not log {message:?} in time"))
    }

    /// SIGKILL: no clean-up, as when a machine dies.
    pub(crate) async fn kill(mut self) {
        self.child.kill().await.unwrap();
    }

    /// SIGTERM, then the exit status.
    pub(crate) async fn stop(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().unwrap().to_string();
        let killed = Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .await
            .unwrap();
        assert!(killed.success());
        tokio::time::timeout(Duration::from_secs(30), self.child.wait())
            .await
            .expect("chorus did not stop on SIGTERM")
            .unwrap()
    }
}

#[tokio::test]
async fn a_bad_value_stops_start_up_with_one_line_naming_the_variable() {
    for role in ["web", "worker", "all", "migrate", "sim"] {
        let stderr = failure(&[role], &[("CHORUS_TASK_TIMEOUT_S", "soon")]).await;
        let lines: Vec<&str> = stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{role}: {stderr}");
        assert!(
            lines[0].contains("CHORUS_TASK_TIMEOUT_S"),
            "{role}: {stderr}"
        );
        assert!(lines[0].contains("seconds"), "{role}: {stderr}");
    }
}

#[tokio::test]
async fn roles_refuse_to_start_on_an_unmigrated_database() {
    init();
    let db = TestDb::empty().await;
    let redis = TestRedis::new().await;
    let vars = [("DATABASE_URL", db.url()), ("REDIS_URL", redis.url())];
    for role in ["web", "worker"] {
        let stderr = failure(&[role], &vars).await;
        assert!(stderr.contains("not migrated"), "{role}: {stderr}");
        assert!(stderr.contains("chorus migrate"), "{role}: {stderr}");
        assert_eq!(stderr.lines().count(), 1, "{role}: {stderr}");
    }
}

#[tokio::test]
async fn an_unreachable_database_is_named_in_the_error() {
    let stderr = failure(
        &["web"],
        &[(
            "DATABASE_URL",
            "postgres://postgres:hunter2@127.0.0.1:1/chorus",
        )],
    )
    .await;
    assert!(stderr.contains("cannot reach Postgres at"), "{stderr}");
    assert!(stderr.contains("127.0.0.1:1"), "{stderr}");
    assert!(!stderr.contains("hunter2"), "the password leaked: {stderr}");
}

#[tokio::test]
async fn migrate_creates_the_database_and_then_the_web_app_starts() {
    init();
    let db = TestDb::absent().await;
    let redis = TestRedis::new().await;
    let vars = [
        ("DATABASE_URL", db.url()),
        ("REDIS_URL", redis.url()),
        ("CHORUS_BIND", "127.0.0.1:0"),
    ];
    let migrated = chorus(&["migrate"], &vars).output().await.unwrap();
    assert!(migrated.status.success(), "{migrated:?}");
    let url = db.url().to_owned().into();
    chorus_core::db::ensure_migrated(db.pool(), &url)
        .await
        .unwrap();

    let mut web = Running::start(&["web"], &vars);
    let port = web.logged("web app listening").await["port"]
        .as_u64()
        .unwrap();
    let health = http_client()
        .get(format!("http://127.0.0.1:{port}/healthz"))
        .send()
        .await
        .unwrap();
    assert_eq!(health.status(), 200);
    assert!(web.stop().await.success());
}

#[tokio::test]
async fn all_runs_web_worker_and_the_simulator_in_one_process() {
    init();
    let db = TestDb::absent().await;
    let redis = TestRedis::new().await;
    let vars = [
        ("DATABASE_URL", db.url()),
        ("REDIS_URL", redis.url()),
        ("CHORUS_BIND", "127.0.0.1:0"),
        ("CHORUS_WORKER_BIND", "127.0.0.1:0"),
        ("CHORUS_SIM_BIND", "127.0.0.1:0"),
    ];
    let mut all = Running::start(&["all"], &vars);
    let sim_url = all.logged("upstream simulator listening").await["url"]
        .as_str()
        .unwrap()
        .to_owned();
    let web_port = all.logged("web app listening").await["port"]
        .as_u64()
        .unwrap();
    let worker = all.logged("worker ready").await;
    assert_eq!(
        worker["upstream"], sim_url,
        "the worker must use the simulator it started"
    );

    let http = http_client();
    let home = http
        .get(format!("http://127.0.0.1:{web_port}/"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(home.contains("Simulated upstream"), "{home}");
    let submitted: serde_json::Value = http
        .post(format!("{sim_url}/music/task"))
        .header("api-key", "any")
        .json(&serde_json::json!({"topic": "a song about spring", "is_instrumental": true}))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(submitted["success"], true, "{submitted}");
    assert!(all.stop().await.success());
}

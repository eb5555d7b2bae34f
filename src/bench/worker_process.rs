//! The worker under test, as a process of its own, so its CPU time and
//! memory are its own.

use std::process::Stdio;
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

pub struct WorkerProcess {
    child: Child,
    pid: u32,
}

/// CPU seconds and peak resident memory, read from `/proc`.
pub struct Usage {
    pub cpu_seconds: f64,
    pub peak_rss_mb: f64,
}

impl WorkerProcess {
    pub async fn start(vars: &[(&str, String)]) -> anyhow::Result<WorkerProcess> {
        let mut child = Command::new(std::env::current_exe()?)
            .arg("worker")
            .envs(vars.iter().map(|(k, v)| (*k, v.as_str())))
            .env("CHORUS_LOG_FORMAT", "json")
            .env("RUST_LOG", "info")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()?;
        let pid = child
            .id()
            .ok_or_else(|| anyhow::anyhow!("the worker exited at once"))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| anyhow::anyhow!("no worker stdout"))?;
        let mut lines = BufReader::new(stdout).lines();
        let ready = async {
            while let Some(line) = lines.next_line().await? {
                if line.contains("worker ready") {
                    return Ok(());
                }
            }
            anyhow::bail!("the worker exited before it was ready")
        };
        tokio::time::timeout(Duration::from_secs(30), ready).await??;
        // Keep draining its log so it never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Ok(WorkerProcess { child, pid })
    }

    pub fn usage(&self) -> anyhow::Result<Usage> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid))?;
        // Fields after the parenthesised command name; utime and stime are
        // the 14th and 15th fields of the whole line, in clock ticks.
        let after = stat.rsplit_once(") ").map(|(_, rest)| rest).unwrap_or("");
        let fields: Vec<&str> = after.split_whitespace().collect();
        let ticks: f64 = fields
            .get(11)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
            + fields
                .get(12)
                .and_then(|f| f.parse::<f64>().ok())
                .unwrap_or(0.0);
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid))?;
        let hwm_kb: f64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .unwrap_or(0.0);
        Ok(Usage {
            cpu_seconds: ticks / clock_ticks_per_second(),
            peak_rss_mb: hwm_kb / 1024.0,
        })
    }

    pub async fn stop(mut self) -> anyhow::Result<()> {
        Command::new("kill")
            .args(["-TERM", &self.pid.to_string()])
            .status()
            .await?;
        tokio::time::timeout(Duration::from_secs(30), self.child.wait()).await??;
        Ok(())
    }
}

/// `getconf CLK_TCK`; 100 on every Linux this runs on.
fn clock_ticks_per_second() -> f64 {
    std::process::Command::new("getconf")
        .arg("CLK_TCK")
        .output()
        .ok()
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .and_then(|s| s.trim().parse().ok())
        .unwrap_or(100.0)
}

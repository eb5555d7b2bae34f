//! A small closed-loop load generator: N clients, each sending its next
//! request as soon as the last one is answered, for a fixed time.

use std::time::{Duration, Instant};

pub struct LoadResult {
    pub requests: usize,
    pub errors: usize,
    pub per_second: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
}

impl LoadResult {
    /// `requests=… errors=… rps=… p50_ms=… p99_ms=…`
    pub fn figures(&self) -> String {
        format!(
            "requests={} errors={} rps={:.0} p50_ms={:.1} p99_ms={:.1}",
            self.requests, self.errors, self.per_second, self.p50_ms, self.p99_ms
        )
    }
}

/// Loads a signed-in page after checking that it answers 200 (and saying
/// how big it is), so a wrong setup fails instead of measuring errors.
pub async fn page(
    http: &reqwest::Client,
    url: &str,
    cookie: &str,
    clients: usize,
    duration: Duration,
) -> anyhow::Result<LoadResult> {
    let probe = http.get(url).header("cookie", cookie).send().await?;
    if !probe.status().is_success() {
        anyhow::bail!("{url} answered {}", probe.status());
    }
    eprintln!("{url}: {} bytes", probe.bytes().await?.len());
    Ok(run(http, url, Some(cookie), clients, duration).await)
}

pub async fn run(
    http: &reqwest::Client,
    url: &str,
    cookie: Option<&str>,
    clients: usize,
    duration: Duration,
) -> LoadResult {
    let started = Instant::now();
    let tasks: Vec<_> = (0..clients)
        .map(|_| {
            let http = http.clone();
            let url = url.to_owned();
            let cookie = cookie.map(str::to_owned);
            tokio::spawn(async move {
                let mut latencies = Vec::new();
                let mut errors = 0;
                while started.elapsed() < duration {
                    let sent = Instant::now();
                    let mut request = http.get(&url);
                    if let Some(cookie) = &cookie {
                        request = request.header("cookie", cookie);
                    }
                    let ok = match request.send().await {
                        Ok(response) if response.status().is_success() => {
                            response.bytes().await.is_ok()
                        }
                        _ => false,
                    };
                    if ok {
                        latencies.push(sent.elapsed());
                    } else {
                        errors += 1;
                    }
                }
                (latencies, errors)
            })
        })
        .collect();
    let mut latencies = Vec::new();
    let mut errors = 0;
    for task in tasks {
        if let Ok((mut l, e)) = task.await {
            latencies.append(&mut l);
            errors += e;
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let at = |q: f64| {
        latencies
            .get(((latencies.len() as f64 * q).ceil() as usize).saturating_sub(1))
            .map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    LoadResult {
        requests: latencies.len(),
        errors,
        per_second: latencies.len() as f64 / elapsed,
        p50_ms: at(0.50),
        p99_ms: at(0.99),
    }
}

//! Builds the worker from a config value. Its status server binds first, so
//! tests can run it on port 0 and read back the port.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::{App, HttpServer, web};
use chorus_core::Config;
use chorus_core::jobs::JobQueues;
use chorus_core::keyspace::{self, RedisUnreachable};
use chorus_core::upstream::{BuildError, UpstreamClient};
use sqlx::PgPool;
use tokio::sync::watch;

use crate::context::WorkerContext;
use crate::metrics::Metrics;
use crate::{poller, queues, status, sweep};

pub struct WorkerApp {
    port: u16,
    server: Server,
    ctx: WorkerContext,
}

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("cannot listen on {addr}: {source}")]
    Bind {
        addr: String,
        source: std::io::Error,
    },
    #[error(transparent)]
    Redis(#[from] RedisUnreachable),
    #[error("cannot set up the upstream client: {0}")]
    Upstream(#[from] BuildError),
}

impl WorkerApp {
    pub async fn build(config: Config, pool: PgPool) -> Result<WorkerApp, StartupError> {
        let redis = keyspace::connect(&config.redis_url).await?;
        let upstream = UpstreamClient::new(config.upstream.settings())?;
        let keyspace = config.keyspace();
        let ctx = WorkerContext {
            queues: JobQueues::new(redis.clone(), &keyspace),
            config: Arc::new(config),
            pool,
            redis,
            keyspace,
            upstream,
            metrics: Arc::new(Metrics::default()),
            name: format!("worker-{}-{}", hostname(), uuid::Uuid::new_v4().simple()),
        };
        let bind_error = |source| StartupError::Bind {
            addr: ctx.config.worker_bind.clone(),
            source,
        };
        let listener = TcpListener::bind(&ctx.config.worker_bind).map_err(bind_error)?;
        let port = listener.local_addr().map_err(bind_error)?.port();
        let data = web::Data::new(ctx.clone());
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .configure(status::configure)
        })
        .workers(1)
        .listen(listener)
        .map_err(bind_error)?
        .run();
        if ctx.config.upstream.simulated {
            tracing::warn!(
                upstream = %ctx.config.upstream.url,
                "NO UPSTREAM API KEY: the worker talks to the SIMULATOR. Songs are simulated and nothing is paid."
            );
        }
        tracing::info!(port, name = %ctx.name, upstream = %ctx.config.upstream.url, "worker ready");
        Ok(WorkerApp { port, server, ctx })
    }

    /// The port of the status server (`/healthz`, `/metrics`).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Runs the jobs, the poller and the sweep until SIGTERM/SIGINT stops
    /// the status server; then lets work in hand finish.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let (stop, stopped) = watch::channel(false);
        let poller = tokio::spawn(poller::run(self.ctx.clone(), stopped.clone()));
        let sweep = tokio::spawn(sweep::run(self.ctx.clone(), stopped.clone()));
        let mut signal = stopped.clone();
        let monitor = tokio::spawn(queues::monitor(&self.ctx).run_with_signal(async move {
            let _ = signal.wait_for(|stop| *stop).await;
            Ok(())
        }));
        let served = self.server.await;
        let _ = stop.send(true);
        let _ = tokio::join!(poller, sweep);
        match monitor.await {
            Ok(Err(e)) => tracing::error!(error = %e, "the job monitor stopped with an error"),
            Err(e) => tracing::error!(error = %e, "the job monitor panicked"),
            Ok(Ok(())) => {}
        }
        served
    }
}

fn hostname() -> String {
    std::fs::read_to_string("/proc/sys/kernel/hostname")
        .map(|h| h.trim().to_owned())
        .unwrap_or_else(|_| "host".to_owned())
}

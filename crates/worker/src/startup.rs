//! Builds the worker from a config value; its status server binds a listener
//! first, so tests can run it on port 0 and read back the port.

use std::net::TcpListener;

use actix_web::dev::Server;
use actix_web::{App, HttpServer, web};
use chorus_core::Config;
use chorus_core::keyspace::{self, RedisUnreachable};
use sqlx::PgPool;

use crate::status::{self, StatusState};

pub struct WorkerApp {
    port: u16,
    server: Server,
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
}

impl WorkerApp {
    pub async fn build(config: Config, pool: PgPool) -> Result<WorkerApp, StartupError> {
        let redis = keyspace::connect(&config.redis_url).await?;
        let bind_error = |source| StartupError::Bind {
            addr: config.worker_bind.clone(),
            source,
        };
        let listener = TcpListener::bind(&config.worker_bind).map_err(bind_error)?;
        let port = listener.local_addr().map_err(bind_error)?.port();
        let state = StatusState { pool, redis };
        let server = HttpServer::new(move || {
            App::new()
                .app_data(web::Data::new(state.clone()))
                .configure(status::configure)
        })
        .workers(1)
        .listen(listener)
        .map_err(bind_error)?
        .run();
        if config.upstream.simulated {
            tracing::warn!(
                upstream = %config.upstream.url,
                "NO UPSTREAM API KEY: the worker talks to the SIMULATOR. Songs are simulated and nothing is paid."
            );
        }
        tracing::info!(port, upstream = %config.upstream.url, "worker ready");
        Ok(WorkerApp { port, server })
    }

    /// The port of the status server (`/healthz`).
    pub fn port(&self) -> u16 {
        self.port
    }

    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

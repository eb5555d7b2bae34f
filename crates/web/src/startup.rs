//! Builds the web app from a config value and a bound listener, so tests can
//! run it on port 0 and read back the port.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::dev::Server;
use actix_web::middleware::{Logger, NormalizePath, TrailingSlash, from_fn};
use actix_web::{App, HttpServer, web};
use chorus_core::Config;
use chorus_core::freshness::Stamps;
use chorus_core::jobs::JobQueues;
use chorus_core::keyspace::{self, RedisUnreachable};
use sqlx::PgPool;

use crate::cache::{Caches, touch_team_after_changes};
use crate::error::localize_errors;
use crate::routes;
use crate::security_headers::security_headers;
use crate::session;
use crate::state::AppState;

pub struct WebApp {
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

impl WebApp {
    pub async fn build(config: Config, pool: PgPool) -> Result<WebApp, StartupError> {
        let redis = keyspace::connect(&config.redis_url).await?;
        let bind_error = |source| StartupError::Bind {
            addr: config.bind.clone(),
            source,
        };
        let listener = TcpListener::bind(&config.bind).map_err(bind_error)?;
        let port = listener.local_addr().map_err(bind_error)?.port();
        let state = AppState {
            queues: JobQueues::new(redis.clone(), &config.keyspace()),
            stamps: Stamps::new(redis.clone(), config.keyspace()),
            caches: Arc::new(Caches::new(config.keep_pages)),
            config: Arc::new(config.clone()),
            pool,
            redis,
        };
        let server = HttpServer::new(move || {
            App::new()
                .wrap(from_fn(touch_team_after_changes))
                .wrap(from_fn(localize_errors))
                // Outside localize_errors, so error pages know the viewer too.
                .wrap(from_fn(session::remember_viewer))
                .wrap(security_headers(&state.config))
                .wrap(NormalizePath::new(TrailingSlash::Trim))
                .wrap(Logger::new("%r %s %Dms"))
                .app_data(web::Data::new(state.clone()))
                .configure(routes::configure)
        })
        .listen(listener)
        .map_err(bind_error)?
        .run();
        if config.upstream.simulated {
            tracing::warn!(
                upstream = %config.upstream.url,
                "NO UPSTREAM API KEY: Chorus is using the SIMULATOR. Songs are simulated and nothing is paid."
            );
        }
        tracing::info!(port, "web app listening");
        Ok(WebApp { port, server })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// Runs until the server is stopped (SIGTERM finishes requests in flight).
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        self.server.await
    }
}

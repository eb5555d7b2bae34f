//! A faithful simulator of the upstream music-generation API (see
//! `upstream/API.md`), quirks included, with switchable faults, so Chorus
//! runs end to end without an API key and every test has a real server.
//!
//! - [`config`]: [`SimConfig`], from code or `CHORUS_SIM_*` variables;
//! - [`clock`]: how long a task spends in each phase;
//! - [`faults`]: what misbehaviour a run injects;
//! - [`stats`]: counters tests assert on;
//! - `request`, `task`, `render`: a submission, its lifecycle, its JSON;
//! - [`media`]: synthesised audio and cover images;
//! - `routes`: the HTTP surface (`/api/v2`, `/media`, `/__sim`);
//! - [`Simulator`] and [`SimHandle`] below: start it, and steer it in-process.
//!
//! Routes, all on one port:
//! - `POST /api/v2/music/task`, `GET /api/v2/music/task?ids=a,b` (header
//!   `api-key`), answering like the vendor;
//! - `GET /media/audio/{clip}.wav` (once completed), `/media/stream/{clip}`
//!   (chunked, from streaming on), `/media/image/{clip}.png`,
//!   `/media/image-large/{clip}.png`, `/media/avatar.png`;
//! - `GET /__sim/health`, `GET|PUT /__sim/faults`, `GET /__sim/stats`,
//!   `POST /__sim/stats/reset` (no key needed).
//!
//! A task is `queued`, then `processing`, `streaming` and `completed` as its
//! clock runs; a task doomed at submission fails when processing ends, and
//! one that never finishes stays `processing`.

pub mod clock;
pub mod config;
pub mod faults;
pub mod media;
mod render;
mod request;
mod routes;
mod state;
pub mod stats;
mod task;

use std::future::Future;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener};
use std::pin::Pin;
use std::sync::Arc;

use actix_web::{App, HttpServer, web};

pub use clock::SimClock;
pub use config::{SimConfig, SimConfigError};
pub use faults::{Faults, FaultsError};
pub use stats::SimStats;

use state::SimState;

/// Two cores is the norm here; the simulator is never the bottleneck.
const WORKERS: usize = 2;
/// Seconds in-flight requests (a stream, say) get to finish on shutdown.
const SHUTDOWN_TIMEOUT_SECS: u64 = 5;

/// A simulator bound to its port, not yet serving.
pub struct Simulator {
    listener: TcpListener,
    port: u16,
    local_base: String,
    state: Arc<SimState>,
    os_signals: bool,
}

/// What ends serving.
enum Stop {
    OsSignals,
    Dropped,
    On(Pin<Box<dyn Future<Output = ()> + Send>>),
}

impl Simulator {
    /// Binds `addr` (`"127.0.0.1:0"` picks a free port). Requests are served
    /// once [`Simulator::run_until_stopped`] is awaited.
    pub fn bind(config: SimConfig, addr: &str) -> io::Result<Simulator> {
        let listener = TcpListener::bind(addr)?;
        let bound = listener.local_addr()?;
        // A wildcard address is no place to send a client: use loopback.
        let host = match bound.ip() {
            IpAddr::V4(ip) if ip.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
            IpAddr::V6(ip) if ip.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
            ip => ip,
        };
        let local_base = format!("http://{}", SocketAddr::new(host, bound.port()));
        let public_base = config
            .public_url
            .clone()
            .unwrap_or_else(|| local_base.clone());
        let state = SimState::new(config.clock, config.faults, config.api_key, public_base);
        tracing::info!(
            api = %format!("{local_base}/api/v2"),
            media = %state.public_base,
            clock = ?config.clock,
            faults = ?config.faults,
            "upstream simulator bound"
        );
        Ok(Simulator {
            listener,
            port: bound.port(),
            local_base,
            state: Arc::new(state),
            os_signals: true,
        })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://127.0.0.1:{port}`: where this machine reaches the simulator.
    pub fn base_url(&self) -> String {
        self.local_base.clone()
    }

    /// `http://127.0.0.1:{port}/api/v2`: the upstream base URL to give Chorus.
    pub fn api_base_url(&self) -> String {
        format!("{}/api/v2", self.local_base)
    }

    /// Base of the media URLs in replies (`public_url`, else [`Self::base_url`]).
    pub fn public_url(&self) -> String {
        self.state.public_base.clone()
    }

    pub fn handle(&self) -> SimHandle {
        SimHandle {
            state: Arc::clone(&self.state),
        }
    }

    /// Leaves SIGINT/SIGTERM alone. By default the server stops gracefully
    /// on them (right for `chorus sim`); a simulator inside a test process
    /// should not take Ctrl-C away from the test runner.
    pub fn without_os_signals(mut self) -> Self {
        self.os_signals = false;
        self
    }

    /// Serves until SIGINT/SIGTERM (unless [`Self::without_os_signals`]) or
    /// until the future is dropped.
    pub async fn run_until_stopped(self) -> io::Result<()> {
        let stop = if self.os_signals {
            Stop::OsSignals
        } else {
            Stop::Dropped
        };
        self.serve(stop).await
    }

    /// Serves until `shutdown` completes, then lets in-flight requests
    /// finish. OS signals are left to the caller.
    pub async fn run_until(
        self,
        shutdown: impl Future<Output = ()> + Send + 'static,
    ) -> io::Result<()> {
        self.serve(Stop::On(Box::pin(shutdown))).await
    }

    async fn serve(self, stop: Stop) -> io::Result<()> {
        let data = web::Data::from(self.state);
        let server = HttpServer::new(move || {
            App::new()
                .app_data(data.clone())
                .configure(routes::configure)
        })
        .workers(WORKERS)
        .shutdown_timeout(SHUTDOWN_TIMEOUT_SECS)
        .listen(self.listener)?;
        let server = match stop {
            Stop::OsSignals => server,
            Stop::Dropped => server.disable_signals(),
            Stop::On(shutdown) => server.shutdown_signal(shutdown),
        };
        server.run().await
    }
}

/// Steers a running simulator from the same process: read counters, switch
/// faults. Cheap to clone.
#[derive(Clone)]
pub struct SimHandle {
    state: Arc<SimState>,
}

impl SimHandle {
    pub fn stats(&self) -> SimStats {
        self.state.stats()
    }

    pub fn reset_stats(&self) {
        self.state.reset_stats();
    }

    /// Replaces the faults; rates outside `0..=1` are clamped into it.
    pub fn set_faults(&self, faults: Faults) {
        if let Err(error) = faults.validate() {
            tracing::warn!(%error, "clamping faults");
        }
        self.state.set_faults(faults);
    }

    pub fn faults(&self) -> Faults {
        self.state.faults()
    }

    /// When the task reached (or will reach) its final status, by the wall
    /// clock; `None` for an unknown task or one that never finishes. Lets a
    /// benchmark measure how long a client took to notice.
    pub fn finished_at(&self, task_id: uuid::Uuid) -> Option<time::OffsetDateTime> {
        self.state.task(task_id)?.finishes_at(&self.state.clock)
    }

    /// Tasks created since start (stats resets do not forget tasks).
    pub fn task_count(&self) -> usize {
        self.state.task_count()
    }
}

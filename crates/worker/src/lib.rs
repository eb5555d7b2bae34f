//! The Chorus worker: the only process that talks to the upstream. It
//! submits song requests, polls them, archives the results, and sweeps up
//! requests whose job or worker was lost.
//!
//! - `submit`: the submit job (apalis, on Redis);
//! - `poller`: in-flight requests, 25 per upstream query;
//! - `archive`: the archive job, copying finished songs into storage;
//! - `sweep`: recovery of lost jobs and abandoned submissions;
//! - `queues`: the apalis monitor that runs both jobs;
//! - `status`: `/healthz` and `/metrics`.

mod archive;
mod backoff;
mod context;
mod metrics;
mod notify;
mod poller;
mod queues;
mod startup;
mod status;
mod submit;
mod sweep;

pub use archive::{ArchiveError, ArchiveOutcome, archive_clips};
pub use startup::{StartupError, WorkerApp};

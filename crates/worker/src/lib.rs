//! The Chorus worker: the only process that talks to the upstream. It
//! submits song requests, polls them, and archives the results.

mod startup;
mod status;

pub use startup::{StartupError, WorkerApp};

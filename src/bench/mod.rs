//! `chorus bench …`: load tests against the simulator, printing figures
//! for the README's performance section.

mod pipeline;
mod scratch;
mod worker_process;

pub use pipeline::{PipelineArgs, pipeline};

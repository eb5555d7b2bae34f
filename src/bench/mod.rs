//! `chorus bench …`: load tests against the simulator, printing figures
//! for the README's performance section.

mod baseline;
mod billing;
pub mod billing_seed;
mod load;
mod pages;
mod pipeline;
mod scratch;
mod seed;
mod worker_process;

pub use billing::{BillingArgs, billing};
pub use pages::{PagesArgs, pages};
pub use pipeline::{PipelineArgs, pipeline};

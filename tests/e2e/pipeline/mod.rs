//! The generation pipeline end to end: the API, the worker, the simulator,
//! and the money, checked after every scenario.

mod budget;
mod events;
mod faults;
mod happy_path;
pub(crate) mod invariants;
pub(crate) mod members;
mod recovery;
mod requests;

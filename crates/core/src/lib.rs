//! The Chorus domain, shared by the web app and the worker: no HTTP server
//! and no queue runtime live here.

pub mod accounts;
pub mod billing;
pub mod config;
pub mod db;
pub mod events;
pub mod freshness;
pub mod generations;
pub mod health;
pub mod jobs;
pub mod keyspace;
pub mod metrics;
pub mod money;
pub mod storage;
pub mod telemetry;
pub mod upstream;

pub use config::Config;
pub use money::Micros;

//! The Chorus domain, shared by the web app and the worker: no HTTP server
//! and no queue runtime live here.

pub mod config;
pub mod db;
pub mod health;
pub mod keyspace;
pub mod money;
pub mod telemetry;
pub mod upstream;

pub use config::Config;
pub use money::Micros;

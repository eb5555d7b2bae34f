//! End-to-end tests: the web app, the worker, the `chorus` binary and the
//! upstream client against real Postgres, Redis and the simulator. One test
//! binary, one module per area.

#![allow(clippy::unwrap_used)]

mod cli;
mod helpers;
mod upstream;
mod web;
mod worker;

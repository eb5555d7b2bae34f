//! End-to-end tests: the web app, the worker, the `chorus` binary and the
//! upstream client against real Postgres, Redis and the simulator. One test
//! binary, one module per area.

#![allow(clippy::unwrap_used)]

mod accounts;
mod accounts_cli;
mod accounts_web;
mod admin_billing;
mod api_auth;
mod archive;
mod billing;
mod billing_pages;
mod browser;
mod cli;
mod gallery;
mod helpers;
mod i18n;
mod kept_pages;
mod library;
mod media;
mod pipeline;
mod songs_pages;
mod team;
mod upstream;
mod web;
mod worker;

//! The Chorus web app: server-rendered pages and the JSON API.

mod api;
mod assets;
mod error;
mod pages;
mod routes;
mod security_headers;
mod startup;
mod state;

pub use startup::{StartupError, WebApp};

//! The Chorus web app: server-rendered pages and the JSON API.

mod api;
mod assets;
mod auth;
mod cache;
mod charts;
mod csrf;
mod error;
mod format;
mod i18n;
mod media;
mod pages;
mod routes;
mod security_headers;
mod session;
mod startup;
mod state;
mod tokens;
mod url;

pub use startup::{StartupError, WebApp};

// Compiles `locales/app.yml` in. English stands in for a key missing from
// another language; the catalog test keeps that from shipping.
rust_i18n::i18n!("locales", fallback = "en");

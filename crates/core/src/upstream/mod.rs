//! The client of the paid music-generation API (see `upstream/API.md`).
//! Nothing else in Chorus talks to the upstream.
//!
//! - [`settings`]: where the upstream is, its key, timeouts and size cap.
//! - [`request`]: what we send: a song request, and the task id we get back.
//! - [`report`]: what a poll tells us: tasks, their status and clips.
//! - [`parse`]: lenient parsing of the vendor's replies (pure, byte in).
//! - [`error`]: the typed error and whether a retry is safe.
//! - [`client`]: the HTTP client itself.
//! - [`download`]: fetching a clip's media, without the key, capped.
//!
//! Internal helpers: `body` (capped reading), `transport` (HTTP outcomes
//! into errors), `json` (lenient field access), `text` (message clean-up).

mod body;
pub mod client;
pub mod download;
pub mod error;
mod json;
pub mod parse;
pub mod report;
pub mod request;
pub mod settings;
mod text;
mod transport;

pub use client::{MAX_IDS_PER_POLL, UpstreamClient, init_crypto};
pub use download::{Download, DownloadError};
pub use error::{BuildError, Retry, UpstreamError};
pub use parse::{parse_poll_reply, parse_submit_reply};
pub use report::{Clip, ClipStatus, PollReply, TaskReport, TaskStatus};
pub use request::{SongRequest, TaskId};
pub use settings::UpstreamSettings;

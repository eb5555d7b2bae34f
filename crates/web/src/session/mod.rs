//! Server-side sessions: the browser holds a random id in the
//! `chorus_session` cookie, Redis holds what it stands for under the id's
//! SHA-256 (so a leaked Redis dump holds no usable cookie).
//!
//! - [`store`]: creating, loading and ending sessions in Redis;
//! - [`cookie`]: the cookie's name and flags;
//! - [`extract`]: [`SignedIn`] and [`MaybeSignedIn`], which handlers take;
//! - [`viewer`]: the session loaded once per request, up front.

mod cookie;
mod extract;
mod store;
mod viewer;

use std::time::Duration;

pub use cookie::{SESSION_COOKIE, session_cookie, session_removal_cookie, wants_secure_cookies};
pub use extract::{MaybeSignedIn, SignedIn};
pub use store::{SessionId, SessionStore};
pub use viewer::{remember_viewer, signed_in_viewer, viewer, viewer_is_admin};

/// How long a session lasts from sign-in; it does not slide, so a stolen
/// cookie stops working within a week whatever it is used for.
pub const SESSION_TTL: Duration = Duration::from_secs(7 * 24 * 60 * 60);

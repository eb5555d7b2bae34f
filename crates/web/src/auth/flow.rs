//! From a checked form to a session: signing in (with the attempt limits),
//! signing out, changing a password.

use std::net::IpAddr;
use std::time::Duration;

use actix_web::cookie::Cookie;
use chorus_core::accounts::{User, check_credentials, set_password, verify_user_password};
use secrecy::SecretString;
use uuid::Uuid;

use crate::auth::limits::LoginLimits;
use crate::error::WebError;
use crate::session::{SessionId, SessionStore, SignedIn, session_cookie, session_removal_cookie};
use crate::state::AppState;

pub enum Attempt {
    Succeeded(User),
    WrongCredentials,
    /// The password was right, but an admin disabled the account.
    Disabled,
    /// Too many failures lately; try again after this long.
    TooMany(Duration),
}

pub async fn attempt_sign_in(
    state: &AppState,
    email: &str,
    password: SecretString,
    address: Option<IpAddr>,
) -> Result<Attempt, WebError> {
    let limits = LoginLimits::new(state);
    let reservation = match limits.reserve(email, address).await? {
        Ok(reservation) => reservation,
        Err(wait) => return Ok(Attempt::TooMany(wait)),
    };
    Ok(
        match check_credentials(&state.pool, email, password).await? {
            None => Attempt::WrongCredentials,
            Some(user) if user.disabled => Attempt::Disabled,
            Some(user) => {
                limits.succeeded(reservation).await?;
                Attempt::Succeeded(user)
            }
        },
    )
}

/// Signs the browser in under a new session id and ends the session it
/// came with, if any: an id planted before sign-in is worth nothing after.
pub async fn begin_session(
    state: &AppState,
    user_id: Uuid,
    previous: Option<&SessionId>,
) -> Result<Cookie<'static>, WebError> {
    let store = SessionStore::new(state);
    if let Some(previous) = previous {
        store.end(previous).await?;
    }
    let id = store.start(user_id).await?;
    Ok(session_cookie(&state.config, &id))
}

/// Ends the browser's session; returns the cookie that makes it forget it.
pub async fn end_session(
    state: &AppState,
    session: Option<&SessionId>,
) -> Result<Cookie<'static>, WebError> {
    if let Some(session) = session {
        SessionStore::new(state).end(session).await?;
    }
    Ok(session_removal_cookie(&state.config))
}

pub enum PasswordChange {
    /// Every session of the user ended; this browser's new one is in the cookie.
    Changed(Cookie<'static>),
    WrongCurrent,
    TooMany(Duration),
}

/// Checks the current password (under the same limits as signing in, so a
/// borrowed session cannot be used to guess it), stores the new one and ends
/// every other session of the user; this one is renewed.
pub async fn change_password(
    state: &AppState,
    signed_in: &SignedIn,
    current: SecretString,
    new: SecretString,
    address: Option<IpAddr>,
) -> Result<PasswordChange, WebError> {
    let user = &signed_in.user;
    let limits = LoginLimits::new(state);
    let reservation = match limits.reserve(&user.email, address).await? {
        Ok(reservation) => reservation,
        Err(wait) => return Ok(PasswordChange::TooMany(wait)),
    };
    if !verify_user_password(&state.pool, user.id, current).await? {
        return Ok(PasswordChange::WrongCurrent);
    }
    limits.succeeded(reservation).await?;
    set_password(&state.pool, user.id, new).await?;
    let store = SessionStore::new(state);
    store.end_all(user.id, Some(&signed_in.session)).await?;
    // This browser's session is renewed rather than kept.
    let cookie = begin_session(state, user.id, Some(&signed_in.session)).await?;
    Ok(PasswordChange::Changed(cookie))
}

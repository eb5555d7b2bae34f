//! The session cookie: HttpOnly (scripts cannot read it), SameSite=Lax (it
//! rides along when someone follows a link to Chorus, but not on another
//! site's POST), and Secure whenever Chorus is served over https.

use actix_web::cookie::time::Duration as CookieDuration;
use actix_web::cookie::{Cookie, SameSite};
use chorus_core::Config;

use crate::session::{SESSION_TTL, SessionId};

pub const SESSION_COOKIE: &str = "chorus_session";

/// Whether cookies must only travel over https: decided by the public
/// address, since behind a TLS-terminating proxy the app itself sees http.
pub fn wants_secure_cookies(config: &Config) -> bool {
    config
        .public_url
        .as_ref()
        .is_some_and(|url| url.scheme() == "https")
}

pub fn session_cookie(config: &Config, id: &SessionId) -> Cookie<'static> {
    let max_age = i64::try_from(SESSION_TTL.as_secs()).unwrap_or(i64::MAX);
    Cookie::build(SESSION_COOKIE, id.as_str().to_owned())
        .path("/")
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(wants_secure_cookies(config))
        .max_age(CookieDuration::seconds(max_age))
        .finish()
}

/// Tells the browser to forget its session cookie.
pub fn session_removal_cookie(config: &Config) -> Cookie<'static> {
    let mut cookie = session_cookie(config, &SessionId::empty());
    cookie.make_removal();
    cookie
}

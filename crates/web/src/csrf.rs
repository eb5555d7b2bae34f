//! CSRF protection for every state-changing form, by double submit: a
//! random `chorus_csrf` cookie (HttpOnly, SameSite=Strict) that the form
//! page also writes into a hidden `csrf` field. Another site can make a
//! browser post to Chorus, but can neither read the cookie nor set it, so
//! it cannot send a matching field. A cross-origin `Origin` or
//! `Sec-Fetch-Site` is refused as well, as a second line.
//!
//! Form pages take a [`CsrfToken`] and answer through [`form_page`];
//! form handlers take a [`CsrfForm`] instead of `web::Form`. The JSON API is
//! exempt: it authenticates with bearer tokens, which browsers never attach
//! on their own.

use std::future::{Future, Ready, ready};
use std::pin::Pin;

use actix_web::cookie::{Cookie, SameSite};
use actix_web::dev::Payload;
use actix_web::http::{StatusCode, header};
use actix_web::{FromRequest, HttpRequest, HttpResponse, web};
use askama::Template;
use chorus_core::Config;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;

use crate::error::WebError;
use crate::session::wants_secure_cookies;
use crate::state::AppState;
use crate::tokens;

pub const CSRF_COOKIE: &str = "chorus_csrf";

/// The token a form page embeds in `<input type="hidden" name="csrf">`.
pub struct CsrfToken {
    value: String,
    /// Made for this response: the browser has no cookie yet.
    fresh: bool,
}

impl CsrfToken {
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The cookie to send with the page, when the browser lacks it.
    fn cookie(&self, config: &Config) -> Option<Cookie<'static>> {
        self.fresh.then(|| {
            Cookie::build(CSRF_COOKIE, self.value.clone())
                .path("/")
                .http_only(true)
                .same_site(SameSite::Strict)
                .secure(wants_secure_cookies(config))
                .finish()
        })
    }
}

impl FromRequest for CsrfToken {
    type Error = WebError;
    type Future = Ready<Result<CsrfToken, WebError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let existing = req
            .cookie(CSRF_COOKIE)
            .filter(|cookie| tokens::is_well_formed(cookie.value()));
        ready(match existing {
            Some(cookie) => Ok(CsrfToken {
                value: cookie.value().to_owned(),
                fresh: false,
            }),
            None => tokens::random_token().map(|value| CsrfToken { value, fresh: true }),
        })
    }
}

/// Renders a page holding a form, with the CSRF cookie if it is new. Such
/// pages are never cached: they hold a token and, often, the user's input.
pub fn form_page(
    status: StatusCode,
    page: &impl Template,
    csrf: &CsrfToken,
    config: &Config,
) -> Result<HttpResponse, WebError> {
    let html = page.render()?;
    let mut response = HttpResponse::build(status);
    response
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"));
    if let Some(cookie) = csrf.cookie(config) {
        response.cookie(cookie);
    }
    Ok(response.body(html))
}

/// A form body that came from one of Chorus's own pages; anything else is
/// answered 403 before the handler runs.
pub struct CsrfForm<T>(pub T);

#[derive(Deserialize)]
struct WithToken<T> {
    // Missing is a mismatch (403), not a malformed form (400).
    #[serde(default)]
    csrf: String,
    #[serde(flatten)]
    fields: T,
}

impl<T: DeserializeOwned + 'static> FromRequest for CsrfForm<T> {
    type Error = actix_web::Error;
    type Future = Pin<Box<dyn Future<Output = Result<CsrfForm<T>, actix_web::Error>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let cookie = req.cookie(CSRF_COOKIE);
        let same_origin = is_same_origin(req);
        let form = web::Form::<WithToken<T>>::from_request(req, payload);
        Box::pin(async move {
            let Some(cookie) = cookie.filter(|_| same_origin) else {
                return Err(WebError::CsrfRejected.into());
            };
            let web::Form(submitted) = form.await?;
            if !tokens_match(cookie.value(), &submitted.csrf) {
                return Err(WebError::CsrfRejected.into());
            }
            Ok(CsrfForm(submitted.fields))
        })
    }
}

/// Constant time, so the comparison does not leak how much of a guess was
/// right.
fn tokens_match(cookie: &str, field: &str) -> bool {
    !cookie.is_empty() && bool::from(cookie.as_bytes().ct_eq(field.as_bytes()))
}

/// False when the browser says the request comes from another site. No
/// header (older browsers, scripts) is let through: the token still guards.
fn is_same_origin(req: &HttpRequest) -> bool {
    let headers = req.headers();
    if let Some(site) = headers.get("sec-fetch-site")
        && !matches!(site.as_bytes(), b"same-origin" | b"none")
    {
        return false;
    }
    let Some(origin) = headers.get(header::ORIGIN) else {
        return true;
    };
    let Ok(origin) = origin.to_str() else {
        return false;
    };
    let public = req
        .app_data::<web::Data<AppState>>()
        .and_then(|state| state.config.public_url.as_ref())
        .map(|url| url.origin().ascii_serialization());
    // The public address when one is configured; otherwise (and for people
    // reaching the app directly) the host the browser itself asked for.
    public.as_deref() == Some(origin)
        || origin
            .split_once("://")
            .is_some_and(|(_, authority)| authority == req.connection_info().host())
}

#[cfg(test)]
mod tests {
    use actix_web::test::TestRequest;

    use super::*;

    #[std::prelude::v1::test]
    fn tokens_must_match_exactly_and_not_be_empty() {
        assert!(tokens_match("abc", "abc"));
        assert!(!tokens_match("abc", "abd"));
        assert!(!tokens_match("abc", "ab"));
        assert!(!tokens_match("", ""));
    }

    #[std::prelude::v1::test]
    fn another_site_is_refused_and_our_own_host_accepted() {
        let with = |name: &str, value: &str| {
            TestRequest::post()
                .uri("/sign-out")
                .insert_header((header::HOST, "chorus.test:8080"))
                .insert_header((name, value))
                .to_http_request()
        };
        assert!(is_same_origin(&with("origin", "http://chorus.test:8080")));
        assert!(!is_same_origin(&with("origin", "https://evil.test")));
        assert!(!is_same_origin(&with("origin", "null")));
        assert!(!is_same_origin(&with("origin", "http://chorus.test")));
        assert!(is_same_origin(&with("sec-fetch-site", "same-origin")));
        assert!(!is_same_origin(&with("sec-fetch-site", "cross-site")));
        assert!(!is_same_origin(&with("sec-fetch-site", "same-site")));
        assert!(is_same_origin(&with("x-other", "1")));
    }
}

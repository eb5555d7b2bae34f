//! The accounts pages: first run, sign in and out, change password.

mod password;
mod setup;
mod sign_in;

use std::time::Duration;

use actix_web::cookie::Cookie;
use actix_web::http::header;
use actix_web::{HttpResponse, web};

use crate::pages::Layout;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(setup::show)
        .service(setup::create_admin)
        .service(sign_in::show)
        .service(sign_in::sign_in)
        .service(sign_in::sign_out)
        .service(password::show)
        .service(password::change);
}

/// A 303 to `location` that sets (or removes) the session cookie.
fn see_other_with(cookie: Cookie<'static>, location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .cookie(cookie)
        .insert_header((header::LOCATION, location))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}

/// "Try again in N minutes", rounded up so it is never too early.
fn try_again_in(layout: &Layout, key: &str, wait: Duration) -> String {
    let minutes = wait.as_secs().div_ceil(60).max(1).to_string();
    layout.t_args(key, &[("minutes", &minutes)])
}

/// Tells well-behaved clients how long a 429 lasts.
fn retry_after(response: &mut HttpResponse, wait: Duration) {
    if let Ok(value) = header::HeaderValue::from_str(&wait.as_secs().max(1).to_string()) {
        response.headers_mut().insert(header::RETRY_AFTER, value);
    }
}

//! The stylesheet and scripts in `static/`, compiled into the binary so a
//! deployment is one file.

use actix_web::http::header::{CacheControl, CacheDirective};
use actix_web::{HttpResponse, get, web};

const STYLESHEET: &str = include_str!("../../../static/chorus.css");

#[get("/static/chorus.css")]
async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header(CacheControl(vec![
            CacheDirective::Public,
            CacheDirective::MaxAge(3600),
        ]))
        .body(STYLESHEET)
}

const LIVE_SCRIPT: &str = include_str!("../../../static/live.js");

/// Live status updates on song lists (see `routes::events`).
#[get("/static/live.js")]
async fn live_script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header(CacheControl(vec![
            CacheDirective::Public,
            CacheDirective::MaxAge(3600),
        ]))
        .body(LIVE_SCRIPT)
}

const CREATE_SCRIPT: &str = include_str!("../../../static/create.js");

/// The create page's style suggestions, lyric markers and character count.
#[get("/static/create.js")]
async fn create_script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header(CacheControl(vec![
            CacheDirective::Public,
            CacheDirective::MaxAge(3600),
        ]))
        .body(CREATE_SCRIPT)
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(stylesheet)
        .service(live_script)
        .service(create_script);
}

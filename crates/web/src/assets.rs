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

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(stylesheet);
}

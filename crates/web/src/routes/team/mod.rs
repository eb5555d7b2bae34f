//! The team: the admin's users page (invitations, disabling), the admin's
//! billing page, joining with an invitation link, and open registration
//! when the config allows it.

mod admin;
mod billing;
mod join;

use actix_web::http::StatusCode;
use actix_web::http::header;
use actix_web::{HttpResponse, web};
use askama::Template;

use crate::error::WebError;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(admin::show)
        .service(admin::invite)
        .service(admin::disable)
        .service(admin::enable)
        .service(join::show)
        .service(join::join)
        .service(join::show_register)
        .service(join::register)
        .configure(billing::configure);
}

/// A page without a form, never cached (it answers a secret link).
fn page(status: StatusCode, page: &impl Template) -> Result<HttpResponse, WebError> {
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(page.render()?))
}

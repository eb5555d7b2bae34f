//! Every route of the web app.

mod health;
mod home;

use actix_web::web;

use crate::{api, assets, error};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(home::home)
        .service(health::healthz)
        .configure(assets::configure)
        .configure(api::configure)
        .default_service(web::to(error::not_found));
}

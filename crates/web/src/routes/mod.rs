//! Every route of the web app.

mod accounts;
mod health;
mod home;
mod lang;

use actix_web::web;

use crate::{api, assets, error, media};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(home::home)
        .service(lang::switch)
        .service(health::healthz)
        .configure(assets::configure)
        .configure(accounts::configure)
        .configure(api::configure)
        .configure(media::configure)
        .default_service(web::to(error::not_found));
}

//! Every route of the web app.

mod accounts;
mod billing;
mod events;
mod gallery;
mod health;
mod home;
mod lang;
mod library;
mod songs;
mod team;

use actix_web::web;

use crate::{api, assets, error, media};

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(home::home)
        .service(lang::switch)
        .service(library::my_songs_page)
        .service(events::events)
        .service(health::healthz)
        .configure(assets::configure)
        .configure(accounts::configure)
        .configure(songs::configure)
        .configure(gallery::configure)
        .configure(team::configure)
        .configure(billing::configure)
        .configure(api::configure)
        .configure(media::configure)
        .default_service(web::to(error::not_found));
}

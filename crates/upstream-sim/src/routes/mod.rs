//! The simulator's HTTP surface.
//!
//! - `/api/v2/music/task`: the vendor API (`api`), behind the key check and
//!   injected faults (`gate`);
//! - `/media/...`: audio and images the replies link to (`media`);
//! - `/__sim/...`: faults and counters for tests and operators (`admin`).

mod admin;
mod api;
mod gate;
mod media;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde_json::json;

pub(crate) fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(
        web::resource("/api/v2/music/task")
            .route(web::post().to(api::submit))
            .route(web::get().to(api::poll)),
    )
    .route("/media/audio/{file}", web::get().to(media::audio))
    .route("/media/stream/{clip}", web::get().to(media::stream))
    .route("/media/image/{file}", web::get().to(media::image))
    .route(
        "/media/image-large/{file}",
        web::get().to(media::image_large),
    )
    .route("/media/avatar.png", web::get().to(media::avatar))
    .service(
        web::scope("/__sim")
            .route("/health", web::get().to(admin::health))
            .route("/faults", web::get().to(admin::get_faults))
            .route("/faults", web::put().to(admin::put_faults))
            .route("/stats", web::get().to(admin::get_stats))
            .route("/stats/reset", web::post().to(admin::reset_stats)),
    );
}

/// The vendor's refusal shape: `{"success": false, "message": ...}`.
fn refusal(status: StatusCode, message: &str) -> HttpResponse {
    HttpResponse::build(status).json(json!({ "success": false, "message": message }))
}

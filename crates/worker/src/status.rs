//! The worker's own small HTTP server: health for orchestrators.

use actix_web::{HttpResponse, get, web};
use redis::aio::ConnectionManager;
use sqlx::PgPool;

#[derive(Clone)]
pub struct StatusState {
    pub pool: PgPool,
    pub redis: ConnectionManager,
}

#[get("/healthz")]
async fn healthz(state: web::Data<StatusState>) -> HttpResponse {
    let health = chorus_core::health::check(&state.pool, &state.redis).await;
    if health.ok() {
        HttpResponse::Ok().json(health)
    } else {
        HttpResponse::ServiceUnavailable().json(health)
    }
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(healthz);
}

//! The worker's own small HTTP server: health for orchestrators, metrics
//! for Prometheus.

use actix_web::{HttpResponse, get, web};
use prometheus_client::encoding::text::encode;
use prometheus_client::registry::Registry;

use crate::context::WorkerContext;

#[get("/healthz")]
async fn healthz(ctx: web::Data<WorkerContext>) -> HttpResponse {
    let health = chorus_core::health::check(&ctx.pool, &ctx.redis).await;
    if health.ok() {
        HttpResponse::Ok().json(health)
    } else {
        HttpResponse::ServiceUnavailable().json(health)
    }
}

#[get("/metrics")]
async fn metrics(ctx: web::Data<WorkerContext>) -> HttpResponse {
    let mut registry = Registry::default();
    ctx.metrics.register(&mut registry);
    if let Err(e) = chorus_core::metrics::register_database_gauges(&mut registry, &ctx.pool).await {
        tracing::error!(error = %e, "metrics: database gauges unavailable");
        return HttpResponse::ServiceUnavailable().finish();
    }
    let mut body = String::new();
    if encode(&mut body, &registry).is_err() {
        return HttpResponse::InternalServerError().finish();
    }
    HttpResponse::Ok()
        .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
        .body(body)
}

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(healthz).service(metrics);
}

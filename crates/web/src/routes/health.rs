use actix_web::{HttpResponse, get, web};

use crate::state::AppState;

/// 200 when Postgres and Redis answer, 503 naming the one that does not.
#[get("/healthz")]
pub async fn healthz(state: web::Data<AppState>) -> HttpResponse {
    let health = chorus_core::health::check(&state.pool, &state.redis).await;
    if health.ok() {
        HttpResponse::Ok().json(health)
    } else {
        HttpResponse::ServiceUnavailable().json(health)
    }
}

//! `/__sim/...`: faults and counters, for tests and operators. No api-key:
//! this is the simulator's own control surface, not the vendor's.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde_json::json;

use super::refusal;
use crate::faults::Faults;
use crate::state::SimState;
use crate::stats::SimStats;

pub(super) async fn health(state: web::Data<SimState>) -> HttpResponse {
    HttpResponse::Ok().json(json!({ "ok": true, "tasks": state.task_count() }))
}

pub(super) async fn get_faults(state: web::Data<SimState>) -> HttpResponse {
    HttpResponse::Ok().json(state.faults())
}

/// Replaces all faults; fields left out are zero.
pub(super) async fn put_faults(state: web::Data<SimState>, body: web::Bytes) -> HttpResponse {
    let faults = match serde_json::from_slice::<Faults>(&body) {
        Ok(faults) => faults,
        Err(e) => return refusal(StatusCode::BAD_REQUEST, &format!("invalid faults: {e}")),
    };
    if let Err(e) = faults.validate() {
        return refusal(StatusCode::BAD_REQUEST, &e.to_string());
    }
    state.set_faults(faults);
    tracing::info!(?faults, "faults replaced");
    HttpResponse::Ok().json(faults)
}

pub(super) async fn get_stats(state: web::Data<SimState>) -> HttpResponse {
    HttpResponse::Ok().json(state.stats())
}

pub(super) async fn reset_stats(state: web::Data<SimState>) -> HttpResponse {
    state.reset_stats();
    HttpResponse::Ok().json(SimStats::default())
}

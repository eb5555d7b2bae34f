//! `GET /metrics` (Prometheus text) for admins: the team's money is in it,
//! so it takes an admin's personal access token (Prometheus sends one with
//! `authorization: {credentials: …}`).

use actix_web::{HttpResponse, get, web};
use chorus_core::accounts::Role;
use prometheus_client::encoding::text::encode;
use prometheus_client::registry::Registry;

use crate::api::auth::ApiUser;
use crate::api::error::ApiError;
use crate::state::AppState;

#[get("/metrics")]
pub async fn metrics(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
) -> Result<HttpResponse, ApiError> {
    if user.role != Role::Admin {
        return Err(ApiError::Forbidden("metrics are for admins".into()));
    }
    let mut registry = Registry::default();
    chorus_core::metrics::register_database_gauges(&mut registry, &state.pool).await?;
    let mut body = String::new();
    encode(&mut body, &registry).map_err(ApiError::internal)?;
    Ok(HttpResponse::Ok()
        .content_type("application/openmetrics-text; version=1.0.0; charset=utf-8")
        .body(body))
}

//! `GET /api/v1/usage`: the caller's month.

use actix_web::{HttpResponse, get, web};
use chorus_core::billing::usage_of;
use chorus_core::billing::zone::this_month;

use crate::api::auth::ApiUser;
use crate::api::error::ApiError;
use crate::state::AppState;

#[get("/usage")]
pub async fn usage(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
) -> Result<HttpResponse, ApiError> {
    let month = this_month(&state.pool, &state.config.billing_zone).await?;
    Ok(HttpResponse::Ok().json(usage_of(&state.pool, user.id, month).await?))
}

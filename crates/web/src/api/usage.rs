//! `GET /api/v1/usage`: the caller's month.

use actix_web::{HttpResponse, get, web};
use chorus_core::billing::usage_of;
use chorus_core::generations::create::billing_month;
use time::OffsetDateTime;

use crate::api::auth::ApiUser;
use crate::api::error::ApiError;
use crate::state::AppState;

#[get("/usage")]
pub async fn usage(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
) -> Result<HttpResponse, ApiError> {
    let month = billing_month(OffsetDateTime::now_utc());
    Ok(HttpResponse::Ok().json(usage_of(&state.pool, user.id, month).await?))
}

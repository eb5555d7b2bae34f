//! `POST /api/v1/generations` and `GET /api/v1/generations/{id}`.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chorus_core::accounts::Role;
use chorus_core::generations::input::SongForm;
use chorus_core::generations::{CreateError, Request, RequestKey, Viewer, view};
use serde_json::Value;
use uuid::Uuid;

use crate::api::auth::ApiUser;
use crate::api::error::ApiError;
use crate::state::AppState;

/// 202: the request is accepted and paid for (reserved); the song follows.
#[post("/generations")]
pub async fn create(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    req: HttpRequest,
    body: web::Json<Value>,
) -> Result<HttpResponse, ApiError> {
    // Sent again with the same key (a retry after a lost answer), the
    // request answers with the song the first one made, charged once.
    let key =
        match req.headers().get("idempotency-key") {
            None => None,
            Some(value) => Some(value.to_str().ok().and_then(RequestKey::parse).ok_or_else(
                || {
                    ApiError::invalid(
                        "Idempotency-Key",
                        "must be 1 to 100 visible ASCII characters".to_owned(),
                    )
                },
            )?),
        };
    let form = SongForm::from_json(&body).map_err(|e| ApiError::invalid(e.field, e.message))?;
    let input = form
        .validate()
        .map_err(|e| ApiError::invalid(e.field, e.message))?;
    let ticket = state
        .request_song(
            user.id,
            Request {
                input: &input,
                key: key.as_ref(),
            },
        )
        .await
        .map_err(|e| match e {
            CreateError::OverBudget { .. } => ApiError::OverBudget(e.to_string()),
            CreateError::Disabled => ApiError::InvalidToken,
            CreateError::Database(e) => ApiError::internal(e),
        })?;
    let viewer = viewer(&user);
    let created = view::find_visible(&state.pool, ticket.id, viewer)
        .await?
        .ok_or(ApiError::NotFound)?;
    Ok(HttpResponse::Accepted()
        .insert_header(("Location", format!("/api/v1/generations/{}", ticket.id)))
        .json(created))
}

#[get("/generations/{id}")]
pub async fn show(
    state: web::Data<AppState>,
    ApiUser(user): ApiUser,
    id: web::Path<Uuid>,
) -> Result<HttpResponse, ApiError> {
    let found = view::find_visible(&state.pool, id.into_inner(), viewer(&user)).await?;
    Ok(HttpResponse::Ok().json(found.ok_or(ApiError::NotFound)?))
}

fn viewer(user: &chorus_core::accounts::User) -> Viewer {
    Viewer {
        user_id: user.id,
        is_admin: user.role == Role::Admin,
    }
}

use actix_web::{get, web};
use serde::Serialize;
use uuid::Uuid;

use crate::api::auth::ApiUser;

#[derive(Serialize)]
pub struct Me {
    id: Uuid,
    email: String,
    role: &'static str,
}

/// Who the token belongs to: the simplest way for a script to check it.
#[get("/me")]
pub async fn me(ApiUser(user): ApiUser) -> web::Json<Me> {
    web::Json(Me {
        id: user.id,
        email: user.email,
        role: user.role.as_str(),
    })
}

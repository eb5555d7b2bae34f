use actix_web::{get, web};

use crate::error::WebError;
use crate::pages::{HomePage, Layout};
use crate::state::AppState;

#[get("/")]
pub async fn home(state: web::Data<AppState>, layout: Layout) -> Result<HomePage, WebError> {
    Ok(HomePage {
        layout,
        price: state.config.price,
    })
}

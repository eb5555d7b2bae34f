use actix_web::{get, web};

use crate::error::WebError;
use crate::pages::{HomePage, Layout};
use crate::state::AppState;

#[get("/")]
pub async fn home(state: web::Data<AppState>) -> Result<HomePage, WebError> {
    Ok(HomePage {
        layout: Layout::new(&state.config),
        price: state.config.price,
    })
}

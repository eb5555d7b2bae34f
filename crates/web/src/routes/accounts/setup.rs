//! `/setup`: the first-run page that creates the first admin. It exists only
//! while there are no users; afterwards it is a 404 like any unknown page.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chorus_core::accounts::{create_first_admin, has_users};
use secrecy::SecretString;

use crate::auth::{SetupErrors, SetupForm, begin_session};
use crate::csrf::{CsrfForm, CsrfToken, form_page};
use crate::error::WebError;
use crate::pages::{Layout, SetupPage};
use crate::routes::accounts::see_other_with;
use crate::session::SessionId;
use crate::state::AppState;

#[get("/setup")]
pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    csrf: CsrfToken,
) -> Result<HttpResponse, WebError> {
    if has_users(&state.pool).await? {
        return Err(WebError::NotFound);
    }
    let page = SetupPage {
        layout,
        csrf: csrf.value().to_owned(),
        email: String::new(),
        errors: SetupErrors::default(),
    };
    form_page(StatusCode::OK, &page, &csrf, &state.config)
}

#[post("/setup")]
pub async fn create_admin(
    req: HttpRequest,
    state: web::Data<AppState>,
    layout: Layout,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<SetupForm>,
) -> Result<HttpResponse, WebError> {
    if has_users(&state.pool).await? {
        return Err(WebError::NotFound);
    }
    if let Some(errors) = form.errors() {
        let page = SetupPage {
            layout,
            csrf: csrf.value().to_owned(),
            email: form.email,
            errors,
        };
        return form_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page,
            &csrf,
            &state.config,
        );
    }
    let password = SecretString::from(form.password);
    // None: someone else finished first run a moment ago.
    let admin = create_first_admin(&state.pool, &form.email, password)
        .await?
        .ok_or(WebError::NotFound)?;
    tracing::info!(user_id = %admin.id, "first admin created");
    let previous = SessionId::of_request(&req);
    let cookie = begin_session(&state, admin.id, previous.as_ref()).await?;
    Ok(see_other_with(cookie, "/"))
}

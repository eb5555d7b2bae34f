//! `/sign-in` and `/sign-out`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chorus_core::accounts::has_users;
use secrecy::SecretString;
use serde::Deserialize;

use crate::auth::{
    Attempt, NoFields, SignInForm, attempt_sign_in, begin_session, end_session, local_path,
};
use crate::csrf::{CsrfForm, CsrfToken, form_page};
use crate::error::WebError;
use crate::pages::{Layout, SignInPage};
use crate::routes::accounts::{retry_after, see_other_with, try_again_in};
use crate::session::{MaybeSignedIn, SessionId};
use crate::state::AppState;

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
}

#[get("/sign-in")]
pub async fn show(
    state: web::Data<AppState>,
    layout: Layout,
    csrf: CsrfToken,
    signed_in: MaybeSignedIn,
    query: web::Query<NextQuery>,
) -> Result<HttpResponse, WebError> {
    let next = local_path(query.next.as_deref().unwrap_or("/")).to_owned();
    if signed_in.0.is_some() {
        return Ok(HttpResponse::SeeOther()
            .insert_header((actix_web::http::header::LOCATION, next))
            .finish());
    }
    // A fresh install has nobody to sign in as: first run comes first.
    if !has_users(&state.pool).await? {
        return Ok(HttpResponse::SeeOther()
            .insert_header((actix_web::http::header::LOCATION, "/setup"))
            .finish());
    }
    let page = SignInPage {
        layout,
        csrf: csrf.value().to_owned(),
        email: String::new(),
        next,
        error: None,
    };
    form_page(StatusCode::OK, &page, &csrf, &state.config)
}

#[post("/sign-in")]
pub async fn sign_in(
    req: HttpRequest,
    state: web::Data<AppState>,
    layout: Layout,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<SignInForm>,
) -> Result<HttpResponse, WebError> {
    let address = req.peer_addr().map(|peer| peer.ip());
    let password = SecretString::from(form.password);
    let (status, error, wait) =
        match attempt_sign_in(&state, &form.email, password, address).await? {
            Attempt::Succeeded(user) => {
                let previous = SessionId::of_request(&req);
                let cookie = begin_session(&state, user.id, previous.as_ref()).await?;
                return Ok(see_other_with(cookie, local_path(&form.next)));
            }
            Attempt::WrongCredentials => (
                StatusCode::UNAUTHORIZED,
                layout.t("accounts.sign_in.wrong_credentials"),
                None,
            ),
            Attempt::Disabled => (
                StatusCode::FORBIDDEN,
                layout.t("accounts.sign_in.disabled"),
                None,
            ),
            Attempt::TooMany(wait) => (
                StatusCode::TOO_MANY_REQUESTS,
                try_again_in(&layout, "accounts.sign_in.too_many", wait),
                Some(wait),
            ),
        };
    let page = SignInPage {
        layout,
        csrf: csrf.value().to_owned(),
        email: form.email,
        next: local_path(&form.next).to_owned(),
        error: Some(error),
    };
    let mut response = form_page(status, &page, &csrf, &state.config)?;
    if let Some(wait) = wait {
        retry_after(&mut response, wait);
    }
    Ok(response)
}

#[post("/sign-out")]
pub async fn sign_out(
    req: HttpRequest,
    state: web::Data<AppState>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, WebError> {
    let cookie = end_session(&state, SessionId::of_request(&req).as_ref()).await?;
    Ok(see_other_with(cookie, "/sign-in"))
}

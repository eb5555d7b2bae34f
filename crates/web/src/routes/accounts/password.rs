//! `/account/password`: change your own password. Every other session of
//! the user ends, so a password changed because it leaked locks out whoever
//! used it.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use secrecy::SecretString;
use serde::Deserialize;

use crate::auth::{PasswordChange, PasswordErrors, PasswordForm, change_password};
use crate::csrf::{CsrfForm, CsrfToken, form_page};
use crate::error::WebError;
use crate::pages::{Layout, PasswordPage};
use crate::routes::accounts::{retry_after, see_other_with, try_again_in};
use crate::session::SignedIn;
use crate::state::AppState;

#[derive(Deserialize)]
pub struct ChangedQuery {
    #[serde(default)]
    changed: Option<String>,
}

#[get("/account/password")]
pub async fn show(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    layout: Layout,
    csrf: CsrfToken,
    query: web::Query<ChangedQuery>,
) -> Result<HttpResponse, WebError> {
    let page = PasswordPage {
        layout,
        csrf: csrf.value().to_owned(),
        email: signed_in.user.email,
        changed: query.changed.is_some(),
        errors: PasswordErrors::default(),
        blocked: None,
    };
    form_page(StatusCode::OK, &page, &csrf, &state.config)
}

#[post("/account/password")]
pub async fn change(
    req: HttpRequest,
    state: web::Data<AppState>,
    signed_in: SignedIn,
    layout: Layout,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<PasswordForm>,
) -> Result<HttpResponse, WebError> {
    let mut page = PasswordPage {
        layout,
        csrf: csrf.value().to_owned(),
        email: signed_in.user.email.clone(),
        changed: false,
        errors: PasswordErrors::default(),
        blocked: None,
    };
    if let Some(errors) = form.errors() {
        page.errors = errors;
        return form_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page,
            &csrf,
            &state.config,
        );
    }
    let address = req.peer_addr().map(|peer| peer.ip());
    let current = SecretString::from(form.current_password);
    let new = SecretString::from(form.new_password);
    match change_password(&state, &signed_in, current, new, address).await? {
        PasswordChange::Changed(cookie) => {
            Ok(see_other_with(cookie, "/account/password?changed=1"))
        }
        PasswordChange::WrongCurrent => {
            page.errors.current_password = Some("accounts.password.wrong_current");
            form_page(
                StatusCode::UNPROCESSABLE_ENTITY,
                &page,
                &csrf,
                &state.config,
            )
        }
        PasswordChange::TooMany(wait) => {
            page.blocked = Some(try_again_in(
                &page.layout,
                "accounts.password.too_many",
                wait,
            ));
            let mut response =
                form_page(StatusCode::TOO_MANY_REQUESTS, &page, &csrf, &state.config)?;
            retry_after(&mut response, wait);
            Ok(response)
        }
    }
}

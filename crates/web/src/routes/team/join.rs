//! `/join/<token>`: make an account with an admin's one-time link, and
//! `/register`: make a member account without one, when registration is
//! open. Either way the new user is signed in at once, like the first
//! admin on `/setup`.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chorus_core::accounts::{
    AccountError, NewUser, Role, User, accept_invitation, create_user, find_usable_invitation,
};
use chorus_core::config::Registration;
use secrecy::SecretString;

use crate::auth::{SetupErrors, SetupForm, begin_session};
use crate::csrf::{CsrfForm, CsrfToken, form_page};
use crate::error::WebError;
use crate::pages::{InvalidInvitationPage, JoinPage, Layout, role_key};
use crate::routes::team::page;
use crate::session::SessionId;
use crate::state::AppState;

/// The same answer for an unknown, used or expired link, and for any link
/// while registration is closed.
fn invalid(layout: Layout) -> Result<HttpResponse, WebError> {
    page(StatusCode::NOT_FOUND, &InvalidInvitationPage { layout })
}

fn join_page(layout: Layout, csrf: &CsrfToken, action: String, role: Role) -> JoinPage {
    JoinPage {
        layout,
        csrf: csrf.value().to_owned(),
        action,
        role_key: role_key(role),
        email: String::new(),
        errors: SetupErrors::default(),
    }
}

#[get("/join/{token}")]
pub async fn show(
    state: web::Data<AppState>,
    token: web::Path<String>,
    layout: Layout,
    csrf: CsrfToken,
) -> Result<HttpResponse, WebError> {
    if state.config.registration == Registration::Closed {
        return invalid(layout);
    }
    let Some(invitation) = find_usable_invitation(&state.pool, &token).await? else {
        return invalid(layout);
    };
    let page = join_page(layout, &csrf, format!("/join/{token}"), invitation.role);
    form_page(StatusCode::OK, &page, &csrf, &state.config)
}

#[post("/join/{token}")]
pub async fn join(
    req: HttpRequest,
    state: web::Data<AppState>,
    token: web::Path<String>,
    layout: Layout,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<SetupForm>,
) -> Result<HttpResponse, WebError> {
    if state.config.registration == Registration::Closed {
        return invalid(layout);
    }
    let Some(invitation) = find_usable_invitation(&state.pool, &token).await? else {
        return invalid(layout);
    };
    let page = join_page(layout, &csrf, format!("/join/{token}"), invitation.role);
    if let Some(errors) = form.errors() {
        return refill(&state, page, &csrf, form, errors);
    }
    let password = SecretString::from(form.password.clone());
    // None: the link was spent (or ran out) since the check above.
    let user = match accept_invitation(&state.pool, &token, &form.email, password).await {
        Ok(Some(user)) => user,
        Ok(None) => return invalid(page.layout),
        Err(AccountError::EmailTaken(_)) => return email_taken(&state, page, &csrf, form),
        Err(e) => return Err(e.into()),
    };
    tracing::info!(user_id = %user.id, invitation_id = %invitation.id, "joined by invitation");
    signed_in(&req, &state, &user).await
}

#[get("/register")]
pub async fn show_register(
    state: web::Data<AppState>,
    layout: Layout,
    csrf: CsrfToken,
) -> Result<HttpResponse, WebError> {
    if state.config.registration != Registration::Open {
        return Err(WebError::NotFound);
    }
    let page = join_page(layout, &csrf, "/register".to_owned(), Role::Member);
    form_page(StatusCode::OK, &page, &csrf, &state.config)
}

#[post("/register")]
pub async fn register(
    req: HttpRequest,
    state: web::Data<AppState>,
    layout: Layout,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<SetupForm>,
) -> Result<HttpResponse, WebError> {
    if state.config.registration != Registration::Open {
        return Err(WebError::NotFound);
    }
    let page = join_page(layout, &csrf, "/register".to_owned(), Role::Member);
    if let Some(errors) = form.errors() {
        return refill(&state, page, &csrf, form, errors);
    }
    let new = NewUser {
        email: form.email.clone(),
        password: SecretString::from(form.password.clone()),
        role: Role::Member,
        monthly_budget: None,
    };
    let user = match create_user(&state.pool, new).await {
        Ok(user) => user,
        Err(AccountError::EmailTaken(_)) => return email_taken(&state, page, &csrf, form),
        Err(e) => return Err(e.into()),
    };
    tracing::info!(user_id = %user.id, "registered");
    signed_in(&req, &state, &user).await
}

/// The form again, with the email kept (never the passwords) and what is
/// wrong next to each field.
fn refill(
    state: &AppState,
    mut page: JoinPage,
    csrf: &CsrfToken,
    form: SetupForm,
    errors: SetupErrors,
) -> Result<HttpResponse, WebError> {
    page.email = form.email;
    page.errors = errors;
    form_page(StatusCode::UNPROCESSABLE_ENTITY, &page, csrf, &state.config)
}

fn email_taken(
    state: &AppState,
    page: JoinPage,
    csrf: &CsrfToken,
    form: SetupForm,
) -> Result<HttpResponse, WebError> {
    let errors = SetupErrors {
        email: Some("team.error.email_taken"),
        ..SetupErrors::default()
    };
    refill(state, page, csrf, form, errors)
}

/// Signs the new user in under a fresh session, as `/setup` does.
async fn signed_in(
    req: &HttpRequest,
    state: &AppState,
    user: &User,
) -> Result<HttpResponse, WebError> {
    let previous = SessionId::of_request(req);
    let cookie = begin_session(state, user.id, previous.as_ref()).await?;
    Ok(HttpResponse::SeeOther()
        .cookie(cookie)
        .insert_header((header::LOCATION, "/"))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish())
}

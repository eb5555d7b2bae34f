//! `/admin/users`: the team's users, one-time invitation links, and
//! disabling or enabling a user. Admins only: anyone else signed in gets
//! the 404 of an address that does not exist, so members do not even
//! learn the page is there.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chorus_core::accounts::{AccountError, Role, create_invitation, list_users, set_user_disabled};
use secrecy::ExposeSecret;
use serde::Deserialize;
use uuid::Uuid;

use crate::auth::NoFields;
use crate::csrf::{CsrfForm, CsrfToken, form_page};
use crate::error::WebError;
use crate::pages::{AdminUsersPage, Layout, NewInvitation, UserItem, role_key};
use crate::session::{SessionStore, SignedIn};
use crate::state::AppState;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct InviteForm {
    role: String,
}

/// The signed-in user, if they are an admin.
pub(super) fn admin_only(signed_in: SignedIn) -> Result<SignedIn, WebError> {
    match signed_in.user.role {
        Role::Admin => Ok(signed_in),
        Role::Member => Err(WebError::NotFound),
    }
}

async fn users_page(
    state: &AppState,
    layout: Layout,
    csrf: &CsrfToken,
    viewer: Uuid,
) -> Result<AdminUsersPage, WebError> {
    let users = list_users(&state.pool)
        .await?
        .iter()
        .map(|user| UserItem::new(&layout, user, viewer))
        .collect();
    Ok(AdminUsersPage {
        layout,
        csrf: csrf.value().to_owned(),
        users,
        invitation: None,
        error: None,
    })
}

#[get("/admin/users")]
pub async fn show(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    layout: Layout,
    csrf: CsrfToken,
) -> Result<HttpResponse, WebError> {
    let admin = admin_only(signed_in)?;
    let page = users_page(&state, layout, &csrf, admin.user.id).await?;
    form_page(StatusCode::OK, &page, &csrf, &state.config)
}

/// Makes an invitation and shows its link, once: only its hash is kept.
#[post("/admin/users")]
pub async fn invite(
    req: HttpRequest,
    state: web::Data<AppState>,
    signed_in: SignedIn,
    layout: Layout,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<InviteForm>,
) -> Result<HttpResponse, WebError> {
    let admin = admin_only(signed_in)?;
    let mut page = users_page(&state, layout, &csrf, admin.user.id).await?;
    let Ok(role) = form.role.parse::<Role>() else {
        page.error = Some("team.invite.bad_role");
        return form_page(
            StatusCode::UNPROCESSABLE_ENTITY,
            &page,
            &csrf,
            &state.config,
        );
    };
    let (invitation, token) = create_invitation(&state.pool, admin.user.id, role).await?;
    tracing::info!(invitation_id = %invitation.id, by = %admin.user.id, %role, "invitation created");
    page.invitation = Some(NewInvitation {
        link: format!(
            "{}/join/{}",
            public_base(&req, &state),
            token.expose_secret()
        ),
        role_key: role_key(role),
        expires: page.layout.datetime(&invitation.expires_at),
    });
    form_page(StatusCode::OK, &page, &csrf, &state.config)
}

#[post("/admin/users/{id}/disable")]
pub async fn disable(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    layout: Layout,
    csrf: CsrfToken,
    id: web::Path<Uuid>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, WebError> {
    let admin = admin_only(signed_in)?;
    let id = id.into_inner();
    // Locking oneself out could leave the team without an admin.
    if id == admin.user.id {
        let mut page = users_page(&state, layout, &csrf, admin.user.id).await?;
        page.error = Some("team.users.cannot_disable_self");
        return form_page(StatusCode::CONFLICT, &page, &csrf, &state.config);
    }
    set_disabled(&state, id, true).await?;
    // Their tokens stop at once (checked per request); their browser
    // sessions are ended here, so their next page asks them to sign in.
    SessionStore::new(&state).end_all(id, None).await?;
    tracing::info!(user_id = %id, by = %admin.user.id, "user disabled");
    Ok(back_to_list())
}

#[post("/admin/users/{id}/enable")]
pub async fn enable(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    id: web::Path<Uuid>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, WebError> {
    let admin = admin_only(signed_in)?;
    let id = id.into_inner();
    set_disabled(&state, id, false).await?;
    tracing::info!(user_id = %id, by = %admin.user.id, "user enabled");
    Ok(back_to_list())
}

async fn set_disabled(state: &AppState, id: Uuid, disabled: bool) -> Result<(), WebError> {
    match set_user_disabled(&state.pool, id, disabled).await {
        Err(AccountError::UnknownUser) => Err(WebError::NotFound),
        other => Ok(other?),
    }
}

fn back_to_list() -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((actix_web::http::header::LOCATION, "/admin/users"))
        .finish()
}

/// Where the team reaches Chorus: the configured public address, else the
/// address this request came to.
fn public_base(req: &HttpRequest, state: &AppState) -> String {
    match &state.config.public_url {
        Some(url) => url.as_str().trim_end_matches('/').to_owned(),
        None => {
            let info = req.connection_info();
            format!("{}://{}", info.scheme(), info.host())
        }
    }
}

//! What can be done from a song's page: publish it to the gallery (its
//! owner), take it out again (its owner or an admin), and try a failed song
//! again (its owner). Anyone else, and any song the action does not apply
//! to, gets the same 404 as a song that does not exist.

use actix_web::http::header;
use actix_web::{HttpResponse, post, web};
use chorus_core::generations::Request;
use chorus_core::generations::input::SongForm;
use chorus_core::generations::publish::set_published;
use chorus_core::generations::view::find_visible;
use uuid::Uuid;

use super::{over_budget_message, show, viewer_of};
use crate::auth::NoFields;
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::pages::Layout;
use crate::session::SignedIn;
use crate::state::AppState;

#[post("/songs/{id}/publish")]
pub async fn publish(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    id: web::Path<String>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, WebError> {
    change_published(&state, &signed_in, &id, true).await
}

#[post("/songs/{id}/unpublish")]
pub async fn unpublish(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    id: web::Path<String>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, WebError> {
    change_published(&state, &signed_in, &id, false).await
}

async fn change_published(
    state: &AppState,
    signed_in: &SignedIn,
    id: &str,
    published: bool,
) -> Result<HttpResponse, WebError> {
    let id = parse(id)?;
    let viewer = viewer_of(&signed_in.user);
    if !set_published(&state.pool, id, viewer.user_id, viewer.is_admin, published).await? {
        return Err(WebError::NotFound);
    }
    tracing::info!(generation_id = %id, user_id = %viewer.user_id, published, "song publication changed");
    Ok(see_song(id))
}

/// A new request with the failed one's input, paid for like any other.
#[post("/songs/{id}/retry")]
pub async fn retry(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    layout: Layout,
    csrf: CsrfToken,
    id: web::Path<String>,
    _form: CsrfForm<NoFields>,
) -> Result<HttpResponse, WebError> {
    let id = parse(&id)?;
    let song = find_visible(&state.pool, id, viewer_of(&signed_in.user))
        .await?
        .filter(|song| song.user_id == signed_in.user.id && song.status == "failed")
        .ok_or(WebError::NotFound)?;
    let form = SongForm {
        mode: Some(song.mode.clone()),
        topic: song.topic.clone(),
        instrumental: song.instrumental,
        tags: song.tags.clone(),
        lyrics: song.lyrics.clone(),
        title: song.title.clone(),
    };
    // It was valid when it was stored; a limit tightened since is the only
    // way this fails, and then there is nothing to retry.
    let input = form.validate().map_err(|_| WebError::NotFound)?;
    match state
        .request_song(
            signed_in.user.id,
            Request {
                input: &input,
                key: None,
            },
        )
        .await
    {
        Ok(ticket) => Ok(see_song(ticket.id)),
        Err(e) => {
            let message = over_budget_message(&layout, e)?;
            show::render(&state, &signed_in, layout, &csrf, song, Some(message))
        }
    }
}

fn parse(id: &str) -> Result<Uuid, WebError> {
    Uuid::parse_str(id).map_err(|_| WebError::NotFound)
}

fn see_song(id: Uuid) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, format!("/songs/{id}")))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}

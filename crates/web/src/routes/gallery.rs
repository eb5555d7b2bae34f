//! `GET /gallery`: every published song of the team, searched and filtered,
//! a page at a time; and marking a song as a favourite from there.

use std::collections::HashMap;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chorus_core::generations::favourites::{favourite, unfavourite};
use chorus_core::generations::gallery::{
    GalleryCursor, GalleryFilter, gallery_page, member_name, publishers,
};
use serde::Deserialize;
use uuid::Uuid;

use crate::cache::GalleryKey;
use crate::csrf::{CsrfForm, CsrfToken, form_page};
use crate::error::WebError;
use crate::pages::{GalleryPage, GalleryView, Layout};
use crate::session::SignedIn;
use crate::state::AppState;

const PAGE_SIZE: usize = 20;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(gallery).service(mark).service(unmark);
}

/// A map rather than a struct: a repeated or unknown parameter is ignored
/// instead of answered with a 400, and so is a member or cursor that does
/// not parse.
#[get("/gallery")]
pub async fn gallery(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    layout: Layout,
    csrf: CsrfToken,
    req: HttpRequest,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    let get = |name: &str| query.get(name).map(String::as_str);
    let member = get("member").and_then(|m| Uuid::parse_str(m).ok());
    let filter = GalleryFilter::new(get("q"), get("tag"), member);
    let before = get("before").and_then(GalleryCursor::parse);
    let key = GalleryKey {
        viewer: signed_in.user.id,
        filter: filter.clone(),
        before,
        lang: layout.lang,
    };
    let view = state
        .caches
        .gallery
        .get_or_load(
            key,
            signed_in.fresh,
            || gallery_view(&state, &layout, signed_in.user.id, &filter, before),
            // Published songs are finished: every change to them moves a
            // stamp. Free-text searches are not kept: any text would do as
            // a key, and they are rarely asked twice.
            |_| filter.query.is_none(),
        )
        .await?;
    let page = GalleryPage {
        layout,
        csrf: csrf.value().to_owned(),
        view,
        back: req.query_string().to_owned(),
    };
    form_page(StatusCode::OK, &page, &csrf, &state.config)
}

/// What a gallery page shows, read from the database.
async fn gallery_view(
    state: &AppState,
    layout: &Layout,
    viewer: Uuid,
    filter: &GalleryFilter,
    before: Option<GalleryCursor>,
) -> Result<GalleryView, WebError> {
    // One more than a page tells whether an older page exists.
    let limit = i64::try_from(PAGE_SIZE + 1).unwrap_or(i64::MAX);
    let rows = gallery_page(&state.pool, viewer, filter, before, limit).await?;
    let member_name = match filter.member {
        Some(id) => member_name(&state.pool, id).await?,
        None => None,
    };
    let publishers = publishers(&state.pool).await?;
    Ok(GalleryView::new(
        layout,
        filter,
        rows,
        PAGE_SIZE,
        publishers,
        member_name,
    )?)
}

#[derive(Deserialize)]
pub struct BackForm {
    /// The gallery query the form was on.
    #[serde(default)]
    back: String,
}

#[post("/gallery/{id}/favourite")]
pub async fn mark(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    id: web::Path<String>,
    CsrfForm(form): CsrfForm<BackForm>,
) -> Result<HttpResponse, WebError> {
    set_favourite(&state, &signed_in, &id, &form, true).await
}

#[post("/gallery/{id}/unfavourite")]
pub async fn unmark(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    id: web::Path<String>,
    CsrfForm(form): CsrfForm<BackForm>,
) -> Result<HttpResponse, WebError> {
    set_favourite(&state, &signed_in, &id, &form, false).await
}

/// Marks or unmarks a published song; anything else is not found.
async fn set_favourite(
    state: &AppState,
    signed_in: &SignedIn,
    id: &str,
    form: &BackForm,
    marked: bool,
) -> Result<HttpResponse, WebError> {
    let id = Uuid::parse_str(id).map_err(|_| WebError::NotFound)?;
    let user = signed_in.user.id;
    let found = match marked {
        true => favourite(&state.pool, user, id).await?,
        false => unfavourite(&state.pool, user, id).await?,
    };
    if !found {
        return Err(WebError::NotFound);
    }
    Ok(back_to_gallery(&form.back, id))
}

/// Back to the gallery page the form was on, at the song. `back` is only
/// ever used as the query of `/gallery`, so it cannot lead off the site;
/// anything but plain query characters starts the gallery afresh.
fn back_to_gallery(back: &str, id: Uuid) -> HttpResponse {
    let plain = back.len() <= 2000
        && back
            .bytes()
            .all(|b| b.is_ascii_graphic() && !matches!(b, b'#' | b'"' | b'<' | b'>' | b'\\'));
    let location = if plain && !back.is_empty() {
        format!("/gallery?{back}#song-{id}")
    } else {
        format!("/gallery#song-{id}")
    };
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn location(back: &str) -> String {
        let response = back_to_gallery(back, Uuid::nil());
        let value = response.headers().get(header::LOCATION);
        value
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }

    #[test]
    fn the_way_back_stays_in_the_gallery() {
        let nil = Uuid::nil();
        assert_eq!(
            location("q=a%20b&tag=pop"),
            format!("/gallery?q=a%20b&tag=pop#song-{nil}")
        );
        assert_eq!(location(""), format!("/gallery#song-{nil}"));
        for bad in ["x\r\nSet-Cookie: a=b", "q=<script>", "a#b", "q=a b"] {
            assert_eq!(location(bad), format!("/gallery#song-{nil}"), "{bad:?}");
        }
    }
}

//! `GET /songs/{id}`: one song, to whoever may see it (its owner, an admin,
//! every member once published); anyone else gets the same 404 as for a
//! song that does not exist.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};
use chorus_core::generations::GenerationView;
use chorus_core::generations::view::find_visible;
use uuid::Uuid;

use super::viewer_of;
use crate::csrf::{CsrfToken, form_page};
use crate::error::WebError;
use crate::pages::{Layout, SongPage};
use crate::session::SignedIn;
use crate::state::AppState;

#[get("/songs/{id}")]
pub async fn show(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    layout: Layout,
    csrf: CsrfToken,
    id: web::Path<String>,
) -> Result<HttpResponse, WebError> {
    // A malformed id is just another song that is not there.
    let id = Uuid::parse_str(&id).map_err(|_| WebError::NotFound)?;
    let viewer = viewer_of(&signed_in.user);
    let song = state
        .caches
        .songs
        .get_or_load(
            (id, viewer.user_id),
            signed_in.fresh,
            || find_visible(&state.pool, id, viewer),
            // Only a finished song: one in flight changes with every poll.
            |found: &Option<GenerationView>| found.as_ref().is_some_and(GenerationView::is_final),
        )
        .await?;
    let song = Option::clone(&song).ok_or(WebError::NotFound)?;
    render(&state, &signed_in, layout, &csrf, song, None)
}

/// The song's page, with `error` at the top when an action was refused.
pub fn render(
    state: &AppState,
    signed_in: &SignedIn,
    layout: Layout,
    csrf: &CsrfToken,
    song: GenerationView,
    error: Option<String>,
) -> Result<HttpResponse, WebError> {
    let owner = song.user_id == signed_in.user.id;
    let admin = viewer_of(&signed_in.user).is_admin;
    let published = song.published_at.is_some();
    let price = layout.money(&state.config.price);
    let page = SongPage {
        can_publish: owner && song.status == "completed" && !published,
        can_unpublish: (owner || admin) && published,
        can_retry: owner && song.status == "failed",
        can_refund: admin && song.status == "completed",
        retry_hint: layout.t_args("song.retry_hint", &[("price", &price)]),
        layout,
        csrf: csrf.value().to_owned(),
        song,
        error,
    };
    let status = if page.error.is_some() {
        StatusCode::PAYMENT_REQUIRED
    } else {
        StatusCode::OK
    };
    form_page(status, &page, csrf, &state.config)
}

//! `GET /songs`: the member's own songs, filtered by status, a page at a time.

use std::collections::HashMap;

use actix_web::{get, web};
use chorus_core::generations::library::{Cursor, SongRow, StatusFilter, my_songs};

use crate::cache::MySongsKey;
use crate::error::WebError;
use crate::pages::{Layout, MySongsPage, SongItem};
use crate::session::SignedIn;
use crate::state::AppState;

const PAGE_SIZE: usize = 20;

/// A map rather than a struct: a repeated or unknown parameter is ignored
/// instead of answered with a 400.
#[get("/songs")]
pub async fn my_songs_page(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    layout: Layout,
    query: web::Query<HashMap<String, String>>,
) -> Result<MySongsPage, WebError> {
    let filter = StatusFilter::parse(query.get("status").map(String::as_str));
    // A cursor that does not parse starts again from the newest.
    let before = query.get("before").and_then(|c| Cursor::parse(c));
    // One more than a page tells whether an older page exists.
    let limit = i64::try_from(PAGE_SIZE + 1).unwrap_or(i64::MAX);
    let user_id = signed_in.user.id;
    let key = MySongsKey {
        user_id,
        filter,
        before,
    };
    let kept = state
        .caches
        .my_songs
        .get_or_load(
            key,
            signed_in.fresh,
            || my_songs(&state.pool, user_id, filter, before, limit),
            // Songs in flight move on too often to be worth keeping.
            |rows| !rows.iter().any(SongRow::is_in_flight),
        )
        .await?;
    let mut rows = kept.to_vec();
    let older_href = (rows.len() > PAGE_SIZE).then(|| {
        rows.truncate(PAGE_SIZE);
        let cursor = rows
            .last()
            .map(|row| Cursor::new(row.created_at, row.id).encode());
        let mut href = String::from("/songs?");
        if filter != StatusFilter::All {
            href.push_str(&format!("status={}&", filter.as_str()));
        }
        href.push_str(&format!("before={}", cursor.unwrap_or_default()));
        href
    });
    let any_in_flight = rows.iter().any(|row| row.is_in_flight());
    let songs = rows
        .into_iter()
        .map(|row| SongItem::new(&layout, row))
        .collect();
    Ok(MySongsPage {
        layout,
        songs,
        filter,
        older_href,
        any_in_flight,
    })
}

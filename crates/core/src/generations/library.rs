//! A member's own songs, newest first, a page at a time: the "My songs"
//! list. Keyset pagination (`created_at, id` strictly before a cursor), so a
//! song requested while someone pages through never shifts a page and the
//! query stays on the `(user_id, created_at DESC)` index however far back.

use sqlx::{FromRow, PgPool};
use time::OffsetDateTime;
use uuid::Uuid;

use super::keyset::Keyset;

use crate::generations::GenerationStatus;

/// Which songs the list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum StatusFilter {
    #[default]
    All,
    /// Not finished yet: from `pending` up to `streaming`.
    InFlight,
    Completed,
    Failed,
}

impl StatusFilter {
    /// Reads `?status=`; anything unknown means no filter, not an error.
    pub fn parse(text: Option<&str>) -> StatusFilter {
        match text {
            Some("in_flight") => StatusFilter::InFlight,
            Some("completed") => StatusFilter::Completed,
            Some("failed") => StatusFilter::Failed,
            _ => StatusFilter::All,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            StatusFilter::All => "all",
            StatusFilter::InFlight => "in_flight",
            StatusFilter::Completed => "completed",
            StatusFilter::Failed => "failed",
        }
    }
}

/// Where the previous page ended: the last row's `(created_at, id)`.
pub type Cursor = Keyset;

/// One line of the list.
#[derive(Debug, Clone, FromRow)]
pub struct SongRow {
    pub id: Uuid,
    pub status: String,
    pub mode: String,
    pub title: Option<String>,
    pub topic: Option<String>,
    pub tags: Option<String>,
    pub created_at: OffsetDateTime,
}

impl SongRow {
    pub fn is_in_flight(&self) -> bool {
        GenerationStatus::parse(&self.status).is_some_and(|s| !s.is_final())
    }
}

/// The member's songs matching `filter`, newest first, strictly older than
/// `before`, at most `limit` of them.
pub async fn my_songs(
    pool: &PgPool,
    user_id: Uuid,
    filter: StatusFilter,
    before: Option<Cursor>,
    limit: i64,
) -> sqlx::Result<Vec<SongRow>> {
    // Nulls for "no cursor" keep one query text (one prepared statement).
    // The row comparison matches the ORDER BY, so ties on created_at are
    // broken by id and no row is skipped or repeated between pages; the
    // plain `created_at <=` repeats it in a form the index can start from.
    sqlx::query_as(
        "SELECT id, status, mode, title, topic, tags, created_at
         FROM generations
         WHERE user_id = $1
           AND ($2::timestamptz IS NULL OR created_at <= $2)
           AND ($2::timestamptz IS NULL OR (created_at, id) < ($2, $3))
           AND CASE $4::text
                 WHEN 'in_flight' THEN status NOT IN ('completed', 'failed')
                 WHEN 'completed' THEN status = 'completed'
                 WHEN 'failed' THEN status = 'failed'
                 ELSE TRUE
               END
         ORDER BY created_at DESC, id DESC
         LIMIT $5",
    )
    .bind(user_id)
    .bind(before.map(|c| c.at))
    .bind(before.map(|c| c.id))
    .bind(filter.as_str())
    .bind(limit)
    .fetch_all(pool)
    .await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn unknown_filters_mean_all() {
        assert_eq!(StatusFilter::parse(Some("failed")), StatusFilter::Failed);
        assert_eq!(
            StatusFilter::parse(Some("in_flight")),
            StatusFilter::InFlight
        );
        assert_eq!(StatusFilter::parse(Some("'; DROP")), StatusFilter::All);
        assert_eq!(StatusFilter::parse(None), StatusFilter::All);
    }
}

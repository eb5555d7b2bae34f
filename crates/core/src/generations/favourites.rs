//! A member's favourites among the gallery's songs. Only a published song
//! can be marked or unmarked: to everyone else an unpublished song does not
//! exist, so a private song's id cannot be probed through favourites.
//! Favourites of a song taken out of the gallery are kept, and count again
//! if it comes back.

use sqlx::PgPool;
use uuid::Uuid;

/// Marks the song; marking it twice changes nothing. `false` when there is
/// no such published song.
pub async fn favourite(pool: &PgPool, user_id: Uuid, generation_id: Uuid) -> sqlx::Result<bool> {
    // One statement: the song is checked and marked in the same snapshot.
    sqlx::query_scalar(
        "WITH song AS (
             SELECT id FROM generations WHERE id = $2 AND published_at IS NOT NULL
         ), marked AS (
             INSERT INTO favourites (user_id, generation_id)
             SELECT $1, id FROM song
             ON CONFLICT DO NOTHING
         )
         SELECT EXISTS (SELECT 1 FROM song)",
    )
    .bind(user_id)
    .bind(generation_id)
    .fetch_one(pool)
    .await
}

/// Unmarks the song; unmarking one never marked changes nothing. `false`
/// when there is no such published song.
pub async fn unfavourite(pool: &PgPool, user_id: Uuid, generation_id: Uuid) -> sqlx::Result<bool> {
    sqlx::query_scalar(
        "WITH song AS (
             SELECT id FROM generations WHERE id = $2 AND published_at IS NOT NULL
         ), unmarked AS (
             DELETE FROM favourites
             WHERE user_id = $1 AND generation_id IN (SELECT id FROM song)
         )
         SELECT EXISTS (SELECT 1 FROM song)",
    )
    .bind(user_id)
    .bind(generation_id)
    .fetch_one(pool)
    .await
}

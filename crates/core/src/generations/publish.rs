//! Publishing a finished song to the team's gallery, and taking it back.
//! Publishing makes it visible to every member (see [`super::view`]), so
//! only its owner may do it; an admin may take any song down again, to
//! moderate the gallery.

use sqlx::PgPool;
use uuid::Uuid;

/// Sets or clears `published_at`. `false` when nothing changed hands: no
/// such song, not `completed`, or the user may not do this to it; callers
/// answer all three alike, so private songs cannot be probed. Publishing an
/// already published song keeps its first date.
pub async fn set_published(
    pool: &PgPool,
    id: Uuid,
    user_id: Uuid,
    is_admin: bool,
    published: bool,
) -> sqlx::Result<bool> {
    let updated = sqlx::query(
        "UPDATE generations
         SET published_at = CASE WHEN $4 THEN COALESCE(published_at, now()) ELSE NULL END
         WHERE id = $1 AND status = 'completed'
           AND (user_id = $2 OR ($3 AND NOT $4))",
    )
    .bind(id)
    .bind(user_id)
    .bind(is_admin)
    .bind(published)
    .execute(pool)
    .await?;
    Ok(updated.rows_affected() == 1)
}

use sqlx::PgConnection;
use uuid::Uuid;

use super::GenerationStatus;

/// Records a change of status; called in the transaction that made it.
pub(crate) async fn record(
    conn: &mut PgConnection,
    id: Uuid,
    from: Option<GenerationStatus>,
    to: GenerationStatus,
    detail: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO generation_transitions (generation_id, from_status, to_status, detail)
         VALUES ($1, $2, $3, $4)",
    )
    .bind(id)
    .bind(from.map(GenerationStatus::as_str))
    .bind(to.as_str())
    .bind(detail)
    .execute(conn)
    .await?;
    Ok(())
}

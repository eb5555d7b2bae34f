//! What admins set: a member's monthly budget and the team's monthly cap.
//! Each change is audited with who made it, in the same transaction.
//! Lowering a budget below what is already spent only blocks new requests:
//! the reservation check compares against the budget of the moment.

use sqlx::{PgConnection, PgExecutor, PgPool};
use uuid::Uuid;

use super::audit::{self, AuditAction, AuditEntry};
use crate::money::Micros;

#[derive(Debug, thiserror::Error)]
pub enum AdminError {
    #[error("only an active admin may do this")]
    NotAdmin,
    #[error("no such member")]
    NoSuchMember,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// Sets (or with `None` removes) a member's monthly budget; `reason` is
/// kept in the audit log.
pub async fn set_member_budget(
    pool: &PgPool,
    admin_id: Uuid,
    user_id: Uuid,
    budget: Option<Micros>,
    reason: Option<&str>,
) -> Result<(), AdminError> {
    let mut tx = pool.begin().await?;
    ensure_admin(&mut tx, admin_id).await?;
    // The old value comes from the row this statement locks and changes.
    let previous: Option<Option<i64>> = sqlx::query_scalar(
        "UPDATE users u SET monthly_budget_micros = $2
         FROM (SELECT id, monthly_budget_micros FROM users WHERE id = $1 FOR UPDATE) old
         WHERE u.id = old.id
         RETURNING old.monthly_budget_micros",
    )
    .bind(user_id)
    .bind(budget.map(Micros::as_i64))
    .fetch_optional(&mut *tx)
    .await?;
    let previous = previous.ok_or(AdminError::NoSuchMember)?;
    let entry = AuditEntry {
        actor_id: admin_id,
        action: AuditAction::MemberBudget,
        target_user_id: Some(user_id),
        generation_id: None,
        amount: budget,
        previous: previous.map(Micros),
        reason: kept(reason),
    };
    audit::record(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(())
}

/// A reason worth keeping: trimmed, not empty.
fn kept(reason: Option<&str>) -> Option<String> {
    reason
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned)
}

/// Sets (or with `None` removes) the team's monthly cap; `reason` is kept
/// in the audit log.
pub async fn set_team_cap(
    pool: &PgPool,
    admin_id: Uuid,
    cap: Option<Micros>,
    reason: Option<&str>,
) -> Result<(), AdminError> {
    let mut tx = pool.begin().await?;
    ensure_admin(&mut tx, admin_id).await?;
    let previous: Option<i64> = sqlx::query_scalar(
        "UPDATE team_settings t SET monthly_cap_micros = $1, updated_at = now()
         FROM (SELECT id, monthly_cap_micros FROM team_settings FOR UPDATE) old
         WHERE t.id = old.id
         RETURNING old.monthly_cap_micros",
    )
    .bind(cap.map(Micros::as_i64))
    .fetch_one(&mut *tx)
    .await?;
    let entry = AuditEntry {
        actor_id: admin_id,
        action: AuditAction::TeamCap,
        target_user_id: None,
        generation_id: None,
        amount: cap,
        previous: previous.map(Micros),
        reason: kept(reason),
    };
    audit::record(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(())
}

/// The team's monthly cap; `None`: no cap.
pub async fn team_cap(db: impl PgExecutor<'_>) -> sqlx::Result<Option<Micros>> {
    let cap: Option<i64> = sqlx::query_scalar("SELECT monthly_cap_micros FROM team_settings")
        .fetch_one(db)
        .await?;
    Ok(cap.map(Micros))
}

/// Refuses anyone but an active admin: the web layer checks roles too, and
/// money is worth checking twice.
pub(crate) async fn ensure_admin(
    conn: &mut PgConnection,
    admin_id: Uuid,
) -> Result<(), AdminError> {
    let admin: bool = sqlx::query_scalar(
        "SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND role = 'admin' AND disabled_at IS NULL)",
    )
    .bind(admin_id)
    .fetch_one(conn)
    .await?;
    match admin {
        true => Ok(()),
        false => Err(AdminError::NotAdmin),
    }
}

//! Refunds by hand: an admin gives back all or part of what a completed
//! song was charged, with a reason. The generation's row is locked first
//! (then the team's and the member's month, as everywhere), so two admins
//! refunding the same song at once can never give back more than was paid.

use sqlx::PgPool;
use time::Date;
use uuid::Uuid;

use super::audit::{self, AuditAction, AuditEntry};
use super::member::{self, Billed};
use super::settings::{AdminError, ensure_admin};
use crate::money::Micros;

/// The longest reason kept.
pub const MAX_REASON_CHARS: usize = 500;

#[derive(Debug, thiserror::Error)]
pub enum RefundError {
    #[error(transparent)]
    NotAllowed(AdminError),
    #[error("no such song")]
    NoSuchGeneration,
    /// Failed songs were refunded when they failed; songs still in flight
    /// may yet fail and be refunded in full.
    #[error("only a completed song can be refunded by hand; this one is {status}")]
    NotCompleted { status: String },
    #[error("nothing is left to refund on this song")]
    NothingLeft,
    #[error("at most USD {refundable} can be refunded on this song")]
    TooMuch { refundable: Micros },
    #[error("a refund must be more than zero")]
    NotPositive,
    #[error("a refund needs a reason (at most {MAX_REASON_CHARS} characters)")]
    NoReason,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

impl From<AdminError> for RefundError {
    fn from(e: AdminError) -> Self {
        match e {
            AdminError::Database(e) => RefundError::Database(e),
            other => RefundError::NotAllowed(other),
        }
    }
}

/// What a refund did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refunded {
    pub generation_id: Uuid,
    pub user_id: Uuid,
    pub amount: Micros,
    /// What may still be refunded on the song after this one.
    pub left: Micros,
}

/// Refunds `amount` (the whole refundable rest when `None`) of a completed
/// generation: a `refund` ledger row with the admin as `created_by` and the
/// reason as its note, the totals and the day's rollup, and an audit line.
pub async fn refund_generation(
    pool: &PgPool,
    admin_id: Uuid,
    generation_id: Uuid,
    amount: Option<Micros>,
    reason: &str,
) -> Result<Refunded, RefundError> {
    let reason = reason.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
        return Err(RefundError::NoReason);
    }
    let mut tx = pool.begin().await?;
    ensure_admin(&mut tx, admin_id).await?;
    let row: Option<(Uuid, String, Date, i64)> = sqlx::query_as(
        "SELECT user_id, status, billing_day, price_micros FROM generations WHERE id = $1 FOR UPDATE",
    )
    .bind(generation_id)
    .fetch_optional(&mut *tx)
    .await?;
    let (user_id, status, day, price) = row.ok_or(RefundError::NoSuchGeneration)?;
    if status != "completed" {
        return Err(RefundError::NotCompleted { status });
    }
    // Charged less refunded so far: a handful of rows on the generation's
    // index, read under the row lock taken above.
    let refundable: i64 = sqlx::query_scalar(
        "SELECT COALESCE(SUM(amount_micros), 0)::BIGINT FROM ledger
         WHERE generation_id = $1 AND kind IN ('charge', 'refund', 'adjustment')",
    )
    .bind(generation_id)
    .fetch_one(&mut *tx)
    .await?;
    let refundable = Micros(refundable.max(0));
    if refundable == Micros::ZERO {
        return Err(RefundError::NothingLeft);
    }
    let amount = amount.unwrap_or(refundable);
    if amount <= Micros::ZERO {
        return Err(RefundError::NotPositive);
    }
    if amount > refundable {
        return Err(RefundError::TooMuch { refundable });
    }
    let billed = Billed {
        user_id,
        generation_id,
        day,
        price: Micros(price),
    };
    member::refund_by_hand(&mut tx, billed, amount, reason, admin_id).await?;
    let entry = AuditEntry {
        actor_id: admin_id,
        action: AuditAction::Refund,
        target_user_id: Some(user_id),
        generation_id: Some(generation_id),
        amount: Some(amount),
        previous: None,
        reason: Some(reason.to_owned()),
    };
    audit::record(&mut tx, &entry).await?;
    tx.commit().await?;
    Ok(Refunded {
        generation_id,
        user_id,
        amount,
        left: Micros(refundable.as_i64() - amount.as_i64()),
    })
}

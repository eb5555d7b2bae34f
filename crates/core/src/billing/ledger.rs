use sqlx::PgConnection;
use uuid::Uuid;

use crate::money::Micros;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LedgerKind {
    Reserve,
    Charge,
    Release,
    Refund,
    Adjustment,
}

impl LedgerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            LedgerKind::Reserve => "reserve",
            LedgerKind::Charge => "charge",
            LedgerKind::Release => "release",
            LedgerKind::Refund => "refund",
            LedgerKind::Adjustment => "adjustment",
        }
    }
}

/// Appends one row; the caller owns the transaction that also changes the
/// totals, so the two can never disagree.
pub(crate) async fn append(
    conn: &mut PgConnection,
    user_id: Uuid,
    generation_id: Option<Uuid>,
    kind: LedgerKind,
    amount: Micros,
    note: Option<&str>,
) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO ledger (user_id, generation_id, kind, amount_micros, note)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(user_id)
    .bind(generation_id)
    .bind(kind.as_str())
    .bind(amount.as_i64())
    .bind(note)
    .execute(conn)
    .await?;
    Ok(())
}

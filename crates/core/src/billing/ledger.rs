//! The append-only ledger, and the per-day rollup written by the same
//! statement: a row and its day's sums can never disagree.

use sqlx::PgConnection;
use time::Date;
use uuid::Uuid;

use crate::money::Micros;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LedgerKind {
    Reserve,
    Charge,
    Release,
    Refund,
    Adjustment,
}

impl LedgerKind {
    pub const ALL: [LedgerKind; 5] = [
        LedgerKind::Reserve,
        LedgerKind::Charge,
        LedgerKind::Release,
        LedgerKind::Refund,
        LedgerKind::Adjustment,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            LedgerKind::Reserve => "reserve",
            LedgerKind::Charge => "charge",
            LedgerKind::Release => "release",
            LedgerKind::Refund => "refund",
            LedgerKind::Adjustment => "adjustment",
        }
    }

    pub fn parse(text: &str) -> Option<LedgerKind> {
        LedgerKind::ALL.into_iter().find(|k| k.as_str() == text)
    }
}

/// One movement of money, as it is written.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry<'a> {
    pub user_id: Uuid,
    pub generation_id: Option<Uuid>,
    /// The billing day it counts on (its generation's).
    pub day: Date,
    pub kind: LedgerKind,
    pub amount: Micros,
    pub note: Option<&'a str>,
    /// The admin behind a movement made by hand.
    pub created_by: Option<Uuid>,
}

/// Appends one row and adds it to its member's day in `usage_days`, in one
/// statement. The caller owns the transaction that also changes the monthly
/// totals, so the three can never disagree.
pub(crate) async fn append(conn: &mut PgConnection, entry: Entry<'_>) -> sqlx::Result<()> {
    sqlx::query(
        "WITH row AS (
             INSERT INTO ledger (user_id, generation_id, kind, amount_micros, note, created_by, billing_day)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             RETURNING user_id, billing_day, kind, amount_micros AS a, created_by)
         INSERT INTO usage_days AS d (user_id, day, reserved_micros, charged_micros,
                                      refunded_micros, adjusted_micros, requests, songs)
         SELECT user_id, billing_day,
                CASE kind WHEN 'reserve' THEN a WHEN 'release' THEN a WHEN 'charge' THEN -a ELSE 0 END,
                CASE kind WHEN 'charge' THEN a ELSE 0 END,
                CASE kind WHEN 'refund' THEN a ELSE 0 END,
                CASE kind WHEN 'adjustment' THEN a ELSE 0 END,
                CASE kind WHEN 'reserve' THEN 1 ELSE 0 END,
                -- A song is made once charged, unmade if it fails (the
                -- automatic refund; refunds by hand name their admin).
                CASE WHEN kind = 'charge' THEN 1
                     WHEN kind = 'refund' AND created_by IS NULL THEN -1 ELSE 0 END
         FROM row
         ON CONFLICT (user_id, day) DO UPDATE SET
             reserved_micros = d.reserved_micros + EXCLUDED.reserved_micros,
             charged_micros = d.charged_micros + EXCLUDED.charged_micros,
             refunded_micros = d.refunded_micros + EXCLUDED.refunded_micros,
             adjusted_micros = d.adjusted_micros + EXCLUDED.adjusted_micros,
             requests = d.requests + EXCLUDED.requests,
             songs = d.songs + EXCLUDED.songs",
    )
    .bind(entry.user_id)
    .bind(entry.generation_id)
    .bind(entry.kind.as_str())
    .bind(entry.amount.as_i64())
    .bind(entry.note)
    .bind(entry.created_by)
    .bind(entry.day)
    .execute(conn)
    .await?;
    Ok(())
}

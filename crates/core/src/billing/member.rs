//! A request's money after its reservation: charge, release, refund. Each
//! moves the team's and the member's monthly totals (in that order, like
//! every path that moves money, so two transactions never wait on each
//! other in a circle) and appends the ledger row that says why.

use serde::Serialize;
use sqlx::{PgConnection, PgExecutor};
use time::Date;
use uuid::Uuid;

use super::ledger::{self, Entry, LedgerKind};
use super::zone::{month_label, month_of};
use crate::money::Micros;

/// The generation a movement belongs to.
#[derive(Debug, Clone, Copy)]
pub struct Billed {
    pub user_id: Uuid,
    pub generation_id: Uuid,
    /// Its billing day; every movement of its money counts on it.
    pub day: Date,
    /// The price it was requested at; later price changes never touch it.
    pub price: Micros,
}

impl Billed {
    pub fn month(&self) -> Date {
        month_of(self.day)
    }

    pub(crate) fn entry<'a>(
        &self,
        kind: LedgerKind,
        amount: Micros,
        note: Option<&'a str>,
    ) -> Entry<'a> {
        Entry {
            user_id: self.user_id,
            generation_id: Some(self.generation_id),
            day: self.day,
            kind,
            amount,
            note,
            created_by: None,
        }
    }
}

/// The upstream accepted the task: the reservation becomes spend.
pub(crate) async fn charge(conn: &mut PgConnection, billed: Billed) -> sqlx::Result<()> {
    shift(conn, billed, billed.price, -billed.price.as_i64()).await?;
    ledger::append(conn, billed.entry(LedgerKind::Charge, billed.price, None)).await
}

/// Nothing was created upstream: the reservation is given back.
pub(crate) async fn release(
    conn: &mut PgConnection,
    billed: Billed,
    note: &str,
) -> sqlx::Result<()> {
    shift(conn, billed, Micros::ZERO, -billed.price.as_i64()).await?;
    let amount = Micros(-billed.price.as_i64());
    ledger::append(conn, billed.entry(LedgerKind::Release, amount, Some(note))).await
}

/// The task failed or timed out: the member pays only for songs they got.
pub(crate) async fn refund(
    conn: &mut PgConnection,
    billed: Billed,
    note: &str,
) -> sqlx::Result<()> {
    let amount = Micros(-billed.price.as_i64());
    shift(conn, billed, amount, 0).await?;
    ledger::append(conn, billed.entry(LedgerKind::Refund, amount, Some(note))).await
}

/// An admin gives back `amount` (> 0) of what was charged.
pub(crate) async fn refund_by_hand(
    conn: &mut PgConnection,
    billed: Billed,
    amount: Micros,
    reason: &str,
    admin_id: Uuid,
) -> sqlx::Result<()> {
    let amount = Micros(-amount.as_i64());
    shift(conn, billed, amount, 0).await?;
    let entry = Entry {
        created_by: Some(admin_id),
        ..billed.entry(LedgerKind::Refund, amount, Some(reason))
    };
    ledger::append(conn, entry).await
}

async fn shift(
    conn: &mut PgConnection,
    billed: Billed,
    spent: Micros,
    reserved: i64,
) -> sqlx::Result<()> {
    let team = sqlx::query(
        "UPDATE team_usage_months SET spent_micros = spent_micros + $2, reserved_micros = reserved_micros + $3
         WHERE month = $1",
    )
    .bind(billed.month())
    .bind(spent.as_i64())
    .bind(reserved)
    .execute(&mut *conn)
    .await?;
    let member = sqlx::query(
        "UPDATE usage_months SET spent_micros = spent_micros + $3, reserved_micros = reserved_micros + $4
         WHERE user_id = $1 AND month = $2",
    )
    .bind(billed.user_id)
    .bind(billed.month())
    .bind(spent.as_i64())
    .bind(reserved)
    .execute(&mut *conn)
    .await?;
    // The reservation created both rows; without them ledger and totals
    // would part ways, so the whole transaction fails instead.
    match (team.rows_affected(), member.rows_affected()) {
        (1, 1) => Ok(()),
        _ => Err(sqlx::Error::RowNotFound),
    }
}

/// A member's month, as the usage API reports it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Usage {
    pub month: String,
    pub spent_micros: i64,
    pub reserved_micros: i64,
    pub budget_micros: Option<i64>,
}

pub async fn usage_of(db: impl PgExecutor<'_>, user_id: Uuid, month: Date) -> sqlx::Result<Usage> {
    let (spent, reserved, budget): (Option<i64>, Option<i64>, Option<i64>) = sqlx::query_as(
        "SELECT u.spent_micros, u.reserved_micros, users.monthly_budget_micros
         FROM users LEFT JOIN usage_months u ON u.user_id = users.id AND u.month = $2
         WHERE users.id = $1",
    )
    .bind(user_id)
    .bind(month)
    .fetch_one(db)
    .await?;
    Ok(Usage {
        month: month_label(month),
        spent_micros: spent.unwrap_or(0),
        reserved_micros: reserved.unwrap_or(0),
        budget_micros: budget,
    })
}

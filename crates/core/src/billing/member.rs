//! A member's running totals per billing month. The budget check is one
//! conditional UPDATE of the month's row: concurrent requests queue on the
//! row lock and each re-checks the condition, so a budget is never exceeded.

use serde::Serialize;
use sqlx::{PgConnection, PgExecutor};
use time::Date;
use uuid::Uuid;

use super::ledger::{self, LedgerKind};
use crate::money::Micros;

/// The generation a movement belongs to.
#[derive(Debug, Clone, Copy)]
pub struct Billed {
    pub user_id: Uuid,
    pub generation_id: Uuid,
    pub month: Date,
    pub price: Micros,
}

/// Holds the price against the member's monthly budget; `false` (and
/// nothing written) when it does not fit.
pub(crate) async fn reserve(conn: &mut PgConnection, billed: Billed) -> sqlx::Result<bool> {
    sqlx::query("INSERT INTO usage_months (user_id, month) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(billed.user_id)
        .bind(billed.month)
        .execute(&mut *conn)
        .await?;
    let reserved = sqlx::query(
        "UPDATE usage_months u SET reserved_micros = u.reserved_micros + $3
         FROM users
         WHERE u.user_id = $1 AND u.month = $2 AND users.id = u.user_id
           AND (users.monthly_budget_micros IS NULL
                OR u.spent_micros + u.reserved_micros + $3 <= users.monthly_budget_micros)",
    )
    .bind(billed.user_id)
    .bind(billed.month)
    .bind(billed.price.as_i64())
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if reserved {
        ledger::append(
            conn,
            billed.user_id,
            Some(billed.generation_id),
            LedgerKind::Reserve,
            billed.price,
            None,
        )
        .await?;
    }
    Ok(reserved)
}

/// The upstream accepted the task: the reservation becomes spend.
pub(crate) async fn charge(conn: &mut PgConnection, billed: Billed) -> sqlx::Result<()> {
    shift(conn, billed, billed.price, -billed.price.as_i64()).await?;
    ledger::append(
        conn,
        billed.user_id,
        Some(billed.generation_id),
        LedgerKind::Charge,
        billed.price,
        None,
    )
    .await
}

/// Nothing was created upstream: the reservation is given back.
pub(crate) async fn release(
    conn: &mut PgConnection,
    billed: Billed,
    note: &str,
) -> sqlx::Result<()> {
    shift(conn, billed, Micros::ZERO, -billed.price.as_i64()).await?;
    let amount = Micros(-billed.price.as_i64());
    ledger::append(
        conn,
        billed.user_id,
        Some(billed.generation_id),
        LedgerKind::Release,
        amount,
        Some(note),
    )
    .await
}

/// The task failed or timed out: the member pays only for songs they got.
pub(crate) async fn refund(
    conn: &mut PgConnection,
    billed: Billed,
    note: &str,
) -> sqlx::Result<()> {
    let amount = Micros(-billed.price.as_i64());
    shift(conn, billed, amount, 0).await?;
    ledger::append(
        conn,
        billed.user_id,
        Some(billed.generation_id),
        LedgerKind::Refund,
        amount,
        Some(note),
    )
    .await
}

async fn shift(
    conn: &mut PgConnection,
    billed: Billed,
    spent: Micros,
    reserved: i64,
) -> sqlx::Result<()> {
    let moved = sqlx::query(
        "UPDATE usage_months SET spent_micros = spent_micros + $3, reserved_micros = reserved_micros + $4
         WHERE user_id = $1 AND month = $2",
    )
    .bind(billed.user_id)
    .bind(billed.month)
    .bind(spent.as_i64())
    .bind(reserved)
    .execute(conn)
    .await?;
    // The reservation created the row; without it ledger and totals would
    // part ways, so the whole transaction fails instead.
    match moved.rows_affected() {
        1 => Ok(()),
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
        month: format!("{:04}-{:02}", month.year(), u8::from(month.month())),
        spent_micros: spent.unwrap_or(0),
        reserved_micros: reserved.unwrap_or(0),
        budget_micros: budget,
    })
}

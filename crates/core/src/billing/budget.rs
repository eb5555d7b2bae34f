//! The reservation: a request's price held against the team's monthly cap
//! and the member's monthly budget in one transaction. Each check is one
//! conditional UPDATE of a month's totals row: concurrent requests queue on
//! the row lock and each re-checks the condition, so neither is ever
//! exceeded. The team's row is locked before the member's, the order every
//! path that moves money follows.

use sqlx::PgConnection;
use time::Date;
use uuid::Uuid;

use super::ledger::{self, LedgerKind};
use super::member::Billed;
use crate::money::Micros;

/// Which budget a refusal or a warning is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BudgetKind {
    /// The member's own monthly budget.
    Member,
    /// The whole team's monthly cap.
    Team,
}

impl BudgetKind {
    pub fn as_str(self) -> &'static str {
        match self {
            BudgetKind::Member => "member",
            BudgetKind::Team => "team",
        }
    }
}

/// A month that has just reached 80 % of a budget, for the first time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetWarning {
    pub budget: BudgetKind,
    /// The member whose request took it there.
    pub user_id: Uuid,
    pub month: Date,
    /// Spent + reserved.
    pub used: Micros,
    pub limit: Micros,
}

#[derive(Debug)]
pub(crate) enum Reservation {
    Reserved(Vec<BudgetWarning>),
    /// Nothing fits; the caller must roll the transaction back (a check
    /// that passed has already added to its row).
    Refused(BudgetKind),
}

/// Holds the price against both budgets and writes the reserve row.
pub(crate) async fn reserve(conn: &mut PgConnection, billed: Billed) -> sqlx::Result<Reservation> {
    let month = billed.month();
    let price = billed.price.as_i64();
    // The limits are read under a share lock, before any month row: an
    // admin lowering one waits until this reservation commits, and a
    // reservation after the change sees the new limit. (The conditional
    // UPDATEs below re-check only their own rows, not the joined limits.)
    sqlx::query("SELECT 1 FROM team_settings FOR SHARE")
        .execute(&mut *conn)
        .await?;
    sqlx::query("SELECT 1 FROM users WHERE id = $1 FOR SHARE")
        .bind(billed.user_id)
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO team_usage_months (month) VALUES ($1) ON CONFLICT DO NOTHING")
        .bind(month)
        .execute(&mut *conn)
        .await?;
    sqlx::query("INSERT INTO usage_months (user_id, month) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(billed.user_id)
        .bind(month)
        .execute(&mut *conn)
        .await?;
    let team_fits = sqlx::query(
        "UPDATE team_usage_months t SET reserved_micros = t.reserved_micros + $2
         FROM team_settings s
         WHERE t.month = $1
           AND (s.monthly_cap_micros IS NULL
                OR t.spent_micros + t.reserved_micros + $2 <= s.monthly_cap_micros)",
    )
    .bind(month)
    .bind(price)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if !team_fits {
        return Ok(Reservation::Refused(BudgetKind::Team));
    }
    let member_fits = sqlx::query(
        "UPDATE usage_months u SET reserved_micros = u.reserved_micros + $3
         FROM users
         WHERE u.user_id = $1 AND u.month = $2 AND users.id = u.user_id
           AND (users.monthly_budget_micros IS NULL
                OR u.spent_micros + u.reserved_micros + $3 <= users.monthly_budget_micros)",
    )
    .bind(billed.user_id)
    .bind(month)
    .bind(price)
    .execute(&mut *conn)
    .await?
    .rows_affected()
        == 1;
    if !member_fits {
        return Ok(Reservation::Refused(BudgetKind::Member));
    }
    ledger::append(conn, billed.entry(LedgerKind::Reserve, billed.price, None)).await?;
    Ok(Reservation::Reserved(crossed_warnings(conn, billed).await?))
}

/// Marks the months this reservation took to 80 % of a budget. Only the
/// first request to get there marks a month (`warned_at IS NULL`, under the
/// row lock the reservation holds), so each warning goes out once.
async fn crossed_warnings(
    conn: &mut PgConnection,
    billed: Billed,
) -> sqlx::Result<Vec<BudgetWarning>> {
    let month = billed.month();
    let team: Option<(i64, i64)> = sqlx::query_as(
        "UPDATE team_usage_months t SET warned_at = now()
         FROM team_settings s
         WHERE t.month = $1 AND t.warned_at IS NULL AND s.monthly_cap_micros IS NOT NULL
           AND 5 * (t.spent_micros + t.reserved_micros) >= 4 * s.monthly_cap_micros
         RETURNING t.spent_micros + t.reserved_micros, s.monthly_cap_micros",
    )
    .bind(month)
    .fetch_optional(&mut *conn)
    .await?;
    let member: Option<(i64, i64)> = sqlx::query_as(
        "UPDATE usage_months u SET warned_at = now()
         FROM users
         WHERE u.user_id = $1 AND u.month = $2 AND users.id = u.user_id AND u.warned_at IS NULL
           AND users.monthly_budget_micros IS NOT NULL
           AND 5 * (u.spent_micros + u.reserved_micros) >= 4 * users.monthly_budget_micros
         RETURNING u.spent_micros + u.reserved_micros, users.monthly_budget_micros",
    )
    .bind(billed.user_id)
    .bind(month)
    .fetch_optional(&mut *conn)
    .await?;
    let warning = |budget, (used, limit): (i64, i64)| BudgetWarning {
        budget,
        user_id: billed.user_id,
        month,
        used: Micros(used),
        limit: Micros(limit),
    };
    Ok(member
        .map(|m| warning(BudgetKind::Member, m))
        .into_iter()
        .chain(team.map(|t| warning(BudgetKind::Team, t)))
        .collect())
}

//! The audit log of what admins do to money: who, what, to whom, how much,
//! why, when. Append-only (a trigger refuses changes), written in the same
//! transaction as the action it records.

use sqlx::{PgConnection, PgExecutor};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::money::Micros;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuditAction {
    /// A generation refunded by hand.
    Refund,
    /// A member's monthly budget set or removed.
    MemberBudget,
    /// The team's monthly cap set or removed.
    TeamCap,
}

impl AuditAction {
    pub fn as_str(self) -> &'static str {
        match self {
            AuditAction::Refund => "refund",
            AuditAction::MemberBudget => "member_budget",
            AuditAction::TeamCap => "team_cap",
        }
    }

    fn parse(text: &str) -> AuditAction {
        match text {
            "refund" => AuditAction::Refund,
            "member_budget" => AuditAction::MemberBudget,
            _ => AuditAction::TeamCap,
        }
    }
}

/// One line of the log, to record or as read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub actor_id: Uuid,
    pub action: AuditAction,
    pub target_user_id: Option<Uuid>,
    pub generation_id: Option<Uuid>,
    /// Refund: the amount given back; budget or cap: the new value.
    pub amount: Option<Micros>,
    /// Budget or cap: the value before.
    pub previous: Option<Micros>,
    pub reason: Option<String>,
}

pub(crate) async fn record(conn: &mut PgConnection, entry: &AuditEntry) -> sqlx::Result<()> {
    sqlx::query(
        "INSERT INTO billing_audit (actor_id, action, target_user_id, generation_id, amount_micros,
                                    previous_micros, reason)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(entry.actor_id)
    .bind(entry.action.as_str())
    .bind(entry.target_user_id)
    .bind(entry.generation_id)
    .bind(entry.amount.map(Micros::as_i64))
    .bind(entry.previous.map(Micros::as_i64))
    .bind(entry.reason.as_deref())
    .execute(conn)
    .await?;
    Ok(())
}

/// A logged action with the names an admin page shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditLine {
    pub id: i64,
    pub at: OffsetDateTime,
    pub actor_email: String,
    pub target_email: Option<String>,
    pub entry: AuditEntry,
}

type AuditRow = (
    i64,
    OffsetDateTime,
    Uuid,
    String,
    String,
    Option<Uuid>,
    Option<String>,
    Option<Uuid>,
    Option<i64>,
    Option<i64>,
    Option<String>,
);

/// The newest `limit` actions with an id below `before` (all when `None`).
pub async fn recent(
    db: impl PgExecutor<'_>,
    before: Option<i64>,
    limit: i64,
) -> sqlx::Result<Vec<AuditLine>> {
    let rows: Vec<AuditRow> = sqlx::query_as(
        "SELECT a.id, a.at, a.actor_id, actor.email, a.action, a.target_user_id, target.email,
                a.generation_id, a.amount_micros, a.previous_micros, a.reason
         FROM billing_audit a
         JOIN users actor ON actor.id = a.actor_id
         LEFT JOIN users target ON target.id = a.target_user_id
         WHERE $1::BIGINT IS NULL OR a.id < $1
         ORDER BY a.id DESC LIMIT $2",
    )
    .bind(before)
    .bind(limit)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(
                id,
                at,
                actor_id,
                actor_email,
                action,
                target_user_id,
                target_email,
                generation_id,
                amount,
                previous,
                reason,
            )| AuditLine {
                id,
                at,
                actor_email,
                target_email,
                entry: AuditEntry {
                    actor_id,
                    action: AuditAction::parse(&action),
                    target_user_id,
                    generation_id,
                    amount: amount.map(Micros),
                    previous: previous.map(Micros),
                    reason,
                },
            },
        )
        .collect())
}

//! The admin's billing dashboard: the team's month against its cap, what
//! the vendor billed next to what members were charged, and each member's
//! spend against their budget. Reads totals and rollups only.

use sqlx::PgExecutor;
use time::Date;
use uuid::Uuid;

use super::zone::next_month;
use crate::money::Micros;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TeamMonth {
    pub month: Date,
    pub spent: Micros,
    pub reserved: Micros,
    pub cap: Option<Micros>,
    pub remaining: Option<Micros>,
    /// What members were charged, refunded (positive) and adjusted.
    pub charged: Micros,
    pub refunded: Micros,
    pub adjusted: Micros,
    pub requests: i64,
    pub songs: i64,
    /// Tasks the vendor accepted, and what it bills for them and for polls.
    pub vendor_tasks: i64,
    pub vendor_task_cost: Micros,
    pub vendor_poll_cost: Micros,
}

impl TeamMonth {
    pub fn vendor_cost(&self) -> Micros {
        Micros(self.vendor_task_cost.as_i64() + self.vendor_poll_cost.as_i64())
    }
}

type TeamRow = (
    i64,
    i64,
    Option<i64>,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
);

pub async fn team_month(db: impl PgExecutor<'_>, month: Date) -> sqlx::Result<TeamMonth> {
    let row: TeamRow = sqlx::query_as(
        "SELECT COALESCE(t.spent_micros, 0), COALESCE(t.reserved_micros, 0), s.monthly_cap_micros,
                d.charged, d.refunded, d.adjusted, d.requests, d.songs, v.tasks, v.task_micros, v.poll_micros
         FROM team_settings s
         LEFT JOIN team_usage_months t ON t.month = $1
         CROSS JOIN (SELECT COALESCE(SUM(charged_micros), 0)::BIGINT AS charged,
                            COALESCE(SUM(refunded_micros), 0)::BIGINT AS refunded,
                            COALESCE(SUM(adjusted_micros), 0)::BIGINT AS adjusted,
                            COALESCE(SUM(requests), 0)::BIGINT AS requests,
                            COALESCE(SUM(songs), 0)::BIGINT AS songs
                     FROM usage_days WHERE day >= $1 AND day < $2) d
         CROSS JOIN (SELECT COALESCE(SUM(accepted_tasks), 0)::BIGINT AS tasks,
                            COALESCE(SUM(task_micros), 0)::BIGINT AS task_micros,
                            COALESCE(SUM(poll_micros), 0)::BIGINT AS poll_micros
                     FROM vendor_usage_days WHERE day >= $1 AND day < $2) v",
    )
    .bind(month)
    .bind(next_month(month))
    .fetch_one(db)
    .await?;
    let (
        spent,
        reserved,
        cap,
        charged,
        refunded,
        adjusted,
        requests,
        songs,
        tasks,
        task_cost,
        poll_cost,
    ) = row;
    Ok(TeamMonth {
        month,
        spent: Micros(spent),
        reserved: Micros(reserved),
        cap: cap.map(Micros),
        remaining: cap.map(|c| Micros((c - spent - reserved).max(0))),
        charged: Micros(charged),
        refunded: Micros(-refunded),
        adjusted: Micros(adjusted),
        requests,
        songs,
        vendor_tasks: tasks,
        vendor_task_cost: Micros(task_cost),
        vendor_poll_cost: Micros(poll_cost),
    })
}

/// A member's month on the admin's table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MemberSpend {
    pub user_id: Uuid,
    pub email: String,
    pub display_name: Option<String>,
    pub disabled: bool,
    pub budget: Option<Micros>,
    pub spent: Micros,
    pub reserved: Micros,
    pub songs: i64,
}

type MemberRow = (
    Uuid,
    String,
    Option<String>,
    bool,
    Option<i64>,
    i64,
    i64,
    i64,
);

/// Each member's month; `$1` the month, `$2` the next.
macro_rules! members_month {
    () => {
        "
    SELECT users.id, users.email, users.display_name, users.disabled_at IS NOT NULL,
           users.monthly_budget_micros, COALESCE(u.spent_micros, 0), COALESCE(u.reserved_micros, 0),
           COALESCE(d.songs, 0)::BIGINT
    FROM users
    LEFT JOIN usage_months u ON u.user_id = users.id AND u.month = $1
    LEFT JOIN LATERAL (SELECT SUM(songs) AS songs FROM usage_days
                       WHERE user_id = users.id AND day >= $1 AND day < $2) d ON true"
    };
}

fn member_spend(
    (user_id, email, display_name, disabled, budget, spent, reserved, songs): MemberRow,
) -> MemberSpend {
    MemberSpend {
        user_id,
        email,
        display_name,
        disabled,
        budget: budget.map(Micros),
        spent: Micros(spent),
        reserved: Micros(reserved),
        songs,
    }
}

/// Every member (admins included: they spend too), by email.
pub async fn members_month(db: impl PgExecutor<'_>, month: Date) -> sqlx::Result<Vec<MemberSpend>> {
    let rows: Vec<MemberRow> =
        sqlx::query_as(concat!(members_month!(), " ORDER BY lower(users.email)"))
            .bind(month)
            .bind(next_month(month))
            .fetch_all(db)
            .await?;
    Ok(rows.into_iter().map(member_spend).collect())
}

/// The `n` members who spent most this month (and spent something).
pub async fn top_spenders(
    db: impl PgExecutor<'_>,
    month: Date,
    n: usize,
) -> sqlx::Result<Vec<MemberSpend>> {
    Ok(top_of(&members_month(db, month).await?, n))
}

/// The `n` of `members` who spent most (and spent something), most first,
/// ties by email: for a page that has read every member's month already.
pub fn top_of(members: &[MemberSpend], n: usize) -> Vec<MemberSpend> {
    let mut spenders: Vec<&MemberSpend> =
        members.iter().filter(|m| m.spent > Micros::ZERO).collect();
    spenders.sort_by(|a, b| {
        b.spent
            .cmp(&a.spent)
            .then_with(|| a.email.to_lowercase().cmp(&b.email.to_lowercase()))
    });
    spenders.into_iter().take(n).cloned().collect()
}

//! How close a member is to their budgets this month: what the warning
//! banner (at 80 % of either the member's budget or the team's cap) and
//! the create page's budget line read.

use sqlx::PgExecutor;
use time::Date;
use uuid::Uuid;

use super::budget::BudgetKind;
use crate::money::Micros;

/// Spent + reserved against a limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Gauge {
    pub used: Micros,
    pub limit: Micros,
}

impl Gauge {
    pub fn left(&self) -> Micros {
        Micros((self.limit.as_i64() - self.used.as_i64()).max(0))
    }

    /// At or past 80 % (in integers: 5 × used ≥ 4 × limit).
    pub fn is_warning(&self) -> bool {
        5 * i128::from(self.used.as_i64()) >= 4 * i128::from(self.limit.as_i64())
    }

    /// Used per thousand of the limit, capped at 1000, for bars.
    pub fn permille(&self) -> i64 {
        match self.limit.as_i64() {
            0 => 1000,
            limit => (self.used.as_i64().saturating_mul(1000) / limit).clamp(0, 1000),
        }
    }
}

/// A member's month against both budgets; `None` where there is none.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BudgetStatus {
    pub month: Date,
    pub member: Option<Gauge>,
    pub team: Option<Gauge>,
}

impl BudgetStatus {
    /// The budget to warn about, the member's own first; `None`: no banner.
    pub fn warning(&self) -> Option<(BudgetKind, Gauge)> {
        let member = self
            .member
            .filter(Gauge::is_warning)
            .map(|g| (BudgetKind::Member, g));
        member.or(self
            .team
            .filter(Gauge::is_warning)
            .map(|g| (BudgetKind::Team, g)))
    }
}

pub async fn budget_status(
    db: impl PgExecutor<'_>,
    user_id: Uuid,
    month: Date,
) -> sqlx::Result<BudgetStatus> {
    let (member_used, budget, team_used, cap): (i64, Option<i64>, i64, Option<i64>) =
        sqlx::query_as(
            "SELECT COALESCE((SELECT spent_micros + reserved_micros FROM usage_months
                          WHERE user_id = $1 AND month = $2), 0)::BIGINT,
                (SELECT monthly_budget_micros FROM users WHERE id = $1),
                COALESCE((SELECT spent_micros + reserved_micros FROM team_usage_months
                          WHERE month = $2), 0)::BIGINT,
                (SELECT monthly_cap_micros FROM team_settings)",
        )
        .bind(user_id)
        .bind(month)
        .fetch_one(db)
        .await?;
    let gauge = |used: i64, limit: Option<i64>| {
        limit.map(|limit| Gauge {
            used: Micros(used),
            limit: Micros(limit),
        })
    };
    Ok(BudgetStatus {
        month,
        member: gauge(member_used, budget),
        team: gauge(team_used, cap),
    })
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn the_banner_shows_from_80_percent_of_either_budget() {
        let gauge = |used, limit| {
            Some(Gauge {
                used: Micros(used),
                limit: Micros(limit),
            })
        };
        let status = |member, team| BudgetStatus {
            month: date!(2026 - 11 - 01),
            member,
            team,
        };
        assert_eq!(status(gauge(79, 100), gauge(10, 100)).warning(), None);
        assert_eq!(
            status(gauge(80, 100), None).warning().map(|w| w.0),
            Some(BudgetKind::Member)
        );
        assert_eq!(
            status(None, gauge(81, 100)).warning().map(|w| w.0),
            Some(BudgetKind::Team)
        );
        assert_eq!(
            status(gauge(90, 100), gauge(90, 100))
                .warning()
                .map(|w| w.0),
            Some(BudgetKind::Member)
        );
        assert_eq!(status(None, None).warning(), None);
    }

    #[test]
    fn what_is_left_never_goes_below_zero() {
        let over = Gauge {
            used: Micros(120),
            limit: Micros(100),
        };
        assert_eq!(over.left(), Micros::ZERO);
        assert_eq!(over.permille(), 1000);
        assert_eq!(
            Gauge {
                used: Micros(25),
                limit: Micros(100)
            }
            .permille(),
            250
        );
    }
}

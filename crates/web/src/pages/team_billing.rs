//! The admin's billing page: the team's month against its cap, what the
//! vendor billed next to what members were charged, every member against
//! their budget, top spenders, the audit log, and the three money forms.
//! Figures arrive formatted for the reader; the template only places them.

use askama::Template;
use chorus_core::Micros;
use chorus_core::billing::audit::AuditLine;
use chorus_core::billing::status::Gauge;
use chorus_core::billing::team_view::{MemberSpend, TeamMonth};
use time::Date;
use time::macros::format_description;

use crate::i18n::Lang;
use crate::pages::Layout;

/// A `<meter>`: used per thousand of the limit, and the percentage in words.
pub struct Meter {
    pub permille: i64,
    pub percent: String,
    /// At or past 80 %.
    pub warning: bool,
}

impl Meter {
    pub fn new(layout: &Layout, used: Micros, limit: Micros) -> Meter {
        let gauge = Gauge { used, limit };
        let percent = match limit.as_i64() {
            0 => 100,
            limit => used.as_i64().saturating_mul(100) / limit,
        };
        Meter {
            permille: gauge.permille(),
            percent: layout.t_args(
                "admin_billing.percent",
                &[("percent", &percent.max(0).to_string())],
            ),
            warning: gauge.is_warning(),
        }
    }
}

/// The month shown and the ways to others.
pub struct MonthNav {
    /// `YYYY-MM`: the picker's value and what the forms post back.
    pub label: String,
    /// "November 2026" / "2026年11月".
    pub name: String,
    pub previous_href: String,
    /// None from this month on: later months have nothing yet.
    pub next_href: Option<String>,
    pub export_href: String,
}

/// The team's month, formatted.
pub struct TeamFigures {
    pub spent: String,
    pub reserved: String,
    pub cap: Option<String>,
    pub remaining: Option<String>,
    /// Spent and reserved against the cap; None without a cap.
    pub meter: Option<Meter>,
    pub requests: i64,
    pub songs: i64,
    pub charged: String,
    pub refunded: String,
    pub adjusted: String,
    pub vendor_tasks: i64,
    pub vendor_task_cost: String,
    pub vendor_poll_cost: String,
    pub vendor_cost: String,
    /// What members paid less what the vendor billed.
    pub margin: String,
}

/// A member's month on the table.
pub struct MemberRow {
    /// Display name, or the email when there is none.
    pub name: String,
    /// Shown under the name when the name is not the email.
    pub email: Option<String>,
    pub disabled: bool,
    pub songs: i64,
    pub spent: String,
    pub reserved: String,
    pub budget: Option<String>,
    pub remaining: Option<String>,
    pub meter: Option<Meter>,
    /// Opens the budget form filled in for this member.
    pub edit_href: String,
}

pub struct TopSpender {
    pub name: String,
    pub spent: String,
    /// Their share of the team's spend.
    pub share: String,
}

/// A line of the audit log.
pub struct AuditRow {
    pub at: String,
    pub actor: String,
    pub action_key: &'static str,
    /// The member concerned; None for the team's cap.
    pub target: Option<String>,
    pub song_id: Option<String>,
    /// A refund's amount, or a budget's "before → after".
    pub amount: String,
    pub reason: Option<String>,
}

/// A member the budget form may choose.
pub struct MemberChoice {
    pub id: String,
    pub label: String,
}

/// What was typed in one of the forms, kept when it is refused.
#[derive(Default)]
pub struct MoneyFields {
    /// The member (budget form) or the song (refund form).
    pub target: String,
    pub amount: String,
    pub reason: String,
}

/// An error per field, already in the reader's language.
#[derive(Default)]
pub struct MoneyErrors {
    pub target: Option<String>,
    pub amount: Option<String>,
    pub reason: Option<String>,
    /// Not tied to one field: shown above the form.
    pub form: Option<String>,
}

impl MoneyErrors {
    pub fn any(&self) -> bool {
        self.target.is_some()
            || self.amount.is_some()
            || self.reason.is_some()
            || self.form.is_some()
    }
}

#[derive(Default)]
pub struct MoneyForm {
    pub fields: MoneyFields,
    pub errors: MoneyErrors,
}

#[derive(Template)]
#[template(path = "team/billing.html")]
pub struct AdminBillingPage {
    pub layout: Layout,
    pub csrf: String,
    pub month: MonthNav,
    pub team: TeamFigures,
    pub members: Vec<MemberRow>,
    pub top: Vec<TopSpender>,
    pub audit: Vec<AuditRow>,
    pub older_audit_href: Option<String>,
    pub choices: Vec<MemberChoice>,
    pub budget_form: MoneyForm,
    pub cap_form: MoneyForm,
    pub refund_form: MoneyForm,
    /// What the last action did, as a catalog key.
    pub done: Option<&'static str>,
}

/// "November 2026" / "2026年11月".
pub fn month_name(lang: Lang, month: Date) -> String {
    let formatted = match lang {
        Lang::En => month.format(format_description!("[month repr:long] [year]")),
        Lang::ZhCn => month.format(format_description!("[year]年[month padding:none]月")),
    };
    formatted.unwrap_or_else(|_| month.to_string())
}

#[cfg(test)]
mod tests {
    use time::macros::date;

    use super::*;

    #[test]
    fn months_are_named_as_each_language_names_them() {
        assert_eq!(month_name(Lang::En, date!(2026 - 03 - 01)), "March 2026");
        assert_eq!(month_name(Lang::ZhCn, date!(2026 - 03 - 01)), "2026年3月");
    }
}

/// What the admin's page reads for a month (kept between views).
#[derive(Clone)]
pub struct TeamBillingData {
    pub team: TeamMonth,
    pub members: Vec<MemberSpend>,
    pub top: Vec<MemberSpend>,
    pub audit: Vec<AuditLine>,
}

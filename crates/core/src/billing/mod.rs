//! Money: every movement is a ledger row, written in the same transaction
//! as the running totals and the per-day rollup it changes.
//!
//! - [`zone`]: the billing time zone; days and months on the DB's clock;
//! - [`ledger`]: the append-only ledger and the `usage_days` rollup;
//! - [`budget`]: the reservation against the team's cap and the member's
//!   budget, and the 80 % warnings it raises;
//! - [`member`]: what happens to a reservation: charge, release, refund;
//! - [`vendor`]: what the vendor bills the team (accepted tasks, polls);
//! - [`settings`]: budgets and the team cap, set by admins (audited);
//! - [`refund`]: refunds by hand (audited);
//! - [`audit`]: the log of what admins did to money;
//! - [`status`]: a member against both budgets (the warning banner);
//! - [`dashboard`]: a member's month, days and months;
//! - [`team_view`]: the team's month, every member's, top spenders;
//! - [`statement`]: the ledger of a month, paged, and its CSV lines.
//!
//! Signs, from the member's point of view: `reserve` +p and `release` −p
//! move the reservation; `charge` +p turns a reservation into spend;
//! `refund` −x and `adjustment` ±x change spend. So
//! spent = Σ charge + Σ refund + Σ adjustment, and
//! reserved = Σ reserve + Σ release − Σ charge.
//!
//! Every movement of a generation's money counts on its billing day (the
//! day, in `CHORUS_BILLING_TZ`, it was requested) and so in its month, even
//! when it happens later: a month's days add up to its totals, and a month's
//! budget is charged only for that month's requests.
//!
//! Locks: every path that moves money locks the generation's row (if it
//! touches it), then the team's month (`team_usage_months`), then the
//! member's month (`usage_months`), then the member's day (`usage_days`).
//!
//! # For the web layer
//!
//! - the month to show: [`zone::this_month`]`(pool, &config.billing_zone)`,
//!   [`zone::parse_month`] / [`zone::month_label`] for `?month=YYYY-MM`;
//! - member dashboard: [`dashboard::member_month`],
//!   [`dashboard::member_daily`] (every day of the month),
//!   [`dashboard::member_monthly`]`(pool, user, this_month, 12)`,
//!   [`statement::ledger_page`] with [`statement::LedgerCursor`];
//! - banner: [`status::budget_status`] then [`status::BudgetStatus::warning`];
//! - admin dashboard: [`team_view::team_month`], [`team_view::members_month`],
//!   [`team_view::top_spenders`], [`audit::recent`];
//! - CSV: [`statement::CSV_HEADER`], then [`statement::export_page`] with
//!   [`statement::ExportScope`] until a short page, each line's
//!   [`statement::LedgerLine::csv_line`];
//! - admin actions: [`settings::set_member_budget`],
//!   [`settings::set_team_cap`], [`refund::refund_generation`].

pub mod audit;
pub mod budget;
pub mod dashboard;
pub mod ledger;
pub mod member;
pub mod refund;
pub mod settings;
pub mod statement;
pub mod status;
pub mod team_view;
pub mod vendor;
pub mod zone;

pub use budget::{BudgetKind, BudgetWarning};
pub use ledger::LedgerKind;
pub use member::{Usage, usage_of};
pub use zone::BillingZone;

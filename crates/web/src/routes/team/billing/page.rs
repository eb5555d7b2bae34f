//! `GET /admin/billing?month=YYYY-MM`: the month's figures, read from the
//! totals and the rollup (never a scan of the ledger), and the audit log.

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, get, web};
use chorus_core::Micros;
use chorus_core::billing::audit::{self, AuditAction, AuditLine};
use chorus_core::billing::team_view::{self, MemberSpend, TeamMonth};
use chorus_core::billing::zone;
use time::Date;
use uuid::Uuid;

use super::{month_of_query, page_href};
use crate::csrf::{CsrfToken, form_page};
use crate::error::WebError;
use crate::pages::{
    AdminBillingPage, AuditRow, Layout, MemberChoice, MemberRow, Meter, MoneyFields, MoneyForm,
    MonthNav, TeamBillingData, TeamFigures, TopSpender, month_name,
};
use crate::routes::billing::this_month;
use crate::routes::team::admin::admin_only;
use crate::session::SignedIn;
use crate::state::AppState;

const TOP_SPENDERS: usize = 5;
const AUDIT_LINES: usize = 20;

/// What the page shows besides the month.
#[derive(Default)]
pub(super) struct View {
    /// The audit log from this id down (its older pages).
    pub audit_before: Option<i64>,
    /// The member whose budget the form comes filled in with.
    pub budget_for: Option<Uuid>,
    /// The song the refund form comes filled in with (a song page's link).
    pub refund: Option<Uuid>,
    /// The action just done, as a catalog key.
    pub done: Option<&'static str>,
}

#[get("/admin/billing")]
pub async fn show(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    layout: Layout,
    csrf: CsrfToken,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    admin_only(signed_in)?;
    let month = month_of_query(&state, &query).await?;
    let view = View {
        audit_before: query.get("audit_before").and_then(|id| id.parse().ok()),
        budget_for: query.get("budget_for").and_then(|id| id.parse().ok()),
        refund: query.get("refund").and_then(|id| id.parse().ok()),
        done: query.get("done").and_then(|done| done_key(done)),
    };
    let page = billing_page(&state, layout, &csrf, month, &view).await?;
    form_page(StatusCode::OK, &page, &csrf, &state.config)
}

/// What the page reads for a month: totals and rollup, never the ledger.
async fn read(
    state: &AppState,
    month: Date,
    audit_before: Option<i64>,
) -> Result<TeamBillingData, WebError> {
    let pool = &state.pool;
    // One more audit line than shown tells whether older ones exist.
    let audit_limit = i64::try_from(AUDIT_LINES + 1).unwrap_or(i64::MAX);
    let (team, members, audit) = tokio::try_join!(
        team_view::team_month(pool, month),
        team_view::members_month(pool, month),
        audit::recent(pool, audit_before, audit_limit),
    )?;
    let top = team_view::top_of(&members, TOP_SPENDERS);
    Ok(TeamBillingData {
        team,
        members,
        top,
        audit,
    })
}

/// The notice after a form went through (`?done=` of its redirect).
fn done_key(done: &str) -> Option<&'static str> {
    match done {
        "budget" => Some("admin_billing.done.budget"),
        "cap" => Some("admin_billing.done.cap"),
        "refund" => Some("admin_billing.done.refund"),
        _ => None,
    }
}

pub(super) async fn billing_page(
    state: &AppState,
    layout: Layout,
    csrf: &CsrfToken,
    month: Date,
    view: &View,
) -> Result<AdminBillingPage, WebError> {
    let this_month = this_month(state).await?;
    // The team's figures move with anyone's song: checked against the team
    // and activity stamps rather than the admin's own.
    let fresh = state.stamps.team_activity().await?;
    let data = state
        .caches
        .team_billing
        .get_or_load(
            (month, view.audit_before),
            fresh,
            || read(state, month, view.audit_before),
            |_| true,
        )
        .await?;
    let TeamBillingData {
        team,
        members,
        top,
        mut audit,
    } = TeamBillingData::clone(&data);
    let older_audit_href = (audit.len() > AUDIT_LINES).then(|| {
        audit.truncate(AUDIT_LINES);
        let last = audit.last().map_or(0, |line| line.id);
        format!("{}&audit_before={last}#audit", page_href(month))
    });
    let names: HashMap<Uuid, String> = members
        .iter()
        .map(|m| (m.user_id, display_name(m)))
        .collect();
    let budget_form = MoneyForm {
        fields: budget_for(&members, view.budget_for),
        ..MoneyForm::default()
    };
    let cap_form = MoneyForm {
        fields: MoneyFields {
            amount: team.cap.map(|cap| cap.to_string()).unwrap_or_default(),
            ..MoneyFields::default()
        },
        ..MoneyForm::default()
    };
    Ok(AdminBillingPage {
        csrf: csrf.value().to_owned(),
        month: month_nav(&layout, month, this_month),
        team: team_figures(&layout, &team),
        members: members
            .iter()
            .map(|m| member_row(&layout, m, month))
            .collect(),
        top: top
            .iter()
            .map(|m| top_spender(&layout, m, team.spent))
            .collect(),
        audit: audit
            .iter()
            .map(|line| audit_row(&layout, line, &names))
            .collect(),
        older_audit_href,
        choices: members.iter().map(member_choice).collect(),
        budget_form,
        cap_form,
        refund_form: MoneyForm {
            fields: MoneyFields {
                target: view.refund.map(|id| id.to_string()).unwrap_or_default(),
                ..MoneyFields::default()
            },
            ..MoneyForm::default()
        },
        done: view.done,
        layout,
    })
}

fn month_nav(layout: &Layout, month: Date, this_month: Date) -> MonthNav {
    let label = zone::month_label(month);
    MonthNav {
        name: month_name(layout.lang, month),
        previous_href: page_href(zone::previous_month(month)),
        next_href: (month < this_month).then(|| page_href(zone::next_month(month))),
        export_href: format!("/admin/billing/export.csv?month={label}"),
        label,
    }
}

fn plus(a: Micros, b: Micros) -> Micros {
    Micros(a.as_i64().saturating_add(b.as_i64()))
}

fn minus(a: Micros, b: Micros) -> Micros {
    Micros(a.as_i64().saturating_sub(b.as_i64()))
}

fn team_figures(layout: &Layout, team: &TeamMonth) -> TeamFigures {
    let money = |amount: Micros| layout.money(&amount);
    let used = plus(team.spent, team.reserved);
    TeamFigures {
        spent: money(team.spent),
        reserved: money(team.reserved),
        cap: team.cap.map(money),
        remaining: team.remaining.map(money),
        meter: team.cap.map(|cap| Meter::new(layout, used, cap)),
        requests: team.requests,
        songs: team.songs,
        charged: money(team.charged),
        refunded: money(team.refunded),
        adjusted: money(team.adjusted),
        vendor_tasks: team.vendor_tasks,
        vendor_task_cost: money(team.vendor_task_cost),
        vendor_poll_cost: money(team.vendor_poll_cost),
        vendor_cost: money(team.vendor_cost()),
        margin: money(minus(team.spent, team.vendor_cost())),
    }
}

/// The name the team knows a member by: their display name, else email.
fn display_name(member: &MemberSpend) -> String {
    member
        .display_name
        .as_deref()
        .map(str::trim)
        .filter(|name| !name.is_empty())
        .unwrap_or(&member.email)
        .to_owned()
}

fn member_row(layout: &Layout, member: &MemberSpend, month: Date) -> MemberRow {
    let name = display_name(member);
    let used = plus(member.spent, member.reserved);
    MemberRow {
        email: (name != member.email).then(|| member.email.clone()),
        name,
        disabled: member.disabled,
        songs: member.songs,
        spent: layout.money(&member.spent),
        reserved: layout.money(&member.reserved),
        budget: member.budget.map(|b| layout.money(&b)),
        remaining: member
            .budget
            .map(|b| layout.money(&Micros(minus(b, used).as_i64().max(0)))),
        meter: member.budget.map(|b| Meter::new(layout, used, b)),
        edit_href: format!(
            "{}&budget_for={}#budget-form",
            page_href(month),
            member.user_id
        ),
    }
}

fn top_spender(layout: &Layout, member: &MemberSpend, team_spent: Micros) -> TopSpender {
    let share = match team_spent.as_i64() {
        total if total > 0 => member.spent.as_i64().saturating_mul(100) / total,
        _ => 0,
    };
    TopSpender {
        name: display_name(member),
        spent: layout.money(&member.spent),
        share: layout.t_args("admin_billing.percent", &[("percent", &share.to_string())]),
    }
}

fn member_choice(member: &MemberSpend) -> MemberChoice {
    let name = display_name(member);
    MemberChoice {
        id: member.user_id.to_string(),
        label: match name == member.email {
            true => name,
            false => format!("{name} ({})", member.email),
        },
    }
}

/// The budget form filled in with a member's budget, when one is chosen.
fn budget_for(members: &[MemberSpend], chosen: Option<Uuid>) -> MoneyFields {
    let member = chosen.and_then(|id| members.iter().find(|m| m.user_id == id));
    MoneyFields {
        target: member.map(|m| m.user_id.to_string()).unwrap_or_default(),
        amount: member
            .and_then(|m| m.budget)
            .map(|b| b.to_string())
            .unwrap_or_default(),
        reason: String::new(),
    }
}

fn audit_row(layout: &Layout, line: &AuditLine, names: &HashMap<Uuid, String>) -> AuditRow {
    let entry = &line.entry;
    let name_of =
        |id: Uuid, email: &str| names.get(&id).cloned().unwrap_or_else(|| email.to_owned());
    let change = |none_key: &str| {
        let value = |amount: Option<Micros>| match amount {
            Some(amount) => layout.money(&amount),
            None => layout.t(none_key),
        };
        layout.t_args(
            "admin_billing.audit.change",
            &[
                ("before", &value(entry.previous)),
                ("after", &value(entry.amount)),
            ],
        )
    };
    let (action_key, amount) = match entry.action {
        AuditAction::Refund => (
            "admin_billing.audit.refund",
            entry.amount.map(|a| layout.money(&a)).unwrap_or_default(),
        ),
        AuditAction::MemberBudget => (
            "admin_billing.audit.member_budget",
            change("admin_billing.no_budget"),
        ),
        AuditAction::TeamCap => (
            "admin_billing.audit.team_cap",
            change("admin_billing.no_cap"),
        ),
    };
    AuditRow {
        at: layout.datetime(&line.at),
        actor: name_of(entry.actor_id, &line.actor_email),
        action_key,
        target: entry
            .target_user_id
            .map(|id| name_of(id, line.target_email.as_deref().unwrap_or_default())),
        song_id: entry.generation_id.map(|id| id.to_string()),
        amount,
        reason: entry.reason.clone(),
    }
}

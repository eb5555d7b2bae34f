//! `/admin/billing`: the team's money for a month, the CSV of its ledger,
//! and the admin's money actions (a member's budget, the team's cap, a
//! refund by hand). Admins only, like `/admin/users`: anyone else signed
//! in gets a 404, for the forms as for the pages.

mod amount;
mod export;
mod forms;
mod page;

use std::collections::HashMap;

use actix_web::web;
use chorus_core::billing::zone;
use time::Date;

use crate::error::WebError;
use crate::routes::billing::this_month;
use crate::state::AppState;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(page::show)
        .service(export::export)
        .service(forms::set_budget)
        .service(forms::set_cap)
        .service(forms::refund);
}

/// The month a `?month=YYYY-MM` (or a form's `month` field) names; this
/// billing month when it names none, as a picker left empty would.
async fn month_named(state: &AppState, text: Option<&str>) -> Result<Date, WebError> {
    match text.and_then(zone::parse_month) {
        Some(month) => Ok(month),
        None => this_month(state).await,
    }
}

async fn month_of_query(
    state: &AppState,
    query: &HashMap<String, String>,
) -> Result<Date, WebError> {
    month_named(state, query.get("month").map(String::as_str)).await
}

/// The page for a month.
fn page_href(month: Date) -> String {
    format!("/admin/billing?month={}", zone::month_label(month))
}

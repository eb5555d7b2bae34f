//! The budget warning on every page: at 80 % of the member's own budget or
//! of the team's cap, which one, what is left and when it resets. Its
//! figures are kept in memory under the freshness stamps, so an ordinary
//! page view adds no query.

use actix_web::{HttpRequest, web};
use chorus_core::billing::BudgetKind;
use chorus_core::billing::status::{self, Gauge};
use chorus_core::billing::zone;
use time::Date;

use crate::format;
use crate::pages::Layout;
use crate::session;
use crate::state::AppState;

/// The banner, its text in the page's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BudgetBanner {
    /// `member` or `team`, for styling and tests.
    pub budget: &'static str,
    pub message: String,
}

impl BudgetBanner {
    pub fn new(layout: &Layout, budget: BudgetKind, gauge: Gauge, month: Date) -> BudgetBanner {
        let key = match budget {
            BudgetKind::Member => "billing.banner.member",
            BudgetKind::Team => "billing.banner.team",
        };
        let percent = (gauge.permille() / 10).to_string();
        let left = layout.money(&gauge.left());
        let resets = format::day(layout.lang, zone::next_month(month));
        BudgetBanner {
            budget: budget.as_str(),
            message: layout.t_args(
                key,
                &[("percent", &percent), ("left", &left), ("resets", &resets)],
            ),
        }
    }
}

/// The banner for this request's viewer, if they are signed in and near a
/// limit. A failure to read the figures leaves the banner out rather than
/// failing the page.
pub async fn budget_banner(req: &HttpRequest, layout: &Layout) -> Option<BudgetBanner> {
    let signed_in = session::signed_in_viewer(req)?;
    let state = req.app_data::<web::Data<AppState>>()?;
    let user_id = signed_in.user.id;
    let load = || async {
        let month = zone::this_month(&state.pool, &state.config.billing_zone).await?;
        status::budget_status(&state.pool, user_id, month).await
    };
    let kept = state
        .caches
        .budget_status
        .get_or_load(user_id, signed_in.fresh, load, |_| true)
        .await;
    let status = match kept {
        Ok(status) => status,
        Err(e) => {
            tracing::warn!(error = %e, "budget banner not loaded");
            return None;
        }
    };
    let (budget, gauge) = status.warning()?;
    Some(BudgetBanner::new(layout, budget, gauge, status.month))
}

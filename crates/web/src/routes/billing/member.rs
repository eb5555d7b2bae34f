//! `GET /billing`: the signed-in member's own month. Whose figures is never
//! a parameter: only `month` and the ledger cursor `after` are read.

use std::collections::HashMap;

use actix_web::{get, web};
use chorus_core::billing::statement::{LedgerCursor, ledger_page};
use chorus_core::billing::{dashboard, zone};
use time::Date;
use uuid::Uuid;

use super::month;
use crate::error::WebError;
use crate::pages::{Layout, MemberBilling, MemberBillingBody, MemberBillingPage};
use crate::session::SignedIn;
use crate::state::AppState;

const PAGE_SIZE: i64 = 25;
/// The monthly chart's span, ending with the month shown.
const MONTHS: usize = 12;

#[get("/billing")]
pub async fn billing_page(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    layout: Layout,
    query: web::Query<HashMap<String, String>>,
) -> Result<MemberBillingPage, WebError> {
    // None: this billing month, found when the page is read.
    let asked = month::asked(query.get("month").map(String::as_str))?;
    // A cursor that does not parse starts again from the newest line.
    let after = query.get("after").and_then(|c| LedgerCursor::parse(c));
    let key = (signed_in.user.id, asked, after, layout.lang);
    let body = state
        .caches
        .member_billing
        .get_or_load(
            key,
            signed_in.fresh,
            || read(&state, &layout, signed_in.user.id, asked, after),
            // The member's stamp moves with every change to their money.
            // Older ledger pages are rarer, and any cursor would do as a key.
            |_| after.is_none(),
        )
        .await?;
    Ok(MemberBillingPage { layout, body })
}

/// Reads and prepares what the page shows.
async fn read(
    state: &AppState,
    layout: &Layout,
    user: Uuid,
    asked: Option<Date>,
    after: Option<LedgerCursor>,
) -> Result<MemberBillingBody, WebError> {
    let pool = &state.pool;
    let this_month = zone::this_month(pool, &state.config.billing_zone).await?;
    let month = asked.unwrap_or(this_month);
    let (figures, daily, monthly, ledger) = tokio::try_join!(
        dashboard::member_month(pool, user, month),
        dashboard::member_daily(pool, user, month),
        dashboard::member_monthly(pool, user, month, MONTHS),
        ledger_page(pool, user, month, after, PAGE_SIZE),
    )?;
    let data = MemberBilling {
        month: figures,
        this_month,
        daily,
        monthly,
        ledger,
        paged: after.is_some(),
    };
    MemberBillingBody::new(layout, data).map_err(|e| WebError::Internal(e.to_string()))
}

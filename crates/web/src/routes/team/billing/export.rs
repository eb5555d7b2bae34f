//! `GET /admin/billing/export.csv?month=YYYY-MM`: the whole team's ledger
//! for a month, oldest first, streamed (see [`crate::routes::billing::csv`]).

use std::collections::HashMap;

use actix_web::{HttpResponse, get, web};
use chorus_core::billing::statement::ExportScope;

use super::month_of_query;
use crate::error::WebError;
use crate::routes::billing::csv::ledger_csv;
use crate::routes::team::admin::admin_only;
use crate::session::SignedIn;
use crate::state::AppState;

#[get("/admin/billing/export.csv")]
pub async fn export(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    admin_only(signed_in)?;
    let month = month_of_query(&state, &query).await?;
    ledger_csv(
        state.pool.clone(),
        ExportScope::Team,
        month,
        "chorus-team-ledger",
    )
    .await
}

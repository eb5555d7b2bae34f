//! `GET /billing/export.csv?month=YYYY-MM`: the signed-in member's own
//! ledger of a month, oldest first, as a CSV download.

use std::collections::HashMap;

use actix_web::{HttpResponse, get, web};
use chorus_core::billing::statement::ExportScope;

use super::{csv, month};
use crate::error::WebError;
use crate::session::SignedIn;
use crate::state::AppState;

#[get("/billing/export.csv")]
pub async fn export_csv(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    let this_month = month::this_month(&state).await?;
    let month = month::chosen(query.get("month").map(String::as_str), this_month)?;
    let scope = ExportScope::Member(signed_in.user.id);
    csv::ledger_csv(state.pool.clone(), scope, month, "chorus-ledger").await
}

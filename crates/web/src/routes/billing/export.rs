//! `GET /billing/export.csv?month=YYYY-MM`: the signed-in member's own
//! ledger of a month, oldest first, as a CSV download. A member's month is
//! a few hundred lines at most, so it is built whole, a page at a time.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use chorus_core::billing::statement::{CSV_HEADER, ExportScope, cursor_after, export_page};
use chorus_core::billing::zone;

use super::month;
use crate::error::WebError;
use crate::session::SignedIn;
use crate::state::AppState;

const PAGE_SIZE: i64 = 500;

#[get("/billing/export.csv")]
pub async fn export_csv(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    let this_month = zone::this_month(&state.pool, &state.config.billing_zone).await?;
    let month = month::chosen(query.get("month").map(String::as_str), this_month)?;
    let scope = ExportScope::Member(signed_in.user.id);
    let mut csv = String::from(CSV_HEADER);
    let mut after = None;
    loop {
        let lines = export_page(&state.pool, scope, month, after, PAGE_SIZE).await?;
        for line in &lines {
            csv.push_str(&line.csv_line());
        }
        if lines.len() < PAGE_SIZE as usize {
            break;
        }
        after = cursor_after(&lines);
    }
    let filename = format!("chorus-ledger-{}.csv", zone::month_label(month));
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .body(csv))
}

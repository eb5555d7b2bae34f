//! `GET /admin/billing/export.csv?month=YYYY-MM`: the whole team's ledger
//! for a month, oldest first. A month can hold a hundred thousand lines, so
//! it is streamed a page at a time, never held whole in memory. The first
//! page is read before answering, so a failing database still gets a 500
//! page rather than a cut-off file.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpResponse, get, web};
use chorus_core::billing::statement::{
    CSV_HEADER, ExportScope, LedgerCursor, LedgerLine, cursor_after, export_page,
};
use chorus_core::billing::zone;
use futures_util::{StreamExt, stream};
use sqlx::PgPool;
use time::Date;

use super::month_of_query;
use crate::error::WebError;
use crate::routes::team::admin::admin_only;
use crate::session::SignedIn;
use crate::state::AppState;

/// Lines per query: a few hundred kilobytes per chunk.
const PAGE_LINES: i64 = 1_000;

#[get("/admin/billing/export.csv")]
pub async fn export(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    query: web::Query<HashMap<String, String>>,
) -> Result<HttpResponse, WebError> {
    admin_only(signed_in)?;
    let month = month_of_query(&state, &query).await?;
    let pool = state.pool.clone();
    let (first, next) = read_page(&pool, month, None).await?;
    let mut head = String::from(CSV_HEADER);
    head.push_str(&first);
    let rest = stream::unfold(next, move |after| {
        let pool = pool.clone();
        async move {
            let after = after?;
            match read_page(&pool, month, Some(after)).await {
                Ok((chunk, next)) => Some((Ok(Bytes::from(chunk)), next)),
                // The status is sent already: the cut-off ends the download
                // as failed, and the cause goes to the log.
                Err(error) => {
                    tracing::error!(%error, "team ledger export failed midway");
                    Some((Err(error), None))
                }
            }
        }
    });
    let body = stream::once(async move { Ok::<_, WebError>(Bytes::from(head)) }).chain(rest);
    let filename = format!("chorus-team-ledger-{}.csv", zone::month_label(month));
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{filename}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "no-store"))
        .streaming(body))
}

/// A page of CSV lines, and where the next page starts (None: this was
/// the last).
async fn read_page(
    pool: &PgPool,
    month: Date,
    after: Option<LedgerCursor>,
) -> Result<(String, Option<LedgerCursor>), WebError> {
    let lines = export_page(pool, ExportScope::Team, month, after, PAGE_LINES).await?;
    let full = i64::try_from(lines.len()).unwrap_or(i64::MAX) >= PAGE_LINES;
    let next = if full { cursor_after(&lines) } else { None };
    Ok((lines.iter().map(LedgerLine::csv_line).collect(), next))
}

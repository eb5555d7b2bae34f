//! A month of ledger lines as a CSV download, for a member or the whole
//! team. A team's month can hold a hundred thousand lines, so it is streamed
//! a page at a time, never held whole in memory. The first page is read
//! before answering, so a failing database still gets a 500 page rather
//! than a cut-off file.

use actix_web::HttpResponse;
use actix_web::http::header;
use actix_web::web::Bytes;
use chorus_core::billing::statement::{
    CSV_HEADER, ExportScope, LedgerCursor, LedgerLine, cursor_after, export_page,
};
use chorus_core::billing::zone;
use futures_util::{StreamExt, stream};
use sqlx::PgPool;
use time::Date;

use crate::error::WebError;

/// Lines per query: a few hundred kilobytes per chunk.
const PAGE_LINES: i64 = 1_000;

/// The download `<name>-YYYY-MM.csv` of `scope`'s lines in `month`.
pub async fn ledger_csv(
    pool: PgPool,
    scope: ExportScope,
    month: Date,
    name: &str,
) -> Result<HttpResponse, WebError> {
    let (first, next) = read_page(&pool, scope, month, None).await?;
    let mut head = String::from(CSV_HEADER);
    head.push_str(&first);
    let rest = stream::unfold(next, move |after| {
        let pool = pool.clone();
        async move {
            let after = after?;
            match read_page(&pool, scope, month, Some(after)).await {
                Ok((chunk, next)) => Some((Ok(Bytes::from(chunk)), next)),
                // The status is sent already: the cut-off ends the download
                // as failed, and the cause goes to the log.
                Err(error) => {
                    tracing::error!(%error, "ledger export failed midway");
                    Some((Err(error), None))
                }
            }
        }
    });
    let body = stream::once(async move { Ok::<_, WebError>(Bytes::from(head)) }).chain(rest);
    let filename = format!("{name}-{}.csv", zone::month_label(month));
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
    scope: ExportScope,
    month: Date,
    after: Option<LedgerCursor>,
) -> Result<(String, Option<LedgerCursor>), WebError> {
    let lines = export_page(pool, scope, month, after, PAGE_LINES).await?;
    let full = i64::try_from(lines.len()).unwrap_or(i64::MAX) >= PAGE_LINES;
    let next = if full { cursor_after(&lines) } else { None };
    Ok((lines.iter().map(LedgerLine::csv_line).collect(), next))
}

//! Billing routes:
//!
//! - [`member`]: `GET /billing`, the signed-in member's month;
//! - [`export`]: `GET /billing/export.csv`, their ledger of a month as CSV;
//! - [`csv`]: a month of ledger lines as a streamed CSV download (theirs,
//!   or the team's on `/admin/billing/export.csv`);
//! - [`month`]: the `?month=YYYY-MM` both read, and this billing month.

pub mod csv;
mod export;
mod member;
pub mod month;

pub use month::this_month;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(member::billing_page)
        .service(export::export_csv);
}

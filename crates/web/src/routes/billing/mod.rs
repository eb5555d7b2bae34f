//! Billing routes:
//!
//! - [`member`]: `GET /billing`, the signed-in member's month;
//! - [`export`]: `GET /billing/export.csv`, their ledger of a month as CSV;
//! - [`month`]: the `?month=YYYY-MM` both read, and this billing month.

mod export;
mod member;
pub mod month;

pub use month::this_month;

use actix_web::web;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(member::billing_page)
        .service(export::export_csv);
}

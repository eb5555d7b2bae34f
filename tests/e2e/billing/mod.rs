//! Budgets and billing: the team cap under concurrency, the billing time
//! zone, refunds and budget changes by hand, the 80 % warnings, and random
//! sequences of everything checked against the ledger.

mod admin;
pub(crate) mod consistency;
mod dashboards;
mod driver;
mod properties;
mod team_cap;
mod zone;

//! Billing pages:
//!
//! - [`banner`]: the budget warning every page shows at 80 % of the
//!   viewer's budget or the team's cap;
//! - [`member`]: `/billing`, a member's month, charts and ledger.

mod banner;
mod member;

pub use banner::{BudgetBanner, budget_banner};
pub use member::{MemberBilling, MemberBillingBody, MemberBillingPage};

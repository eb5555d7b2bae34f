//! Money: every movement is a ledger row, written in the same transaction
//! as the running totals it changes.
//!
//! - [`ledger`]: the append-only ledger and its kinds;
//! - [`member`]: a member's monthly totals: reserve, charge, release, refund;
//! - [`vendor`]: what the vendor bills the team (accepted tasks, polls).
//!
//! Signs, from the member's point of view: `reserve` +p and `release` −p
//! move the reservation; `charge` +p turns a reservation into spend;
//! `refund` −p and `adjustment` ±x change spend. So
//! spent = Σ charge + Σ refund + Σ adjustment, and
//! reserved = Σ reserve + Σ release − Σ charge.

pub mod ledger;
pub mod member;
pub mod vendor;

pub use ledger::LedgerKind;
pub use member::{Usage, usage_of};

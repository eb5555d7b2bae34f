//! The create page, a song's page, and what its owner can do from there.

mod actions;
mod create;
mod form;
mod show;

use actix_web::web;
use chorus_core::accounts::{Role, User};
use chorus_core::billing::BudgetKind;
use chorus_core::generations::{CreateError, Viewer};

use crate::error::WebError;
use crate::pages::Layout;

pub fn configure(cfg: &mut web::ServiceConfig) {
    cfg.service(create::show)
        .service(create::submit)
        .service(show::show)
        .service(actions::publish)
        .service(actions::unpublish)
        .service(actions::retry);
}

fn viewer_of(user: &User) -> Viewer {
    Viewer {
        user_id: user.id,
        is_admin: user.role == Role::Admin,
    }
}

/// The over-budget message in the reader's language; `Err` for the other
/// refusals, which are not the member's to fix.
fn over_budget_message(layout: &Layout, error: CreateError) -> Result<String, WebError> {
    match error {
        CreateError::OverBudget {
            budget,
            price,
            limit,
            left,
            resets_on,
        } => {
            let resets_on = layout.date(&resets_on.midnight().assume_utc());
            let key = match budget {
                BudgetKind::Member => "create.error.over_budget",
                BudgetKind::Team => "create.error.over_team_budget",
            };
            Ok(layout.t_args(
                key,
                &[
                    ("price", &layout.money(&price)),
                    ("budget", &layout.money(&limit)),
                    ("left", &layout.money(&left)),
                    ("resets_on", &resets_on),
                ],
            ))
        }
        // The session extractor refuses disabled users; this is one
        // disabled between that check and the insert.
        CreateError::Disabled => Err(WebError::NotFound),
        CreateError::Database(e) => Err(WebError::Database(e)),
    }
}

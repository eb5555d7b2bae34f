//! The admin's money forms: a member's monthly budget, the team's monthly
//! cap, a refund by hand. Each goes through the core function that checks
//! the admin again and writes the audit line in the same transaction. A
//! refused form comes back on the page, the input kept, each error next to
//! its field; one that went through sends back (303) to the same month.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, post, web};
use chorus_core::billing::refund::{MAX_REASON_CHARS, RefundError, refund_generation};
use chorus_core::billing::settings::{AdminError, set_member_budget, set_team_cap};
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use super::amount::{AmountError, MAX_AMOUNT, optional_usd};
use super::page::{View, billing_page};
use super::{month_named, page_href};
use crate::csrf::{CsrfForm, CsrfToken, form_page};
use crate::error::WebError;
use crate::pages::{AdminBillingPage, Layout, MoneyErrors, MoneyFields, MoneyForm, status_key};
use crate::routes::team::admin::admin_only;
use crate::session::SignedIn;
use crate::state::AppState;

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct BudgetForm {
    month: String,
    user_id: String,
    amount: String,
    reason: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct CapForm {
    month: String,
    amount: String,
    reason: String,
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct RefundForm {
    month: String,
    generation_id: String,
    amount: String,
    reason: String,
}

#[post("/admin/billing/budget")]
pub async fn set_budget(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    layout: Layout,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<BudgetForm>,
) -> Result<HttpResponse, WebError> {
    let admin = admin_only(signed_in)?;
    let month = month_named(&state, Some(&form.month)).await?;
    let mut errors = MoneyErrors::default();
    let user_id = form.user_id.trim().parse::<Uuid>().ok();
    if user_id.is_none() {
        errors.target = Some(layout.t("admin_billing.budget.no_member"));
    }
    let amount = amount_or_error(&layout, &form.amount, &mut errors);
    errors.reason = reason_error(&layout, &form.reason, false);
    if let (Some(user_id), Some(budget), false) = (user_id, amount, errors.any()) {
        let reason = Some(form.reason.as_str());
        match set_member_budget(&state.pool, admin.user.id, user_id, budget, reason).await {
            Ok(()) => {
                tracing::info!(by = %admin.user.id, %user_id, ?budget, "member budget set");
                return Ok(done(month, "budget"));
            }
            Err(AdminError::NoSuchMember) => {
                errors.target = Some(layout.t("admin_billing.budget.no_member"));
            }
            Err(AdminError::NotAdmin) => errors.form = Some(layout.t("admin_billing.not_allowed")),
            Err(AdminError::Database(e)) => return Err(e.into()),
        }
    }
    let fields = MoneyFields {
        target: form.user_id,
        amount: form.amount,
        reason: form.reason,
    };
    refused(&state, layout, &csrf, month, |page| {
        page.budget_form = MoneyForm { fields, errors };
    })
    .await
}

#[post("/admin/billing/cap")]
pub async fn set_cap(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    layout: Layout,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<CapForm>,
) -> Result<HttpResponse, WebError> {
    let admin = admin_only(signed_in)?;
    let month = month_named(&state, Some(&form.month)).await?;
    let mut errors = MoneyErrors::default();
    let amount = amount_or_error(&layout, &form.amount, &mut errors);
    errors.reason = reason_error(&layout, &form.reason, false);
    if let (Some(cap), false) = (amount, errors.any()) {
        let reason = Some(form.reason.as_str());
        match set_team_cap(&state.pool, admin.user.id, cap, reason).await {
            Ok(()) => {
                tracing::info!(by = %admin.user.id, ?cap, "team cap set");
                return Ok(done(month, "cap"));
            }
            Err(AdminError::Database(e)) => return Err(e.into()),
            Err(_) => errors.form = Some(layout.t("admin_billing.not_allowed")),
        }
    }
    let fields = MoneyFields {
        target: String::new(),
        amount: form.amount,
        reason: form.reason,
    };
    refused(&state, layout, &csrf, month, |page| {
        page.cap_form = MoneyForm { fields, errors };
    })
    .await
}

#[post("/admin/billing/refund")]
pub async fn refund(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    layout: Layout,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<RefundForm>,
) -> Result<HttpResponse, WebError> {
    let admin = admin_only(signed_in)?;
    let month = month_named(&state, Some(&form.month)).await?;
    let mut errors = MoneyErrors::default();
    let song = form.generation_id.trim().parse::<Uuid>().ok();
    if song.is_none() {
        errors.target = Some(layout.t("admin_billing.refund.bad_song"));
    }
    let amount = amount_or_error(&layout, &form.amount, &mut errors);
    errors.reason = reason_error(&layout, &form.reason, true);
    if let (Some(song), Some(amount), false) = (song, amount, errors.any()) {
        match refund_generation(&state.pool, admin.user.id, song, amount, &form.reason).await {
            Ok(refunded) => {
                tracing::info!(
                    by = %admin.user.id, generation_id = %song, amount = %refunded.amount,
                    "refunded by hand"
                );
                return Ok(done(month, "refund"));
            }
            Err(e) => refund_refused(&layout, e, &mut errors)?,
        }
    }
    let fields = MoneyFields {
        target: form.generation_id,
        amount: form.amount,
        reason: form.reason,
    };
    refused(&state, layout, &csrf, month, |page| {
        page.refund_form = MoneyForm { fields, errors };
    })
    .await
}

/// Why the core refused a refund, next to the field it is about.
fn refund_refused(
    layout: &Layout,
    error: RefundError,
    errors: &mut MoneyErrors,
) -> Result<(), WebError> {
    match error {
        RefundError::NoSuchGeneration => {
            errors.target = Some(layout.t("admin_billing.refund.no_song"));
        }
        RefundError::NotCompleted { status } => {
            let status = layout.t(status_key(&status));
            errors.target =
                Some(layout.t_args("admin_billing.refund.not_completed", &[("status", &status)]));
        }
        RefundError::NothingLeft => {
            errors.target = Some(layout.t("admin_billing.refund.nothing_left"));
        }
        RefundError::TooMuch { refundable } => {
            errors.amount = Some(layout.t_args(
                "admin_billing.refund.too_much",
                &[("amount", &layout.money(&refundable))],
            ));
        }
        RefundError::NotPositive => {
            errors.amount = Some(layout.t("admin_billing.refund.not_positive"));
        }
        RefundError::NoReason => errors.reason = reason_error(layout, "", true),
        RefundError::NotAllowed(_) => errors.form = Some(layout.t("admin_billing.not_allowed")),
        RefundError::Database(e) => return Err(e.into()),
    }
    Ok(())
}

/// The typed amount (`Some(None)` for an empty field), or `None` with the
/// error set.
fn amount_or_error(
    layout: &Layout,
    text: &str,
    errors: &mut MoneyErrors,
) -> Option<Option<chorus_core::Micros>> {
    match optional_usd(text) {
        Ok(amount) => Some(amount),
        Err(error) => {
            errors.amount = Some(amount_message(layout, error));
            None
        }
    }
}

fn amount_message(layout: &Layout, error: AmountError) -> String {
    layout.t_args(error.key(), &[("max", &layout.money(&MAX_AMOUNT))])
}

fn reason_error(layout: &Layout, reason: &str, required: bool) -> Option<String> {
    let chars = reason.trim().chars().count();
    let max = MAX_REASON_CHARS.to_string();
    match (chars, required) {
        (0, true) => Some(layout.t_args("admin_billing.reason.required", &[("max", &max)])),
        (n, _) if n > MAX_REASON_CHARS => {
            Some(layout.t_args("admin_billing.reason.too_long", &[("max", &max)]))
        }
        _ => None,
    }
}

/// Back to the month the form was posted from, saying what was done.
fn done(month: Date, what: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((
            header::LOCATION,
            format!("{}&done={what}", page_href(month)),
        ))
        .finish()
}

/// The page again with a refused form filled in by `fill`.
async fn refused(
    state: &AppState,
    mut layout: Layout,
    csrf: &CsrfToken,
    month: Date,
    fill: impl FnOnce(&mut AdminBillingPage),
) -> Result<HttpResponse, WebError> {
    // The language switcher leads back to the page, not to the form's address.
    layout.path = page_href(month);
    let mut page = billing_page(state, layout, csrf, month, &View::default()).await?;
    fill(&mut page);
    form_page(StatusCode::UNPROCESSABLE_ENTITY, &page, csrf, &state.config)
}

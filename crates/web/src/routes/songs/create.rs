//! `/create`: ask for a song. The price and what is left of the month's
//! budget are shown before anything is spent.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, get, post, web};
use chorus_core::Micros;
use chorus_core::billing::usage_of;
use chorus_core::billing::zone::this_month;
use chorus_core::generations::{Request, RequestKey};
use serde::Deserialize;

use super::form::{CreateForm, errors_for, shown_mode};
use super::over_budget_message;
use crate::csrf::{CsrfForm, CsrfToken, form_page};
use crate::error::WebError;
use crate::pages::{CreateErrors, CreateFields, CreatePage, Layout};
use crate::session::SignedIn;
use crate::state::AppState;
use crate::tokens;

#[derive(Deserialize)]
pub struct ModeQuery {
    mode: Option<String>,
}

#[get("/create")]
pub async fn show(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    layout: Layout,
    csrf: CsrfToken,
    query: web::Query<ModeQuery>,
) -> Result<HttpResponse, WebError> {
    let mode = shown_mode(query.mode.as_deref());
    let page = page(&state, &signed_in, layout, &csrf, mode).await?;
    form_page(StatusCode::OK, &page, &csrf, &state.config)
}

#[post("/create")]
pub async fn submit(
    state: web::Data<AppState>,
    signed_in: SignedIn,
    layout: Layout,
    csrf: CsrfToken,
    CsrfForm(form): CsrfForm<CreateForm>,
) -> Result<HttpResponse, WebError> {
    let (status, errors) = match form.to_song_form().validate() {
        Err(invalid) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            errors_for(&layout, &invalid, &form),
        ),
        Ok(input) => {
            let key = form.request_key();
            let request = Request {
                input: &input,
                key: key.as_ref(),
            };
            match state.request_song(signed_in.user.id, request).await {
                Ok(ticket) => {
                    return Ok(HttpResponse::SeeOther()
                        .insert_header((header::LOCATION, format!("/songs/{}", ticket.id)))
                        .finish());
                }
                // Only the budget is the member's to fix here; the other
                // refusals come back as errors.
                Err(e) => {
                    let errors = CreateErrors {
                        form: Some(over_budget_message(&layout, e)?),
                        ..CreateErrors::default()
                    };
                    (StatusCode::PAYMENT_REQUIRED, errors)
                }
            }
        }
    };
    let mode = form.shown_mode();
    let mut page = page(&state, &signed_in, layout, &csrf, mode).await?;
    // The same key again: nothing was made under it, and a second click
    // on the corrected form still makes one song.
    let fresh_key = std::mem::take(&mut page.fields.request_key);
    page.fields = form.fields();
    if RequestKey::parse(&page.fields.request_key).is_none() {
        page.fields.request_key = fresh_key;
    }
    page.errors = errors;
    form_page(status, &page, &csrf, &state.config)
}

/// The empty form for `mode`, with the price and the budget left.
async fn page(
    state: &AppState,
    signed_in: &SignedIn,
    layout: Layout,
    csrf: &CsrfToken,
    mode: &'static str,
) -> Result<CreatePage, WebError> {
    let price = state.config.price;
    let usage = usage_of(
        &state.pool,
        signed_in.user.id,
        this_month(&state.pool, &state.config.billing_zone).await?,
    )
    .await?;
    let budget_line = match usage.budget_micros {
        Some(budget) => {
            let used = usage.spent_micros + usage.reserved_micros;
            let left = Micros((budget - used).max(0));
            layout.t_args(
                "create.budget_left",
                &[
                    ("left", &layout.money(&left)),
                    ("budget", &layout.money(&Micros(budget))),
                ],
            )
        }
        None => layout.t("create.no_budget"),
    };
    let price_line = layout.t_args("create.price", &[("price", &layout.money(&price))]);
    Ok(CreatePage {
        layout,
        csrf: csrf.value().to_owned(),
        mode,
        fields: CreateFields {
            request_key: tokens::random_token()?,
            ..CreateFields::default()
        },
        errors: CreateErrors::default(),
        price_line,
        budget_line,
    })
}

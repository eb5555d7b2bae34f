//! A new request: validated input in, a `pending` generation out, with its
//! price reserved against the member's budget in the same transaction.

use std::time::Duration;

use sqlx::PgPool;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

use super::{GenerationStatus, SongInput, Ticket, ticket_columns, transition};
use crate::billing::member::{self, Billed};
use crate::jobs::JobQueues;
use crate::money::Micros;

#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error(
        "over budget: this request costs USD {price}, and your monthly budget of USD {budget} has USD {left} left; it resets on {resets_on}"
    )]
    OverBudget {
        price: Micros,
        budget: Micros,
        left: Micros,
        resets_on: Date,
    },
    #[error("your account is disabled")]
    Disabled,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

/// The calendar month (UTC) a moment is billed to, as its first day.
pub fn billing_month(at: OffsetDateTime) -> Date {
    at.date().replace_day(1).unwrap_or(at.date())
}

/// The first day of the next month.
pub fn next_month(month: Date) -> Date {
    let (year, next) = match month.month() {
        time::Month::December => (month.year() + 1, time::Month::January),
        m => (month.year(), m.next()),
    };
    Date::from_calendar_date(year, next, 1).unwrap_or(month)
}

/// What the web app and the API call: create the request, then ring the
/// worker's doorbell. A lost enqueue loses nothing: the recovery sweep
/// finds the pending row.
pub async fn request_song(
    pool: &PgPool,
    queues: &JobQueues,
    user_id: Uuid,
    input: &SongInput,
    price: Micros,
) -> Result<Ticket, CreateError> {
    let ticket = create_generation(pool, user_id, input, price).await?;
    if let Err(e) = queues.submit(ticket.id, Duration::ZERO).await {
        tracing::warn!(error = %e, generation_id = %ticket.id, "enqueue failed; the recovery sweep will submit it");
    }
    Ok(ticket)
}

/// Inserts the generation as `pending` and reserves its price. Nothing is
/// written when the budget does not cover it. The caller enqueues the submit
/// job after this returns (see [`crate::jobs`]).
pub async fn create_generation(
    pool: &PgPool,
    user_id: Uuid,
    input: &SongInput,
    price: Micros,
) -> Result<Ticket, CreateError> {
    let mut tx = pool.begin().await?;
    let active: Option<bool> =
        sqlx::query_scalar("SELECT disabled_at IS NULL FROM users WHERE id = $1")
            .bind(user_id)
            .fetch_optional(&mut *tx)
            .await?;
    if active != Some(true) {
        return Err(CreateError::Disabled);
    }
    let (topic, instrumental, tags, lyrics, title) = match input {
        SongInput::Describe {
            topic,
            instrumental,
        } => (Some(topic), Some(*instrumental), None, None, None),
        SongInput::Custom {
            tags,
            lyrics,
            title,
        } => (None, None, Some(tags), Some(lyrics), title.as_ref()),
    };
    let ticket: Ticket = sqlx::query_as(concat!(
        "INSERT INTO generations (id, user_id, mode, topic, instrumental, tags, lyrics, title,
                                  status, price_micros, billing_month, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9,
                 -- The database's clock, like created_at: the two agree
                 -- even at a month's edge.
                 date_trunc('month', now())::date, now())
         RETURNING ",
        ticket_columns!()
    ))
    .bind(Uuid::now_v7())
    .bind(user_id)
    .bind(input.mode())
    .bind(topic)
    .bind(instrumental)
    .bind(tags)
    .bind(lyrics)
    .bind(title)
    .bind(price.as_i64())
    .fetch_one(&mut *tx)
    .await?;
    let month = ticket.billing_month;
    let billed = Billed {
        user_id,
        generation_id: ticket.id,
        month,
        price,
    };
    if !member::reserve(&mut tx, billed).await? {
        tx.rollback().await?;
        let usage = member::usage_of(pool, user_id, month).await?;
        let budget = Micros(usage.budget_micros.unwrap_or(0));
        let used = usage.spent_micros + usage.reserved_micros;
        return Err(CreateError::OverBudget {
            price,
            budget,
            left: Micros((budget.as_i64() - used).max(0)),
            resets_on: next_month(month),
        });
    }
    transition::record(&mut tx, ticket.id, None, GenerationStatus::Pending, None).await?;
    tx.commit().await?;
    Ok(ticket)
}

#[cfg(test)]
mod tests {
    use time::macros::{date, datetime};

    use super::*;

    #[test]
    fn months_start_on_the_first_and_roll_over_the_year() {
        assert_eq!(
            billing_month(datetime!(2026-11-25 23:59 UTC)),
            date!(2026 - 11 - 01)
        );
        assert_eq!(next_month(date!(2026 - 11 - 01)), date!(2026 - 12 - 01));
        assert_eq!(next_month(date!(2026 - 12 - 01)), date!(2027 - 01 - 01));
    }
}

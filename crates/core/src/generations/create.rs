//! A new request: validated input in, a `pending` generation out, with its
//! price reserved against the member's budget in the same transaction.

use std::time::Duration;

use redis::aio::ConnectionManager;
use sqlx::PgPool;
use time::Date;
use uuid::Uuid;

use super::{GenerationStatus, SongInput, Ticket, ticket_columns, transition};
use crate::billing::budget::{self, BudgetKind, BudgetWarning, Reservation};
use crate::billing::status::budget_status;
use crate::billing::zone::{BillingZone, next_month};
use crate::events;
use crate::jobs::JobQueues;
use crate::keyspace::Keyspace;
use crate::money::Micros;

#[derive(Debug, thiserror::Error)]
pub enum CreateError {
    #[error(
        "over budget: this request costs USD {price}, and {} of USD {limit} has USD {left} left; it resets on {resets_on}",
        budget_name(*.budget)
    )]
    OverBudget {
        /// Which budget refused it: the member's or the team's.
        budget: BudgetKind,
        price: Micros,
        limit: Micros,
        left: Micros,
        /// The first day of the next month in the billing zone.
        resets_on: Date,
    },
    #[error("your account is disabled")]
    Disabled,
    #[error(transparent)]
    Database(#[from] sqlx::Error),
}

fn budget_name(budget: BudgetKind) -> &'static str {
    match budget {
        BudgetKind::Member => "your monthly budget",
        BudgetKind::Team => "the team's monthly budget",
    }
}

/// What a request costs and how it is billed: the price in force now and
/// the zone whose calendar decides its day and month.
#[derive(Debug, Clone, Copy)]
pub struct Terms<'a> {
    pub price: Micros,
    pub zone: &'a BillingZone,
}

/// Where budget warnings are published.
#[derive(Clone)]
pub struct Announcer {
    pub redis: ConnectionManager,
    pub keyspace: Keyspace,
}

/// What a member asks for, and the key naming this request, if any: a
/// request sent again under the same key gets the song the first one
/// made, and is not charged again.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    pub input: &'a SongInput,
    pub key: Option<&'a RequestKey>,
}

/// A request's name, chosen by the client: 1 to 100 visible ASCII
/// characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestKey(String);

impl RequestKey {
    pub fn parse(text: &str) -> Option<RequestKey> {
        let fits = (1..=100).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_graphic());
        fits.then(|| RequestKey(text.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A request just made, and the budgets it took to 80 % for the first time
/// this month (published by [`request_song`]).
#[derive(Debug, Clone)]
pub struct Created {
    pub ticket: Ticket,
    pub warnings: Vec<BudgetWarning>,
}

/// What the web app and the API call: create the request, then ring the
/// worker's doorbell and announce any budget warning. A lost enqueue loses
/// nothing: the recovery sweep finds the pending row; a lost warning only
/// misses an event (the banner reads Postgres).
pub async fn request_song(
    pool: &PgPool,
    queues: &JobQueues,
    announcer: &Announcer,
    user_id: Uuid,
    request: Request<'_>,
    terms: Terms<'_>,
) -> Result<Ticket, CreateError> {
    // A request made before under the same key is enqueued again too:
    // harmless, as only a pending request can be claimed for submission.
    let Created { ticket, warnings } = create_generation(pool, user_id, request, terms).await?;
    if let Err(e) = queues.submit(ticket.id, Duration::ZERO).await {
        tracing::warn!(error = %e, generation_id = %ticket.id, "enqueue failed; the recovery sweep will submit it");
    }
    for warning in &warnings {
        let publish =
            events::publish_budget_warning(&announcer.redis, &announcer.keyspace, warning);
        match tokio::time::timeout(Duration::from_secs(1), publish).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => {
                tracing::warn!(error = %e, %user_id, "could not publish a budget warning")
            }
            Err(_) => tracing::warn!(%user_id, "publishing a budget warning timed out"),
        }
    }
    Ok(ticket)
}

/// Inserts the generation as `pending` and reserves its price against the
/// team's cap and the member's budget. Nothing is written when either does
/// not cover it. The caller enqueues the submit job after this returns (see
/// [`crate::jobs`]).
pub async fn create_generation(
    pool: &PgPool,
    user_id: Uuid,
    request: Request<'_>,
    terms: Terms<'_>,
) -> Result<Created, CreateError> {
    let price = terms.price;
    let input = request.input;
    if let Some(key) = request.key
        && let Some(ticket) = made_under(pool, user_id, key).await?
    {
        return Ok(Created {
            ticket,
            warnings: Vec::new(),
        });
    }
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
    let ticket: sqlx::Result<Ticket> = sqlx::query_as(concat!(
        "WITH today AS (SELECT billing_day(now(), $10) AS day)
         INSERT INTO generations (id, user_id, mode, topic, instrumental, tags, lyrics, title,
                                  status, price_micros, billing_month, billing_day, next_attempt_at,
                                  request_key)
         SELECT $1, $2, $3, $4, $5, $6, $7, $8, 'pending', $9,
                -- The database's clock, like created_at: the two agree
                -- even at a month's edge.
                day - (EXTRACT(DAY FROM day)::int - 1), day, now(), $11
         FROM today
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
    .bind(terms.zone.name())
    .bind(request.key.map(RequestKey::as_str))
    .fetch_one(&mut *tx)
    .await;
    let ticket = match (ticket, request.key) {
        (Ok(ticket), _) => ticket,
        // The same key, sent twice at once: the other request made it
        // (its insert held ours until it committed).
        (Err(e), Some(key)) if is_unique_violation(&e) => {
            tx.rollback().await?;
            let made = made_under(pool, user_id, key).await?;
            return made
                .map(|ticket| Created {
                    ticket,
                    warnings: Vec::new(),
                })
                .ok_or(CreateError::Database(e));
        }
        (Err(e), _) => return Err(e.into()),
    };
    let month = ticket.billing_month;
    let warnings = match budget::reserve(&mut tx, ticket.billed()).await? {
        Reservation::Reserved(warnings) => warnings,
        Reservation::Refused(budget) => {
            tx.rollback().await?;
            // For the message only: the refusal itself was atomic.
            let status = budget_status(pool, user_id, month).await?;
            let gauge = match budget {
                BudgetKind::Member => status.member,
                BudgetKind::Team => status.team,
            };
            let limit = gauge.map_or(Micros::ZERO, |g| g.limit);
            return Err(CreateError::OverBudget {
                budget,
                price,
                limit,
                left: gauge.map_or(Micros::ZERO, |g| g.left()),
                resets_on: next_month(month),
            });
        }
    };
    transition::record(&mut tx, ticket.id, None, GenerationStatus::Pending, None).await?;
    tx.commit().await?;
    Ok(Created { ticket, warnings })
}

/// The request made before under `key` by this member, if any.
async fn made_under(
    pool: &PgPool,
    user_id: Uuid,
    key: &RequestKey,
) -> sqlx::Result<Option<Ticket>> {
    sqlx::query_as(concat!(
        "SELECT ",
        ticket_columns!(),
        " FROM generations WHERE user_id = $1 AND request_key = $2"
    ))
    .bind(user_id)
    .bind(key.as_str())
    .fetch_optional(pool)
    .await
}

fn is_unique_violation(e: &sqlx::Error) -> bool {
    e.as_database_error()
        .is_some_and(|e| e.kind() == sqlx::error::ErrorKind::UniqueViolation)
}

//! A song request's life, from the member's request to its end.
//!
//! - [`status`]: the state machine's states;
//! - [`input`]: what a member may ask for, validated field by field;
//! - [`create`]: reserve the price and insert the request, in one transaction;
//! - [`submit`]: the worker's claim, and what each upstream answer does;
//! - [`poll`]: in-flight requests claimed in batches, and what a report does;
//! - [`recovery`]: requests whose job or worker was lost;
//! - [`view`]: reading a request and its clips, for whoever may see it;
//! - [`library`]: a member's own requests, a page at a time;
//! - [`publish`]: putting a finished song in the gallery, and taking it out;
//! - [`gallery`]: every published song, searched and filtered, a page at a time;
//! - [`favourites`]: a member's marks on published songs.
//!
//! Every change of status is a guarded update (`WHERE status = expected`),
//! so a job that runs twice changes nothing the second time, and every
//! change is recorded in `generation_transitions`.

pub mod archive;
pub mod create;
pub mod favourites;
pub mod gallery;
pub mod input;
pub mod keyset;
pub mod library;
pub mod media;
pub mod poll;
pub mod publish;
pub mod recovery;
pub mod status;
pub mod submit;
mod transition;
pub mod view;

pub use create::{
    CreateError, Created, Request, RequestKey, Terms, create_generation, request_song,
};
pub use input::{InvalidInput, SongInput};
pub use status::GenerationStatus;
pub use view::{ClipView, GenerationView, Viewer};

use sqlx::FromRow;
use time::Date;
use uuid::Uuid;

use crate::billing::member::Billed;
use crate::money::Micros;

/// The columns every stage needs to move money and status.
#[derive(Debug, Clone, FromRow)]
pub struct Ticket {
    pub id: Uuid,
    pub user_id: Uuid,
    pub status: String,
    pub price_micros: i64,
    pub billing_month: Date,
    /// The day (in the billing zone) it was requested: its money counts on it.
    pub billing_day: Date,
    pub task_id: Option<String>,
    pub submitted_at: Option<time::OffsetDateTime>,
    pub created_at: time::OffsetDateTime,
}

impl Ticket {
    pub(crate) fn billed(&self) -> Billed {
        Billed {
            user_id: self.user_id,
            generation_id: self.id,
            day: self.billing_day,
            price: Micros(self.price_micros),
        }
    }
}

/// The columns of a [`Ticket`], for `concat!` into queries.
macro_rules! ticket_columns {
    () => {
        "id, user_id, status, price_micros, billing_month, billing_day, task_id, submitted_at, created_at"
    };
}
pub(crate) use ticket_columns;

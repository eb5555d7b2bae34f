//! Pages' data kept in memory between requests, so a page viewed again
//! costs no database query while nothing it shows has changed.
//!
//! - [`kept`]: a bounded map whose entries are trusted only under the
//!   freshness stamps they were read under ([`chorus_core::freshness`]),
//!   and for a few seconds at most;
//! - [`touch`]: the middleware that moves the team stamp after every
//!   request that may have changed something;
//! - [`Caches`]: what the app keeps: who each session belongs to, users,
//!   the data of the my-songs, song and gallery pages, and the budget
//!   banner's figures.

mod kept;
mod touch;

use std::time::Duration;

use chorus_core::accounts::User;
use chorus_core::billing::statement::LedgerCursor;
use chorus_core::billing::status::BudgetStatus;
use chorus_core::generations::GenerationView;
use chorus_core::generations::gallery::{GalleryCursor, GalleryFilter};
use chorus_core::generations::library::{Cursor, SongRow, StatusFilter};
use time::Date;
use uuid::Uuid;

use crate::i18n::Lang;
use crate::pages::{GalleryView, MemberBillingBody, TeamBillingData};

pub use kept::Kept;
pub use touch::touch_team_after_changes;

/// How long a kept copy is trusted at most: the bound on how stale a page
/// can be after a change made around Chorus (SQL by hand).
const TRUSTED_FOR: Duration = Duration::from_secs(5);

/// Entries per map: enough for every member's first pages, a few MB.
const CAPACITY: usize = 10_000;
/// For maps of whole rendered pages (tens of KB each): at most ~40 MB.
const PAGES_CAPACITY: usize = 1_000;

/// A member's songs page: whose, which filter, from where.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct MySongsKey {
    pub user_id: Uuid,
    pub filter: StatusFilter,
    pub before: Option<Cursor>,
}

/// A gallery page as one viewer sees it (their favourites are marked), in
/// one language.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct GalleryKey {
    pub viewer: Uuid,
    pub filter: GalleryFilter,
    pub before: Option<GalleryCursor>,
    pub lang: Lang,
}

pub struct Caches {
    /// A session's user never changes, so this needs no stamp; whether the
    /// session is still alive is asked of Redis on every request.
    pub session_users: quick_cache::sync::Cache<String, Uuid>,
    pub users: Kept<Uuid, User>,
    pub my_songs: Kept<MySongsKey, Vec<SongRow>>,
    /// A song as one viewer may see it: `(song, viewer)`.
    pub songs: Kept<(Uuid, Uuid), Option<GenerationView>>,
    pub gallery: Kept<GalleryKey, GalleryView>,
    /// A member's month against both budgets, for the banner every page
    /// may show: read once per stamp change, not once per page.
    pub budget_status: Kept<Uuid, BudgetStatus>,
    /// A member's billing page: `(member, month (None: this one), ledger
    /// cursor, language)`; only first ledger pages are kept.
    pub member_billing: Kept<(Uuid, Option<Date>, Option<LedgerCursor>, Lang), MemberBillingBody>,
    /// What the admin's billing page reads for a month and audit page
    /// (rendered per request, in the viewer's language), checked against
    /// the team and activity stamps.
    pub team_billing: Kept<(Date, Option<i64>), TeamBillingData>,
    /// This billing month: the same for everyone, for a few seconds.
    pub this_month: Kept<(), Date>,
}

impl Caches {
    /// With `keep` false nothing is trusted: every page reads the database
    /// (`CHORUS_KEEP_PAGES=false`).
    pub fn new(keep: bool) -> Caches {
        let trusted_for = if keep { TRUSTED_FOR } else { Duration::ZERO };
        Caches {
            session_users: quick_cache::sync::Cache::new(CAPACITY),
            users: Kept::new(CAPACITY, trusted_for),
            my_songs: Kept::new(CAPACITY, trusted_for),
            songs: Kept::new(CAPACITY, trusted_for),
            gallery: Kept::new(PAGES_CAPACITY, trusted_for),
            budget_status: Kept::new(CAPACITY, trusted_for),
            member_billing: Kept::new(PAGES_CAPACITY, trusted_for),
            team_billing: Kept::new(CAPACITY, trusted_for),
            this_month: Kept::new(1, trusted_for),
        }
    }
}

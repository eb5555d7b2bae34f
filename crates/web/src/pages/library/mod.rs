//! "My songs": the signed-in member's own requests, newest first.

use askama::Template;
use askama_web::WebTemplate;
use chorus_core::generations::library::{SongRow, StatusFilter};

use super::Layout;

#[derive(Template, WebTemplate)]
#[template(path = "library/my_songs.html")]
pub struct MySongsPage {
    pub layout: Layout,
    pub songs: Vec<SongItem>,
    pub filter: StatusFilter,
    /// The next (older) page, when there is one.
    pub older_href: Option<String>,
    /// Without JavaScript the page refreshes itself while this holds.
    pub any_in_flight: bool,
}

/// One row, every text ready in the page's language.
pub struct SongItem {
    pub id: String,
    pub status: String,
    pub status_label: String,
    pub title: String,
    pub mode: String,
    pub created: String,
}

/// One link of the status filter.
pub struct FilterLink {
    pub label: String,
    pub href: &'static str,
    pub current: bool,
}

impl SongItem {
    pub fn new(layout: &Layout, row: SongRow) -> SongItem {
        // A custom song has a title; a described one has only its topic.
        let title = [&row.title, &row.topic, &row.tags]
            .into_iter()
            .flatten()
            .map(|text| text.trim())
            .find(|text| !text.is_empty())
            .map_or_else(|| layout.t("library.untitled"), str::to_owned);
        let mode = match row.mode.as_str() {
            "custom" => layout.t("library.mode.custom"),
            _ => layout.t("library.mode.describe"),
        };
        SongItem {
            id: row.id.to_string(),
            status_label: status_label(layout, &row.status),
            status: row.status,
            title,
            mode,
            created: layout.datetime(&row.created_at),
        }
    }
}

impl MySongsPage {
    pub fn filter_links(&self) -> Vec<FilterLink> {
        [
            (StatusFilter::All, "library.filter.all", "/songs"),
            (
                StatusFilter::InFlight,
                "library.filter.in_flight",
                "/songs?status=in_flight",
            ),
            (
                StatusFilter::Completed,
                "library.filter.completed",
                "/songs?status=completed",
            ),
            (
                StatusFilter::Failed,
                "library.filter.failed",
                "/songs?status=failed",
            ),
        ]
        .into_iter()
        .map(|(filter, key, href)| FilterLink {
            label: self.layout.t(key),
            href,
            current: filter == self.filter,
        })
        .collect()
    }

    /// `(status, label)` for every status, rendered as `data-label-<status>`
    /// so live.js can relabel a badge without a catalog of its own.
    pub fn status_labels(&self) -> Vec<(&'static str, String)> {
        STATUSES
            .into_iter()
            .map(|status| (status, status_label(&self.layout, status)))
            .collect()
    }
}

const STATUSES: [&str; 8] = [
    "pending",
    "submitting",
    "submitted",
    "queued",
    "processing",
    "streaming",
    "completed",
    "failed",
];

/// What a member reads for a status; the states before the upstream starts
/// work all read as "waiting".
fn status_label(layout: &Layout, status: &str) -> String {
    layout.t(match status {
        "pending" | "submitting" | "submitted" | "queued" => "library.status.waiting",
        "processing" => "library.status.processing",
        "streaming" => "library.status.streaming",
        "completed" => "library.status.completed",
        _ => "library.status.failed",
    })
}

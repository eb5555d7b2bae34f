//! The create page and a song's page. Errors arrive already in the
//! reader's language; the templates only place them.

use askama::Template;
use chorus_core::generations::input::MAX_LYRICS_CHARS;
use chorus_core::generations::{ClipView, GenerationView};

use crate::pages::Layout;

/// A few styles to start from; clicking one adds it to the style field.
/// Style tags go to the upstream verbatim, so they stay English.
pub const TAG_SUGGESTIONS: [&str; 6] = [
    "pop",
    "acoustic",
    "lo-fi",
    "female vocal",
    "male vocal",
    "upbeat",
];

/// What was typed, kept across a refused submission.
#[derive(Default)]
pub struct CreateFields {
    /// Names this request: the same form sent twice makes one song.
    pub request_key: String,
    pub topic: String,
    pub instrumental: bool,
    pub tags: String,
    pub title: String,
    pub lyrics: String,
}

/// An error per field, already in the reader's language.
#[derive(Default)]
pub struct CreateErrors {
    pub topic: Option<String>,
    pub tags: Option<String>,
    pub title: Option<String>,
    pub lyrics: Option<String>,
    /// Not tied to one field (the mode, the budget): shown at the top.
    pub form: Option<String>,
}

#[derive(Template)]
#[template(path = "songs/create.html")]
pub struct CreatePage {
    pub layout: Layout,
    pub csrf: String,
    /// `describe` or `custom`: which fieldset is shown.
    pub mode: &'static str,
    pub fields: CreateFields,
    pub errors: CreateErrors,
    /// "Each song costs …", ready to show.
    pub price_line: String,
    /// What is left of this month's budget, ready to show.
    pub budget_line: String,
}

impl CreatePage {
    pub fn suggestions(&self) -> &'static [&'static str] {
        &TAG_SUGGESTIONS
    }

    pub fn max_lyrics(&self) -> usize {
        MAX_LYRICS_CHARS
    }

    /// Rendered by the server so the count is right without JS too.
    pub fn char_count(&self) -> String {
        self.layout.t_args(
            "create.char_count",
            &[
                ("count", &self.fields.lyrics.chars().count().to_string()),
                ("max", &MAX_LYRICS_CHARS.to_string()),
            ],
        )
    }
}

#[derive(Template)]
#[template(path = "songs/show.html")]
pub struct SongPage {
    pub layout: Layout,
    pub csrf: String,
    pub song: GenerationView,
    pub can_publish: bool,
    pub can_unpublish: bool,
    pub can_retry: bool,
    /// An admin looking at a completed song: it can be refunded by hand.
    pub can_refund: bool,
    /// "Creates a new song … for USD 0.035", ready to show.
    pub retry_hint: String,
    /// Why the last action was refused (over budget), ready to show.
    pub error: Option<String>,
}

impl SongPage {
    pub fn title(&self) -> String {
        self.song
            .title
            .clone()
            .or_else(|| self.song.clips.iter().find_map(|c| c.title.clone()))
            .unwrap_or_else(|| self.layout.t("song.untitled"))
    }

    /// Not finished yet: the page follows it live (or refreshes itself).
    pub fn in_flight(&self) -> bool {
        !matches!(self.song.status.as_str(), "completed" | "failed")
    }

    pub fn status_label(&self) -> String {
        self.layout.t(status_key(&self.song.status))
    }

    pub fn mode_label(&self) -> String {
        let key = match self.song.mode.as_str() {
            "custom" => "song.mode.custom",
            _ => "song.mode.describe",
        };
        self.layout.t(key)
    }

    pub fn created(&self) -> String {
        self.layout.datetime(&self.song.created_at)
    }

    pub fn failure(&self) -> Option<String> {
        let reason = self.song.error.as_deref()?;
        (self.song.status == "failed")
            .then(|| self.layout.t_args("song.failure", &[("reason", reason)]))
    }

    pub fn clip_heading(&self, clip: &ClipView) -> String {
        let number = (i32::from(clip.batch_index) + 1).to_string();
        self.layout.t_args("song.clip", &[("number", &number)])
    }

    pub fn cover_alt(&self, clip: &ClipView) -> String {
        let title = clip.title.clone().unwrap_or_else(|| self.title());
        self.layout.t_args("song.cover_alt", &[("title", &title)])
    }

    pub fn duration(&self, clip: &ClipView) -> Option<String> {
        let seconds = clip.duration_s.filter(|s| s.is_finite() && *s >= 0.0)?;
        // Whole seconds are what a listener reads; the cast cannot overflow
        // for any song length.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let total = seconds.round() as u64;
        let duration = format!("{}:{:02}", total / 60, total % 60);
        Some(
            self.layout
                .t_args("song.duration", &[("duration", &duration)]),
        )
    }

    /// Only Chorus's own copy is offered for download: the upstream's
    /// addresses expire and would not name the file.
    pub fn download_url(&self, clip: &ClipView) -> Option<String> {
        clip.audio_path
            .as_ref()
            .map(|_| format!("/media/clips/{}/audio?download=1", clip.id))
    }
}

/// Every status's catalog key, spelled out so the catalog test sees them.
pub fn status_key(status: &str) -> &'static str {
    match status {
        "pending" => "song.status.pending",
        "submitting" => "song.status.submitting",
        "submitted" => "song.status.submitted",
        "queued" => "song.status.queued",
        "processing" => "song.status.processing",
        "streaming" => "song.status.streaming",
        "completed" => "song.status.completed",
        _ => "song.status.failed",
    }
}

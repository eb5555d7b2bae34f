use askama::Template;

use super::Layout;

/// The friendly page behind every error status; never shows internals.
/// Title and message are catalog keys, so the page follows the language.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub layout: Layout,
    pub status: u16,
    pub title_key: &'static str,
    pub message_key: &'static str,
    /// Lets an admin find the logged cause of a 500.
    pub request_id: Option<String>,
}

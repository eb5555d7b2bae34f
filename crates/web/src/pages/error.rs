use askama::Template;

/// The friendly page behind every error status; never shows internals.
#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub status: u16,
    pub title: &'static str,
    pub message: &'static str,
    /// Lets an admin find the logged cause of a 500.
    pub request_id: Option<String>,
}

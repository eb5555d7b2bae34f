//! The one place that turns errors into responses: a friendly page with the
//! right status, and for server faults a request id in place of the cause,
//! which goes to the log.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use crate::pages::ErrorPage;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("not found")]
    NotFound,
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        match self {
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::Database(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let request_id = status.is_server_error().then(|| {
            let id = uuid::Uuid::new_v4().to_string();
            tracing::error!(request_id = %id, error = %self, "request failed");
            id
        });
        let (title, message) = match self {
            WebError::NotFound => ("Not found", "There is nothing at this address."),
            WebError::Database(_) => (
                "Something went wrong",
                "Chorus could not finish this request. Please try again in a moment.",
            ),
        };
        render(status, title, message, request_id)
    }
}

fn render(
    status: StatusCode,
    title: &'static str,
    message: &'static str,
    request_id: Option<String>,
) -> HttpResponse {
    let page = ErrorPage {
        status: status.as_u16(),
        title,
        message,
        request_id,
    };
    match page.render() {
        Ok(html) => HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(html),
        Err(e) => {
            tracing::error!(error = %e, "error page failed to render");
            HttpResponse::build(status).body(title)
        }
    }
}

/// Answers every address no route claims.
pub async fn not_found() -> Result<HttpResponse, WebError> {
    Err(WebError::NotFound)
}

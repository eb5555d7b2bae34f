//! The one place that turns errors into responses: a friendly page with the
//! right status, and for server faults a request id in place of the cause,
//! which goes to the log.
//!
//! `ResponseError` has no request, so [`WebError::error_response`] renders
//! the page in English and [`localize_errors`], which has one, renders it
//! again in the reader's language with the full page frame.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::StatusCode;
use actix_web::middleware::Next;
use actix_web::{HttpResponse, ResponseError};
use askama::Template;

use crate::i18n::Lang;
use crate::pages::{ErrorPage, Layout};

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("not found")]
    NotFound,
    /// `?month=` that is not `YYYY-MM`.
    #[error("not a month")]
    InvalidMonth,
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// A form without a matching CSRF token, or from another site.
    #[error("CSRF check failed")]
    CsrfRejected,
    #[error("redis error: {0}")]
    Redis(#[from] redis::RedisError),
    #[error("accounts: {0}")]
    Accounts(#[from] chorus_core::accounts::AccountError),
    #[error("template error: {0}")]
    Template(#[from] askama::Error),
    #[error("{0}")]
    Internal(String),
}

/// Carried from `error_response` to `localize_errors` in the response's
/// extensions, so the logged id and the shown id stay the same.
#[derive(Clone)]
struct RequestId(String);

impl WebError {
    /// The catalog keys of the page's title and message.
    fn keys(&self) -> (&'static str, &'static str) {
        match self {
            WebError::NotFound => ("error.not_found.title", "error.not_found.message"),
            WebError::InvalidMonth => ("billing.bad_month.title", "billing.bad_month.message"),
            WebError::CsrfRejected => ("accounts.csrf.title", "accounts.csrf.message"),
            WebError::Database(_)
            | WebError::Redis(_)
            | WebError::Accounts(_)
            | WebError::Template(_)
            | WebError::Internal(_) => ("error.internal.title", "error.internal.message"),
        }
    }
}

impl ResponseError for WebError {
    fn status_code(&self) -> StatusCode {
        match self {
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::InvalidMonth => StatusCode::BAD_REQUEST,
            WebError::CsrfRejected => StatusCode::FORBIDDEN,
            WebError::Database(_)
            | WebError::Redis(_)
            | WebError::Accounts(_)
            | WebError::Template(_)
            | WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let status = self.status_code();
        let request_id = status.is_server_error().then(|| {
            let id = uuid::Uuid::new_v4().to_string();
            tracing::error!(request_id = %id, error = %self, "request failed");
            id
        });
        let layout = Layout {
            simulated_upstream: false,
            lang: Lang::En,
            path: "/".to_owned(),
            admin: false,
            signed_in: false,
            budget_banner: None,
        };
        let html = render(self, layout, request_id.clone());
        let mut response = HttpResponse::build(status)
            .content_type("text/html; charset=utf-8")
            .body(html);
        if let Some(id) = request_id {
            response.extensions_mut().insert(RequestId(id));
        }
        response
    }
}

fn render(error: &WebError, layout: Layout, request_id: Option<String>) -> String {
    let (title_key, message_key) = error.keys();
    let page = ErrorPage {
        status: error.status_code().as_u16(),
        title_key,
        message_key,
        request_id,
        layout,
    };
    page.render().unwrap_or_else(|e| {
        tracing::error!(error = %e, "error page failed to render");
        page.layout.t(title_key)
    })
}

/// Middleware: re-renders a [`WebError`]'s page for the request it answers,
/// in the reader's language, with the simulator banner and the switcher.
pub async fn localize_errors(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let layout = Layout::for_request(req.request());
    let res = next.call(req).await?;
    let response = res.response();
    let html = response
        .error()
        .and_then(|e| e.as_error::<WebError>())
        .map(|error| {
            let request_id = response.extensions().get::<RequestId>().cloned();
            render(error, layout, request_id.map(|id| id.0))
        });
    Ok(match html {
        // Keeps the status, headers and attached error (for the logger).
        Some(html) => res.map_body(|_, _| BoxBody::new(html)),
        None => res.map_into_boxed_body(),
    })
}

/// Answers every address no route claims.
pub async fn not_found() -> Result<HttpResponse, WebError> {
    Err(WebError::NotFound)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use actix_web::middleware::from_fn;
    use actix_web::{App, test, web};

    use super::*;

    async fn failing() -> Result<HttpResponse, WebError> {
        Err(WebError::Database(sqlx::Error::RowNotFound))
    }

    #[actix_web::test]
    async fn a_server_fault_is_shown_in_the_readers_language_with_its_request_id() {
        let app = App::new()
            .wrap(from_fn(localize_errors))
            .route("/", web::get().to(failing));
        let app = test::init_service(app).await;
        let req = test::TestRequest::get()
            .uri("/")
            .insert_header(("Accept-Language", "zh-CN"))
            .to_request();
        let res = test::call_service(&app, req).await;
        assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let id = res.response().extensions().get::<RequestId>().cloned();
        let html = String::from_utf8(test::read_body(res).await.to_vec()).unwrap();
        assert!(html.contains("<html lang=\"zh-CN\">"), "{html}");
        assert!(html.contains("出错了"), "{html}");
        // The id in the page is the one in the log, not a second one.
        assert!(html.contains(&id.unwrap().0), "{html}");
        assert!(!html.contains("RowNotFound"), "{html}");
    }
}

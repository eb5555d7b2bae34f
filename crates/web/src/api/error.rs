//! The JSON API's one error type and its mapping to problem bodies:
//! `{"error": "<code>", "message": "…"}`, plus `field` when one field is to
//! blame and `request_id` for server faults, whose cause goes to the log and
//! never to the client.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use chorus_core::accounts::AccountError;
use serde::Serialize;

type Cause = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request could not be read: not JSON, the wrong content type, a
    /// bad path or query.
    #[error("{message}")]
    BadRequest {
        field: Option<String>,
        message: String,
    },
    /// The request was read, but a field's value is not acceptable.
    #[error("{message}")]
    InvalidInput {
        field: Option<String>,
        message: String,
    },
    #[error("the request body is larger than the {limit} bytes allowed")]
    PayloadTooLarge { limit: usize },
    #[error("this API needs a personal access token: send `Authorization: Bearer <token>`")]
    MissingToken,
    #[error("the token is not valid: it may be mistyped or revoked, or its user disabled")]
    InvalidToken,
    #[error("{0}")]
    OverBudget(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("there is nothing at this address")]
    NotFound,
    #[error("internal error: {0}")]
    Internal(Cause),
}

impl ApiError {
    /// A field's value is not acceptable (422).
    pub fn invalid(field: impl Into<String>, message: impl Into<String>) -> ApiError {
        ApiError::InvalidInput {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    pub fn internal(cause: impl Into<Cause>) -> ApiError {
        ApiError::Internal(cause.into())
    }

    fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest { .. } | ApiError::InvalidInput { .. } => "invalid_input",
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::MissingToken | ApiError::InvalidToken => "unauthorized",
            ApiError::OverBudget(_) => "over_budget",
            ApiError::Forbidden(_) => "forbidden",
            ApiError::NotFound => "not_found",
            ApiError::Internal(_) => "internal",
        }
    }
}

#[derive(Serialize)]
struct Problem<'a> {
    error: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'a str>,
    message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    request_id: Option<String>,
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            ApiError::InvalidInput { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::MissingToken | ApiError::InvalidToken => StatusCode::UNAUTHORIZED,
            ApiError::OverBudget(_) => StatusCode::PAYMENT_REQUIRED,
            ApiError::Forbidden(_) => StatusCode::FORBIDDEN,
            ApiError::NotFound => StatusCode::NOT_FOUND,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        let mut problem = Problem {
            error: self.code(),
            field: None,
            message: self.to_string(),
            request_id: None,
        };
        match self {
            ApiError::BadRequest { field, .. } | ApiError::InvalidInput { field, .. } => {
                problem.field = field.as_deref();
            }
            ApiError::Internal(cause) => {
                let id = uuid::Uuid::new_v4().to_string();
                tracing::error!(request_id = %id, error = %chain(cause.as_ref()), "API request failed");
                problem.message =
                    "Chorus could not finish this request. Please try again in a moment.".into();
                problem.request_id = Some(id);
            }
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        // RFC 6750: say which scheme is expected, and whether the token
        // given was the problem.
        match self {
            ApiError::MissingToken => {
                response.insert_header((
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"chorus\""),
                ));
            }
            ApiError::InvalidToken => {
                response.insert_header((
                    header::WWW_AUTHENTICATE,
                    HeaderValue::from_static("Bearer realm=\"chorus\", error=\"invalid_token\""),
                ));
            }
            _ => {}
        }
        response.json(problem)
    }
}

/// The error and its causes on one line, for the log.
fn chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

impl From<sqlx::Error> for ApiError {
    fn from(e: sqlx::Error) -> ApiError {
        ApiError::internal(e)
    }
}

impl From<AccountError> for ApiError {
    fn from(e: AccountError) -> ApiError {
        let field = match &e {
            AccountError::InvalidEmail(_) | AccountError::EmailTaken(_) => "email",
            AccountError::PasswordTooShort => "password",
            AccountError::InvalidTokenName => "name",
            AccountError::UnknownUser => return ApiError::NotFound,
            AccountError::Database(_) | AccountError::Hashing(_) | AccountError::Random(_) => {
                return ApiError::internal(e);
            }
        };
        ApiError::invalid(field, e.to_string())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    async fn problem(error: ApiError) -> (StatusCode, serde_json::Value) {
        let response = error.error_response();
        let status = response.status();
        let body = actix_web::body::to_bytes(response.into_body())
            .await
            .unwrap();
        (status, serde_json::from_slice(&body).unwrap())
    }

    #[tokio::test]
    async fn an_invalid_field_is_named() {
        let (status, body) = problem(ApiError::invalid("topic", "too long")).await;
        assert_eq!(status, 422);
        assert_eq!(
            body,
            serde_json::json!({"error": "invalid_input", "field": "topic", "message": "too long"})
        );
    }

    #[tokio::test]
    async fn a_server_fault_shows_a_request_id_and_not_its_cause() {
        let (status, body) = problem(ApiError::internal("connection to 10.0.0.5 refused")).await;
        assert_eq!(status, 500);
        assert_eq!(body["error"], "internal");
        assert!(
            body["request_id"].as_str().is_some_and(|id| !id.is_empty()),
            "{body}"
        );
        assert!(!body.to_string().contains("10.0.0.5"), "{body}");
    }

    #[tokio::test]
    async fn account_mistakes_name_their_field_and_faults_stay_hidden() {
        let (status, body) = problem(AccountError::PasswordTooShort.into()).await;
        assert_eq!(
            (status.as_u16(), &body["field"]),
            (422, &serde_json::json!("password"))
        );
        let (status, body) = problem(AccountError::Hashing("rng".into()).into()).await;
        assert_eq!(status, 500);
        assert!(!body.to_string().contains("rng"), "{body}");
    }
}

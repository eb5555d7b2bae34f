//! What actix's extractors reject (bodies, queries, paths), as API errors,
//! so that every answer under `/api` is a JSON problem.

use actix_web::error::{JsonPayloadError, PathError, QueryPayloadError};

use crate::api::error::ApiError;

/// A body that is not JSON, or not the JSON expected. serde names the field
/// only when it is missing or unknown; other mismatches say where they are.
impl From<JsonPayloadError> for ApiError {
    fn from(e: JsonPayloadError) -> ApiError {
        match e {
            JsonPayloadError::ContentType => ApiError::BadRequest {
                field: None,
                message: "expected a JSON body with `Content-Type: application/json`".into(),
            },
            JsonPayloadError::Overflow { limit }
            | JsonPayloadError::OverflowKnownLength { limit, .. } => {
                ApiError::PayloadTooLarge { limit }
            }
            JsonPayloadError::Deserialize(e) if e.is_data() => ApiError::InvalidInput {
                field: field_named_in(&e.to_string()),
                message: e.to_string(),
            },
            JsonPayloadError::Deserialize(e) => ApiError::BadRequest {
                field: None,
                message: format!("the body is not valid JSON: {e}"),
            },
            other => ApiError::BadRequest {
                field: None,
                message: format!("the body could not be read: {other}"),
            },
        }
    }
}

impl From<QueryPayloadError> for ApiError {
    fn from(e: QueryPayloadError) -> ApiError {
        let message = match &e {
            QueryPayloadError::Deserialize(inner) => inner.to_string(),
            other => other.to_string(),
        };
        ApiError::BadRequest {
            field: field_named_in(&message),
            message: format!("bad query string: {message}"),
        }
    }
}

impl From<PathError> for ApiError {
    fn from(_: PathError) -> ApiError {
        // A path segment that does not parse (say, an id that is not a
        // UUID) names nothing that exists.
        ApiError::NotFound
    }
}

/// The field in serde's "missing field `topic`" and "unknown field `x`".
fn field_named_in(message: &str) -> Option<String> {
    let (_, rest) = message.split_once('`')?;
    let (field, _) = rest.split_once('`')?;
    (message.contains("missing field") || message.contains("unknown field"))
        .then(|| field.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serde_messages_name_missing_and_unknown_fields() {
        assert_eq!(
            field_named_in("missing field `topic` at line 1 column 2").as_deref(),
            Some("topic")
        );
        assert_eq!(
            field_named_in("unknown field `topik`, expected one of `topic`").as_deref(),
            Some("topik")
        );
        assert_eq!(
            field_named_in("invalid type: string \"x\", expected a boolean"),
            None
        );
    }
}

//! What a member may ask for. Every refusal names the field, so a form can
//! show the error next to it and an API client can fix its request.

use serde::Serialize;
use serde_json::Value;

use crate::upstream::SongRequest;

pub const MAX_TOPIC_CHARS: usize = 1_000;
pub const MAX_TAGS_CHARS: usize = 300;
pub const MAX_TITLE_CHARS: usize = 120;
pub const MAX_LYRICS_CHARS: usize = 5_000;

/// A validated request in one of the modes the upstream offers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SongInput {
    Describe {
        topic: String,
        instrumental: bool,
    },
    Custom {
        tags: String,
        /// Empty means instrumental.
        lyrics: String,
        title: Option<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{field}: {message}")]
pub struct InvalidInput {
    pub field: &'static str,
    pub message: String,
}

fn invalid(field: &'static str, message: impl Into<String>) -> InvalidInput {
    InvalidInput {
        field,
        message: message.into(),
    }
}

/// The fields of a request as submitted, before validation.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SongForm {
    pub mode: Option<String>,
    pub topic: Option<String>,
    pub instrumental: Option<bool>,
    pub tags: Option<String>,
    pub lyrics: Option<String>,
    pub title: Option<String>,
}

impl SongForm {
    /// Reads a JSON object, refusing a field of the wrong type by name.
    pub fn from_json(body: &Value) -> Result<SongForm, InvalidInput> {
        let object = body
            .as_object()
            .ok_or_else(|| invalid("body", "expected a JSON object"))?;
        let text = |field: &'static str| -> Result<Option<String>, InvalidInput> {
            match object.get(field) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(_) => Err(invalid(field, "expected a string")),
            }
        };
        let instrumental = match object.get("instrumental") {
            None | Some(Value::Null) => None,
            Some(Value::Bool(b)) => Some(*b),
            Some(_) => return Err(invalid("instrumental", "expected true or false")),
        };
        Ok(SongForm {
            mode: text("mode")?,
            topic: text("topic")?,
            instrumental,
            tags: text("tags")?,
            lyrics: text("lyrics")?,
            title: text("title")?,
        })
    }

    pub fn validate(&self) -> Result<SongInput, InvalidInput> {
        match self.mode.as_deref().map(str::trim) {
            Some("describe") => Ok(SongInput::Describe {
                topic: required("topic", &self.topic, MAX_TOPIC_CHARS)?,
                instrumental: self.instrumental.unwrap_or(false),
            }),
            Some("custom") => Ok(SongInput::Custom {
                tags: required("tags", &self.tags, MAX_TAGS_CHARS)?,
                lyrics: optional("lyrics", &self.lyrics, MAX_LYRICS_CHARS)?.unwrap_or_default(),
                title: optional("title", &self.title, MAX_TITLE_CHARS)?,
            }),
            Some("continue") => Err(invalid(
                "mode",
                "continuing a song is not offered by the upstream yet",
            )),
            Some(other) if !other.is_empty() => Err(invalid(
                "mode",
                format!("expected describe or custom, got {other:?}"),
            )),
            _ => Err(invalid("mode", "choose describe or custom")),
        }
    }
}

fn required(
    field: &'static str,
    value: &Option<String>,
    max: usize,
) -> Result<String, InvalidInput> {
    optional(field, value, max)?.ok_or_else(|| invalid(field, "must not be empty"))
}

/// Trimmed; blank counts as absent. Postgres refuses NUL in text, so it is
/// refused here, by name, rather than failing the insert.
fn optional(
    field: &'static str,
    value: &Option<String>,
    max: usize,
) -> Result<Option<String>, InvalidInput> {
    let Some(text) = value.as_deref().map(str::trim).filter(|t| !t.is_empty()) else {
        return Ok(None);
    };
    if text.contains('\0') {
        return Err(invalid(field, "must not contain NUL characters"));
    }
    let chars = text.chars().count();
    if chars > max {
        return Err(invalid(
            field,
            format!("is {chars} characters long; at most {max} are allowed"),
        ));
    }
    Ok(Some(text.to_owned()))
}

impl SongInput {
    pub fn mode(&self) -> &'static str {
        match self {
            SongInput::Describe { .. } => "describe",
            SongInput::Custom { .. } => "custom",
        }
    }

    /// The body the upstream is sent.
    pub fn to_upstream(&self) -> SongRequest {
        match self.clone() {
            SongInput::Describe {
                topic,
                instrumental,
            } => SongRequest::Describe {
                topic,
                instrumental,
            },
            SongInput::Custom {
                tags,
                lyrics,
                title,
            } => SongRequest::Custom {
                tags,
                lyrics,
                title,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use serde_json::json;

    use super::*;

    fn check(body: Value) -> Result<SongInput, InvalidInput> {
        SongForm::from_json(&body)?.validate()
    }

    #[test]
    fn accepts_both_modes() {
        assert_eq!(
            check(json!({"mode": "describe", "topic": " spring ", "instrumental": true})),
            Ok(SongInput::Describe {
                topic: "spring".into(),
                instrumental: true
            })
        );
        assert_eq!(
            check(json!({"mode": "custom", "tags": "pop", "lyrics": ""})),
            Ok(SongInput::Custom {
                tags: "pop".into(),
                lyrics: String::new(),
                title: None
            })
        );
    }

    #[test]
    fn refusals_name_the_field() {
        let cases = [
            (json!({"topic": "x"}), "mode"),
            (json!({"mode": "sing"}), "mode"),
            (json!({"mode": "continue"}), "mode"),
            (json!({"mode": "describe"}), "topic"),
            (json!({"mode": "describe", "topic": "   "}), "topic"),
            (json!({"mode": "describe", "topic": 5}), "topic"),
            (
                json!({"mode": "describe", "topic": "x", "instrumental": "yes"}),
                "instrumental",
            ),
            (
                json!({"mode": "describe", "topic": "a".repeat(1001)}),
                "topic",
            ),
            (json!({"mode": "custom", "lyrics": "la"}), "tags"),
            (json!({"mode": "custom", "tags": ["pop"]}), "tags"),
            (
                json!({"mode": "custom", "tags": "pop", "title": "t".repeat(121)}),
                "title",
            ),
            (
                json!({"mode": "custom", "tags": "pop", "lyrics": "a\u{0}b"}),
                "lyrics",
            ),
            (json!(["not", "an", "object"]), "body"),
        ];
        for (body, field) in cases {
            let err = check(body.clone()).unwrap_err();
            assert_eq!(err.field, field, "{body}: {err}");
        }
    }

    #[test]
    fn continue_says_it_is_not_offered_yet() {
        let err = check(json!({"mode": "continue"})).unwrap_err();
        assert!(err.message.contains("not offered by the upstream yet"));
    }
}

//! What we send the upstream, and the id it gives us back.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// One song request in one of the vendor's generation modes. (The vendor's
/// third mode, continue/extend, has no documented body yet.)
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SongRequest {
    /// The upstream writes the song from a description.
    Describe { topic: String, instrumental: bool },
    /// The caller supplies style tags (one comma-separated string) and
    /// lyrics; empty lyrics mean an instrumental.
    Custom {
        tags: String,
        lyrics: String,
        title: Option<String>,
    },
}

impl SongRequest {
    /// The JSON body of `POST /music/task` for this request.
    pub fn to_body(&self) -> Value {
        match self {
            SongRequest::Describe {
                topic,
                instrumental,
            } => json!({ "topic": topic, "is_instrumental": instrumental }),
            SongRequest::Custom {
                tags,
                lyrics,
                title,
            } => {
                let mut body = Map::new();
                body.insert("tags".into(), json!(tags));
                body.insert("lyrics".into(), json!(lyrics));
                if let Some(title) = title {
                    body.insert("title".into(), json!(title));
                }
                Value::Object(body)
            }
        }
    }
}

/// The upstream's id of a task, the one handle on it after submission.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct TaskId(String);

impl TaskId {
    pub fn new(id: impl Into<String>) -> Self {
        TaskId(id.into())
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

impl fmt::Display for TaskId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for TaskId {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn describe_body_matches_the_vendor_example() {
        let request = SongRequest::Describe {
            topic: "a song about spring".into(),
            instrumental: true,
        };
        assert_eq!(
            request.to_body(),
            json!({ "topic": "a song about spring", "is_instrumental": true })
        );
    }

    #[test]
    fn custom_body_sends_title_only_when_given() {
        let mut request = SongRequest::Custom {
            tags: "female vocal, pop, dream pop".into(),
            lyrics: "[Verse 1]\nIn waves".into(),
            title: None,
        };
        assert_eq!(
            request.to_body(),
            json!({ "tags": "female vocal, pop, dream pop", "lyrics": "[Verse 1]\nIn waves" })
        );
        if let SongRequest::Custom { title, .. } = &mut request {
            *title = Some("Waves".into());
        }
        assert_eq!(request.to_body()["title"], json!("Waves"));
    }

    #[test]
    fn task_id_is_a_plain_string_on_the_wire() {
        let id = TaskId::new("4f3acce5");
        assert_eq!(serde_json::to_value(&id).ok(), Some(json!("4f3acce5")));
        assert_eq!(id.to_string(), "4f3acce5");
    }
}

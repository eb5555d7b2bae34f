//! The body of `POST /music/task`: which generation mode it selects, and how
//! the vendor echoes it back as `gen_params`.
//!
//! Parsing is strict on purpose: a client that misnames a field should learn
//! it from the simulator, not from a bill.

use serde_json::{Map, Value, json};

/// A validated submission.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GenRequest {
    /// The service writes the song from a description.
    Describe {
        topic: String,
        is_instrumental: bool,
        title: Option<String>,
    },
    /// The caller supplies style tags and lyrics (empty lyrics: instrumental).
    Custom {
        tags: String,
        lyrics: String,
        title: Option<String>,
    },
}

/// Why a body was refused; the text goes to the client.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct BadRequest(pub String);

fn bad(msg: impl Into<String>) -> BadRequest {
    BadRequest(msg.into())
}

/// How many characters of the lyrics the vendor echoes before "...".
const ABRIDGE_CHARS: usize = 20;

impl GenRequest {
    /// Validates a JSON body.
    pub fn parse(body: &[u8]) -> Result<Self, BadRequest> {
        let value: Value =
            serde_json::from_slice(body).map_err(|e| bad(format!("invalid JSON body: {e}")))?;
        let Value::Object(obj) = value else {
            return Err(bad("body must be a JSON object"));
        };
        let title = optional_string(&obj, "title")?;
        match (obj.contains_key("topic"), obj.contains_key("tags")) {
            (true, true) => Err(bad(
                "give either topic (describe) or tags (custom), not both",
            )),
            (true, false) => {
                let topic = required_string(&obj, "topic")?;
                if topic.trim().is_empty() {
                    return Err(bad("topic must not be empty"));
                }
                let is_instrumental = match obj.get("is_instrumental") {
                    Some(Value::Bool(b)) => *b,
                    Some(_) => return Err(bad("is_instrumental must be a boolean")),
                    None => return Err(bad("is_instrumental is required with topic")),
                };
                Ok(Self::Describe {
                    topic,
                    is_instrumental,
                    title,
                })
            }
            (false, true) => {
                let tags = required_string(&obj, "tags")?;
                if tags.trim().is_empty() {
                    return Err(bad("tags must not be empty"));
                }
                if !obj.contains_key("lyrics") {
                    return Err(bad("lyrics is required with tags (empty for instrumental)"));
                }
                let lyrics = required_string(&obj, "lyrics")?;
                Ok(Self::Custom {
                    tags,
                    lyrics,
                    title,
                })
            }
            (false, false) => Err(bad(
                "unknown mode: expected {topic, is_instrumental} or {tags, lyrics}",
            )),
        }
    }

    /// The submitted body as the vendor echoes it, lyrics abridged.
    pub fn gen_params(&self) -> Value {
        let mut params = match self {
            Self::Describe {
                topic,
                is_instrumental,
                ..
            } => json!({ "topic": topic, "is_instrumental": is_instrumental }),
            Self::Custom { tags, lyrics, .. } => json!({ "tags": tags, "lyrics": abridge(lyrics) }),
        };
        if let (Some(title), Value::Object(map)) = (self.title(), &mut params) {
            map.insert("title".into(), Value::String(title.to_owned()));
        }
        params
    }

    pub fn title(&self) -> Option<&str> {
        match self {
            Self::Describe { title, .. } | Self::Custom { title, .. } => title.as_deref(),
        }
    }

    pub fn is_instrumental(&self) -> bool {
        match self {
            Self::Describe {
                is_instrumental, ..
            } => *is_instrumental,
            Self::Custom { lyrics, .. } => lyrics.trim().is_empty(),
        }
    }

    /// A song title for finished clips: the given one, else one made from
    /// the topic or the first style tag.
    pub fn song_title(&self) -> String {
        if let Some(title) = self.title().filter(|t| !t.trim().is_empty()) {
            return title.trim().to_owned();
        }
        let source = match self {
            Self::Describe { topic, .. } => topic.as_str(),
            Self::Custom { tags, .. } => tags.split(',').next().unwrap_or(tags),
        };
        let words: Vec<String> = source.split_whitespace().take(5).map(capitalise).collect();
        match self {
            Self::Describe { .. } => words.join(" "),
            Self::Custom { .. } => format!("{} Song", words.join(" ")),
        }
    }
}

fn required_string(obj: &Map<String, Value>, key: &str) -> Result<String, BadRequest> {
    match obj.get(key) {
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(bad(format!("{key} must be a string"))),
        None => Err(bad(format!("{key} is required"))),
    }
}

fn optional_string(obj: &Map<String, Value>, key: &str) -> Result<Option<String>, BadRequest> {
    match obj.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(_) => Err(bad(format!("{key} must be a string"))),
    }
}

/// First 20 characters and "...", as the vendor abridges long lyrics.
pub fn abridge(text: &str) -> String {
    match text.char_indices().nth(ABRIDGE_CHARS) {
        Some((cut, _)) => format!("{}...", &text[..cut]),
        None => text.to_owned(),
    }
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(body: &str) -> Result<GenRequest, BadRequest> {
        GenRequest::parse(body.as_bytes())
    }

    #[test]
    fn both_documented_modes_parse() {
        let d = parse(r#"{"topic":"a song about spring","is_instrumental":true}"#);
        assert!(matches!(
            d,
            Ok(GenRequest::Describe {
                is_instrumental: true,
                ..
            })
        ));
        let c = parse(r#"{"tags":"pop, dream pop","lyrics":"","title":"Hi"}"#).expect("custom");
        assert!(c.is_instrumental());
        assert_eq!(c.song_title(), "Hi");
    }

    #[test]
    fn malformed_bodies_are_refused() {
        for body in [
            "not json",
            "[]",
            "{}",
            r#"{"topic":"","is_instrumental":true}"#,
            r#"{"topic":"x","is_instrumental":"yes"}"#,
            r#"{"topic":"x"}"#,
            r#"{"tags":["pop"],"lyrics":""}"#,
            r#"{"tags":"  ","lyrics":""}"#,
            r#"{"tags":"pop"}"#,
            r#"{"tags":"pop","lyrics":3}"#,
            r#"{"tags":"pop","lyrics":"","title":7}"#,
            r#"{"topic":"x","is_instrumental":true,"tags":"pop","lyrics":""}"#,
        ] {
            assert!(parse(body).is_err(), "{body} should be refused");
        }
    }

    #[test]
    fn long_lyrics_are_abridged_by_characters() {
        assert_eq!(abridge("short"), "short");
        assert_eq!(
            abridge("[Verse 1]\nIn waves of starlit"),
            "[Verse 1]\nIn waves o..."
        );
        assert_eq!(abridge(&"é".repeat(30)), format!("{}...", "é".repeat(20)));
        let c = parse(r#"{"tags":"pop","lyrics":"[Verse 1]\nIn waves of starlit magic"}"#)
            .expect("custom");
        assert_eq!(c.gen_params()["lyrics"], "[Verse 1]\nIn waves o...");
        assert!(
            matches!(c, GenRequest::Custom { lyrics, .. } if lyrics.ends_with("starlit magic"))
        );
    }

    #[test]
    fn titles_come_from_topic_or_first_tag() {
        let d = parse(r#"{"topic":"a song about spring rain and more","is_instrumental":false}"#)
            .expect("describe");
        assert_eq!(d.song_title(), "A Song About Spring Rain");
        let c = parse(r#"{"tags":"dream pop, female vocal","lyrics":"la"}"#).expect("custom");
        assert_eq!(c.song_title(), "Dream Pop Song");
    }
}

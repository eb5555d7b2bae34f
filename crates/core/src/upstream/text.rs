//! Turning untrusted upstream text into short single-line messages: bodies
//! and reasons can be huge, multi-line or HTML, and end up in logs and pages.

use serde_json::Value;

/// Longest message, in characters, kept from anything the upstream sends.
pub(crate) const MAX_MESSAGE_CHARS: usize = 300;

/// Keys under which JSON error objects usually carry their message.
const MESSAGE_KEYS: [&str; 5] = ["message", "reason", "error", "msg", "detail"];

/// Collapses whitespace and control characters into single spaces and caps
/// the length, marking a cut with `…`.
pub(crate) fn one_line(raw: &str) -> String {
    let mut out = String::new();
    let mut kept = 0;
    for word in raw.split(|c: char| c.is_whitespace() || c.is_control()) {
        if word.is_empty() {
            continue;
        }
        if kept > 0 {
            out.push(' ');
            kept += 1;
        }
        for c in word.chars() {
            if kept >= MAX_MESSAGE_CHARS {
                out.push('…');
                return out;
            }
            out.push(c);
            kept += 1;
        }
    }
    out
}

/// The message of a JSON error value: a non-blank string, or an object's
/// `message`/`reason`/`error`/`msg`/`detail`, looked up one level deep
/// (`{"error": {"message": …}}` is common).
pub(crate) fn message_in(value: &Value) -> Option<String> {
    message_at(value, 2)
}

fn message_at(value: &Value, depth: u8) -> Option<String> {
    match value {
        Value::String(s) if !s.trim().is_empty() => Some(one_line(s)),
        Value::Object(map) if depth > 0 => MESSAGE_KEYS
            .iter()
            .filter_map(|key| map.get(*key))
            .find_map(|v| message_at(v, depth - 1)),
        _ => None,
    }
}

/// A reason from a value of undocumented shape: its message if it has one,
/// otherwise its compact JSON (capped); nothing for null or empty values.
pub(crate) fn reason_in(value: &Value) -> Option<String> {
    if let Some(message) = message_in(value) {
        return Some(message);
    }
    match value {
        Value::Null | Value::String(_) => None,
        Value::Array(items) if items.is_empty() => None,
        Value::Object(map) if map.is_empty() => None,
        other => Some(one_line(&other.to_string())),
    }
}

/// True for bodies that are (or say they are) HTML, such as a proxy's
/// error page: summarised, never quoted.
pub(crate) fn looks_like_html(content_type: Option<&str>, body: &[u8]) -> bool {
    let declared = content_type.is_some_and(|ct| ct.to_ascii_lowercase().contains("html"));
    declared || body.trim_ascii_start().starts_with(b"<")
}

/// What an error body says, in a short line: its JSON message, a note that
/// it is HTML or empty, or the start of its text.
pub(crate) fn summarize_body(status: u16, content_type: Option<&str>, body: &[u8]) -> String {
    if body.trim_ascii().is_empty() {
        return format!("HTTP {status} with an empty body");
    }
    if looks_like_html(content_type, body) {
        return format!("HTTP {status} with an HTML body");
    }
    match serde_json::from_slice::<Value>(body) {
        Ok(value) => reason_in(&value).unwrap_or_else(|| format!("HTTP {status}")),
        Err(_) => one_line(&String::from_utf8_lossy(body)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn one_line_collapses_and_caps_on_char_boundaries() {
        assert_eq!(one_line("  a\n\tb \u{0}c  "), "a b c");
        let long = "é".repeat(1000);
        let cut = one_line(&long);
        assert_eq!(cut.chars().count(), MAX_MESSAGE_CHARS + 1);
        assert!(cut.ends_with('…'));
    }

    #[test]
    fn messages_are_found_in_strings_and_objects() {
        assert_eq!(message_in(&json!("timeout")), Some("timeout".into()));
        assert_eq!(
            message_in(&json!({"code": 7, "error": {"message": "bad lyrics"}})),
            Some("bad lyrics".into())
        );
        assert_eq!(message_in(&json!({"code": 7})), None);
        assert_eq!(reason_in(&json!({"code": 7})), Some(r#"{"code":7}"#.into()));
        assert_eq!(reason_in(&json!(null)), None);
        assert_eq!(reason_in(&json!("  ")), None);
    }

    #[test]
    fn bodies_are_summarised_not_dumped() {
        let html = b"<!DOCTYPE html><html><body>Bad gateway</body></html>";
        assert_eq!(
            summarize_body(502, None, html),
            "HTTP 502 with an HTML body"
        );
        assert_eq!(
            summarize_body(503, None, b" \n"),
            "HTTP 503 with an empty body"
        );
        assert_eq!(
            summarize_body(429, Some("application/json"), br#"{"message":"slow down"}"#),
            "slow down"
        );
        assert_eq!(
            summarize_body(500, None, b"oops\r\nline two"),
            "oops line two"
        );
    }
}

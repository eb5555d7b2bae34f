//! Lenient field access on untrusted JSON: a field of the wrong type or an
//! empty string counts as absent, so one odd field never sinks a reply.

use serde_json::{Map, Value};

/// A non-blank string value, trimmed.
/// NUL characters are dropped: Postgres refuses them in text, and one in a
/// title must not stop a whole poll from being recorded.
pub(crate) fn string(value: Option<&Value>) -> Option<String> {
    let text = value?.as_str()?.trim();
    (!text.is_empty()).then(|| text.replace('\0', ""))
}

/// A finite number, given as a JSON number or a numeric string.
pub(crate) fn number(value: Option<&Value>) -> Option<f64> {
    let n = match value? {
        Value::Number(n) => n.as_f64()?,
        Value::String(s) => s.trim().parse::<f64>().ok()?,
        _ => return None,
    };
    n.is_finite().then_some(n)
}

/// An integer, given as a JSON integer or an integer string.
pub(crate) fn integer(value: Option<&Value>) -> Option<i64> {
    match value? {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// True when an object says `"success": false` (or `"false"`).
pub(crate) fn declined(object: &Map<String, Value>) -> bool {
    match object.get("success") {
        Some(Value::Bool(success)) => !success,
        Some(Value::String(s)) => s.trim().eq_ignore_ascii_case("false"),
        _ => false,
    }
}

/// A clip's fields: the vendor puts them at the top level of the clip or,
/// in its streaming example, inside `metadata`. Top level wins.
pub(crate) struct ClipFields<'a> {
    top: &'a Map<String, Value>,
    metadata: Option<&'a Map<String, Value>>,
}

impl<'a> ClipFields<'a> {
    pub(crate) fn new(top: &'a Map<String, Value>) -> Self {
        let metadata = top.get("metadata").and_then(Value::as_object);
        ClipFields { top, metadata }
    }

    /// The first usable value of `key`, top level first.
    pub(crate) fn find<T>(
        &self,
        key: &str,
        read: impl Fn(Option<&Value>) -> Option<T>,
    ) -> Option<T> {
        read(self.top.get(key)).or_else(|| read(self.metadata?.get(key)))
    }

    pub(crate) fn string(&self, key: &str) -> Option<String> {
        self.find(key, string)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn wrong_types_read_as_absent() {
        assert_eq!(string(Some(&json!(5))), None);
        assert_eq!(string(Some(&json!(""))), None);
        assert_eq!(number(Some(&json!("149.5"))), Some(149.5));
        assert_eq!(number(Some(&json!("abc"))), None);
        assert_eq!(number(Some(&json!("NaN"))), None);
        assert_eq!(integer(Some(&json!(1.5))), None);
        assert_eq!(integer(Some(&json!("1"))), Some(1));
    }

    #[test]
    fn clip_fields_fall_back_to_metadata() {
        let clip = json!({"video_url": "", "metadata": {"video_url": "v", "title": 3}});
        let fields = ClipFields::new(clip.as_object().expect("object"));
        assert_eq!(fields.string("video_url"), Some("v".into()));
        assert_eq!(fields.string("title"), None);
    }
}

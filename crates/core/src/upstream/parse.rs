//! Parsing the vendor's replies, leniently: the documented shapes are loose
//! (`data` is an object, an array, a reason or null; clip fields sit at the
//! top level or in `metadata`) and new fields appear at any time. A reply is
//! refused only when its overall shape is wrong; an odd element or field is
//! skipped, never fatal. Pure functions over bytes, so tests can feed them.

use serde_json::{Map, Value};

use super::error::UpstreamError;
use super::json::{self, ClipFields};
use super::report::{Clip, ClipStatus, PollReply, TaskReport, TaskStatus};
use super::request::TaskId;
use super::text::{self, message_in, reason_in};

/// Reads the answer to `POST /music/task`. `success: false` is a rejection
/// (nothing was created); any other reply without a task id leaves the
/// outcome unknown, since the task may exist.
pub fn parse_submit_reply(body: &[u8]) -> Result<TaskId, UpstreamError> {
    let unknown = |reason: String| UpstreamError::OutcomeUnknown {
        reason: format!("unreadable submit reply: {reason}"),
    };
    let value = read_json(body).map_err(unknown)?;
    let Some(object) = value.as_object() else {
        return Err(unknown(format!(
            "expected an object, got {}",
            type_name(&value)
        )));
    };
    if json::declined(object) {
        return Err(declined(&value));
    }
    match json::string(object.get("task_id")) {
        Some(id) => Ok(TaskId::new(id)),
        None => Err(unknown("no usable task_id".to_owned())),
    }
}

/// Reads the answer to `GET /music/task?ids=…`; `asked` are the ids sent,
/// to report the ones the reply leaves out.
pub fn parse_poll_reply(body: &[u8], asked: &[TaskId]) -> Result<PollReply, UpstreamError> {
    let malformed = |reason: String| UpstreamError::MalformedReply { reason };
    let elements = match read_json(body).map_err(malformed)? {
        Value::Array(elements) => elements,
        Value::Object(object) if json::declined(&object) => {
            return Err(declined(&Value::Object(object)));
        }
        other => {
            return Err(malformed(format!(
                "expected an array, got {}",
                type_name(&other)
            )));
        }
    };
    let mut reply = PollReply::default();
    for element in &elements {
        match element.as_object().and_then(task_report) {
            Some(report) => reply.reports.push(report),
            None => reply.unreadable += 1,
        }
    }
    for id in asked {
        let seen = reply.reports.iter().any(|r| &r.task_id == id);
        if !seen && !reply.missing.contains(id) {
            reply.missing.push(id.clone());
        }
    }
    Ok(reply)
}

fn task_report(element: &Map<String, Value>) -> Option<TaskReport> {
    let task_id = TaskId::new(json::string(element.get("task_id"))?);
    let status = match element.get("status") {
        Some(Value::String(raw)) => TaskStatus::parse(raw),
        Some(Value::Null) | None => TaskStatus::Unknown(String::new()),
        Some(other) => TaskStatus::Unknown(text::one_line(&other.to_string())),
    };
    let data = element.get("data").unwrap_or(&Value::Null);
    let clips: Vec<Clip> = match data {
        Value::Array(items) => items.iter().filter_map(clip).collect(),
        _ => Vec::new(),
    };
    let mut clip_ids: Vec<String> = match data.get("clip_ids") {
        Some(Value::Array(ids)) => ids.iter().filter_map(|id| json::string(Some(id))).collect(),
        _ => Vec::new(),
    };
    for clip in &clips {
        if !clip_ids.contains(&clip.id) {
            clip_ids.push(clip.id.clone());
        }
    }
    let failure_reason = match status {
        TaskStatus::Failed | TaskStatus::Unknown(_) => failure_reason(element, data),
        _ => None,
    };
    Some(TaskReport {
        task_id,
        status,
        clip_ids,
        clips,
        failure_reason,
        updated_at: json::string(element.get("updated_at")),
    })
}

/// A failed task's `data` "gives the reason", shape undocumented: a string,
/// an object, or null. Clip lists are not reasons. The element's own
/// `error`/`message`/`reason` is the fallback.
fn failure_reason(element: &Map<String, Value>, data: &Value) -> Option<String> {
    let from_data = match data {
        Value::Array(_) => None,
        Value::Object(object) if object.contains_key("clip_ids") => None,
        other => reason_in(other),
    };
    from_data.or_else(|| {
        ["error", "message", "reason"]
            .iter()
            .find_map(|key| element.get(*key).and_then(message_in))
    })
}

/// One clip, or nothing if it has no usable id (it could not be tracked).
fn clip(value: &Value) -> Option<Clip> {
    let fields = ClipFields::new(value.as_object()?);
    Some(Clip {
        id: fields.string("id")?,
        status: fields
            .string("status")
            .map_or(ClipStatus::Unknown(String::new()), |s| {
                ClipStatus::parse(&s)
            }),
        title: fields.string("title"),
        audio_url: fields.string("audio_url"),
        image_url: fields.string("image_url"),
        image_large_url: fields.string("image_large_url"),
        video_url: fields.string("video_url"),
        duration_s: fields.find("duration", json::number).filter(|d| *d >= 0.0),
        tags: fields.string("tags"),
        lyrics: fields.string("prompt").or_else(|| fields.string("lyrics")),
        batch_index: fields
            .find("batch_index", json::integer)
            .and_then(|i| i32::try_from(i).ok()),
        model_name: fields.string("model_name"),
        major_model_version: fields.string("major_model_version"),
    })
}

/// `success: false` means the upstream declined and created nothing.
fn declined(reply: &Value) -> UpstreamError {
    UpstreamError::Rejected {
        status: None,
        message: message_in(reply).unwrap_or_else(|| "no message given".to_owned()),
        retry_after: None,
    }
}

/// Parses JSON, describing a failure without quoting the body.
fn read_json(body: &[u8]) -> Result<Value, String> {
    if body.trim_ascii().is_empty() {
        return Err("empty body".to_owned());
    }
    if text::looks_like_html(None, body) {
        return Err("an HTML body".to_owned());
    }
    serde_json::from_slice(body).map_err(|e| format!("not JSON ({e})"))
}

fn type_name(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

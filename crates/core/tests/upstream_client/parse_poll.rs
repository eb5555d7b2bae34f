//! `parse_poll_reply` on the vendor's examples and on broken replies.

use chorus_core::upstream::{
    ClipStatus, PollReply, Retry, TaskReport, TaskStatus, UpstreamError, parse_poll_reply,
};
use serde_json::{Value, json};

use crate::ids;

pub const QUEUED: &str = include_str!("fixtures/queued.json");
pub const STREAMING: &str = include_str!("fixtures/streaming.json");
pub const COMPLETED: &str = include_str!("fixtures/completed.json");
pub const TASK: &str = "4f3acce5-eb32-46b4-9c96-9cc1e2b2c922";
const CLIP: &str = "a7737313-9815-438d-920d-ff29d07d064c";

fn parse(body: &str) -> PollReply {
    parse_poll_reply(body.as_bytes(), &[]).unwrap()
}

/// The single report of a reply holding one task built from `element`.
fn one(element: Value) -> TaskReport {
    let mut reply = parse(&json!([element]).to_string());
    assert_eq!(reply.reports.len(), 1, "{reply:?}");
    reply.reports.remove(0)
}

fn failed_with(data: Value) -> TaskReport {
    one(json!({"task_id": "t1", "status": "failed", "data": data}))
}

#[test]
fn queued_takes_clip_ids_from_the_data_object() {
    let reply = parse_poll_reply(
        QUEUED.as_bytes(),
        &ids(&["5d23ace6-c7da-4429-a48d-b6d235c629ac"]),
    )
    .unwrap();
    assert!(reply.missing.is_empty() && reply.unreadable == 0);
    let task = &reply.reports[0];
    assert_eq!(task.status, TaskStatus::Queued);
    assert!(!task.status.is_final());
    assert_eq!(task.clip_ids.len(), 2);
    assert_eq!(task.clip_ids[0], "b5ced187-1e86-484c-b8a3-1eb9356d95ce");
    assert!(task.clips.is_empty() && task.failure_reason.is_none());
    assert_eq!(task.updated_at.as_deref(), Some("2026-03-16T08:36:05.000Z"));
}

#[test]
fn streaming_finds_clip_fields_inside_metadata() {
    let task = &parse(STREAMING).reports[0];
    assert_eq!(task.status, TaskStatus::Streaming);
    assert_eq!(task.clips.len(), 2);
    assert_eq!(task.clip_ids, [CLIP, task.clips[1].id.as_str()]);
    let clip = &task.clips[0];
    assert_eq!(clip.id, CLIP);
    assert_eq!(clip.status, ClipStatus::Streaming);
    assert_eq!(
        clip.audio_url.as_deref(),
        Some("https://audiopipe.sonic.ai/?item_id=a7737313-9815-438d-920d-ff29d07d064c")
    );
    assert!(
        clip.image_url
            .as_deref()
            .unwrap()
            .contains("image_a7737313")
    );
    assert!(
        clip.image_large_url
            .as_deref()
            .unwrap()
            .contains("image_large_")
    );
    assert_eq!(clip.video_url, None, "empty URL means absent");
    assert_eq!(clip.title, None);
    assert_eq!(clip.model_name.as_deref(), Some("chirp-auk"));
    assert_eq!(clip.major_model_version.as_deref(), Some("v4.5-all"));
    assert_eq!(clip.tags.as_deref(), Some("female vocal, pop, dream pop"));
    assert_eq!(clip.lyrics.as_deref(), Some("[Verse 1]\nIn waves"));
    assert_eq!(
        (clip.batch_index, task.clips[1].batch_index),
        (Some(0), Some(1))
    );
}

#[test]
fn completed_reads_top_level_fields_and_metadata() {
    let task = &parse(COMPLETED).reports[0];
    assert_eq!(task.status, TaskStatus::Completed);
    assert!(task.status.is_final());
    let clip = &task.clips[0];
    assert_eq!(clip.status, ClipStatus::Complete);
    assert_eq!(
        clip.audio_url.as_deref(),
        Some("https://cdn1.sonic.ai/a7737313-9815-438d-920d-ff29d07d064c.mp3")
    );
    assert_eq!(clip.duration_s, Some(149.0));
    assert_eq!(clip.lyrics.as_deref(), Some("[Verse 1]\nIn waves of ..."));
    assert_eq!(clip.model_name.as_deref(), Some("chirp-auk"));
    assert_eq!(clip.video_url, None);
    assert_eq!(task.updated_at, None);
}

#[test]
fn failure_reasons_come_from_a_string_an_object_or_nowhere() {
    let timeout = failed_with(json!("generation timed out"));
    assert_eq!(timeout.status, TaskStatus::Failed);
    assert_eq!(
        timeout.failure_reason.as_deref(),
        Some("generation timed out")
    );
    let object = failed_with(json!({"code": 4001, "message": "lyrics rejected"}));
    assert_eq!(object.failure_reason.as_deref(), Some("lyrics rejected"));
    let opaque = failed_with(json!({"code": 4001}));
    assert_eq!(opaque.failure_reason.as_deref(), Some(r#"{"code":4001}"#));
    assert_eq!(failed_with(json!(null)).failure_reason, None);
    let huge = failed_with(json!("x".repeat(100_000)));
    assert!(huge.failure_reason.unwrap().chars().count() <= 301);
    let top = one(json!({"task_id": "t1", "status": "failed", "data": null, "error": "quota"}));
    assert_eq!(top.failure_reason.as_deref(), Some("quota"));
}

#[test]
fn processing_without_useful_data_is_still_waiting() {
    for data in [Some(json!(null)), Some(json!([])), Some(json!({})), None] {
        let mut element = json!({"task_id": "t1", "status": "processing"});
        if let Some(data) = data {
            element["data"] = data;
        }
        let task = one(element);
        assert_eq!(task.status, TaskStatus::Processing);
        assert!(task.clips.is_empty() && task.clip_ids.is_empty());
        assert_eq!(task.failure_reason, None);
    }
}

#[test]
fn unknown_statuses_and_fields_are_kept_or_ignored() {
    let task = one(json!({
        "task_id": "t1", "status": "cancelled", "data": "cancelled by operator",
        "brand_new_field": {"nested": [1, 2, 3]}, "priority": "high"
    }));
    assert_eq!(task.status, TaskStatus::Unknown("cancelled".into()));
    assert!(!task.status.is_final());
    assert_eq!(
        task.failure_reason.as_deref(),
        Some("cancelled by operator")
    );
}

#[test]
fn ids_absent_from_the_reply_are_reported_missing() {
    let asked = ids(&[TASK, "b", "c", "b"]);
    let reply = parse_poll_reply(COMPLETED.as_bytes(), &asked).unwrap();
    assert_eq!(reply.missing, ids(&["b", "c"]));
    let empty = parse_poll_reply(b"[]", &asked).unwrap();
    assert_eq!(empty.missing.len(), 3);
}

#[test]
fn elements_without_a_usable_task_id_are_counted_not_fatal() {
    let body = json!([
        {"status": "queued"},
        {"task_id": 42, "status": "queued"},
        {"task_id": "", "status": "queued"},
        "not an object",
        null,
        {"task_id": "t1", "status": "queued"}
    ]);
    let reply = parse(&body.to_string());
    assert_eq!(reply.unreadable, 5);
    assert_eq!(reply.reports[0].task_id.as_str(), "t1");
}

#[test]
fn wrong_types_read_as_absent_never_fatal() {
    let odd_status = one(json!({"task_id": "t1", "status": 5, "data": 42}));
    assert_eq!(odd_status.status, TaskStatus::Unknown("5".into()));
    assert_eq!(odd_status.failure_reason.as_deref(), Some("42"));
    let task = one(
        json!({"task_id": "t1", "status": "streaming", "updated_at": 7, "data": [
            {"id": 12345, "status": "streaming"},
            "a string clip",
            {"id": "c1", "status": ["x"], "duration": "abc", "batch_index": "first",
             "audio_url": 7, "title": {"t": 1}, "metadata": "not an object"},
            {"id": "c2", "metadata": {"duration": "149.5", "batch_index": "1"}}
        ]}),
    );
    assert_eq!(task.updated_at, None);
    assert_eq!(task.clip_ids, ["c1", "c2"]);
    let c1 = &task.clips[0];
    assert_eq!(c1.status, ClipStatus::Unknown(String::new()));
    assert_eq!((c1.duration_s, c1.batch_index), (None, None));
    assert_eq!((c1.audio_url.clone(), c1.title.clone()), (None, None));
    assert_eq!(
        (task.clips[1].duration_s, task.clips[1].batch_index),
        (Some(149.5), Some(1))
    );
}

#[test]
fn a_reply_that_is_not_an_array_is_malformed_and_retry_safe() {
    for body in [
        r#"{"status": "completed", "task_id": "t1"}"#,
        "<!DOCTYPE html><html><title>502 Bad Gateway</title></html>",
        r#"[{"status": "completed", "task_id": "t1", "data": [{"id": "#,
        "",
        "null",
        "\"[]\"",
    ] {
        let err = parse_poll_reply(body.as_bytes(), &[]).unwrap_err();
        assert!(
            matches!(err, UpstreamError::MalformedReply { .. }),
            "{body}: {err:?}"
        );
        assert_eq!(err.retry(), Retry::Safe);
        assert!(!err.to_string().contains("Bad Gateway"), "{err}");
    }
}

#[test]
fn hostile_bytes_give_an_error_not_a_panic() {
    let deep = "[".repeat(100_000);
    assert!(parse_poll_reply(deep.as_bytes(), &[]).is_err());
    assert!(parse_poll_reply(&[0xff, 0xfe, 0x00, 0x5b], &[]).is_err());
}

#[test]
fn success_false_instead_of_an_array_is_a_rejection() {
    let err = parse_poll_reply(br#"{"success": false, "msg": "bad ids"}"#, &[]).unwrap_err();
    assert_eq!(err.kind(), "declined");
    assert!(err.to_string().contains("bad ids"), "{err}");
}

//! A task as `GET /music/task` reports it, with the vendor's quirks:
//! `data` is an object while queued, null while processing, an array of
//! clips once streaming (playback fields inside `metadata`) and completed
//! (the same fields at the top level, clip status `"complete"`), and a
//! string or an object when failed.

use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::media::audio;
use crate::request::GenRequest;
use crate::state::SimState;
use crate::task::{FailShape, Status, Task};

/// The account the simulated clips belong to.
const USER_ID: &str = "2dba1255-ebac-4e9b-a1d5-2b92d7a1fcb1";
const HANDLE: &str = "chorussim";
const MODEL_NAME: &str = "chirp-auk";
const MODEL_VERSION: &str = "v4.5-all";

/// One element of the poll reply.
pub(crate) fn task_json(state: &SimState, task: &Task, now: Instant) -> Value {
    let (status, since) = task.status_at(&state.clock, now);
    let data = match status {
        Status::Queued => json!({ "clip_ids": task.clip_ids }),
        Status::Processing => Value::Null,
        Status::Streaming | Status::Completed => {
            Value::Array((0..2).map(|i| clip_json(state, task, i, status)).collect())
        }
        Status::Failed(FailShape::Text) => json!("generation timed out"),
        Status::Failed(FailShape::Object) => {
            json!({ "error": "content_policy", "message": "lyrics rejected" })
        }
    };
    json!({
        "status": status.as_str(),
        "task_id": task.id,
        "gen_params": task.request.gen_params(),
        "data": data,
        // The vendor's task timestamps carry whole seconds only.
        "created_at": timestamp(task.created_at, Duration::ZERO, false),
        "updated_at": timestamp(task.created_at, since, false),
    })
}

fn clip_json(state: &SimState, task: &Task, index: usize, status: Status) -> Value {
    let id = task.clip_ids[index];
    let base = &state.public_base;
    let complete = status == Status::Completed;
    let audio_url = if complete {
        format!("{base}/media/audio/{id}.wav")
    } else {
        format!("{base}/media/stream/{id}")
    };
    let req = &task.request;
    // Fields that sit at the top level of a complete clip but, in the
    // vendor's streaming example, inside `metadata`.
    let playback = json!({
        "audio_url": audio_url,
        "image_url": format!("{base}/media/image/{id}.png"),
        "image_large_url": format!("{base}/media/image-large/{id}.png"),
        "video_url": "",
        "major_model_version": MODEL_VERSION,
        "model_name": MODEL_NAME,
        "batch_index": index,
        "created_at": timestamp(task.created_at, state.clock.queued, true),
        "display_name": HANDLE,
        "avatar_image_url": format!("{base}/media/avatar.png"),
        "entity_type": "song_schema",
        "play_count": 0,
        "upvote_count": 0,
        "comment_count": 0,
        "flag_count": 0,
        "allow_comments": true,
        "is_hidden": false,
        "is_public": false,
        "is_trashed": false,
        "is_contest_clip": false,
        "is_handle_updated": false,
        "is_following_creator": false,
    });
    let mut metadata = json!({
        "tags": clip_tags(req, id),
        "prompt": clip_prompt(req),
        "type": "gen",
        "stream": true,
        "make_instrumental": req.is_instrumental(),
        "task": "",
        "can_remix": true,
        "is_remix": false,
        "is_mumble": false,
        "priority": 0,
        "has_stem": false,
        "uses_latest_model": false,
        "model_badges": { "songrow": { "display_name": MODEL_VERSION } },
    });
    let mut clip = json!({
        "id": id,
        "handle": HANDLE,
        "user_id": USER_ID,
        "is_liked": false,
        "has_hook": false,
    });
    if complete {
        merge(
            &mut metadata,
            json!({
                "duration": audio::duration_secs(id),
                "refund_credits": false,
            }),
        );
        merge(&mut clip, playback);
        merge(
            &mut clip,
            json!({
                "status": "complete",
                "title": req.song_title(),
                "explicit": false,
                "metadata": metadata,
            }),
        );
    } else {
        merge(&mut metadata, playback);
        merge(
            &mut clip,
            json!({ "status": "streaming", "title": "", "metadata": metadata }),
        );
    }
    clip
}

/// Adds the fields of `extra` (an object) to `target` (an object).
fn merge(target: &mut Value, extra: Value) {
    if let (Value::Object(target), Value::Object(extra)) = (target, extra) {
        target.extend::<Map<String, Value>>(extra);
    }
}

/// Describe mode leaves the style to the service; pick one per clip.
fn clip_tags(req: &GenRequest, clip_id: Uuid) -> String {
    const STYLES: [&str; 6] = [
        "dream pop, female vocal, airy",
        "indie folk, acoustic guitar, warm",
        "synthwave, male vocal, retro",
        "lo-fi hip hop, mellow, jazzy",
        "orchestral, cinematic, epic",
        "city pop, funky bass, bright",
    ];
    match req {
        GenRequest::Custom { tags, .. } => tags.clone(),
        GenRequest::Describe {
            is_instrumental, ..
        } => {
            let style = STYLES[usize::from(clip_id.as_bytes()[0]) % STYLES.len()];
            if *is_instrumental {
                format!("{style}, instrumental")
            } else {
                style.to_owned()
            }
        }
    }
}

/// The lyrics; in describe mode the service "writes" some from the topic.
fn clip_prompt(req: &GenRequest) -> String {
    match req {
        GenRequest::Custom { lyrics, .. } => lyrics.clone(),
        GenRequest::Describe {
            is_instrumental: true,
            ..
        } => String::new(),
        GenRequest::Describe { topic, .. } => {
            format!("[Verse]\n{topic}\n\n[Chorus]\n{}", req.song_title())
        }
    }
}

/// RFC 3339 in UTC with milliseconds and `Z`, as the vendor writes it:
/// `2026-03-16T08:36:04.000Z`. `millis: false` zeroes the milliseconds.
pub(crate) fn timestamp(start: OffsetDateTime, offset: Duration, millis: bool) -> String {
    let t = time::Duration::try_from(offset)
        .ok()
        .and_then(|d| start.checked_add(d))
        .unwrap_or(start);
    let ms = if millis { t.millisecond() } else { 0 };
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        ms
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_look_like_the_vendors() {
        let t = OffsetDateTime::from_unix_timestamp_nanos(1_773_650_164_787_000_000)
            .expect("valid time");
        assert_eq!(
            timestamp(t, Duration::ZERO, true),
            "2026-03-16T08:36:04.787Z"
        );
        assert_eq!(
            timestamp(t, Duration::ZERO, false),
            "2026-03-16T08:36:04.000Z"
        );
        assert_eq!(
            timestamp(t, Duration::from_millis(1_500), true),
            "2026-03-16T08:36:06.287Z"
        );
    }
}

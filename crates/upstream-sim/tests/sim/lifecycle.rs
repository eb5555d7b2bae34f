//! A task walks queued → processing → streaming → completed, each status
//! with the vendor's shape of `data`.

use std::time::{Duration, Instant};

use chorus_upstream_sim::{SimClock, SimConfig};
use serde_json::{Value, json};

use crate::helpers::{TestSim, spawn_sim, spawn_sim_with};

const LYRICS: &str = "[Verse 1]\nIn waves of starlit magic\nMy heart turns so tragic";

fn is_vendor_timestamp(v: &Value) -> bool {
    // 2026-03-16T08:36:04.000Z
    let s = v.as_str().unwrap_or_default();
    s.len() == 24 && s.as_bytes()[10] == b'T' && s.as_bytes()[19] == b'.' && s.ends_with('Z')
}

#[tokio::test]
async fn both_modes_are_accepted_with_a_task_id() {
    let sim = spawn_sim();
    let describe = sim.submit_describe().await;
    let custom = sim
        .submit_ok(&json!({ "tags": "female vocal, pop", "lyrics": LYRICS, "title": "Waves" }))
        .await;
    let instrumental = sim
        .submit_ok(&json!({ "tags": "ambient", "lyrics": "" }))
        .await;
    for id in [&describe, &custom, &instrumental] {
        assert!(uuid::Uuid::parse_str(id).is_ok(), "{id} is a uuid");
    }
    let reply = sim.poll_ok(&[&describe, &custom]).await;
    assert_eq!(reply.len(), 2);
    assert_eq!(reply[0]["task_id"], describe.as_str());
    assert_eq!(
        reply[0]["gen_params"],
        json!({ "topic": "a song about spring", "is_instrumental": true })
    );
    // Long lyrics are echoed abridged, as the vendor does.
    assert_eq!(reply[1]["gen_params"]["lyrics"], "[Verse 1]\nIn waves o...");
    assert_eq!(reply[1]["gen_params"]["title"], "Waves");
}

#[tokio::test]
async fn a_task_walks_every_status_with_the_vendors_shapes() {
    // Phases long enough that a 10 ms poll loop sees each of them.
    let sim = spawn_sim_with(SimConfig {
        clock: SimClock::from_millis(300, 300, 300),
        ..SimConfig::default()
    });
    let id = sim
        .submit_ok(&json!({ "tags": "dream pop", "lyrics": LYRICS, "title": "Starlit" }))
        .await;
    let mut seen: Vec<String> = Vec::new();
    let mut streamed = false;
    let deadline = Instant::now() + Duration::from_secs(10);
    let completed = loop {
        let task = sim.task(&id).await;
        let status = task["status"].as_str().expect("status").to_owned();
        if seen.last() != Some(&status) {
            check_shape(&sim, &task, &status, &mut streamed).await;
            seen.push(status.clone());
        }
        if status == "completed" {
            break task;
        }
        assert!(Instant::now() < deadline, "timed out; saw {seen:?}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    };
    assert_eq!(seen, ["queued", "processing", "streaming", "completed"]);
    assert!(streamed);
    assert!(is_vendor_timestamp(&completed["created_at"]));
    assert!(is_vendor_timestamp(&completed["updated_at"]));
    assert!(completed["updated_at"].as_str() >= completed["created_at"].as_str());
}

/// Asserts the shape of `task` on first seeing `status`.
async fn check_shape(sim: &TestSim, task: &Value, status: &str, streamed: &mut bool) {
    let data = &task["data"];
    match status {
        "queued" => {
            let clips = data["clip_ids"]
                .as_array()
                .expect("queued data is an object");
            assert_eq!(clips.len(), 2);
            // The final file does not exist yet.
            let early = format!(
                "{}/media/audio/{}.wav",
                sim.base,
                clips[0].as_str().unwrap_or("")
            );
            assert_eq!(sim.get(&early).await.status(), 404);
        }
        "processing" => assert!(data.is_null(), "{data}"),
        "streaming" => {
            let clips = data.as_array().expect("streaming data is an array");
            assert_eq!(clips.len(), 2);
            for (i, clip) in clips.iter().enumerate() {
                assert_eq!(clip["status"], "streaming");
                assert!(
                    clip.get("audio_url").is_none(),
                    "playback fields sit in metadata"
                );
                let meta = &clip["metadata"];
                assert_eq!(meta["batch_index"], i);
                assert_eq!(meta["model_name"], "chirp-auk");
                assert_eq!(meta["major_model_version"], "v4.5-all");
                for field in ["image_url", "image_large_url", "video_url"] {
                    assert!(meta[field].is_string(), "{field} in metadata");
                }
                let url = meta["audio_url"].as_str().expect("audio_url in metadata");
                assert!(
                    url.starts_with(&format!("{}/media/stream/", sim.base)),
                    "{url}"
                );
            }
            let url = clips[0]["metadata"]["audio_url"]
                .as_str()
                .unwrap_or_default();
            let res = sim.get(url).await;
            assert_eq!(res.status(), 200);
            assert!(res.content_length().is_none(), "a stream has no length");
            assert_eq!(res.headers()["transfer-encoding"], "chunked");
            let audio = res.bytes().await.expect("stream body");
            assert_eq!(&audio[..4], b"RIFF");
            *streamed = true;
        }
        "completed" => {
            let clips = data.as_array().expect("completed data is an array");
            assert_eq!(clips.len(), 2);
            for (i, clip) in clips.iter().enumerate() {
                assert_eq!(clip["status"], "complete");
                assert_eq!(clip["batch_index"], i);
                assert_eq!(clip["title"], "Starlit");
                assert_eq!(clip["model_name"], "chirp-auk");
                assert_eq!(clip["major_model_version"], "v4.5-all");
                let audio = clip["audio_url"].as_str().expect("top-level audio_url");
                assert!(
                    audio.starts_with(&format!("{}/media/audio/", sim.base)),
                    "{audio}"
                );
                assert!(clip["image_url"].is_string() && clip["image_large_url"].is_string());
                let meta = &clip["metadata"];
                assert_eq!(meta["tags"], "dream pop");
                assert_eq!(meta["prompt"], LYRICS);
                assert!((8..=10).contains(&meta["duration"].as_u64().expect("duration")));
                assert_eq!(meta["type"], "gen");
                assert_eq!(meta["stream"], true);
                assert_eq!(meta["make_instrumental"], false);
                assert_eq!(meta["refund_credits"], false);
            }
            assert_ne!(clips[0]["id"], clips[1]["id"]);
        }
        other => panic!("unexpected status {other}: {task}"),
    }
}

#[tokio::test]
async fn describe_mode_titles_come_from_the_topic() {
    let sim = spawn_sim();
    let id = sim
        .submit_ok(&json!({ "topic": "rainy night in tokyo", "is_instrumental": false }))
        .await;
    let task = sim.wait_for_status(&id, "completed").await;
    let clip = &task["data"][0];
    assert_eq!(clip["title"], "Rainy Night In Tokyo");
    assert_eq!(clip["metadata"]["make_instrumental"], false);
    assert!(
        !clip["metadata"]["tags"]
            .as_str()
            .unwrap_or_default()
            .is_empty()
    );
}

//! A song in each mode, from the request to two playable clips.

use std::time::Duration;

use serde_json::Value;

use super::invariants::assert_money_invariants;
use super::members::{custom, describe, member};
use crate::helpers::{spawn_app, wait_for};

#[tokio::test]
async fn a_song_in_each_mode_completes_with_two_clips_and_is_charged_once() {
    let app = spawn_app().await;
    let alice = member(&app, "alice@example.com", None).await;
    let ids = [
        app.request_song(&alice, &describe()).await,
        app.request_song(&alice, &custom()).await,
    ];
    for id in ids {
        let song = app.finished(&alice, id).await;
        assert_eq!(song["status"], "completed", "{song}");
        let clips = song["clips"].as_array().unwrap();
        assert_eq!(clips.len(), 2, "{song}");
        for clip in clips {
            // The upstream's file, or Chorus's copy once it is archived.
            let audio_url = clip["audio_url"].as_str().unwrap();
            assert!(
                audio_url.ends_with(".wav") || audio_url.starts_with("/media/clips/"),
                "{clip}"
            );
            assert!(clip["image_url"].is_string(), "{clip}");
            assert!(clip["duration_s"].as_f64().unwrap() > 0.0, "{clip}");
        }
    }
    let custom_song: Value = app
        .api_get(&alice.token, &format!("/generations/{}", ids[1]))
        .await
        .json()
        .await
        .unwrap();
    assert_eq!(custom_song["mode"], "custom");
    assert_eq!(custom_song["title"], "Starlit");

    let usage = app.usage(&alice).await;
    assert_eq!(usage["spent_micros"], 70_000, "{usage}");
    assert_eq!(usage["reserved_micros"], 0, "{usage}");
    let stats = app.env.sim.handle().stats();
    assert_eq!(stats.tasks_created, 2);
    assert_money_invariants(&app).await;

    // Both clips of both songs are copied into Chorus's own storage.
    let pool = app.env.db.pool().clone();
    let paths: Vec<(String,)> =
        wait_for("the songs to be archived", Duration::from_secs(20), || {
            let pool = pool.clone();
            async move {
                let paths: Vec<(String,)> =
                    sqlx::query_as("SELECT audio_path FROM clips WHERE audio_path IS NOT NULL")
                        .fetch_all(&pool)
                        .await
                        .unwrap();
                (paths.len() == 4).then_some(paths)
            }
        })
        .await;
    for (path,) in paths {
        let file = app.env.storage.path().join(&path);
        let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        assert_eq!(&bytes[..4], b"RIFF", "{path}");
    }
}

#[tokio::test]
async fn every_status_change_is_recorded_in_order() {
    let app = spawn_app().await;
    let alice = member(&app, "alice@example.com", None).await;
    let id = app.request_song(&alice, &describe()).await;
    app.finished(&alice, id).await;
    let path: Vec<(String,)> = sqlx::query_as(
        "SELECT to_status FROM generation_transitions WHERE generation_id = $1 ORDER BY id",
    )
    .bind(id)
    .fetch_all(app.env.db.pool())
    .await
    .unwrap();
    let path: Vec<&str> = path.iter().map(|(s,)| s.as_str()).collect();
    assert_eq!(
        &path[..3],
        ["pending", "submitting", "submitted"],
        "{path:?}"
    );
    assert_eq!(path.last(), Some(&"completed"), "{path:?}");
    assert!(path.contains(&"streaming"), "{path:?}");
}

#[tokio::test]
async fn metrics_show_the_pipeline_to_admins_only() {
    let app = spawn_app().await;
    let alice = member(&app, "alice@example.com", None).await;
    let id = app.request_song(&alice, &describe()).await;
    app.finished(&alice, id).await;

    let worker = app.worker_url.as_deref().unwrap();
    let text = app
        .http
        .get(format!("{worker}/metrics"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    for needle in [
        "chorus_submits_total{outcome=\"accepted\"} 1",
        "chorus_polls_total",
        "chorus_ids_per_poll",
        "chorus_upstream_latency_seconds",
        "chorus_generations_in_flight{status=\"pending\"} 0",
        "chorus_member_spent_micros 35000",
        "chorus_vendor_cost_micros 35000",
    ] {
        assert!(
            text.contains(needle),
            "worker metrics lack {needle}:\n{text}"
        );
    }

    let web = |token: &str| {
        app.http
            .get(format!("{}/metrics", app.web_url))
            .bearer_auth(token.to_owned())
            .send()
    };
    assert_eq!(web(&alice.token).await.unwrap().status(), 403);
    let admin = super::members::admin(&app, "root@example.com").await;
    let response = web(&admin.token).await.unwrap();
    assert_eq!(response.status(), 200);
    assert!(
        response
            .text()
            .await
            .unwrap()
            .contains("chorus_member_spent_micros 35000")
    );
    assert_eq!(
        app.http
            .get(format!("{}/metrics", app.web_url))
            .send()
            .await
            .unwrap()
            .status(),
        401
    );
}

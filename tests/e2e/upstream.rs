//! Chorus's upstream client against the simulator, over real HTTP: the two
//! sides agree on every shape, and faults come out as the retry policy says.

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use chorus_core::upstream::{
    ClipStatus, Retry, SongRequest, TaskId, TaskStatus, UpstreamClient, UpstreamError,
};
use chorus_testkit::TestEnv;
use chorus_upstream_sim::{Faults, SimClock, SimConfig};

use crate::helpers::{http_client, wait_for};

fn client(env: &TestEnv) -> UpstreamClient {
    UpstreamClient::new(env.config().upstream.settings()).unwrap()
}

fn describe() -> SongRequest {
    SongRequest::Describe {
        topic: "a song about spring".into(),
        instrumental: true,
    }
}

fn custom() -> SongRequest {
    SongRequest::Custom {
        tags: "female vocal, pop, dream pop".into(),
        lyrics: "[Verse 1]\nIn waves of starlit magic\n\n[Chorus]\nI float".into(),
        title: Some("Starlit".into()),
    }
}

#[tokio::test]
async fn both_modes_walk_from_queued_to_completed_with_playable_clips() {
    let env = TestEnv::start().await;
    let upstream = client(&env);
    let ids = vec![
        upstream.submit(&describe()).await.unwrap(),
        upstream.submit(&custom()).await.unwrap(),
    ];

    let mut seen = BTreeSet::new();
    let mut streaming_urls = Vec::new();
    let deadline = Instant::now() + Duration::from_secs(10);
    let reports = loop {
        let reply = upstream.poll(&ids).await.unwrap();
        assert!(
            reply.missing.is_empty() && reply.unreadable == 0,
            "{reply:?}"
        );
        for report in &reply.reports {
            seen.insert(report.status.as_str().to_owned());
            if report.status == TaskStatus::Streaming {
                streaming_urls.extend(report.clips.iter().filter_map(|c| c.audio_url.clone()));
            }
        }
        if reply
            .reports
            .iter()
            .all(|r| r.status == TaskStatus::Completed)
        {
            break reply.reports;
        }
        assert!(
            Instant::now() < deadline,
            "tasks did not complete: {seen:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };

    assert!(seen.contains("streaming"), "never saw streaming: {seen:?}");
    assert!(
        !streaming_urls.is_empty(),
        "streaming clips had no audio_url"
    );
    let http = http_client();
    let mut audio = Vec::new();
    for report in &reports {
        assert_eq!(report.clips.len(), 2, "{report:?}");
        for clip in &report.clips {
            assert_eq!(clip.status, ClipStatus::Complete);
            assert!(clip.duration_s.is_some_and(|d| d > 0.0), "{clip:?}");
            assert!(clip.image_url.is_some(), "{clip:?}");
            let response = http
                .get(clip.audio_url.as_deref().unwrap())
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), 200);
            let bytes = response.bytes().await.unwrap();
            assert_eq!(&bytes[..4], b"RIFF", "not a WAV file");
            audio.push(bytes);
        }
    }
    assert_ne!(audio[0], audio[1], "two clips sound the same");
    let custom = reports.iter().find(|r| r.task_id == ids[1]).unwrap();
    assert!(
        custom.clips[0]
            .lyrics
            .as_deref()
            .unwrap()
            .contains("starlit")
    );

    let stats = env.sim.handle().stats();
    assert_eq!(stats.submissions, 2);
    assert_eq!(stats.tasks_created, 2);
    assert_eq!(
        stats.poll_ids_total,
        2 * stats.polls,
        "every poll asked for both"
    );
}

#[tokio::test]
async fn rate_limits_and_server_errors_are_safe_to_retry() {
    let env = TestEnv::start().await;
    let upstream = client(&env);
    env.sim.handle().set_faults(Faults {
        rate_429: 1.0,
        ..Faults::none()
    });
    let err = upstream.submit(&describe()).await.unwrap_err();
    assert_eq!(err.retry(), Retry::Safe, "{err}");
    assert_eq!(err.retry_after(), Some(Duration::from_secs(1)));

    env.sim.handle().set_faults(Faults {
        rate_5xx: 1.0,
        ..Faults::none()
    });
    let err = upstream.submit(&describe()).await.unwrap_err();
    assert_eq!(err.retry(), Retry::Safe, "{err}");
    assert!(!err.to_string().contains("<html"), "HTML leaked into {err}");
    assert_eq!(env.sim.handle().stats().tasks_created, 0);
}

#[tokio::test]
async fn a_lost_answer_is_an_unknown_outcome_although_the_task_exists() {
    let env = TestEnv::start().await;
    let upstream = client(&env);
    env.sim.handle().set_faults(Faults {
        drop_response_rate: 1.0,
        ..Faults::none()
    });
    let err = upstream.submit(&custom()).await.unwrap_err();
    assert!(
        matches!(err, UpstreamError::OutcomeUnknown { .. }),
        "{err:?}"
    );
    assert_eq!(err.retry(), Retry::Unknown);
    assert_eq!(env.sim.handle().stats().tasks_created, 1);
}

#[tokio::test]
async fn a_failed_task_carries_its_reason() {
    let env = TestEnv::with_sim(SimConfig {
        clock: SimClock::fast(),
        faults: Faults {
            failure_rate: 1.0,
            ..Faults::none()
        },
        ..SimConfig::default()
    })
    .await;
    let upstream = client(&env);
    let ids = vec![
        upstream.submit(&describe()).await.unwrap(),
        upstream.submit(&describe()).await.unwrap(),
    ];
    let reasons = wait_for("both tasks to fail", Duration::from_secs(10), || async {
        let reply = upstream.poll(&ids).await.unwrap();
        let failed: Vec<String> = reply
            .reports
            .iter()
            .filter(|r| r.status == TaskStatus::Failed)
            .filter_map(|r| r.failure_reason.clone())
            .collect();
        (failed.len() == 2).then_some(failed)
    })
    .await;
    assert!(reasons.iter().all(|r| !r.is_empty()), "{reasons:?}");
}

#[tokio::test]
async fn a_wrong_api_key_is_a_permanent_refusal() {
    let env = TestEnv::with_sim(SimConfig {
        clock: SimClock::fast(),
        api_key: Some("the-right-key".into()),
        ..SimConfig::default()
    })
    .await;
    let upstream = UpstreamClient::new(
        env.config_with(&[("CHORUS_UPSTREAM_API_KEY", "wrong")])
            .upstream
            .settings(),
    )
    .unwrap();
    let err = upstream.submit(&describe()).await.unwrap_err();
    assert!(
        matches!(err, UpstreamError::Refused { status: 401, .. }),
        "{err:?}"
    );
    assert_eq!(err.retry(), Retry::Never);

    let right = env.config_with(&[("CHORUS_UPSTREAM_API_KEY", "the-right-key")]);
    let upstream = UpstreamClient::new(right.upstream.settings()).unwrap();
    upstream.submit(&describe()).await.unwrap();
}

#[tokio::test]
async fn polls_stay_within_25_ids_and_unknown_ids_come_back_missing() {
    let env = TestEnv::start().await;
    let upstream = client(&env);
    let known = upstream.submit(&describe()).await.unwrap();
    let mut ids: Vec<TaskId> = (0..24)
        .map(|_| TaskId::new(uuid::Uuid::new_v4().to_string()))
        .collect();
    ids.push(known.clone());

    let reply = upstream.poll(&ids).await.unwrap();
    assert_eq!(reply.reports.len(), 1);
    assert_eq!(reply.reports[0].task_id, known);
    assert_eq!(reply.missing.len(), 24);

    ids.push(TaskId::new(uuid::Uuid::new_v4().to_string()));
    let err = upstream.poll(&ids).await.unwrap_err();
    assert!(
        matches!(err, UpstreamError::TooManyIds { count: 26 }),
        "{err:?}"
    );
    let stats = env.sim.handle().stats();
    assert_eq!(stats.polls, 1, "the 26-id poll must not be sent");
    assert_eq!(stats.max_ids_per_poll, 25);
}

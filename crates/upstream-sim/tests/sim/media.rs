//! The files completed clips link to are real: a playable WAV per clip and
//! PNG covers, served by the simulator itself.

use serde_json::Value;

use crate::helpers::spawn_sim;

async fn fetch(sim: &crate::helpers::TestSim, url: &Value, content_type: &str) -> Vec<u8> {
    let url = url.as_str().expect("a URL");
    assert!(
        url.starts_with(&sim.base),
        "{url} is served by the simulator"
    );
    let res = sim.get(url).await;
    assert_eq!(res.status(), 200, "{url}");
    assert_eq!(res.headers()["content-type"], content_type);
    res.bytes().await.expect("body").to_vec()
}

#[tokio::test]
async fn completed_clips_link_to_playable_audio_and_png_covers() {
    let sim = spawn_sim();
    let id = sim.submit_describe().await;
    let task = sim.wait_for_status(&id, "completed").await;
    let clips = task["data"].as_array().expect("clips");

    let mut wavs = Vec::new();
    for clip in clips {
        let wav = fetch(&sim, &clip["audio_url"], "audio/wav").await;
        assert_eq!(&wav[..4], b"RIFF");
        assert_eq!(&wav[8..12], b"WAVE");
        // 16-bit mono at 8 kHz: 16 000 bytes per second of `duration`.
        let secs = clip["metadata"]["duration"].as_u64().expect("duration");
        assert!(wav.len() as u64 >= secs * 16_000, "{} bytes", wav.len());
        wavs.push(wav);
        for field in ["image_url", "image_large_url"] {
            let png = fetch(&sim, &clip[field], "image/png").await;
            assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        }
        fetch(&sim, &clip["avatar_image_url"], "image/png").await;
    }
    assert_ne!(wavs[0], wavs[1], "each clip has its own song");

    let stats = sim.handle.stats();
    assert_eq!((stats.audio_downloads, stats.image_downloads), (2, 6));
}

#[tokio::test]
async fn media_of_unknown_clips_is_not_found() {
    let sim = spawn_sim();
    let stranger = uuid::Uuid::new_v4();
    for path in [
        format!("/media/audio/{stranger}.wav"),
        format!("/media/stream/{stranger}"),
        format!("/media/image/{stranger}.png"),
        format!("/media/image-large/{stranger}.png"),
        "/media/audio/not-a-clip.wav".to_owned(),
    ] {
        let res = sim.get(&format!("{}{path}", sim.base)).await;
        assert_eq!(res.status(), 404, "{path}");
    }
}

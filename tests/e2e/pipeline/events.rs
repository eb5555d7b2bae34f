//! Every status change reaches the member's event channel, for live pages.

use std::time::Duration;

use chorus_core::events::{GenerationEvent, channel};
use futures_util::StreamExt;

use super::members::{describe, member};
use crate::helpers::spawn_app;

#[tokio::test]
async fn each_status_change_is_published_on_the_members_channel() {
    let app = spawn_app().await;
    let alice = member(&app, "alice@example.com", None).await;
    let client = redis::Client::open(app.env.redis.url()).unwrap();
    let mut pubsub = client.get_async_pubsub().await.unwrap();
    pubsub
        .subscribe(channel(app.env.redis.keyspace(), alice.id))
        .await
        .unwrap();

    let id = app.request_song(&alice, &describe()).await;
    let mut messages = pubsub.on_message();
    let mut statuses = Vec::new();
    while statuses.last().map(String::as_str) != Some("completed") {
        let message = tokio::time::timeout(Duration::from_secs(20), messages.next())
            .await
            .expect("no event arrived")
            .unwrap();
        let event: GenerationEvent =
            serde_json::from_str(&message.get_payload::<String>().unwrap()).unwrap();
        assert_eq!(event.generation_id, id);
        statuses.push(event.status);
    }
    assert_eq!(&statuses[..2], ["submitting", "submitted"], "{statuses:?}");
    assert!(statuses.contains(&"streaming".to_owned()), "{statuses:?}");
}

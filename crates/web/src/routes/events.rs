//! `GET /events`: the member's generation events as server-sent events, so
//! an open page updates as songs move on (static/live.js reads them).
//!
//! Each connection holds its own Redis pub/sub connection: a subscribed
//! connection can do nothing else, and dropping the response (the browser
//! went away) drops it and so unsubscribes.

use std::convert::Infallible;
use std::time::Duration;

use actix_web::web::Bytes;
use actix_web::{HttpResponse, get, http::header, web};
use chorus_core::events::{GenerationEvent, channel};
use futures_util::{StreamExt, stream};
use tokio::time::{Instant, interval_at};

use crate::error::WebError;
use crate::session::SignedIn;
use crate::state::AppState;

/// Often enough that proxies and load balancers keep an idle stream open.
const HEARTBEAT: Duration = Duration::from_secs(15);

#[get("/events")]
pub async fn events(
    state: web::Data<AppState>,
    signed_in: SignedIn,
) -> Result<HttpResponse, WebError> {
    let client = redis::Client::open(state.config.redis_url.as_str())?;
    let mut pubsub = client.get_async_pubsub().await?;
    pubsub
        .subscribe(channel(&state.config.keyspace(), signed_in.user.id))
        .await?;
    let messages = pubsub.into_on_message();
    let heartbeat = interval_at(Instant::now() + HEARTBEAT, HEARTBEAT);
    let updates = stream::unfold(
        (messages, heartbeat),
        |(mut messages, mut heartbeat)| async move {
            let frame = loop {
                tokio::select! {
                    message = messages.next() => match message {
                        Some(message) => {
                            if let Some(frame) = frame(message.get_payload_bytes()) {
                                break frame;
                            }
                        }
                        // Redis went away: end the stream; EventSource reconnects.
                        None => return None,
                    },
                    _ = heartbeat.tick() => break ": heartbeat\n\n".to_owned(),
                }
            };
            Some((
                Ok::<_, Infallible>(Bytes::from(frame)),
                (messages, heartbeat),
            ))
        },
    );
    // Sent at once, so the browser knows the stream is open and how soon to
    // come back after a drop.
    let opening = stream::once(async { Ok(Bytes::from_static(b"retry: 5000\n\n")) });
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        // nginx would otherwise hold events back in its buffer.
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(opening.chain(updates)))
}

/// The SSE frame for one published payload; `None` for one that is not a
/// [`GenerationEvent`], which is dropped rather than passed to the page.
fn frame(payload: &[u8]) -> Option<String> {
    let event: GenerationEvent = serde_json::from_slice(payload).ok()?;
    let json = serde_json::to_string(&event).ok()?;
    Some(format!("event: generation\ndata: {json}\n\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_framed_and_garbage_is_dropped() {
        let frame = frame(
            br#"{"generation_id":"00000000-0000-0000-0000-000000000001","status":"completed","error":null}"#,
        );
        assert_eq!(
            frame.as_deref(),
            Some(
                "event: generation\ndata: {\"generation_id\":\"00000000-0000-0000-0000-000000000001\",\"status\":\"completed\",\"error\":null}\n\n"
            )
        );
        assert_eq!(super::frame(b"not json\n\ndata: x"), None);
    }
}

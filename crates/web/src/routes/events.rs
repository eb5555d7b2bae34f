//! `GET /events`: the member's generation events and budget warnings (their
//! own budget's, and the team cap's) as server-sent events, so an open page
//! updates as songs move on and raises the budget banner (static/live.js
//! reads them).
//!
//! Each connection holds its own Redis pub/sub connection: a subscribed
//! connection can do nothing else, and dropping the response (the browser
//! went away) drops it and so unsubscribes.

use std::convert::Infallible;
use std::time::Duration;

use actix_web::web::Bytes;
use actix_web::{HttpResponse, get, http::header, web};
use chorus_core::events::{BudgetWarningEvent, GenerationEvent, channel, team_channel};
use futures_util::{StreamExt, stream};
use tokio::time::{Instant, interval_at};
use uuid::Uuid;

use crate::error::WebError;
use crate::session::{SessionId, SessionStore, SignedIn};
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
    let keyspace = state.config.keyspace();
    // Only budget warnings are published on the team's channel; every
    // member is held by the team's cap.
    let team = team_channel(&keyspace);
    pubsub
        .subscribe(&[channel(&keyspace, signed_in.user.id), team.clone()])
        .await?;
    let messages = pubsub.into_on_message();
    let heartbeat = interval_at(Instant::now() + HEARTBEAT, HEARTBEAT);
    // The stream outlives the request that opened it: at every heartbeat
    // the session must still be alive (not signed out, ended by a disable
    // or a password change, nor expired), else the stream ends.
    let session = Session {
        store: SessionStore::new(&state),
        id: signed_in.session.clone(),
        user_id: signed_in.user.id,
    };
    let updates = stream::unfold(
        (messages, heartbeat, team, session),
        |(mut messages, mut heartbeat, team, session)| async move {
            let frame = loop {
                tokio::select! {
                    message = messages.next() => match message {
                        Some(message) => {
                            let from = match message.get_channel_name() == team {
                                true => Channel::Team,
                                false => Channel::Member,
                            };
                            if let Some(frame) = frame(from, message.get_payload_bytes()) {
                                break frame;
                            }
                        }
                        // Redis went away: end the stream; EventSource reconnects.
                        None => return None,
                    },
                    _ = heartbeat.tick() => match session.is_alive().await {
                        true => break ": heartbeat\n\n".to_owned(),
                        false => return None,
                    },
                }
            };
            Some((
                Ok::<_, Infallible>(Bytes::from(frame)),
                (messages, heartbeat, team, session),
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

/// The session a stream was opened with.
struct Session {
    store: SessionStore,
    id: SessionId,
    user_id: Uuid,
}

impl Session {
    /// A Redis error counts as gone: the browser reconnects and is asked
    /// to sign in if it must.
    async fn is_alive(&self) -> bool {
        matches!(
            self.store.look_up(&self.id, Some(self.user_id)).await,
            Ok(Some(_))
        )
    }
}

/// Which channel a payload came on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Channel {
    Member,
    Team,
}

/// The SSE frame for one published payload: `generation` for a
/// [`GenerationEvent`], `budget` for a [`BudgetWarningEvent`] (which budget
/// and which month only: who took the team there and the team's figures are
/// not the member's business); `None` for anything else, which is dropped
/// rather than passed to the page. A team warning is taken from the team's
/// channel only: the member whose request raised it gets it on both.
fn frame(from: Channel, payload: &[u8]) -> Option<String> {
    if let Ok(event) = serde_json::from_slice::<GenerationEvent>(payload) {
        let json = serde_json::to_string(&event).ok()?;
        return (from == Channel::Member).then(|| format!("event: generation\ndata: {json}\n\n"));
    }
    let warning: BudgetWarningEvent = serde_json::from_slice(payload).ok()?;
    let expected = match warning.budget.as_str() {
        "member" => Channel::Member,
        "team" => Channel::Team,
        _ => return None,
    };
    if warning.kind != "budget_warning" || from != expected {
        return None;
    }
    let json = serde_json::json!({"budget": warning.budget, "month": warning.month});
    Some(format!("event: budget\ndata: {json}\n\n"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_are_framed_and_garbage_is_dropped() {
        let frame = frame(
            Channel::Member,
            br#"{"generation_id":"00000000-0000-0000-0000-000000000001","status":"completed","error":null}"#,
        );
        assert_eq!(
            frame.as_deref(),
            Some(
                "event: generation\ndata: {\"generation_id\":\"00000000-0000-0000-0000-000000000001\",\"status\":\"completed\",\"error\":null}\n\n"
            )
        );
        assert_eq!(super::frame(Channel::Member, b"not json\n\ndata: x"), None);
    }

    #[test]
    fn budget_warnings_are_relayed_once_without_whose_or_how_much() {
        let warning = |budget: &str| {
            format!(
                r#"{{"kind":"budget_warning","budget":"{budget}","user_id":"00000000-0000-0000-0000-000000000002","month":"2026-11","used_micros":80,"limit_micros":100}}"#
            )
        };
        let team = warning("team");
        assert_eq!(
            frame(Channel::Team, team.as_bytes()).as_deref(),
            Some("event: budget\ndata: {\"budget\":\"team\",\"month\":\"2026-11\"}\n\n")
        );
        // Also published on the member's own channel: relayed once.
        assert_eq!(frame(Channel::Member, team.as_bytes()), None);
        let member = warning("member");
        assert_eq!(
            frame(Channel::Member, member.as_bytes()).as_deref(),
            Some("event: budget\ndata: {\"budget\":\"member\",\"month\":\"2026-11\"}\n\n")
        );
        assert_eq!(frame(Channel::Team, member.as_bytes()), None);
        assert_eq!(frame(Channel::Member, warning("<b>").as_bytes()), None);
    }
}

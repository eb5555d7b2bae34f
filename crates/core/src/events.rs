//! Status changes, published on Redis per member so the web app can relay
//! them to the browser as they happen. Best effort: a page that missed an
//! event still reads the truth from Postgres.

use redis::aio::ConnectionManager;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::billing::BudgetWarning;
use crate::freshness;
use crate::keyspace::Keyspace;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GenerationEvent {
    pub generation_id: Uuid,
    pub status: String,
    pub error: Option<String>,
}

/// The channel a member's events are published on.
pub fn channel(keyspace: &Keyspace, user_id: Uuid) -> String {
    keyspace.key(&format!("events:user:{user_id}"))
}

/// The channel of events for the whole team (admins' pages).
pub fn team_channel(keyspace: &Keyspace) -> String {
    keyspace.key("events:team")
}

/// A month reached 80 % of a budget: `{"kind": "budget_warning",
/// "budget": "member" | "team", "month": "2026-11", …}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetWarningEvent {
    pub kind: String,
    pub budget: String,
    pub user_id: Uuid,
    pub month: String,
    pub used_micros: i64,
    pub limit_micros: i64,
}

impl BudgetWarningEvent {
    pub fn new(warning: &BudgetWarning) -> BudgetWarningEvent {
        BudgetWarningEvent {
            kind: "budget_warning".to_owned(),
            budget: warning.budget.as_str().to_owned(),
            user_id: warning.user_id,
            month: crate::billing::zone::month_label(warning.month),
            used_micros: warning.used.as_i64(),
            limit_micros: warning.limit.as_i64(),
        }
    }
}

/// Publishes a budget warning: the member's on their channel; the team's on
/// the team channel and on the channel of the member whose request took the
/// team there.
pub async fn publish_budget_warning(
    redis: &ConnectionManager,
    keyspace: &Keyspace,
    warning: &BudgetWarning,
) -> redis::RedisResult<()> {
    let event = BudgetWarningEvent::new(warning);
    let payload = serde_json::to_string(&event).map_err(|e| {
        redis::RedisError::from((redis::ErrorKind::Client, "event encoding", e.to_string()))
    })?;
    let mut channels = vec![channel(keyspace, warning.user_id)];
    if warning.budget == crate::billing::BudgetKind::Team {
        channels.push(team_channel(keyspace));
    }
    for name in channels {
        redis::cmd("PUBLISH")
            .arg(name)
            .arg(&payload)
            .query_async::<i64>(&mut redis.clone())
            .await?;
    }
    Ok(())
}

pub async fn publish(
    redis: &ConnectionManager,
    keyspace: &Keyspace,
    user_id: Uuid,
    event: &GenerationEvent,
) -> redis::RedisResult<()> {
    let payload = serde_json::to_string(event).map_err(|e| {
        redis::RedisError::from((redis::ErrorKind::Client, "event encoding", e.to_string()))
    })?;
    // The stamps move first, in the same round trip: a page reloaded on
    // this event reads the new state, never a kept copy.
    redis::pipe()
        .incr(freshness::member_key(keyspace, user_id), 1)
        .ignore()
        .incr(freshness::activity_key(keyspace), 1)
        .ignore()
        .publish(channel(keyspace, user_id), payload)
        .ignore()
        .exec_async(&mut redis.clone())
        .await
}

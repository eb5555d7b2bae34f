//! Sessions in Redis.
//!
//! - `session:<sha256 of id>`: JSON `{user_id, created_at}`, expiring after
//!   [`SESSION_TTL`];
//! - `session-index:<user_id>`: the set of that user's session hashes, so
//!   all of them can be ended at once (password change; later, an admin
//!   disabling someone).

use actix_web::HttpRequest;
use chorus_core::freshness::{self, Freshness};
use chorus_core::keyspace::Keyspace;
use redis::AsyncCommands;
use redis::aio::ConnectionManager;
use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use uuid::Uuid;

use crate::error::WebError;
use crate::session::{SESSION_COOKIE, SESSION_TTL};
use crate::state::AppState;
use crate::tokens;

/// The cookie value: secret, only ever in the browser and in transit. Its
/// hash, what Redis knows it by, is worked out once: every request needs it.
#[derive(Clone, PartialEq, Eq)]
pub struct SessionId {
    value: String,
    hash: String,
}

impl SessionId {
    fn new(value: String) -> SessionId {
        SessionId {
            hash: tokens::sha256_hex(&value),
            value,
        }
    }

    /// A cookie value, if it has our tokens' shape.
    pub fn parse(text: &str) -> Option<SessionId> {
        tokens::is_well_formed(text).then(|| SessionId::new(text.to_owned()))
    }

    /// The id in the request's session cookie, if it has the right shape.
    pub fn of_request(req: &HttpRequest) -> Option<SessionId> {
        req.cookie(SESSION_COOKIE)
            .and_then(|cookie| SessionId::parse(cookie.value()))
    }

    /// Only for a cookie that tells the browser to forget its id.
    pub(super) fn empty() -> SessionId {
        SessionId::new(String::new())
    }

    pub fn as_str(&self) -> &str {
        &self.value
    }

    /// Hex SHA-256: what Redis knows the session by.
    pub(crate) fn hash(&self) -> &str {
        &self.hash
    }
}

// Never print the secret, not even in debug logs.
impl std::fmt::Debug for SessionId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SessionId(…)")
    }
}

#[derive(Serialize, Deserialize)]
struct SessionRecord {
    user_id: Uuid,
    /// Unix seconds.
    created_at: i64,
}

#[derive(Clone)]
pub struct SessionStore {
    redis: ConnectionManager,
    keyspace: Keyspace,
}

impl SessionStore {
    pub fn new(state: &AppState) -> SessionStore {
        SessionStore {
            redis: state.redis.clone(),
            keyspace: state.config.keyspace(),
        }
    }

    fn key(&self, hash: &str) -> String {
        self.keyspace.key(&format!("session:{hash}"))
    }

    fn index_key(&self, user_id: Uuid) -> String {
        self.keyspace.key(&format!("session-index:{user_id}"))
    }

    /// Starts a session for the user under a fresh id.
    pub async fn start(&self, user_id: Uuid) -> Result<SessionId, WebError> {
        let id = SessionId::new(tokens::random_token()?);
        let hash = id.hash();
        let record = SessionRecord {
            user_id,
            created_at: OffsetDateTime::now_utc().unix_timestamp(),
        };
        let json = serde_json::to_string(&record)
            .map_err(|e| WebError::Internal(format!("session record: {e}")))?;
        let ttl = SESSION_TTL.as_secs();
        let index = self.index_key(user_id);
        redis::pipe()
            .atomic()
            .set_ex(self.key(hash), json, ttl)
            .sadd(&index, hash)
            // The index outlives its newest session by nothing.
            .expire(&index, ttl as i64)
            .exec_async(&mut self.redis.clone())
            .await?;
        Ok(id)
    }

    /// The user a live session belongs to.
    pub async fn user_of(&self, id: &SessionId) -> Result<Option<Uuid>, WebError> {
        let json: Option<String> = self.redis.clone().get(self.key(id.hash())).await?;
        let Some(json) = json else { return Ok(None) };
        match serde_json::from_str::<SessionRecord>(&json) {
            Ok(record) => Ok(Some(record.user_id)),
            Err(e) => {
                tracing::warn!(error = %e, "unreadable session record; treating it as signed out");
                Ok(None)
            }
        }
    }

    /// The user of a live session and the stamps their pages' data is
    /// checked against (see [`chorus_core::freshness`]), in one round trip
    /// when the session's user is known from an earlier request.
    pub async fn look_up(
        &self,
        id: &SessionId,
        known_user: Option<Uuid>,
    ) -> Result<Option<(Uuid, Freshness)>, WebError> {
        let user_id = match known_user {
            Some(user_id) => user_id,
            None => match self.user_of(id).await? {
                Some(user_id) => user_id,
                None => return Ok(None),
            },
        };
        let (record, team, member): (Option<String>, Option<u64>, Option<u64>) = redis::cmd("MGET")
            .arg(self.key(id.hash()))
            .arg(freshness::team_key(&self.keyspace))
            .arg(freshness::member_key(&self.keyspace, user_id))
            .query_async(&mut self.redis.clone())
            .await?;
        // Ended since (or never there): signed out.
        let Some(record) = record else {
            return Ok(None);
        };
        match serde_json::from_str::<SessionRecord>(&record) {
            Ok(record) if record.user_id == user_id => Ok(Some((
                user_id,
                Freshness {
                    team: team.unwrap_or(0),
                    member: member.unwrap_or(0),
                },
            ))),
            _ => Ok(None),
        }
    }

    /// Ends one session; ending one that is gone already is no error.
    pub async fn end(&self, id: &SessionId) -> Result<(), WebError> {
        let Some(user_id) = self.user_of(id).await? else {
            return Ok(());
        };
        let hash = id.hash();
        redis::pipe()
            .atomic()
            .del(self.key(hash))
            .srem(self.index_key(user_id), hash)
            .exec_async(&mut self.redis.clone())
            .await?;
        Ok(())
    }

    /// Ends every session of the user but `keep` (the browser asking).
    pub async fn end_all(&self, user_id: Uuid, keep: Option<&SessionId>) -> Result<(), WebError> {
        let index = self.index_key(user_id);
        let keep = keep.map(SessionId::hash);
        let hashes: Vec<String> = self.redis.clone().smembers(&index).await?;
        let doomed: Vec<&String> = hashes
            .iter()
            .filter(|hash| Some(hash.as_str()) != keep)
            .collect();
        if doomed.is_empty() {
            return Ok(());
        }
        let keys: Vec<String> = doomed.iter().map(|hash| self.key(hash)).collect();
        redis::pipe()
            .atomic()
            .del(keys)
            .srem(&index, doomed)
            .exec_async(&mut self.redis.clone())
            .await?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn only_the_hash_of_an_id_is_used_and_it_is_never_printed() {
        let id = SessionId::parse(&tokens::random_token().unwrap()).unwrap();
        assert_eq!(id.hash().len(), 64);
        assert!(!id.hash().contains(id.as_str()));
        assert_eq!(format!("{id:?}"), "SessionId(…)");
        assert!(SessionId::parse("short").is_none());
    }
}

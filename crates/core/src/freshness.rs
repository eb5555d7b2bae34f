//! Freshness stamps: counters in Redis that say "what you read before may
//! have changed". The web app keeps pages' data in memory and trusts a kept
//! copy only while the stamps it was read under are unchanged, so a change
//! made through Chorus shows on the very next page.
//!
//! - the team stamp moves after any change made through the web app or the
//!   API (accounts, requests, publishing, favourites) and after media is
//!   archived: anything any member may see;
//! - a member's stamp moves with every status change of their songs (the
//!   worker's events, see [`crate::events`]);
//! - the activity stamp moves with every such change of anyone's: what
//!   pages about the whole team (the admin's) are checked against.
//!
//! Every stamp moves after the change is committed, so a reader that sees
//! the new stamp also sees the change. Writers that go around Chorus (SQL
//! by hand) are not seen until kept copies age out (the web app's TTL).

use redis::aio::ConnectionManager;
use uuid::Uuid;

use crate::keyspace::Keyspace;

/// The stamps a page's data was read under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Freshness {
    pub team: u64,
    pub member: u64,
}

/// Where the stamps live.
#[derive(Clone)]
pub struct Stamps {
    redis: ConnectionManager,
    keyspace: Keyspace,
}

impl Stamps {
    pub fn new(redis: ConnectionManager, keyspace: Keyspace) -> Stamps {
        Stamps { redis, keyspace }
    }

    pub fn team_key(&self) -> String {
        team_key(&self.keyspace)
    }

    pub fn member_key(&self, user_id: Uuid) -> String {
        member_key(&self.keyspace, user_id)
    }

    /// The stamps a page about the whole team is checked against: the
    /// team's and the activity stamp (in `member`'s place).
    pub async fn team_activity(&self) -> redis::RedisResult<Freshness> {
        let (team, activity): (Option<u64>, Option<u64>) = redis::cmd("MGET")
            .arg(self.team_key())
            .arg(activity_key(&self.keyspace))
            .query_async(&mut self.redis.clone())
            .await?;
        Ok(Freshness {
            team: team.unwrap_or(0),
            member: activity.unwrap_or(0),
        })
    }

    /// Something only this member sees has changed (their own settings).
    pub async fn touch_member(&self, user_id: Uuid) -> redis::RedisResult<()> {
        redis::cmd("INCR")
            .arg(self.member_key(user_id))
            .query_async::<u64>(&mut self.redis.clone())
            .await?;
        Ok(())
    }

    /// Something any member may see has changed.
    pub async fn touch_team(&self) -> redis::RedisResult<()> {
        redis::cmd("INCR")
            .arg(self.team_key())
            .query_async::<u64>(&mut self.redis.clone())
            .await?;
        Ok(())
    }
}

pub fn team_key(keyspace: &Keyspace) -> String {
    keyspace.key("stamp:team")
}

pub fn member_key(keyspace: &Keyspace, user_id: Uuid) -> String {
    keyspace.key(&format!("stamp:member:{user_id}"))
}

pub fn activity_key(keyspace: &Keyspace) -> String {
    keyspace.key("stamp:activity")
}

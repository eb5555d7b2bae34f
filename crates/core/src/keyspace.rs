//! Redis access under one key prefix, so several Chorus instances, or
//! several tests, can share a Redis server without seeing each other.

use std::time::Duration;

use redis::aio::{ConnectionManager, ConnectionManagerConfig};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Keyspace {
    prefix: String,
}

#[derive(Debug, thiserror::Error)]
#[error("cannot reach Redis at {url}: {source}")]
pub struct RedisUnreachable {
    pub url: String,
    pub source: redis::RedisError,
}

impl Keyspace {
    pub fn new(prefix: impl Into<String>) -> Keyspace {
        Keyspace {
            prefix: prefix.into(),
        }
    }

    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The full name of a key or channel: `prefix:name`.
    pub fn key(&self, name: &str) -> String {
        format!("{}:{name}", self.prefix)
    }

    /// A pattern matching every key of this keyspace.
    pub fn pattern(&self) -> String {
        format!("{}:*", self.prefix)
    }
}

/// Connects and checks with a PING, so a wrong URL fails at start-up rather
/// than at the first song.
pub async fn connect(url: &str) -> Result<ConnectionManager, RedisUnreachable> {
    let unreachable = |source| RedisUnreachable {
        url: url.to_owned(),
        source,
    };
    let client = redis::Client::open(url).map_err(unreachable)?;
    // Fail start-up within seconds rather than retrying for long; later
    // outages are bridged by the manager's own reconnects.
    let config = ConnectionManagerConfig::new()
        .set_number_of_retries(2)
        .set_max_delay(Duration::from_millis(500))
        .set_connection_timeout(Some(Duration::from_secs(5)));
    let mut conn = ConnectionManager::new_with_config(client, config)
        .await
        .map_err(unreachable)?;
    redis::cmd("PING")
        .query_async::<String>(&mut conn)
        .await
        .map_err(unreachable)?;
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_carry_the_prefix() {
        let ks = Keyspace::new("chorus-test:42");
        assert_eq!(ks.key("events:user:1"), "chorus-test:42:events:user:1");
        assert_eq!(ks.pattern(), "chorus-test:42:*");
    }
}

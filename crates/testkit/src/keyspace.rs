use chorus_core::keyspace::{self, Keyspace};
use redis::aio::ConnectionManager;

use crate::blocking::run_to_completion;

const DEFAULT_URL: &str = "redis://127.0.0.1:6379";

/// A Redis key prefix of its own for one test; its keys are deleted when the
/// test ends.
pub struct TestRedis {
    url: String,
    keyspace: Keyspace,
    conn: ConnectionManager,
}

impl TestRedis {
    /// A prefix on the Redis at `REDIS_URL` (default the local one).
    pub async fn new() -> TestRedis {
        let url = std::env::var("REDIS_URL").unwrap_or_else(|_| DEFAULT_URL.to_owned());
        TestRedis::on(url).await
    }

    async fn on(url: String) -> TestRedis {
        let conn = keyspace::connect(&url).await.unwrap_or_else(|e| {
            panic!(
                "{e}. Start it with `redis-server --daemonize yes --bind 127.0.0.1 -::1 \
                 --port 6379 --save \"\" --appendonly no`, or set REDIS_URL."
            )
        });
        let keyspace = Keyspace::new(format!("chorus-test:{}", uuid::Uuid::new_v4().simple()));
        TestRedis {
            url,
            keyspace,
            conn,
        }
    }

    pub fn url(&self) -> &str {
        &self.url
    }

    pub fn keyspace(&self) -> &Keyspace {
        &self.keyspace
    }

    /// A connection for assertions on what Chorus wrote.
    pub fn connection(&self) -> ConnectionManager {
        self.conn.clone()
    }

    /// Every key under this test's prefix.
    pub async fn keys(&self) -> Vec<String> {
        keys_matching(&mut self.conn.clone(), &self.keyspace.pattern()).await
    }
}

async fn keys_matching(conn: &mut ConnectionManager, pattern: &str) -> Vec<String> {
    let mut keys = Vec::new();
    let mut cursor: u64 = 0;
    loop {
        let (next, batch): (u64, Vec<String>) = redis::cmd("SCAN")
            .arg(cursor)
            .arg("MATCH")
            .arg(pattern)
            .arg("COUNT")
            .arg(1000)
            .query_async(conn)
            .await
            .unwrap_or_default();
        keys.extend(batch);
        if next == 0 {
            return keys;
        }
        cursor = next;
    }
}

impl Drop for TestRedis {
    fn drop(&mut self) {
        let (url, pattern) = (self.url.clone(), self.keyspace.pattern());
        run_to_completion(async move {
            if let Ok(mut conn) = keyspace::connect(&url).await {
                let keys = keys_matching(&mut conn, &pattern).await;
                if !keys.is_empty() {
                    let _: Result<(), _> = redis::cmd("DEL").arg(keys).query_async(&mut conn).await;
                }
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    #[should_panic(expected = "cannot reach Redis at redis://127.0.0.1:1")]
    async fn an_unreachable_redis_fails_the_test_and_says_how_to_start_it() {
        TestRedis::on("redis://127.0.0.1:1".to_owned()).await;
    }

    #[tokio::test]
    async fn each_test_gets_its_own_prefix_and_its_keys_are_deleted() {
        let (a, b) = tokio::join!(TestRedis::new(), TestRedis::new());
        assert_ne!(a.keyspace(), b.keyspace());
        let key = a.keyspace().key("probe");
        let _: () = redis::cmd("SET")
            .arg(&key)
            .arg("1")
            .query_async(&mut a.connection())
            .await
            .unwrap();
        assert_eq!(a.keys().await, vec![key.clone()]);
        assert!(b.keys().await.is_empty());

        let mut conn = b.connection();
        drop(a);
        let exists: bool = redis::cmd("EXISTS")
            .arg(&key)
            .query_async(&mut conn)
            .await
            .unwrap();
        assert!(!exists, "{key} survived its test");
    }
}

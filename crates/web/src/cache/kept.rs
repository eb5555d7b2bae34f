use std::future::Future;
use std::hash::Hash;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chorus_core::freshness::Freshness;

/// A bounded map of values read from the database, each trusted only under
/// the stamps it was read under and only for `trusted_for`.
pub struct Kept<K, V> {
    entries: quick_cache::sync::Cache<K, Entry<V>>,
    trusted_for: Duration,
}

struct Entry<V> {
    read_under: Freshness,
    read_at: Instant,
    value: Arc<V>,
}

impl<V> Clone for Entry<V> {
    fn clone(&self) -> Entry<V> {
        Entry {
            read_under: self.read_under,
            read_at: self.read_at,
            value: Arc::clone(&self.value),
        }
    }
}

impl<K: Eq + Hash + Clone, V> Kept<K, V> {
    pub fn new(capacity: usize, trusted_for: Duration) -> Kept<K, V> {
        Kept {
            entries: quick_cache::sync::Cache::new(capacity),
            trusted_for,
        }
    }

    /// The kept value, if it was read under `now` and is recent enough.
    pub fn get(&self, key: &K, now: Freshness) -> Option<Arc<V>> {
        self.entries
            .get(key)
            .filter(|entry| entry.read_under == now && entry.read_at.elapsed() < self.trusted_for)
            .map(|entry| entry.value)
    }

    /// Keeps `value`, read under `then` (stamps read BEFORE the query, so a
    /// change committed meanwhile moves them past `then`).
    pub fn keep(&self, key: K, then: Freshness, value: V) -> Arc<V> {
        self.keep_read_at(key, then, Instant::now(), value)
    }

    /// Like [`Kept::keep`], for a value whose reading began at `read_at`:
    /// it is trusted for `trusted_for` from then, not from when it ended.
    fn keep_read_at(&self, key: K, then: Freshness, read_at: Instant, value: V) -> Arc<V> {
        let value = Arc::new(value);
        self.entries.insert(
            key,
            Entry {
                read_under: then,
                read_at,
                value: Arc::clone(&value),
            },
        );
        value
    }

    /// The kept value, else `load`'s, kept when `worth_keeping` says so
    /// (a song still in flight changes without the stamps knowing soon
    /// enough to be worth it).
    pub async fn get_or_load<E, Fut>(
        &self,
        key: K,
        now: Freshness,
        load: impl FnOnce() -> Fut,
        worth_keeping: impl FnOnce(&V) -> bool,
    ) -> Result<Arc<V>, E>
    where
        Fut: Future<Output = Result<V, E>>,
    {
        if let Some(value) = self.get(&key, now) {
            return Ok(value);
        }
        let read_at = Instant::now();
        let value = load().await?;
        if worth_keeping(&value) {
            Ok(self.keep_read_at(key, now, read_at, value))
        } else {
            Ok(Arc::new(value))
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    const THEN: Freshness = Freshness { team: 1, member: 7 };

    #[test]
    fn a_kept_value_is_trusted_only_under_the_same_stamps() {
        let kept = Kept::new(10, Duration::from_secs(60));
        kept.keep("page", THEN, 42);
        assert_eq!(kept.get(&"page", THEN).as_deref(), Some(&42));
        let team_moved = Freshness { team: 2, ..THEN };
        let member_moved = Freshness { member: 8, ..THEN };
        assert_eq!(kept.get(&"page", team_moved), None);
        assert_eq!(kept.get(&"page", member_moved), None);
        assert_eq!(kept.get(&"other", THEN), None);
    }

    #[test]
    fn a_kept_value_ages_out() {
        let kept = Kept::new(10, Duration::from_millis(30));
        kept.keep("page", THEN, 42);
        std::thread::sleep(Duration::from_millis(40));
        assert_eq!(kept.get(&"page", THEN), None);
    }

    #[tokio::test]
    async fn only_values_worth_keeping_are_kept() {
        let kept: Kept<&str, i32> = Kept::new(10, Duration::from_secs(60));
        let loaded: Result<_, ()> = kept
            .get_or_load("in flight", THEN, || async { Ok(1) }, |_| false)
            .await;
        assert_eq!(*loaded.unwrap(), 1);
        assert_eq!(kept.get(&"in flight", THEN), None);
        let loaded: Result<_, ()> = kept
            .get_or_load("final", THEN, || async { Ok(2) }, |_| true)
            .await;
        assert_eq!(*loaded.unwrap(), 2);
        // A kept value is answered without loading again.
        let again: Result<_, ()> = kept
            .get_or_load("final", THEN, || async { Err(()) }, |_| true)
            .await;
        assert_eq!(*again.unwrap(), 2);
    }
}

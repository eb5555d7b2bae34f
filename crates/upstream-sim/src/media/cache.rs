//! A small, bounded cache of generated media, so a client that downloads
//! the same clip repeatedly (streaming, then archiving) does not pay for the
//! synthesis twice, while memory stays flat however many tasks exist.

use std::collections::VecDeque;
use std::sync::Mutex;

use bytes::Bytes;
use uuid::Uuid;

/// Entries kept; at most about 160 KB each, so a few MB in all.
const CAPACITY: usize = 32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum MediaKind {
    Audio,
    Image,
    ImageLarge,
}

#[derive(Default)]
pub(crate) struct MediaCache {
    entries: Mutex<VecDeque<((MediaKind, Uuid), Bytes)>>,
}

impl MediaCache {
    /// The cached bytes for `key`, or `make`'s output, remembered. The
    /// lock is not held while generating; a rare duplicate render is cheaper
    /// than serialising every request behind one.
    pub fn get_or_make<E>(
        &self,
        kind: MediaKind,
        id: Uuid,
        make: impl FnOnce() -> Result<Vec<u8>, E>,
    ) -> Result<Bytes, E> {
        let key = (kind, id);
        if let Some(hit) = self.lookup(key) {
            return Ok(hit);
        }
        let bytes = Bytes::from(make()?);
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if !entries.iter().any(|(k, _)| *k == key) {
            if entries.len() >= CAPACITY {
                entries.pop_front();
            }
            entries.push_back((key, bytes.clone()));
        }
        Ok(bytes)
    }

    fn lookup(&self, key: (MediaKind, Uuid)) -> Option<Bytes> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries
            .iter()
            .find(|(k, _)| *k == key)
            .map(|(_, b)| b.clone())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_stays_bounded_and_remembers_recent_entries() {
        let cache = MediaCache::default();
        let ids: Vec<Uuid> = (0..CAPACITY + 5).map(|_| Uuid::new_v4()).collect();
        for id in &ids {
            let made = cache.get_or_make(MediaKind::Audio, *id, || Ok::<_, ()>(vec![1, 2, 3]));
            assert!(made.is_ok());
        }
        let len = cache.entries.lock().map(|e| e.len()).unwrap_or_default();
        assert_eq!(len, CAPACITY);
        let last = ids[ids.len() - 1];
        let again = cache.get_or_make(MediaKind::Audio, last, || Err("must not re-render"));
        assert_eq!(again.as_deref(), Ok(&[1u8, 2, 3][..]));
    }
}

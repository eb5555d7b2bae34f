//! Counters that tests and benchmarks assert on, so each is counted exactly
//! once, at one place.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// What the simulator has seen since start or the last reset.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct SimStats {
    /// `POST /api/v2/music/task` requests received, whatever their outcome.
    pub submissions: u64,
    /// Tasks actually created (including those whose response was dropped).
    pub tasks_created: u64,
    /// Of the created tasks, how many were doomed to fail.
    pub tasks_doomed_to_fail: u64,
    /// Of the created tasks, how many will never finish.
    pub tasks_never_finishing: u64,
    /// `GET /api/v2/music/task` requests received, whatever their outcome.
    pub polls: u64,
    /// Ids asked for, summed over polls that were answered (1..=25 ids each).
    pub poll_ids_total: u64,
    /// Largest number of ids in one answered poll.
    pub max_ids_per_poll: u64,
    /// Answered polls by number of ids: `{"25": 3}` means three polls of 25.
    pub ids_per_poll: BTreeMap<u32, u64>,
    /// Requests answered 429 by fault injection.
    pub rejected_429: u64,
    /// Requests answered 500/503 by fault injection.
    pub rejected_5xx: u64,
    /// Submissions whose task was created but whose response was cut off.
    pub dropped_responses: u64,
    /// Requests refused for a missing or wrong `api-key`.
    pub unauthorized: u64,
    /// Requests refused as malformed (bad body, bad `ids`).
    pub bad_requests: u64,
    /// Final audio files served.
    pub audio_downloads: u64,
    /// Streaming audio responses started.
    pub audio_streams: u64,
    /// Cover images served (small, large and avatar).
    pub image_downloads: u64,
}

impl SimStats {
    /// Records an answered poll of `ids` ids.
    pub(crate) fn record_poll_ids(&mut self, ids: usize) {
        let ids = ids as u64;
        self.poll_ids_total += ids;
        self.max_ids_per_poll = self.max_ids_per_poll.max(ids);
        *self.ids_per_poll.entry(ids as u32).or_default() += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_per_poll_is_a_histogram_keyed_by_count() {
        let mut s = SimStats::default();
        s.record_poll_ids(25);
        s.record_poll_ids(25);
        s.record_poll_ids(3);
        assert_eq!(s.poll_ids_total, 53);
        assert_eq!(s.max_ids_per_poll, 25);
        let json = serde_json::to_value(&s).expect("stats serialise");
        assert_eq!(json["ids_per_poll"]["25"], 2);
        assert_eq!(json["ids_per_poll"]["3"], 1);
        let back: SimStats = serde_json::from_value(json).expect("stats deserialise");
        assert_eq!(back, s);
    }
}

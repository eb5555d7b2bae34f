//! Everything the handlers share: configuration, faults, counters and tasks.
//!
//! Tasks are kept behind `Arc` so a poll holds the lock only to look them
//! up, and render its reply after letting go.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard, RwLock};

use uuid::Uuid;

use crate::clock::SimClock;
use crate::faults::{Faults, roll};
use crate::media::MediaCache;
use crate::request::GenRequest;
use crate::stats::SimStats;
use crate::task::{FailShape, Fate, Task};

pub(crate) struct SimState {
    pub clock: SimClock,
    pub api_key: Option<String>,
    /// Base of every media URL in replies, without a trailing slash.
    pub public_base: String,
    pub media: MediaCache,
    faults: RwLock<Faults>,
    stats: Mutex<SimStats>,
    store: Mutex<Store>,
}

#[derive(Default)]
struct Store {
    tasks: HashMap<Uuid, Arc<Task>>,
    /// Clip id to task id, for the media routes.
    clips: HashMap<Uuid, Uuid>,
    /// Tasks doomed so far, to alternate the shape of failure reasons.
    doomed: u64,
}

/// A poisoned lock only means a handler panicked mid-update of plain data;
/// the simulator keeps serving rather than failing every later request.
fn lock<T>(m: &Mutex<T>) -> MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

impl SimState {
    pub fn new(
        clock: SimClock,
        faults: Faults,
        api_key: Option<String>,
        public_base: String,
    ) -> Self {
        Self {
            clock,
            api_key,
            public_base: public_base.trim_end_matches('/').to_owned(),
            media: MediaCache::default(),
            faults: RwLock::new(faults.clamped()),
            stats: Mutex::default(),
            store: Mutex::default(),
        }
    }

    pub fn faults(&self) -> Faults {
        *self.faults.read().unwrap_or_else(|e| e.into_inner())
    }

    pub fn set_faults(&self, faults: Faults) {
        *self.faults.write().unwrap_or_else(|e| e.into_inner()) = faults.clamped();
    }

    pub fn stats(&self) -> SimStats {
        lock(&self.stats).clone()
    }

    pub fn reset_stats(&self) {
        *lock(&self.stats) = SimStats::default();
    }

    /// Updates the counters under their lock.
    pub fn count(&self, update: impl FnOnce(&mut SimStats)) {
        update(&mut lock(&self.stats));
    }

    /// Creates a task, rolling its fate against the current faults.
    pub fn create_task(&self, request: GenRequest) -> Arc<Task> {
        let faults = self.faults();
        let mut store = lock(&self.store);
        let fate = if roll(faults.failure_rate) {
            store.doomed += 1;
            Fate::Fail(if store.doomed % 2 == 1 {
                FailShape::Text
            } else {
                FailShape::Object
            })
        } else if roll(faults.never_finish_rate) {
            Fate::NeverFinish
        } else {
            Fate::Complete
        };
        let task = Arc::new(Task::new(request, fate));
        for clip in task.clip_ids {
            store.clips.insert(clip, task.id);
        }
        store.tasks.insert(task.id, Arc::clone(&task));
        drop(store);
        self.count(|s| {
            s.tasks_created += 1;
            match fate {
                Fate::Fail(_) => s.tasks_doomed_to_fail += 1,
                Fate::NeverFinish => s.tasks_never_finishing += 1,
                Fate::Complete => {}
            }
        });
        task
    }

    /// The known tasks among `ids`, in the order asked; unknown ids are
    /// skipped, as the vendor does.
    pub fn tasks(&self, ids: &[Uuid]) -> Vec<Arc<Task>> {
        let store = lock(&self.store);
        ids.iter()
            .filter_map(|id| store.tasks.get(id).cloned())
            .collect()
    }

    /// The task a clip belongs to.
    pub fn task_of_clip(&self, clip_id: Uuid) -> Option<Arc<Task>> {
        let store = lock(&self.store);
        store
            .clips
            .get(&clip_id)
            .and_then(|t| store.tasks.get(t))
            .cloned()
    }

    pub fn task(&self, id: Uuid) -> Option<Arc<Task>> {
        lock(&self.store).tasks.get(&id).cloned()
    }

    pub fn task_count(&self) -> usize {
        lock(&self.store).tasks.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn describe() -> GenRequest {
        GenRequest::Describe {
            topic: "a song about spring".into(),
            is_instrumental: true,
            title: None,
        }
    }

    #[test]
    fn ten_thousand_tasks_are_cheap_to_keep_and_find() {
        let state = SimState::new(SimClock::fast(), Faults::none(), None, "http://x/".into());
        assert_eq!(state.public_base, "http://x");
        let ids: Vec<Uuid> = (0..10_000)
            .map(|_| state.create_task(describe()).id)
            .collect();
        assert_eq!(state.task_count(), 10_000);
        assert_eq!(state.stats().tasks_created, 10_000);
        let found = state.tasks(&ids[5_000..5_025]);
        assert_eq!(found.len(), 25);
        let clip = found[0].clip_ids[1];
        assert_eq!(state.task_of_clip(clip).map(|t| t.id), Some(ids[5_000]));
    }

    #[test]
    fn doomed_tasks_alternate_the_shape_of_their_reason() {
        let faults = Faults {
            failure_rate: 1.0,
            never_finish_rate: 1.0,
            ..Faults::none()
        };
        let state = SimState::new(SimClock::fast(), faults, None, "http://x".into());
        let fates: Vec<Fate> = (0..3).map(|_| state.create_task(describe()).fate).collect();
        assert_eq!(
            fates,
            [
                Fate::Fail(FailShape::Text),
                Fate::Fail(FailShape::Object),
                Fate::Fail(FailShape::Text)
            ]
        );
        assert_eq!(state.stats().tasks_doomed_to_fail, 3);
    }
}

//! A simulated task: what was fixed at submission, and where it stands now.

use std::time::{Duration, Instant};

use time::OffsetDateTime;
use uuid::Uuid;

use crate::clock::{Phase, SimClock};
use crate::request::GenRequest;

/// How a task ends, decided when it is submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fate {
    Complete,
    /// Fails when processing ends; `data` takes the given shape.
    Fail(FailShape),
    /// Stays `processing` forever.
    NeverFinish,
}

/// The vendor does not document the shape of a failure reason, so the
/// simulator alternates between the two a client must expect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailShape {
    Text,
    Object,
}

/// The status a poll reports for a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Queued,
    Processing,
    Streaming,
    Completed,
    Failed(FailShape),
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Queued => "queued",
            Self::Processing => "processing",
            Self::Streaming => "streaming",
            Self::Completed => "completed",
            Self::Failed(_) => "failed",
        }
    }
}

/// One submitted task. Immutable: its status follows from the clock.
#[derive(Debug, Clone)]
pub struct Task {
    pub id: Uuid,
    pub clip_ids: [Uuid; 2],
    pub request: GenRequest,
    pub fate: Fate,
    /// Wall-clock creation time, for the timestamps in replies.
    pub created_at: OffsetDateTime,
    /// Monotonic creation time, for the lifecycle.
    pub started: Instant,
}

impl Task {
    pub fn new(request: GenRequest, fate: Fate) -> Self {
        Self {
            id: Uuid::new_v4(),
            clip_ids: [Uuid::new_v4(), Uuid::new_v4()],
            request,
            fate,
            created_at: OffsetDateTime::now_utc(),
            started: Instant::now(),
        }
    }

    /// When the task reaches its final status (wall clock), if it ever does.
    pub fn finishes_at(&self, clock: &SimClock) -> Option<OffsetDateTime> {
        match self.fate {
            Fate::Complete => Some(self.created_at + clock.phase_starts(Phase::Completed)),
            Fate::Fail(_) => Some(self.created_at + clock.processing_ends()),
            Fate::NeverFinish => None,
        }
    }

    /// The status at `now`, and the offset from creation at which it began
    /// (for `updated_at`).
    pub fn status_at(&self, clock: &SimClock, now: Instant) -> (Status, Duration) {
        let elapsed = now.saturating_duration_since(self.started);
        let phase = clock.phase_at(elapsed);
        match (self.fate, phase) {
            (_, Phase::Queued) => (Status::Queued, Duration::ZERO),
            (Fate::NeverFinish, _) | (_, Phase::Processing) => {
                (Status::Processing, clock.phase_starts(Phase::Processing))
            }
            (Fate::Fail(shape), _) => (Status::Failed(shape), clock.processing_ends()),
            (Fate::Complete, Phase::Streaming) => {
                (Status::Streaming, clock.phase_starts(Phase::Streaming))
            }
            (Fate::Complete, Phase::Completed) => {
                (Status::Completed, clock.phase_starts(Phase::Completed))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn task(fate: Fate) -> Task {
        let req = GenRequest::Describe {
            topic: "t".into(),
            is_instrumental: true,
            title: None,
        };
        Task::new(req, fate)
    }

    fn status_after(t: &Task, ms: u64) -> Status {
        let clock = SimClock::from_millis(10, 10, 10);
        t.status_at(&clock, t.started + Duration::from_millis(ms)).0
    }

    #[test]
    fn fates_shape_the_lifecycle() {
        let ok = task(Fate::Complete);
        let statuses: Vec<_> = [0, 15, 25, 35].map(|ms| status_after(&ok, ms)).into();
        assert_eq!(
            statuses,
            [
                Status::Queued,
                Status::Processing,
                Status::Streaming,
                Status::Completed
            ]
        );
        let doomed = task(Fate::Fail(FailShape::Text));
        assert_eq!(status_after(&doomed, 15), Status::Processing);
        assert_eq!(status_after(&doomed, 25), Status::Failed(FailShape::Text));
        let stuck = task(Fate::NeverFinish);
        assert_eq!(status_after(&stuck, 0), Status::Queued);
        assert_eq!(status_after(&stuck, 1_000_000), Status::Processing);
    }
}

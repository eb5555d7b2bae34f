//! How long a simulated task spends in each phase.
//!
//! A task's status is a pure function of the time elapsed since it was
//! created, so no background task has to advance anything.

use std::time::Duration;

/// Phase durations; a task is `completed` after their sum.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SimClock {
    pub queued: Duration,
    pub processing: Duration,
    pub streaming: Duration,
}

/// Where a task is in its life, as far as the clock is concerned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Phase {
    Queued,
    Processing,
    Streaming,
    Completed,
}

impl SimClock {
    /// About 30 s from submission to completion: long enough to watch a song
    /// progress in the browser, short enough for a demo.
    pub fn demo() -> Self {
        Self {
            queued: Duration::from_secs(3),
            processing: Duration::from_secs(12),
            streaming: Duration::from_secs(15),
        }
    }

    /// A few hundred milliseconds in all, for tests.
    pub fn fast() -> Self {
        Self {
            queued: Duration::from_millis(50),
            processing: Duration::from_millis(100),
            streaming: Duration::from_millis(150),
        }
    }

    /// Phase durations in milliseconds, in lifecycle order.
    pub fn from_millis(queued: u64, processing: u64, streaming: u64) -> Self {
        Self {
            queued: Duration::from_millis(queued),
            processing: Duration::from_millis(processing),
            streaming: Duration::from_millis(streaming),
        }
    }

    /// The phase a task is in after `elapsed`, ignoring its fate.
    pub fn phase_at(&self, elapsed: Duration) -> Phase {
        if elapsed < self.queued {
            Phase::Queued
        } else if elapsed < self.processing_ends() {
            Phase::Processing
        } else if elapsed < self.total() {
            Phase::Streaming
        } else {
            Phase::Completed
        }
    }

    /// Offset from creation at which `phase` begins.
    pub fn phase_starts(&self, phase: Phase) -> Duration {
        match phase {
            Phase::Queued => Duration::ZERO,
            Phase::Processing => self.queued,
            Phase::Streaming => self.processing_ends(),
            Phase::Completed => self.total(),
        }
    }

    /// When processing ends: streaming starts here, and doomed tasks fail here.
    pub fn processing_ends(&self) -> Duration {
        self.queued.saturating_add(self.processing)
    }

    /// Time from creation to completion.
    pub fn total(&self) -> Duration {
        self.processing_ends().saturating_add(self.streaming)
    }
}

impl Default for SimClock {
    fn default() -> Self {
        Self::demo()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phases_follow_each_other_at_their_boundaries() {
        let clock = SimClock::from_millis(10, 20, 30);
        let at = |ms| clock.phase_at(Duration::from_millis(ms));
        assert_eq!(at(0), Phase::Queued);
        assert_eq!(at(9), Phase::Queued);
        assert_eq!(at(10), Phase::Processing);
        assert_eq!(at(29), Phase::Processing);
        assert_eq!(at(30), Phase::Streaming);
        assert_eq!(at(59), Phase::Streaming);
        assert_eq!(at(60), Phase::Completed);
        assert_eq!(
            clock.phase_starts(Phase::Streaming),
            Duration::from_millis(30)
        );
    }

    #[test]
    fn demo_takes_about_half_a_minute() {
        assert_eq!(SimClock::demo().total(), Duration::from_secs(30));
    }
}

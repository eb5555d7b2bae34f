use std::fmt;

/// `pending → submitting → submitted/queued/processing → streaming →
/// completed`, with `failed` reachable from every state before the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GenerationStatus {
    Pending,
    Submitting,
    Submitted,
    Queued,
    Processing,
    Streaming,
    Completed,
    Failed,
}

impl GenerationStatus {
    pub const ALL: [GenerationStatus; 8] = [
        GenerationStatus::Pending,
        GenerationStatus::Submitting,
        GenerationStatus::Submitted,
        GenerationStatus::Queued,
        GenerationStatus::Processing,
        GenerationStatus::Streaming,
        GenerationStatus::Completed,
        GenerationStatus::Failed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            GenerationStatus::Pending => "pending",
            GenerationStatus::Submitting => "submitting",
            GenerationStatus::Submitted => "submitted",
            GenerationStatus::Queued => "queued",
            GenerationStatus::Processing => "processing",
            GenerationStatus::Streaming => "streaming",
            GenerationStatus::Completed => "completed",
            GenerationStatus::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<GenerationStatus> {
        GenerationStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == text)
    }

    /// Accepted upstream and not finished: the poller's business.
    pub fn is_in_flight(self) -> bool {
        matches!(
            self,
            GenerationStatus::Submitted
                | GenerationStatus::Queued
                | GenerationStatus::Processing
                | GenerationStatus::Streaming
        )
    }

    pub fn is_final(self) -> bool {
        matches!(self, GenerationStatus::Completed | GenerationStatus::Failed)
    }
}

impl fmt::Display for GenerationStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_round_trips_through_its_name() {
        for status in GenerationStatus::ALL {
            assert_eq!(GenerationStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(GenerationStatus::parse("complete"), None);
    }
}

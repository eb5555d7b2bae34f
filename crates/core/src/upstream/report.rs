//! What a poll tells us about each task. Built by [`parse`](super::parse)
//! from the vendor's loosely shaped JSON; every field a client might miss is
//! optional.

use super::request::TaskId;

/// The answer to one poll.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PollReply {
    /// One per identifiable element, in reply order.
    pub reports: Vec<TaskReport>,
    /// Ids we asked for that the reply does not mention.
    pub missing: Vec<TaskId>,
    /// Elements without a usable `task_id`: they cannot be attributed.
    pub unreadable: usize,
}

/// One task as the upstream last described it.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskReport {
    pub task_id: TaskId,
    pub status: TaskStatus,
    /// Known clip ids: from `data.clip_ids` (queued) and from the clips.
    pub clip_ids: Vec<String>,
    pub clips: Vec<Clip>,
    /// Why a failed (or unknown-status) task failed, capped in length.
    pub failure_reason: Option<String>,
    pub updated_at: Option<String>,
}

/// A task's status. The vendor's advice: only `Streaming`, `Completed` and
/// `Failed` matter; the rest is "still waiting".
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum TaskStatus {
    Queued,
    Processing,
    Streaming,
    Completed,
    Failed,
    /// A status this client does not know, as sent (empty if absent).
    Unknown(String),
}

impl TaskStatus {
    /// Reads a wire status, ignoring case and surrounding space. Accepts
    /// `complete` besides `completed` and `error` besides `failed`: the
    /// vendor already mixes the two forms between tasks and clips.
    pub fn parse(raw: &str) -> Self {
        match raw.trim().to_ascii_lowercase().as_str() {
            "queued" => TaskStatus::Queued,
            "processing" => TaskStatus::Processing,
            "streaming" => TaskStatus::Streaming,
            "completed" | "complete" => TaskStatus::Completed,
            "failed" | "error" => TaskStatus::Failed,
            _ => TaskStatus::Unknown(raw.to_owned()),
        }
    }

    /// True once the task will not change any more.
    pub fn is_final(&self) -> bool {
        matches!(self, TaskStatus::Completed | TaskStatus::Failed)
    }

    pub fn as_str(&self) -> &str {
        match self {
            TaskStatus::Queued => "queued",
            TaskStatus::Processing => "processing",
            TaskStatus::Streaming => "streaming",
            TaskStatus::Completed => "completed",
            TaskStatus::Failed => "failed",
            TaskStatus::Unknown(raw) => raw,
        }
    }
}

/// One generated clip (a task makes two).
#[derive(Debug, Clone, PartialEq)]
pub struct Clip {
    pub id: String,
    pub status: ClipStatus,
    pub title: Option<String>,
    /// A stream URL while streaming, the final MP3 once complete.
    pub audio_url: Option<String>,
    pub image_url: Option<String>,
    pub image_large_url: Option<String>,
    pub video_url: Option<String>,
    pub duration_s: Option<f64>,
    pub tags: Option<String>,
    /// The lyrics (`metadata.prompt`).
    pub lyrics: Option<String>,
    pub batch_index: Option<i32>,
    pub model_name: Option<String>,
    pub major_model_version: Option<String>,
}

/// A clip's status; the vendor spells the finished state `complete`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ClipStatus {
    Queued,
    Streaming,
    Complete,
    Error,
    /// A status this client does not know, as sent (empty if absent).
    Unknown(String),
}

impl ClipStatus {
    /// Reads a wire status; `completed` and `failed` are accepted too.
    pub fn parse(raw: &str) -> Self {
        match raw.trim().to_ascii_lowercase().as_str() {
            "queued" => ClipStatus::Queued,
            "streaming" => ClipStatus::Streaming,
            "complete" | "completed" => ClipStatus::Complete,
            "error" | "failed" => ClipStatus::Error,
            _ => ClipStatus::Unknown(raw.to_owned()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_parse_both_spellings_and_keep_unknown_ones() {
        assert_eq!(TaskStatus::parse("completed"), TaskStatus::Completed);
        assert_eq!(TaskStatus::parse(" Complete "), TaskStatus::Completed);
        assert_eq!(ClipStatus::parse("complete"), ClipStatus::Complete);
        assert_eq!(ClipStatus::parse("completed"), ClipStatus::Complete);
        assert_eq!(
            TaskStatus::parse("cancelled"),
            TaskStatus::Unknown("cancelled".into())
        );
        assert_eq!(TaskStatus::parse("cancelled").as_str(), "cancelled");
    }

    #[test]
    fn only_completed_and_failed_are_final() {
        assert!(TaskStatus::Completed.is_final());
        assert!(TaskStatus::Failed.is_final());
        assert!(!TaskStatus::Streaming.is_final());
        assert!(!TaskStatus::Unknown("cancelled".into()).is_final());
    }
}

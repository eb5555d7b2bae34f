//! Media the simulator serves itself: a short synthesised song per clip and
//! a generated cover image, both derived from the clip id so every clip
//! sounds and looks different, and nothing is stored per task.

pub mod audio;
mod cache;
pub mod image;

pub(crate) use cache::{MediaCache, MediaKind};

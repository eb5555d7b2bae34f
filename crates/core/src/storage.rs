//! Chorus's own copies of archived media under `CHORUS_STORAGE_DIR`:
//! `<root>/<generation id>/<clip id>.<ext>` for audio and
//! `<root>/<generation id>/<clip id>-cover.<ext>` for the cover.
//!
//! Paths are stored in the database relative to the root, so the directory
//! can move. Clip ids come from the upstream and are never trusted to be
//! safe file names; every path handed out stays under the root.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};

use uuid::Uuid;

/// Media types Chorus keeps audio in, as accepted from a download.
pub const AUDIO_TYPES: &[&str] = &[
    "audio/mpeg",
    "audio/mp3",
    "audio/wav",
    "audio/x-wav",
    "audio/wave",
];
/// Media types Chorus keeps covers in.
pub const IMAGE_TYPES: &[&str] = &["image/jpeg", "image/png", "image/webp"];

/// Longer ids are not the upstream's (its ids are UUIDs).
const MAX_CLIP_ID_LEN: usize = 128;

/// The file extension for a media type, `None` for a type Chorus does not
/// keep.
pub fn extension_for(content_type: &str) -> Option<&'static str> {
    match content_type {
        "audio/mpeg" | "audio/mp3" => Some("mp3"),
        "audio/wav" | "audio/x-wav" | "audio/wave" => Some("wav"),
        "image/jpeg" => Some("jpg"),
        "image/png" => Some("png"),
        "image/webp" => Some("webp"),
        _ => None,
    }
}

/// Why no path could be made for a file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    #[error("clip id {0:?} is not a safe file name")]
    UnsafeClipId(String),
    #[error("media type {0:?} is not one Chorus keeps")]
    UnknownType(String),
}

#[derive(Debug, Clone)]
pub struct Storage {
    root: PathBuf,
}

impl Storage {
    pub fn new(root: impl Into<PathBuf>) -> Storage {
        Storage { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    /// `<generation id>/<clip id>.<ext>`, relative to the root.
    pub fn path_for_clip_audio(
        generation_id: Uuid,
        clip_id: &str,
        content_type: &str,
    ) -> Result<PathBuf, PathError> {
        clip_file(generation_id, clip_id, "", content_type)
    }

    /// `<generation id>/<clip id>-cover.<ext>`, relative to the root.
    pub fn path_for_clip_cover(
        generation_id: Uuid,
        clip_id: &str,
        content_type: &str,
    ) -> Result<PathBuf, PathError> {
        clip_file(generation_id, clip_id, "-cover", content_type)
    }

    /// The absolute path of a stored file, or `None` if `relative` is empty,
    /// absolute, or has any component but a plain name (`..`, `.`), so it
    /// can never name a file outside the root.
    pub fn resolve(&self, relative: impl AsRef<Path>) -> Option<PathBuf> {
        let relative = relative.as_ref();
        let mut components = relative.components().peekable();
        components.peek()?;
        if components.all(|c| matches!(c, Component::Normal(_))) {
            Some(self.root.join(relative))
        } else {
            None
        }
    }

    /// Writes `bytes` at `relative` so that readers see either the old file
    /// or the whole new one, never a part: a temporary file in the same
    /// directory, flushed to disk, then renamed over the target. Blocking
    /// file I/O runs off the async runtime.
    pub async fn store(&self, relative: &Path, bytes: Vec<u8>) -> io::Result<()> {
        let target = self.resolve(relative).ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::InvalidInput,
                format!(
                    "{} is not a path under the storage root",
                    relative.display()
                ),
            )
        })?;
        tokio::task::spawn_blocking(move || write_atomically(&target, &bytes))
            .await
            .map_err(io::Error::other)?
    }
}

fn clip_file(
    generation_id: Uuid,
    clip_id: &str,
    suffix: &str,
    content_type: &str,
) -> Result<PathBuf, PathError> {
    if !is_safe_name(clip_id) {
        return Err(PathError::UnsafeClipId(clip_id.to_owned()));
    }
    let ext = extension_for(content_type)
        .ok_or_else(|| PathError::UnknownType(content_type.to_owned()))?;
    let dir = PathBuf::from(generation_id.to_string());
    Ok(dir.join(format!("{clip_id}{suffix}.{ext}")))
}

/// Only `[A-Za-z0-9_-]`: no separators, no dots, nothing a file system
/// treats specially.
fn is_safe_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_CLIP_ID_LEN
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

fn write_atomically(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let (Some(dir), Some(name)) = (target.parent(), target.file_name()) else {
        return Err(io::Error::new(
            io::ErrorKind::InvalidInput,
            "a stored file needs a directory and a name",
        ));
    };
    fs::create_dir_all(dir)?;
    // Unique per attempt, so two workers archiving the same clip at once
    // never write into each other's temporary file.
    let temp = dir.join(format!(
        ".{}.{}.tmp",
        name.to_string_lossy(),
        Uuid::new_v4().simple()
    ));
    let written = write_synced(&temp, bytes).and_then(|()| fs::rename(&temp, target));
    if written.is_err() {
        // Best effort: the error that matters is the write's.
        let _ = fs::remove_file(&temp);
    }
    written?;
    sync_dir(dir)
}

fn write_synced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut file = OpenOptions::new().write(true).create_new(true).open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

/// Makes the rename itself durable, so a crash cannot bring back a file
/// the database already points to as missing.
#[cfg(unix)]
fn sync_dir(dir: &Path) -> io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    const GEN: Uuid = Uuid::from_u128(0x4f3a_cce5_eb32_46b4_9c96_9cc1_e2b2_c922);

    fn temp_root() -> PathBuf {
        let root = std::env::temp_dir().join(format!("chorus-storage-{}", Uuid::new_v4()));
        fs::create_dir_all(&root).unwrap();
        root
    }

    #[test]
    fn content_types_map_to_extensions() {
        let cases = [
            ("audio/mpeg", "mp3"),
            ("audio/wav", "wav"),
            ("audio/x-wav", "wav"),
            ("audio/wave", "wav"),
            ("image/jpeg", "jpg"),
            ("image/png", "png"),
            ("image/webp", "webp"),
        ];
        for (content_type, ext) in cases {
            assert_eq!(extension_for(content_type), Some(ext), "{content_type}");
        }
        for other in ["text/html", "audio/ogg", "application/octet-stream", ""] {
            assert_eq!(extension_for(other), None, "{other}");
        }
        for accepted in AUDIO_TYPES.iter().chain(IMAGE_TYPES) {
            assert!(extension_for(accepted).is_some(), "{accepted}");
        }
    }

    #[test]
    fn clip_paths_follow_the_layout() {
        let audio = Storage::path_for_clip_audio(GEN, "a7737313-clip_1", "audio/mpeg").unwrap();
        assert_eq!(audio, Path::new(&format!("{GEN}/a7737313-clip_1.mp3")));
        let cover = Storage::path_for_clip_cover(GEN, "c1", "image/png").unwrap();
        assert_eq!(cover, Path::new(&format!("{GEN}/c1-cover.png")));
        let html = Storage::path_for_clip_audio(GEN, "c1", "text/html");
        assert_eq!(html, Err(PathError::UnknownType("text/html".into())));
    }

    #[test]
    fn unsafe_clip_ids_are_refused() {
        let long = "a".repeat(MAX_CLIP_ID_LEN + 1);
        for id in [
            "../x", "a/b", "", ".", "..", "a.b", "a\\b", "a b", "é", &long,
        ] {
            let result = Storage::path_for_clip_audio(GEN, id, "audio/wav");
            assert_eq!(result, Err(PathError::UnsafeClipId(id.into())), "{id:?}");
        }
    }

    #[test]
    fn resolve_stays_under_the_root() {
        let storage = Storage::new("/srv/chorus");
        let ok = storage.resolve("g/c.mp3").unwrap();
        assert_eq!(ok, Path::new("/srv/chorus/g/c.mp3"));
        for bad in ["", "../x", "g/../../x", "/etc/passwd", "./g/c.mp3"] {
            assert_eq!(storage.resolve(bad), None, "{bad:?}");
        }
    }

    #[tokio::test]
    async fn store_writes_whole_files_and_replaces_atomically() {
        let root = temp_root();
        let storage = Storage::new(&root);
        let relative = Storage::path_for_clip_audio(GEN, "c1", "audio/wav").unwrap();
        storage.store(&relative, b"first".to_vec()).await.unwrap();
        storage.store(&relative, b"second".to_vec()).await.unwrap();
        let target = storage.resolve(&relative).unwrap();
        assert_eq!(fs::read(&target).unwrap(), b"second");
        // Only the target is left: no temporary file survives a write.
        let names: Vec<_> = fs::read_dir(target.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["c1.wav"]);
        fs::remove_dir_all(&root).unwrap();
    }

    #[tokio::test]
    async fn store_refuses_paths_outside_the_root() {
        let root = temp_root();
        let storage = Storage::new(root.join("inner"));
        for bad in ["../escaped", "/tmp/escaped", ""] {
            let err = storage.store(Path::new(bad), b"x".to_vec()).await;
            assert_eq!(
                err.unwrap_err().kind(),
                io::ErrorKind::InvalidInput,
                "{bad}"
            );
        }
        assert!(!root.join("escaped").exists());
        fs::remove_dir_all(&root).unwrap();
    }
}

//! `Content-Disposition` for a clip's file: `inline` to play or show it,
//! `attachment` to download it, named after the song so it is recognisable
//! in a downloads folder ("Starlit (2).mp3").

use actix_web::http::header::{
    Charset, ContentDisposition, DispositionParam, DispositionType, ExtendedValue,
};
use chorus_core::generations::media::ClipMedia;

use super::Kind;

/// Long enough for any real title, short enough for every file system.
const MAX_TITLE_CHARS: usize = 80;
const UNTITLED: &str = "Chorus song";

pub(super) fn for_clip(
    media: &ClipMedia,
    kind: Kind,
    ext: &str,
    download: bool,
) -> ContentDisposition {
    let title = media.title.as_deref().map(clean).unwrap_or_default();
    let number = i32::from(media.batch_index) + 1;
    let name = |title: &str| {
        let title = if title.is_empty() { UNTITLED } else { title };
        match kind {
            Kind::Audio => format!("{title} ({number}).{ext}"),
            Kind::Cover => format!("{title} ({number}) cover.{ext}"),
        }
    };
    // `filename` must be plain ASCII for older clients; `filename*`
    // (RFC 6266) carries the real name, Chinese titles included.
    let ascii: String = title.chars().filter(char::is_ascii).collect();
    let mut parameters = vec![DispositionParam::Filename(name(ascii.trim()))];
    if !title.is_ascii() {
        parameters.push(DispositionParam::FilenameExt(ExtendedValue {
            charset: Charset::Ext("UTF-8".into()),
            language_tag: None,
            value: name(&title).into_bytes(),
        }));
    }
    ContentDisposition {
        disposition: if download {
            DispositionType::Attachment
        } else {
            DispositionType::Inline
        },
        parameters,
    }
}

/// The title as a file name: no control characters and none that a file
/// system or a shell treats specially, spaces collapsed, length capped.
fn clean(title: &str) -> String {
    let kept: String = title
        .chars()
        .map(|c| {
            if c.is_control() || r#"/\:*?"<>|"#.contains(c) {
                ' '
            } else {
                c
            }
        })
        .take(MAX_TITLE_CHARS)
        .collect();
    let words: Vec<&str> = kept.split_whitespace().collect();
    // A leading dot would hide the file on Unix.
    words
        .join(" ")
        .trim_start_matches(['.', ' '])
        .trim_end()
        .to_owned()
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    fn media(title: Option<&str>, batch_index: i16) -> ClipMedia {
        ClipMedia {
            clip_id: "c1".into(),
            generation_id: Uuid::nil(),
            batch_index,
            title: title.map(str::to_owned),
            audio_path: Some("g/c1.mp3".into()),
            image_path: None,
            published: false,
        }
    }

    fn header(media: &ClipMedia, kind: Kind, download: bool) -> String {
        for_clip(media, kind, "mp3", download).to_string()
    }

    #[test]
    fn audio_is_inline_and_named_after_the_song() {
        let starlit = media(Some("Starlit"), 1);
        assert_eq!(
            header(&starlit, Kind::Audio, false),
            r#"inline; filename="Starlit (2).mp3""#
        );
        assert_eq!(
            header(&starlit, Kind::Audio, true),
            r#"attachment; filename="Starlit (2).mp3""#
        );
        assert_eq!(
            header(&starlit, Kind::Cover, false),
            r#"inline; filename="Starlit (2) cover.mp3""#
        );
    }

    #[test]
    fn untitled_and_hostile_titles_still_make_safe_names() {
        assert_eq!(
            header(&media(None, 0), Kind::Audio, false),
            r#"inline; filename="Chorus song (1).mp3""#
        );
        let hostile = media(Some("../..\\etc/\"passwd\"\r\nX-Evil: 1"), 0);
        assert_eq!(
            header(&hostile, Kind::Audio, false),
            r#"inline; filename="etc passwd X-Evil 1 (1).mp3""#
        );
        let long = "a".repeat(500);
        let name = header(&media(Some(&long), 0), Kind::Audio, false);
        assert!(name.len() < MAX_TITLE_CHARS + 40, "{name}");
    }

    #[test]
    fn chinese_titles_travel_in_filename_star() {
        let value = header(&media(Some("春天的歌"), 0), Kind::Audio, true);
        assert!(
            value.starts_with(r#"attachment; filename="Chorus song (1).mp3"; "#),
            "{value}"
        );
        assert!(
            value.contains("filename*=UTF-8''%E6%98%A5%E5%A4%A9%E7%9A%84%E6%AD%8C%20%281%29.mp3"),
            "{value}"
        );
    }
}

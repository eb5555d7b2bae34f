//! The team gallery: every published song, searched and filtered.

use askama::Template;
use askama_web::WebTemplate;
use std::sync::Arc;

use chorus_core::generations::gallery::{GalleryCursor, GalleryFilter, GalleryRow, Publisher};
use chorus_core::generations::media::{audio_url, cover_url};
use uuid::Uuid;

use super::Layout;

#[derive(Template, WebTemplate)]
#[template(path = "gallery/index.html")]
pub struct GalleryPage {
    pub layout: Layout,
    pub csrf: String,
    /// Everything read from the database, rendered in the page's language:
    /// kept between requests (see [`crate::cache`]).
    pub view: Arc<GalleryView>,
    /// This page's query, posted with a favourite so it comes back here.
    pub back: String,
}

/// A gallery page for one viewer, filter, cursor and language, rendered
/// (and escaped) when read: everything but the frame and the favourites
/// form, which carry the browser's CSRF token.
pub struct GalleryView {
    pub html: String,
}

/// What `GalleryView` renders.
#[derive(Template)]
#[template(path = "gallery/listing.html")]
struct GalleryListing<'a> {
    layout: &'a Layout,
    filter: &'a GalleryFilter,
    songs: Vec<GalleryItem>,
    /// The member filter's choices: everyone who has published.
    publishers: Vec<PublisherOption>,
    /// The filtered member's name, for the "showing" line.
    member_name: Option<String>,
    /// The next (older) page with the same filters, when there is one.
    older_href: Option<String>,
}

/// One song, every text ready in the page's language.
pub struct GalleryItem {
    pub id: String,
    pub title: String,
    pub member_name: String,
    pub member_href: String,
    pub tags: Vec<TagLink>,
    pub published: String,
    pub audio_url: Option<String>,
    pub cover_url: Option<String>,
    pub favourited: bool,
    pub favourites_line: String,
}

pub struct TagLink {
    pub label: String,
    pub href: String,
}

pub struct PublisherOption {
    pub id: String,
    pub name: String,
    pub selected: bool,
}

impl GalleryItem {
    pub fn new(layout: &Layout, filter: &GalleryFilter, row: GalleryRow) -> GalleryItem {
        // A custom song has a title; a described one has only its topic.
        let title = [&row.title, &row.topic, &row.tags]
            .into_iter()
            .flatten()
            .map(|text| text.trim())
            .find(|text| !text.is_empty())
            .map_or_else(|| layout.t("gallery.untitled"), str::to_owned);
        let tags = row
            .tags
            .as_deref()
            .unwrap_or_default()
            .split(',')
            .map(str::trim)
            .filter(|tag| !tag.is_empty())
            .map(|tag| TagLink {
                label: tag.to_owned(),
                href: href(&GalleryFilter {
                    tag: Some(tag.to_owned()),
                    ..filter.clone()
                }),
            })
            .collect();
        let clip = row.clip_id.as_deref();
        GalleryItem {
            id: row.id.to_string(),
            title,
            member_href: href(&GalleryFilter {
                member: Some(row.user_id),
                ..filter.clone()
            }),
            member_name: row.member_name,
            tags,
            published: layout.date(&row.published_at),
            audio_url: clip.filter(|_| row.has_audio).map(audio_url),
            cover_url: clip.filter(|_| row.has_cover).map(cover_url),
            favourited: row.favourited,
            favourites_line: layout.t_args(
                "gallery.favourites",
                &[("count", &row.favourites.to_string())],
            ),
        }
    }
}

impl GalleryView {
    /// `rows` holds one more than `page_size` when an older page exists.
    pub fn new(
        layout: &Layout,
        filter: &GalleryFilter,
        mut rows: Vec<GalleryRow>,
        page_size: usize,
        publishers: Vec<Publisher>,
        member_name: Option<String>,
    ) -> askama::Result<GalleryView> {
        let older_href = (rows.len() > page_size).then(|| {
            rows.truncate(page_size);
            let cursor = rows
                .last()
                .map(|row| GalleryCursor::new(row.published_at, row.id).encode());
            format!("/gallery?{}", query(filter, cursor.as_deref()))
        });
        let publishers = publishers
            .into_iter()
            .map(|p| PublisherOption {
                id: p.id.to_string(),
                selected: filter.member == Some(p.id),
                name: p.name,
            })
            .collect();
        let listing = GalleryListing {
            layout,
            filter,
            songs: rows
                .into_iter()
                .map(|row| GalleryItem::new(layout, filter, row))
                .collect(),
            publishers,
            member_name,
            older_href,
        };
        Ok(GalleryView {
            html: listing.render()?,
        })
    }
}

impl GalleryListing<'_> {
    pub fn is_filtered(&self) -> bool {
        *self.filter != GalleryFilter::default()
    }

    pub fn query_text(&self) -> &str {
        self.filter.query.as_deref().unwrap_or_default()
    }

    /// The gallery without the tag filter, the rest kept.
    pub fn without_tag(&self) -> String {
        href(&GalleryFilter {
            tag: None,
            ..self.filter.clone()
        })
    }

    /// The gallery without the member filter, the rest kept.
    pub fn without_member(&self) -> String {
        href(&GalleryFilter {
            member: None,
            ..self.filter.clone()
        })
    }

    pub fn member_value(&self) -> String {
        self.filter
            .member
            .map(|m| m.to_string())
            .unwrap_or_default()
    }
}

/// `/gallery` with `filter` as its query, values percent-encoded.
pub fn href(filter: &GalleryFilter) -> String {
    let query = query(filter, None);
    if query.is_empty() {
        "/gallery".to_owned()
    } else {
        format!("/gallery?{query}")
    }
}

/// The query string for `filter` and an optional cursor.
pub fn query(filter: &GalleryFilter, before: Option<&str>) -> String {
    let member = filter.member.as_ref().map(Uuid::to_string);
    [
        ("q", filter.query.as_deref()),
        ("tag", filter.tag.as_deref()),
        ("member", member.as_deref()),
        ("before", before),
    ]
    .into_iter()
    .filter_map(|(name, value)| {
        value.map(|v| format!("{name}={}", crate::url::encode_component(v)))
    })
    .collect::<Vec<_>>()
    .join("&")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn links_keep_every_filter_and_escape_values() {
        let member = Uuid::nil();
        let filter = GalleryFilter::new(Some("a&b=c #歌"), Some("Dream Pop"), Some(member));
        assert_eq!(
            href(&filter),
            format!("/gallery?q=a%26b%3Dc%20%23%E6%AD%8C&tag=Dream%20Pop&member={member}")
        );
        assert_eq!(href(&GalleryFilter::default()), "/gallery");
        assert_eq!(
            query(&GalleryFilter::default(), Some("1,x")),
            "before=1%2Cx"
        );
    }
}

//! The team's gallery: every published song, newest published first, a page
//! at a time, searched and filtered. Keyset pagination on
//! `(published_at, id)` (the `generations_published_keyset_idx` order), so
//! a song published while someone pages never shifts a page, and deep pages
//! cost what the first does.

use sqlx::{FromRow, PgPool, Postgres, QueryBuilder};
use time::OffsetDateTime;
use uuid::Uuid;

use super::keyset::Keyset;

/// The longest search text passed to Postgres: a search box needs no more,
/// and parsing a huge query would be work for nothing.
pub const MAX_QUERY_CHARS: usize = 200;

/// What the gallery is narrowed to; every part optional and combinable.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct GalleryFilter {
    /// Words for `websearch_to_tsquery('simple', …)`: title, tags, lyrics
    /// and topic. Text that holds no word matches nothing.
    pub query: Option<String>,
    /// One tag, matched case-insensitively against each comma-separated tag.
    pub tag: Option<String>,
    /// Songs of this member only.
    pub member: Option<Uuid>,
}

impl GalleryFilter {
    /// Blank parts mean "no filter"; over-long search text is cut.
    pub fn new(query: Option<&str>, tag: Option<&str>, member: Option<Uuid>) -> GalleryFilter {
        let clean = |text: Option<&str>| {
            // Postgres text cannot hold NUL, and no control character
            // is part of a word.
            text.map(|text| text.replace(char::is_control, " "))
                .map(|text| {
                    text.trim()
                        .chars()
                        .take(MAX_QUERY_CHARS)
                        .collect::<String>()
                })
                .filter(|text| !text.is_empty())
        };
        GalleryFilter {
            query: clean(query),
            tag: clean(tag),
            member,
        }
    }
}

/// Whether a character is written without spaces around its words
/// (Chinese, Japanese kana): the same ranges as the `cjk_spaced` SQL
/// function that builds the search column.
fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

/// The search box's text as `websearch_to_tsquery` should read it: every
/// run of CJK characters becomes a phrase of single characters (`月光` →
/// `"月 光"`), as the search column holds them; inside the user's own
/// quotes the characters are only spaced, the quotes make the phrase.
pub fn search_words(query: &str) -> String {
    let quoted_by_user = query.contains('"');
    let mut words = String::with_capacity(query.len() * 2);
    let mut run: Vec<char> = Vec::new();
    let end_run = |run: &mut Vec<char>, words: &mut String| {
        if run.is_empty() {
            return;
        }
        let spaced = run
            .iter()
            .map(char::to_string)
            .collect::<Vec<_>>()
            .join(" ");
        if quoted_by_user {
            words.push_str(&format!(" {spaced} "));
        } else {
            words.push_str(&format!(" \"{spaced}\" "));
        }
        run.clear();
    };
    for c in query.chars() {
        if is_cjk(c) {
            run.push(c);
        } else {
            end_run(&mut run, &mut words);
            words.push(c);
        }
    }
    end_run(&mut run, &mut words);
    words.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Where the previous page ended: the last row's `(published_at, id)`.
pub type GalleryCursor = Keyset;

/// One song of the gallery, with what the viewer needs to play and mark it.
#[derive(Debug, Clone, FromRow)]
pub struct GalleryRow {
    pub id: Uuid,
    pub user_id: Uuid,
    /// The member's display name, else their email.
    pub member_name: String,
    pub title: Option<String>,
    pub topic: Option<String>,
    pub tags: Option<String>,
    pub published_at: OffsetDateTime,
    /// The first archived clip (else the first clip), when there is one.
    pub clip_id: Option<String>,
    pub has_audio: bool,
    pub has_cover: bool,
    pub favourites: i64,
    /// The viewer has favourited it.
    pub favourited: bool,
}

/// A member who has published at least one song: the member filter's links.
#[derive(Debug, Clone, FromRow)]
pub struct Publisher {
    pub id: Uuid,
    pub name: String,
}

/// The published songs matching `filter`, newest published first, strictly
/// before `before`, at most `limit` of them, as `viewer` sees them.
pub async fn gallery_page(
    pool: &PgPool,
    viewer: Uuid,
    filter: &GalleryFilter,
    before: Option<GalleryCursor>,
    limit: i64,
) -> sqlx::Result<Vec<GalleryRow>> {
    // Each filter adds its clause only when set, so every combination has
    // its own query text and plan: a search can use the GIN index, a plain
    // page the keyset index, with no `$n IS NULL OR …` for the planner to
    // guess around. Every value is bound.
    let mut sql: QueryBuilder<Postgres> = QueryBuilder::new(
        "WITH page AS (
             SELECT g.id, g.user_id, g.title, g.topic, g.tags, g.published_at
             FROM generations g
             WHERE g.published_at IS NOT NULL",
    );
    if let Some(cursor) = before {
        // The row comparison matches the ORDER BY, so ties on published_at
        // are broken by id and no row is skipped or repeated between pages.
        sql.push(" AND (g.published_at, g.id) < (")
            .push_bind(cursor.at)
            .push(", ")
            .push_bind(cursor.id)
            .push(")");
    }
    if let Some(query) = &filter.query {
        sql.push(" AND g.search @@ websearch_to_tsquery('simple', ")
            .push_bind(search_words(query))
            .push(")");
    }
    if let Some(tag) = &filter.tag {
        sql.push(
            " AND EXISTS (SELECT 1 FROM unnest(string_to_array(g.tags, ',')) AS t(tag)
                          WHERE lower(btrim(t.tag)) = lower(",
        )
        .push_bind(tag.clone())
        .push("))");
    }
    if let Some(member) = filter.member {
        sql.push(" AND g.user_id = ").push_bind(member);
    }
    sql.push(" ORDER BY g.published_at DESC, g.id DESC LIMIT ")
        .push_bind(limit);
    // The page is chosen first, on generations alone, and only its rows
    // are decorated ("favourited" by a probe of the favourites' primary
    // key: an EXISTS was planned as a hash of all the viewer's favourites).
    // Joined into one query, the per-row joins made the
    // planner prefer walking the keyset index for a rare word (every
    // published row) over the GIN index (a handful).
    sql.push(
        ")
         SELECT g.id, g.user_id,
                COALESCE(NULLIF(btrim(u.display_name), ''), u.email) AS member_name,
                g.title, g.topic, g.tags, g.published_at,
                c.id AS clip_id,
                COALESCE(c.audio_path IS NOT NULL, false) AS has_audio,
                COALESCE(c.image_path IS NOT NULL, false) AS has_cover,
                (SELECT count(*) FROM favourites f WHERE f.generation_id = g.id) AS favourites,
                mine.user_id IS NOT NULL AS favourited
         FROM page g
         JOIN users u ON u.id = g.user_id
         LEFT JOIN favourites mine ON mine.generation_id = g.id AND mine.user_id = ",
    )
    .push_bind(viewer)
    .push(
        "
         LEFT JOIN LATERAL (
             SELECT id, audio_path, image_path FROM clips
             WHERE generation_id = g.id
             ORDER BY audio_path IS NULL, batch_index, id
             LIMIT 1
         ) c ON true
         ORDER BY g.published_at DESC, g.id DESC",
    );
    sql.build_query_as().fetch_all(pool).await
}

/// Everyone with a published song, by name: few on a team, so all of them.
pub async fn publishers(pool: &PgPool) -> sqlx::Result<Vec<Publisher>> {
    sqlx::query_as(
        "SELECT u.id, COALESCE(NULLIF(btrim(u.display_name), ''), u.email) AS name
         FROM users u
         WHERE EXISTS (SELECT 1 FROM generations g
                       WHERE g.user_id = u.id AND g.published_at IS NOT NULL)
         ORDER BY name, u.id",
    )
    .fetch_all(pool)
    .await
}

/// The name shown for a member, if they exist.
pub async fn member_name(pool: &PgPool, id: Uuid) -> sqlx::Result<Option<String>> {
    sqlx::query_scalar(
        "SELECT COALESCE(NULLIF(btrim(display_name), ''), email) FROM users WHERE id = $1",
    )
    .bind(id)
    .fetch_optional(pool)
    .await
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    #[test]
    fn runs_of_chinese_become_phrases_of_single_characters() {
        assert_eq!(search_words("月光"), r#""月 光""#);
        assert_eq!(
            search_words("spring 照在河上 night"),
            r#"spring "照 在 河 上" night"#
        );
        assert_eq!(search_words("ひかり"), r#""ひ か り""#);
        // The user's quotes already make a phrase.
        assert_eq!(search_words(r#""月光 night""#), r#"" 月 光 night""#);
        assert_eq!(search_words("plain words"), "plain words");
    }

    #[test]
    fn blank_filters_are_no_filters_and_long_queries_are_cut() {
        assert_eq!(
            GalleryFilter::new(Some("  "), Some(""), None),
            GalleryFilter::default()
        );
        let long = "字".repeat(MAX_QUERY_CHARS + 5);
        let filter = GalleryFilter::new(Some(&long), Some(" Pop "), None);
        assert_eq!(filter.query.unwrap().chars().count(), MAX_QUERY_CHARS);
        assert_eq!(filter.tag.as_deref(), Some("Pop"));
    }
}

-- The team gallery: full-text search over published songs, favourites, and
-- an index that serves the gallery's keyset order exactly.

-- A song's words for search. 'simple' keeps every word as written (lower
-- cased, no stemming, no stop words), so English and Chinese both match
-- verbatim; the title and tags weigh more than the lyrics and topic, for
-- ranking should the gallery ever order by relevance. STORED: computed on
-- write, never per query. Adding it rewrites the table once.
ALTER TABLE generations ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', coalesce(title, '')), 'A')
    || setweight(to_tsvector('simple', coalesce(tags, '')), 'A')
    || setweight(to_tsvector('simple', coalesce(lyrics, '')), 'B')
    || setweight(to_tsvector('simple', coalesce(topic, '')), 'B')
) STORED;
-- Only published songs are ever searched, so only they are indexed.
CREATE INDEX generations_search_idx ON generations USING GIN (search)
    WHERE published_at IS NOT NULL;

-- The gallery pages by (published_at DESC, id DESC). The first migration's
-- index has `id` ascending, which serves only the first column of that
-- order; this one serves both, so a page is a plain index range scan.
CREATE INDEX generations_published_keyset_idx ON generations (published_at DESC, id DESC)
    WHERE published_at IS NOT NULL;
DROP INDEX generations_published_idx;

CREATE TABLE favourites (
    user_id       UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    generation_id UUID NOT NULL REFERENCES generations (id) ON DELETE CASCADE,
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, generation_id)
);
-- Counting a song's favourites; the primary key serves "did I?".
CREATE INDEX favourites_generation_idx ON favourites (generation_id);

-- Chinese and Japanese are written without spaces between words, so with
-- the 'simple' parser a whole run of characters was one word and a word
-- inside it was never found. Every CJK character now stands as a word of
-- its own; the search box turns a run of them into a phrase of single
-- characters (generations/gallery.rs), so a run is found wherever it
-- stands, and only there.
CREATE FUNCTION cjk_spaced(text) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    AS $$ SELECT regexp_replace($1, '([\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff])', ' \1 ', 'g') $$;

DROP INDEX generations_search_idx;
ALTER TABLE generations DROP COLUMN search;
ALTER TABLE generations ADD COLUMN search tsvector GENERATED ALWAYS AS (
    setweight(to_tsvector('simple', cjk_spaced(coalesce(title, ''))), 'A')
    || setweight(to_tsvector('simple', cjk_spaced(coalesce(tags, ''))), 'A')
    || setweight(to_tsvector('simple', cjk_spaced(coalesce(lyrics, ''))), 'B')
    || setweight(to_tsvector('simple', cjk_spaced(coalesce(topic, ''))), 'B')
) STORED;
CREATE INDEX generations_search_idx ON generations USING GIN (search)
    WHERE published_at IS NOT NULL;

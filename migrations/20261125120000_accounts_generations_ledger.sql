-- Members, their song requests, the clips each request produced, and the
-- append-only ledger every movement of money is written to.

CREATE TABLE users (
    id                    UUID PRIMARY KEY,
    email                 TEXT NOT NULL,
    password_hash         TEXT NOT NULL,
    role                  TEXT NOT NULL DEFAULT 'member' CHECK (role IN ('admin', 'member')),
    display_name          TEXT,
    -- NULL: no personal monthly budget.
    monthly_budget_micros BIGINT CHECK (monthly_budget_micros >= 0),
    locale                TEXT,
    disabled_at           TIMESTAMPTZ,
    created_at            TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX users_email_key ON users (lower(email));

CREATE TABLE api_tokens (
    id           UUID PRIMARY KEY,
    user_id      UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    -- SHA-256 of the token; the token itself is shown once and never stored.
    token_hash   BYTEA NOT NULL UNIQUE,
    created_at   TIMESTAMPTZ NOT NULL DEFAULT now(),
    last_used_at TIMESTAMPTZ,
    revoked_at   TIMESTAMPTZ
);
CREATE INDEX api_tokens_user_idx ON api_tokens (user_id);

CREATE TABLE generations (
    id              UUID PRIMARY KEY,
    user_id         UUID NOT NULL REFERENCES users (id),
    mode            TEXT NOT NULL CHECK (mode IN ('describe', 'custom')),
    -- describe
    topic           TEXT,
    instrumental    BOOLEAN,
    -- custom
    tags            TEXT,
    lyrics          TEXT,
    title           TEXT,
    status          TEXT NOT NULL DEFAULT 'pending' CHECK (status IN (
                        'pending', 'submitting', 'submitted', 'queued',
                        'processing', 'streaming', 'completed', 'failed')),
    -- The price in force when the request was made; later price changes
    -- never touch it.
    price_micros    BIGINT NOT NULL CHECK (price_micros >= 0),
    task_id         TEXT UNIQUE,
    error           TEXT,
    -- Set when the outcome of a submission is unknown: an admin must look.
    needs_attention BOOLEAN NOT NULL DEFAULT false,
    submit_attempts INTEGER NOT NULL DEFAULT 0,
    poll_count      INTEGER NOT NULL DEFAULT 0,
    next_poll_at    TIMESTAMPTZ,
    -- A worker holds the row until then; past it, another may take over.
    locked_until    TIMESTAMPTZ,
    locked_by       TEXT,
    published_at    TIMESTAMPTZ,
    created_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    updated_at      TIMESTAMPTZ NOT NULL DEFAULT now(),
    submitted_at    TIMESTAMPTZ,
    finished_at     TIMESTAMPTZ,
    CHECK (mode <> 'describe' OR (topic IS NOT NULL AND instrumental IS NOT NULL)),
    CHECK (mode <> 'custom' OR (tags IS NOT NULL AND lyrics IS NOT NULL))
);
CREATE INDEX generations_user_created_idx ON generations (user_id, created_at DESC);
CREATE INDEX generations_in_flight_idx ON generations (next_poll_at)
    WHERE status IN ('submitted', 'queued', 'processing', 'streaming');
CREATE INDEX generations_pending_idx ON generations (created_at)
    WHERE status IN ('pending', 'submitting');
CREATE INDEX generations_published_idx ON generations (published_at DESC, id)
    WHERE published_at IS NOT NULL;

CREATE TABLE clips (
    -- The upstream's clip id.
    id                 TEXT PRIMARY KEY,
    generation_id      UUID NOT NULL REFERENCES generations (id) ON DELETE CASCADE,
    batch_index        SMALLINT NOT NULL,
    status             TEXT NOT NULL,
    title              TEXT,
    tags               TEXT,
    lyrics             TEXT,
    duration_s         DOUBLE PRECISION,
    stream_url         TEXT,
    audio_url          TEXT,
    image_url          TEXT,
    image_large_url    TEXT,
    -- Paths under CHORUS_STORAGE_DIR once archived.
    audio_path         TEXT,
    image_path         TEXT,
    archived_at        TIMESTAMPTZ,
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
-- Not unique: the upstream's batch_index is not ours to trust, and a
-- duplicate must not stop a song from being recorded.
CREATE INDEX clips_generation_idx ON clips (generation_id, batch_index);

CREATE TABLE ledger (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id       UUID NOT NULL REFERENCES users (id),
    generation_id UUID REFERENCES generations (id),
    kind          TEXT NOT NULL CHECK (kind IN ('reserve', 'charge', 'release', 'refund', 'adjustment')),
    -- Signed micro-USD, from the member's point of view: what it adds to
    -- their spend (charges > 0, refunds < 0) or to their reservations.
    amount_micros BIGINT NOT NULL,
    note          TEXT,
    -- The admin behind a manual adjustment.
    created_by    UUID REFERENCES users (id),
    created_at    TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX ledger_user_created_idx ON ledger (user_id, created_at);
CREATE INDEX ledger_generation_idx ON ledger (generation_id);

-- The ledger is append-only: history is corrected by new rows, never edited.
CREATE FUNCTION ledger_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the ledger is append-only';
END;
$$;
CREATE TRIGGER ledger_append_only
    BEFORE UPDATE OR DELETE ON ledger
    FOR EACH ROW EXECUTE FUNCTION ledger_is_append_only();

-- What the pipeline needs: each member's running totals per month (the row
-- the atomic budget check updates), the vendor-side cost, every status
-- change of a generation, and when a pending generation is next tried.

ALTER TABLE generations
    -- The calendar month the request is billed to (its creation month).
    ADD COLUMN billing_month   DATE NOT NULL DEFAULT date_trunc('month', now())::date,
    -- For `pending`: when the submit job should run; the recovery sweep
    -- re-enqueues rows whose job was lost.
    ADD COLUMN next_attempt_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    ADD COLUMN last_polled_at  TIMESTAMPTZ;

CREATE TABLE usage_months (
    user_id         UUID NOT NULL REFERENCES users (id),
    month           DATE NOT NULL,
    spent_micros    BIGINT NOT NULL DEFAULT 0,
    reserved_micros BIGINT NOT NULL DEFAULT 0 CHECK (reserved_micros >= 0),
    PRIMARY KEY (user_id, month)
);

-- What the vendor bills the team: every accepted task, and every poll
-- request at CHORUS_POLL_PRICE_USD.
CREATE TABLE vendor_usage_days (
    day             DATE PRIMARY KEY,
    accepted_tasks  BIGINT NOT NULL DEFAULT 0,
    poll_requests   BIGINT NOT NULL DEFAULT 0,
    task_micros     BIGINT NOT NULL DEFAULT 0,
    poll_micros     BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE generation_transitions (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    generation_id UUID NOT NULL REFERENCES generations (id) ON DELETE CASCADE,
    from_status   TEXT,
    to_status     TEXT NOT NULL,
    detail        TEXT,
    at            TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX generation_transitions_generation_idx ON generation_transitions (generation_id, id);

CREATE INDEX generations_needs_attention_idx ON generations (created_at) WHERE needs_attention;

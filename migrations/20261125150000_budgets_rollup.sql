-- Budgets and the billing dashboards: the team's monthly cap and running
-- totals, the day every movement of money counts on, a per-member per-day
-- rollup kept in the same transactions as the ledger, and an audit log of
-- what admins do to money.

-- The calendar day a moment falls on in the billing time zone
-- (CHORUS_BILLING_TZ). Every day and month Chorus bills by comes from here,
-- on the database's clock, so Rust and SQL can never disagree.
CREATE FUNCTION billing_day(at TIMESTAMPTZ, zone TEXT) RETURNS DATE
    LANGUAGE sql STABLE STRICT PARALLEL SAFE
    AS $$ SELECT (at AT TIME ZONE zone)::date $$;

-- The team: one row, holding its monthly cap (NULL: no cap).
CREATE TABLE team_settings (
    id                 BOOLEAN PRIMARY KEY DEFAULT true CHECK (id),
    monthly_cap_micros BIGINT CHECK (monthly_cap_micros >= 0),
    updated_at         TIMESTAMPTZ NOT NULL DEFAULT now()
);
INSERT INTO team_settings (id) VALUES (true);

-- The team's running totals per billing month: the row the atomic cap
-- check updates, next to each member's usage_months row.
CREATE TABLE team_usage_months (
    month           DATE PRIMARY KEY,
    spent_micros    BIGINT NOT NULL DEFAULT 0,
    reserved_micros BIGINT NOT NULL DEFAULT 0 CHECK (reserved_micros >= 0),
    -- When the month first reached 80 % of the cap: the warning goes out once.
    warned_at       TIMESTAMPTZ
);
INSERT INTO team_usage_months (month, spent_micros, reserved_micros)
SELECT month, SUM(spent_micros), SUM(reserved_micros) FROM usage_months GROUP BY month;

ALTER TABLE usage_months ADD COLUMN warned_at TIMESTAMPTZ;

-- The day a request is billed to: its creation day in the billing zone.
-- Every movement of its money counts on that day (and so in its month),
-- whenever it happens, so a month's days add up to the month's totals.
ALTER TABLE generations ADD COLUMN billing_day DATE;
UPDATE generations SET billing_day = CASE
    WHEN date_trunc('month', created_at AT TIME ZONE 'UTC')::date = billing_month
        THEN (created_at AT TIME ZONE 'UTC')::date
    ELSE billing_month END;
ALTER TABLE generations
    ALTER COLUMN billing_day SET NOT NULL,
    -- Chorus always sets both from the billing zone; the defaults (session
    -- zone) only serve hand-written inserts, and agree with each other.
    ALTER COLUMN billing_day SET DEFAULT current_date,
    ADD CONSTRAINT generations_billing_day_in_month
        CHECK (billing_month = billing_day - (EXTRACT(DAY FROM billing_day)::int - 1));

-- The ledger row's billing day, copied from its generation so the ledger
-- pages and exports of a month stay on an index. Filling the new column is
-- the one rewrite the append-only ledger ever gets.
ALTER TABLE ledger ADD COLUMN billing_day DATE;
ALTER TABLE ledger DISABLE TRIGGER ledger_append_only;
UPDATE ledger l SET billing_day = g.billing_day FROM generations g WHERE g.id = l.generation_id;
UPDATE ledger SET billing_day = (created_at AT TIME ZONE 'UTC')::date WHERE billing_day IS NULL;
ALTER TABLE ledger ENABLE TRIGGER ledger_append_only;
ALTER TABLE ledger ALTER COLUMN billing_day SET NOT NULL;
-- A member's month, newest first, a page at a time.
CREATE INDEX ledger_user_day_idx ON ledger (user_id, billing_day DESC, id DESC);
-- The whole team's month, for the admin's export.
CREATE INDEX ledger_day_idx ON ledger (billing_day, id);

-- Each member's money per billing day: the ledger's rows summed by kind
-- (signed as in the ledger), written by the statement that appends the row.
-- The dashboards read this, never a scan of the ledger.
CREATE TABLE usage_days (
    user_id         UUID NOT NULL REFERENCES users (id),
    day             DATE NOT NULL,
    -- Σ reserve + Σ release − Σ charge: held for requests not yet accepted.
    reserved_micros BIGINT NOT NULL DEFAULT 0,
    -- Σ charge (≥ 0), Σ refund (≤ 0), Σ adjustment (either sign).
    charged_micros  BIGINT NOT NULL DEFAULT 0,
    refunded_micros BIGINT NOT NULL DEFAULT 0,
    adjusted_micros BIGINT NOT NULL DEFAULT 0,
    -- Requests the budget let through (reserve rows), and songs made:
    -- charged and not failed (charges less automatic refunds).
    requests        INTEGER NOT NULL DEFAULT 0,
    songs           INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (user_id, day)
);
CREATE INDEX usage_days_day_idx ON usage_days (day);
INSERT INTO usage_days (user_id, day, reserved_micros, charged_micros, refunded_micros,
                        adjusted_micros, requests, songs)
SELECT user_id, billing_day,
       COALESCE(SUM(CASE kind WHEN 'charge' THEN -amount_micros
                              WHEN 'reserve' THEN amount_micros
                              WHEN 'release' THEN amount_micros END), 0),
       COALESCE(SUM(amount_micros) FILTER (WHERE kind = 'charge'), 0),
       COALESCE(SUM(amount_micros) FILTER (WHERE kind = 'refund'), 0),
       COALESCE(SUM(amount_micros) FILTER (WHERE kind = 'adjustment'), 0),
       count(*) FILTER (WHERE kind = 'reserve'),
       count(*) FILTER (WHERE kind = 'charge')
           - count(*) FILTER (WHERE kind = 'refund' AND created_by IS NULL)
FROM ledger GROUP BY user_id, billing_day;

-- What admins did to money: refunds by hand, budget and cap changes.
CREATE TABLE billing_audit (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    actor_id        UUID NOT NULL REFERENCES users (id),
    action          TEXT NOT NULL CHECK (action IN ('refund', 'member_budget', 'team_cap')),
    -- The member whose money or budget it was (NULL for the team cap).
    target_user_id  UUID REFERENCES users (id),
    generation_id   UUID REFERENCES generations (id),
    -- refund: the amount given back; budget or cap: the new value (NULL: none).
    amount_micros   BIGINT,
    -- budget or cap: the value before (NULL: none).
    previous_micros BIGINT,
    reason          TEXT,
    at              TIMESTAMPTZ NOT NULL DEFAULT now()
);
CREATE INDEX billing_audit_at_idx ON billing_audit (at DESC, id DESC);

CREATE FUNCTION billing_audit_is_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the billing audit log is append-only';
END;
$$;
CREATE TRIGGER billing_audit_append_only
    BEFORE UPDATE OR DELETE ON billing_audit
    FOR EACH ROW EXECUTE FUNCTION billing_audit_is_append_only();

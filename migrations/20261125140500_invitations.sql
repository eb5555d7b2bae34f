-- One-time links an admin makes so someone can join with a given role.
-- Only the SHA-256 of the link's token is kept: the link is shown once.
CREATE TABLE invitations (
    id          UUID PRIMARY KEY,
    token_hash  BYTEA NOT NULL UNIQUE,
    role        TEXT NOT NULL CHECK (role IN ('admin', 'member')),
    created_by  UUID NOT NULL REFERENCES users (id),
    created_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    expires_at  TIMESTAMPTZ NOT NULL,
    -- Both set together, by the one UPDATE that spends the link.
    used_at     TIMESTAMPTZ,
    used_by     UUID REFERENCES users (id),
    CHECK ((used_at IS NULL) = (used_by IS NULL))
);
CREATE INDEX invitations_created_by_idx ON invitations (created_by);

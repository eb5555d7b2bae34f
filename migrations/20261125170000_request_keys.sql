-- A request may carry a key naming it (the create form's hidden field, the
-- API's Idempotency-Key header): sent twice, by a double click or a retry
-- after a lost answer, it makes one song and one charge.
ALTER TABLE generations ADD COLUMN request_key TEXT;
CREATE UNIQUE INDEX generations_request_key_idx ON generations (user_id, request_key)
    WHERE request_key IS NOT NULL;

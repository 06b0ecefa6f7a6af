-- An Idempotency-Key belongs to the caller that sent it (an API key, a dashboard user, a widget visitor): the
-- same key from another caller is another key, and never answers with the first caller's result. Keys
-- recorded before have no caller and are simply not found again (they are kept 24 hours).
ALTER TABLE idempotency_keys ADD COLUMN caller text NOT NULL DEFAULT '';
ALTER TABLE idempotency_keys DROP CONSTRAINT idempotency_keys_pkey;
ALTER TABLE idempotency_keys ADD PRIMARY KEY (site_id, caller, operation, key);
ALTER TABLE idempotency_keys ALTER COLUMN caller DROP DEFAULT;

-- A widget visitor that stood for a member whose page stopped naming that member (the member signed out, or
-- someone else signed in on the same browser): from then on its tokens reach no conversation.
ALTER TABLE visitor_links ADD COLUMN signed_out_at timestamptz;

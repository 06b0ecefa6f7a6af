-- People who work in the dashboard (issue 6). An email signs in to exactly one site, so it is unique
-- across the installation: the sign-in form asks for nothing else. Passwords are kept as PBKDF2 hashes
-- (dashboard/Passwords); the hash string names its own parameters, so they can be raised later.
CREATE TABLE dashboard_users (
    site_id       uuid        NOT NULL REFERENCES sites,
    user_id       uuid        NOT NULL,
    email         text        NOT NULL,
    password_hash text        NOT NULL,
    role          text        NOT NULL CHECK (role IN ('OWNER', 'AGENT')),
    created_at    timestamptz NOT NULL,
    PRIMARY KEY (site_id, user_id)
);
CREATE UNIQUE INDEX dashboard_users_by_email ON dashboard_users (lower(email));

-- A signed-in browser: only a SHA-256 of the cookie's 256-bit random value is kept. The CSRF token is
-- sent back in a header on every state change (the cookie alone never suffices).
CREATE TABLE dashboard_sessions (
    token_hash bytea       NOT NULL,
    site_id    uuid        NOT NULL,
    user_id    uuid        NOT NULL,
    csrf_token text        NOT NULL,
    expires_at timestamptz NOT NULL,
    PRIMARY KEY (token_hash),
    FOREIGN KEY (site_id, user_id) REFERENCES dashboard_users ON DELETE CASCADE
);

-- How far each dashboard user has read each conversation: the sequence of the last message seen.
-- Unread counts are the participant's non-silent messages after it.
CREATE TABLE read_horizons (
    site_id         uuid   NOT NULL,
    user_id         uuid   NOT NULL,
    conversation_id uuid   NOT NULL,
    read_through    bigint NOT NULL,
    PRIMARY KEY (site_id, user_id, conversation_id)
);

-- The inbox list (conversations by last activity) has no index on purpose: one on last_message_at would
-- make every send's conversation update a non-HOT update that writes all of the table's indexes. The list
-- reads one site's conversations and keeps the newest page (a top-N sort), cheap at dashboard scale.

-- Widget settings: the origins allowed to embed the widget (besides Parley's own, for /demo), and the
-- secret the site's backend signs member ids with (HMAC-SHA256, as Intercom's identity verification).
ALTER TABLE sites ADD COLUMN widget_origins text[] NOT NULL DEFAULT '{}';
ALTER TABLE sites ADD COLUMN identity_secret text;

-- Parley's core schema. Every table carries site_id, and every primary key and index starts with it
-- (DESIGN.md section 2): sites stay isolated, and the schema can be distributed by site_id unchanged.

CREATE TABLE sites (
    site_id      uuid        NOT NULL,
    display_name text        NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (site_id)
);

-- An API key acts as an app of its site: key_id is also the appId its messages carry (wix-compatibility 4.3, D-9).
-- Only a SHA-256 of the secret is kept; keys are 192-bit random, so a plain hash is enough.
CREATE TABLE api_keys (
    site_id     uuid        NOT NULL REFERENCES sites,
    key_id      uuid        NOT NULL,
    secret_hash bytea       NOT NULL,
    created_at  timestamptz NOT NULL,
    PRIMARY KEY (site_id, key_id)
);

-- One conversation per participant (wix-compatibility 1.4): the unique index is what makes Get Or Create safe
-- under concurrency.
CREATE TABLE conversations (
    site_id          uuid        NOT NULL REFERENCES sites,
    conversation_id  uuid        NOT NULL,
    participant_kind text        NOT NULL CHECK (participant_kind IN ('ANONYMOUS_VISITOR', 'CONTACT', 'MEMBER')),
    participant_id   uuid        NOT NULL,
    contact_id       uuid,
    created_at       timestamptz NOT NULL,
    -- The summary the inbox list shows (wix-compatibility D-16); silent messages leave it alone.
    last_message_at  timestamptz,
    preview_text     text,
    unread_count     integer     NOT NULL DEFAULT 0,
    PRIMARY KEY (site_id, conversation_id)
);
CREATE UNIQUE INDEX conversations_by_participant ON conversations (site_id, participant_kind, participant_id);

-- Message ids and sequences come from one database sequence, taken while the conversation row is
-- locked, so within a conversation they increase in commit order. Across a site they follow time,
-- which keeps a merged conversation chronological without renumbering. CACHE 1 (the default) is
-- required: a per-session cache would hand out values out of order. The start is the install time
-- in microseconds, so ids look like Wix's (wix-compatibility 1.7).
CREATE SEQUENCE message_sequence CACHE 1;
SELECT setval('message_sequence', (extract(epoch FROM clock_timestamp()) * 1000000)::bigint);

CREATE TABLE messages (
    site_id            uuid        NOT NULL,
    sequence           bigint      NOT NULL,
    conversation_id    uuid        NOT NULL,
    direction          text        NOT NULL,
    visibility         text        NOT NULL,
    content            jsonb       NOT NULL,
    sender             jsonb       NOT NULL,
    app_id             text,
    badges             jsonb       NOT NULL,
    source_channel     text        NOT NULL,
    source_channel_id  text,
    target_channels    text[]      NOT NULL,
    target_channel_ids text[]      NOT NULL,
    silent             boolean     NOT NULL,
    send_notifications boolean     NOT NULL,
    created_at         timestamptz NOT NULL,
    PRIMARY KEY (site_id, sequence),
    FOREIGN KEY (site_id, conversation_id) REFERENCES conversations
);
CREATE INDEX messages_by_conversation ON messages (site_id, conversation_id, sequence);

-- The transactional outbox (DESIGN.md section 3). Positions are dense per site: the head row is
-- locked by the transaction that appends, so positions become visible in order and a reader that
-- asks for "after N" can never skip an event that commits later.
CREATE TABLE event_log_heads (
    site_id       uuid   NOT NULL REFERENCES sites,
    last_position bigint NOT NULL,
    PRIMARY KEY (site_id)
);

CREATE TABLE events (
    site_id         uuid        NOT NULL,
    position        bigint      NOT NULL,
    event_id        uuid        NOT NULL,
    slug            text        NOT NULL,
    entity_id       text        NOT NULL,
    conversation_id uuid,
    occurred_at     timestamptz NOT NULL,
    body            jsonb       NOT NULL,
    identity        jsonb       NOT NULL,
    PRIMARY KEY (site_id, position)
);

-- Idempotency-Key records: the first result of a create call, kept at least 24 hours. The hourly
-- purge scans the table; an index on created_at alone would break the site_id-first rule.
CREATE TABLE idempotency_keys (
    site_id      uuid        NOT NULL,
    operation    text        NOT NULL,
    key          text        NOT NULL,
    request_hash text        NOT NULL,
    result       jsonb       NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (site_id, operation, key)
);

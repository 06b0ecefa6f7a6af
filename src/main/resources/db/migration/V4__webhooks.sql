-- Webhooks (issue 5): subscriptions per site, one delivery row per (subscription, event), and the log of
-- every attempt. Deliveries are claimed in the database (FOR UPDATE SKIP LOCKED plus a lease), so any
-- number of nodes share the work and a node killed mid-attempt only delays a delivery until its lease ends.

CREATE TABLE webhook_subscriptions (
    site_id         uuid        NOT NULL REFERENCES sites,
    subscription_id uuid        NOT NULL,
    url             text        NOT NULL,
    event_types     text[]      NOT NULL,  -- webhook event types; empty means every type
    enabled         boolean     NOT NULL,
    secret          text        NOT NULL,  -- the HMAC key, "whsec_" + base64 (Standard Webhooks)
    scanned_to      bigint      NOT NULL,  -- every event up to this log position has its delivery row
    failing_since   timestamptz,           -- the first failure of the current run of failures
    disabled_reason text,                  -- why Parley turned it off; null when a user did, or when on
    created_at      timestamptz NOT NULL,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (site_id, subscription_id)
);

CREATE TABLE webhook_deliveries (
    site_id          uuid        NOT NULL,
    subscription_id  uuid        NOT NULL,
    position         bigint      NOT NULL,  -- the event's position in the site's log
    ordering_key     text        NOT NULL,  -- the conversation, else the entity: delivered in order per key
    status           text        NOT NULL,  -- PENDING, DELIVERED, GAVE_UP
    attempts         integer     NOT NULL,
    queued_at        timestamptz NOT NULL,  -- retries stop once this is older than the retry window
    next_attempt_at  timestamptz NOT NULL,
    leased_until     timestamptz,           -- a node is attempting it until then
    delivered_at     timestamptz,
    last_status_code integer,
    last_error       text,
    last_latency_ms  integer,
    PRIMARY KEY (site_id, subscription_id, position),
    FOREIGN KEY (site_id, subscription_id) REFERENCES webhook_subscriptions ON DELETE CASCADE
);
-- Only pending rows: small, and it answers both "what is due" and "is an earlier one of this key pending".
CREATE INDEX webhook_deliveries_pending ON webhook_deliveries (site_id, subscription_id, ordering_key, position)
    WHERE status = 'PENDING';

CREATE TABLE webhook_attempts (
    site_id         uuid        NOT NULL,
    subscription_id uuid        NOT NULL,
    position        bigint      NOT NULL,
    attempt         integer     NOT NULL,
    attempted_at    timestamptz NOT NULL,
    status_code     integer,               -- null when no answer came (refused, timed out)
    latency_ms      integer     NOT NULL,
    error           text,
    PRIMARY KEY (site_id, subscription_id, position, attempt),
    FOREIGN KEY (site_id, subscription_id, position) REFERENCES webhook_deliveries ON DELETE CASCADE
);

-- The installation's RS256 key pairs for webhook JWTs, published at /.well-known/jwks.json. Not per site:
-- receivers verify one issuer. A retired key stays published for the retry window, so a delivery signed
-- with it just before a rotation still verifies.
CREATE TABLE signing_keys (
    key_id      text        NOT NULL,
    private_key bytea       NOT NULL,  -- PKCS#8
    public_key  bytea       NOT NULL,  -- X.509 SubjectPublicKeyInfo
    created_at  timestamptz NOT NULL,
    retired_at  timestamptz,
    PRIMARY KEY (key_id)
);

-- Channels of any other service, fed by a connector through the connector contract (docs/channels.md).
ALTER TABLE channels DROP CONSTRAINT channels_kind_check;
ALTER TABLE channels ADD CONSTRAINT channels_kind_check CHECK (kind IN ('EMAIL', 'CUSTOM'));

-- Each message a channel took in, by the id its service gave it: a service's retry stores nothing twice.
CREATE TABLE channel_messages (
    site_id     uuid        NOT NULL,
    channel_id  uuid        NOT NULL,
    external_id text        NOT NULL,
    sequence    bigint      NOT NULL,
    received_at timestamptz NOT NULL,
    PRIMARY KEY (site_id, channel_id, external_id),
    FOREIGN KEY (site_id, channel_id) REFERENCES channels ON DELETE CASCADE
);

-- Whom a service's user id stands for: the contact it was first met as (followed through merges by contact_aliases).
CREATE TABLE channel_identities (
    site_id          uuid NOT NULL,
    channel_id       uuid NOT NULL,
    external_user_id text NOT NULL,
    contact_id       uuid NOT NULL,
    PRIMARY KEY (site_id, channel_id, external_user_id),
    FOREIGN KEY (site_id, channel_id) REFERENCES channels ON DELETE CASCADE
);

-- A site's channels beyond the chat widget (docs/email.md). Email is the first kind: a channel receives mail at one
-- address.
CREATE TABLE channels (
    site_id    uuid        NOT NULL REFERENCES sites,
    channel_id uuid        NOT NULL,
    kind       text        NOT NULL CHECK (kind IN ('EMAIL')),
    settings   jsonb       NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (site_id, channel_id)
);

-- Who receives mail at an address (lower-cased): looked up at RCPT TO, so mail to an address no site owns is
-- refused there and never bounced later.
CREATE TABLE email_addresses (
    address    text NOT NULL PRIMARY KEY,
    site_id    uuid NOT NULL,
    channel_id uuid NOT NULL,
    FOREIGN KEY (site_id, channel_id) REFERENCES channels ON DELETE CASCADE
);

-- Each mail taken in, by its Message-ID: the same mail delivered twice is stored once.
CREATE TABLE email_messages (
    site_id         uuid        NOT NULL REFERENCES sites,
    message_id      text        NOT NULL,
    conversation_id uuid        NOT NULL,
    sequence        bigint      NOT NULL,
    received_at     timestamptz NOT NULL,
    PRIMARY KEY (site_id, message_id)
);

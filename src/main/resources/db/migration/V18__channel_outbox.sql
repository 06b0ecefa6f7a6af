-- What goes out to custom channels' connectors (docs/channels.md, "Replies"): how far each site's event log was read
-- for business messages to hand out (a site gets its row with its first custom channel), and each message handed
-- out, with the delivery state its connector reported.
CREATE TABLE channel_scans (
    site_id    uuid   NOT NULL PRIMARY KEY REFERENCES sites,
    scanned_to bigint NOT NULL
);

CREATE TABLE channel_outbox (
    site_id         uuid        NOT NULL,
    sequence        bigint      NOT NULL,
    conversation_id uuid        NOT NULL,
    channel_id      uuid        NOT NULL,
    status          text        NOT NULL, -- QUEUED, SENT, DELIVERED, READ, FAILED
    reason          text,
    updated_at      timestamptz NOT NULL,
    PRIMARY KEY (site_id, sequence),
    FOREIGN KEY (site_id, channel_id) REFERENCES channels ON DELETE CASCADE
);
CREATE INDEX channel_outbox_by_conversation ON channel_outbox (site_id, conversation_id, sequence);

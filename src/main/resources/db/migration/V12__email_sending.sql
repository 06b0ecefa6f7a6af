-- Sending email (docs/email.md, "Sending") and threading replies to it.

-- Every mail of a conversation, both ways, by its Message-ID: a reply's In-Reply-To or References finds its
-- conversation here, and a business mail answers the newest of them. `address` is the customer's: who wrote an
-- incoming mail, whom an outgoing one went to.
ALTER TABLE email_messages
    ADD COLUMN outgoing boolean NOT NULL DEFAULT false,
    ADD COLUMN address  text,
    ADD COLUMN subject  text;
CREATE INDEX email_messages_by_conversation ON email_messages (site_id, conversation_id, sequence);

-- How far each site's event log was read for business messages to email. A site gets its row with its first
-- email channel: sites without one are never read.
CREATE TABLE email_scans (
    site_id    uuid   NOT NULL PRIMARY KEY REFERENCES sites,
    scanned_to bigint NOT NULL
);

-- The email outbox: one row per business message that goes out by email, claimed like webhook deliveries
-- (FOR UPDATE SKIP LOCKED plus a lease), so any number of nodes share the sending and a node that dies
-- mid-attempt only delays it.
CREATE TABLE email_outbox (
    site_id         uuid        NOT NULL,
    conversation_id uuid        NOT NULL,
    sequence        bigint      NOT NULL,
    channel_id      uuid,                  -- the email channel it goes out from; null when the site has none left
    status          text        NOT NULL,  -- QUEUED, SENT, FAILED
    attempts        integer     NOT NULL,
    queued_at       timestamptz NOT NULL,
    next_attempt_at timestamptz NOT NULL,
    leased_until    timestamptz,
    updated_at      timestamptz NOT NULL,
    error           text,                  -- the last failure: a temporary one while QUEUED, the reason when FAILED
    PRIMARY KEY (site_id, sequence)
);
CREATE INDEX email_outbox_due ON email_outbox (next_attempt_at) WHERE status = 'QUEUED';
CREATE INDEX email_outbox_by_conversation ON email_outbox (site_id, conversation_id, sequence);

-- Postback buttons pressed from a mail's link (docs/email.md, "Buttons"): each once, with its event.
CREATE TABLE email_button_presses (
    site_id        uuid        NOT NULL,
    sequence       bigint      NOT NULL,
    interaction_id text        NOT NULL,
    pressed_at     timestamptz NOT NULL,
    PRIMARY KEY (site_id, sequence, interaction_id)
);

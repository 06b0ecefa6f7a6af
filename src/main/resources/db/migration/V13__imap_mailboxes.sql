-- Email channels that read an existing mailbox over IMAP (docs/email.md, "Reading a mailbox over IMAP"): how far
-- each was read, which node reads it (one at a time, under a lease it renews), and how it is doing.
CREATE TABLE imap_mailboxes (
    channel_id    uuid        NOT NULL PRIMARY KEY,
    site_id       uuid        NOT NULL,
    uid_validity  bigint,                -- the folder's UIDVALIDITY when last_uid was read; another one starts over
    last_uid      bigint      NOT NULL DEFAULT 0,
    reader        uuid,                  -- the node reading it
    leased_until  timestamptz,
    failing_since timestamptz,           -- null while the last attempt worked
    last_error    text,
    FOREIGN KEY (site_id, channel_id) REFERENCES channels ON DELETE CASCADE
);

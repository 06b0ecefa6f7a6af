-- The full original of every mail taken in (docs/email.md, "The original"), as it arrived, for the business to
-- look at: the inbox shows only what the customer wrote this time. PostgreSQL compresses it out of line (TOAST).
ALTER TABLE email_messages ADD COLUMN original bytea;
CREATE INDEX email_messages_by_sequence ON email_messages (site_id, sequence);

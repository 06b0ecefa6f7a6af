-- An API key may be a connector's (docs/channels.md, "A connector's key"): it hands in its channel's messages and
-- activities and uploads their files, nothing else, and goes with its channel.
ALTER TABLE api_keys ADD COLUMN channel_id uuid;
ALTER TABLE api_keys ADD FOREIGN KEY (site_id, channel_id) REFERENCES channels ON DELETE CASCADE;

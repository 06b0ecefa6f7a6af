-- The key a site's participant tokens are signed with (HMAC-SHA256, 32 random bytes), created by Parley
-- on first use (auth/ParticipantTokens). Per site, so that one site's key can be replaced alone.
ALTER TABLE sites ADD COLUMN participant_token_secret bytea;

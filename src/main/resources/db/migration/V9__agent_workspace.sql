-- The agent workspace (docs/dashboard-and-widget.md, "The agent workspace"): a conversation's status and
-- assignment, labels, canned replies, teams, invitations, deactivated people, and the indexes search uses.

-- Status and assignment live on the conversation row; an ordinary send writes none of them (only a participant
-- message that reopens the conversation).
-- last_inbound_sequence is the participant's newest counted message: "unread for me" is it being past my
-- read horizon, a comparison instead of a count. last_channel is the channel of the last message the list shows.
ALTER TABLE conversations
    ADD COLUMN status                text NOT NULL DEFAULT 'OPEN'
        CHECK (status IN ('OPEN', 'PENDING', 'SNOOZED', 'RESOLVED')),
    ADD COLUMN snoozed_until         timestamptz,
    ADD COLUMN assignee_id           uuid,
    ADD COLUMN team_id               uuid,
    ADD COLUMN last_inbound_sequence bigint NOT NULL DEFAULT 0,
    ADD COLUMN last_channel          text,
    ADD CONSTRAINT snoozed_has_a_time CHECK ((status = 'SNOOZED') = (snoozed_until IS NOT NULL));
UPDATE conversations c SET last_inbound_sequence = m.inbound, last_channel = m.channel
  FROM (SELECT site_id, conversation_id,
               coalesce(max(sequence) FILTER (WHERE direction = 'PARTICIPANT_TO_BUSINESS'), 0) AS inbound,
               (array_agg(source_channel ORDER BY sequence DESC))[1] AS channel
          FROM messages WHERE NOT silent GROUP BY site_id, conversation_id) m
 WHERE c.site_id = m.site_id AND c.conversation_id = m.conversation_id;
CREATE INDEX conversations_by_workflow ON conversations (site_id, status, assignee_id, team_id)
    WHERE merged_into IS NULL;
-- The list in activity order. V6 left it without an index so that a send's update of its conversation stays
-- HOT (no index holds last_message_at); with views filtered by status, assignee, team and label over 100,000
-- conversations, the list must instead walk the conversations newest first and stop at its page (50 rows read
-- instead of every match sorted): docs/performance.md, "The agent workspace", has both sides measured.
CREATE INDEX conversations_by_activity ON conversations
    (site_id, (coalesce(last_message_at, created_at)) DESC, conversation_id DESC) WHERE merged_into IS NULL;
-- The snooze alarm clock scans every site's due snoozes: a partial index holds only snoozed conversations.
CREATE INDEX conversations_snoozed ON conversations (site_id, snoozed_until) WHERE snoozed_until IS NOT NULL;

ALTER TABLE dashboard_users
    ADD COLUMN display_name   text,
    ADD COLUMN deactivated_at timestamptz;

CREATE TABLE teams (
    site_id    uuid        NOT NULL REFERENCES sites,
    team_id    uuid        NOT NULL,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (site_id, team_id)
);
CREATE UNIQUE INDEX teams_by_name ON teams (site_id, lower(name));

CREATE TABLE team_members (
    site_id uuid NOT NULL,
    team_id uuid NOT NULL,
    user_id uuid NOT NULL,
    PRIMARY KEY (site_id, team_id, user_id),
    FOREIGN KEY (site_id, team_id) REFERENCES teams ON DELETE CASCADE,
    FOREIGN KEY (site_id, user_id) REFERENCES dashboard_users ON DELETE CASCADE
);

-- A one-time link to join a site: only a SHA-256 of its 256-bit random token is kept.
CREATE TABLE invitations (
    site_id       uuid        NOT NULL REFERENCES sites,
    invitation_id uuid        NOT NULL,
    token_hash    bytea       NOT NULL,
    email         text        NOT NULL,
    role          text        NOT NULL CHECK (role IN ('OWNER', 'AGENT')),
    invited_by    text        NOT NULL,
    created_at    timestamptz NOT NULL,
    expires_at    timestamptz NOT NULL,
    PRIMARY KEY (site_id, invitation_id)
);
CREATE UNIQUE INDEX invitations_by_token ON invitations (token_hash);

CREATE TABLE labels (
    site_id    uuid        NOT NULL REFERENCES sites,
    label_id   uuid        NOT NULL,
    name       text        NOT NULL,
    color      text        NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (site_id, label_id)
);
CREATE UNIQUE INDEX labels_by_name ON labels (site_id, lower(name));

CREATE TABLE conversation_labels (
    site_id         uuid NOT NULL,
    conversation_id uuid NOT NULL,
    label_id        uuid NOT NULL,
    PRIMARY KEY (site_id, conversation_id, label_id),
    FOREIGN KEY (site_id, conversation_id) REFERENCES conversations,
    FOREIGN KEY (site_id, label_id) REFERENCES labels ON DELETE CASCADE
);
CREATE INDEX conversation_labels_by_label ON conversation_labels (site_id, label_id, conversation_id);

CREATE TABLE canned_replies (
    site_id    uuid        NOT NULL REFERENCES sites,
    reply_id   uuid        NOT NULL,
    shortcut   text        NOT NULL COLLATE "C",
    body       text        NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (site_id, reply_id)
);
CREATE UNIQUE INDEX canned_replies_by_shortcut ON canned_replies (site_id, shortcut);

-- Message search: PostgreSQL full text over the words people wrote (texts, titles, card lines, button labels,
-- file names, form values), not ids or URLs. The 'simple' configuration neither stems nor drops stop words:
-- it works alike for every language, and a prefix query finds "refund" from "refu". The words are a stored
-- column, computed once at insert: the index is built from it, and a search for a common word can walk the
-- newest messages and test each one's words without computing them again (docs/operations.md, "Search").
-- btree_gin lets the index start with site_id, as every index here does.
CREATE EXTENSION IF NOT EXISTS btree_gin;
CREATE FUNCTION message_text(content jsonb) RETURNS text
    LANGUAGE sql IMMUTABLE PARALLEL SAFE
    RETURN (SELECT string_agg(word #>> '{}', ' ') FROM jsonb_path_query(content,
        'strict $.** ? (@.type() == "object").keyvalue() ? (@.key like_regex "^(text|title|textLines|label|filename|description|value)$").value.** ? (@.type() == "string")') AS word);
ALTER TABLE messages ADD COLUMN words tsvector
    GENERATED ALWAYS AS (to_tsvector('simple', coalesce(message_text(content), ''))) STORED;
CREATE INDEX messages_by_words ON messages USING gin (site_id, words);

-- How the chat widget presents the business: a logo, a welcome message, office hours and the away message shown
-- outside them (widget/Appearance). The name is the site's.
ALTER TABLE sites ADD COLUMN widget_appearance jsonb NOT NULL DEFAULT '{}';

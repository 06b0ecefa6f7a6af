-- Contacts (wix-compatibility 7), members, and the identity links and merges that let one conversation follow a
-- person from anonymous visitor to contact to member (wix-compatibility 1.3-1.5, D-2 ... D-4, D-26).

-- The Wix contact. `info` is stored as the API shows it (item ids and e164Phone filled in); what the
-- query language filters on lives in contact_values, what it sorts on in the columns below.
CREATE TABLE contacts (
    site_id            uuid        NOT NULL REFERENCES sites,
    contact_id         uuid        NOT NULL,
    revision           integer     NOT NULL,
    source             jsonb       NOT NULL,
    info               jsonb       NOT NULL,
    created_at         timestamptz NOT NULL,
    updated_at         timestamptz NOT NULL,
    last_activity_at   timestamptz NOT NULL,
    last_activity_type text        NOT NULL,
    -- Sort keys, lower-cased (sorting is case-insensitive, like every text comparison of the query).
    first_name         text COLLATE "C",
    last_name          text COLLATE "C",
    primary_email      text COLLATE "C",
    company            text COLLATE "C",
    job_title          text COLLATE "C",
    birthdate          text COLLATE "C",
    PRIMARY KEY (site_id, contact_id)
);
CREATE INDEX contacts_by_created ON contacts (site_id, created_at, contact_id);
CREATE INDEX contacts_by_activity ON contacts (site_id, last_activity_at, contact_id);

-- Every searchable text of a contact, one row per value: a single index answers equality, `$in` and
-- prefix filters on any field, including any-element matches through arrays (info.emails.email).
-- Values are lower-cased and trimmed (wix-compatibility D-14: emails compare case-insensitively; so does everything).
-- `number` holds numeric extended fields so `$gt`/`$lt` compare them as numbers.
CREATE TABLE contact_values (
    site_id    uuid NOT NULL,
    field      text NOT NULL COLLATE "C",
    value      text NOT NULL COLLATE "C",
    contact_id uuid NOT NULL,
    number     double precision,
    PRIMARY KEY (site_id, field, value, contact_id),
    FOREIGN KEY (site_id, contact_id) REFERENCES contacts ON DELETE CASCADE
);
CREATE INDEX contact_values_by_contact ON contact_values (site_id, contact_id);

-- A contact merged into another keeps answering Get Contact with the survivor (wix-compatibility 7.3); a deleted
-- contact's aliases go with it.
CREATE TABLE contact_aliases (
    site_id    uuid NOT NULL,
    alias_id   uuid NOT NULL,
    contact_id uuid NOT NULL,
    PRIMARY KEY (site_id, alias_id),
    FOREIGN KEY (site_id, contact_id) REFERENCES contacts ON DELETE CASCADE
);
CREATE INDEX contact_aliases_by_contact ON contact_aliases (site_id, contact_id);

-- A member always has a contact, and member and contact ids differ (wix-compatibility 1.3).
CREATE TABLE members (
    site_id    uuid        NOT NULL REFERENCES sites,
    member_id  uuid        NOT NULL,
    contact_id uuid        NOT NULL,
    created_at timestamptz NOT NULL,
    PRIMARY KEY (site_id, member_id)
);
CREATE UNIQUE INDEX members_by_contact ON members (site_id, contact_id);

-- Which contact an anonymous visitor turned out to be.
CREATE TABLE visitor_links (
    site_id    uuid        NOT NULL REFERENCES sites,
    visitor_id uuid        NOT NULL,
    contact_id uuid        NOT NULL,
    linked_at  timestamptz NOT NULL,
    PRIMARY KEY (site_id, visitor_id)
);
CREATE INDEX visitor_links_by_contact ON visitor_links (site_id, contact_id);

-- A merged conversation keeps its row as an alias of the one it was folded into (wix-compatibility D-2). Aliases are
-- kept one hop deep: a later merge of the target re-points them.
ALTER TABLE conversations ADD COLUMN merged_into uuid;
CREATE INDEX conversations_by_merge_target ON conversations (site_id, merged_into) WHERE merged_into IS NOT NULL;

-- The merge ledger: which conversations folded into which, when, why, and on whose request.
CREATE TABLE conversation_merges (
    site_id                uuid        NOT NULL,
    merge_id               uuid        NOT NULL,
    target_conversation_id uuid        NOT NULL,
    old_conversation_ids   uuid[]      NOT NULL,
    reason                 text        NOT NULL,
    requested_by           jsonb       NOT NULL,
    messages_moved         integer     NOT NULL,
    merged_at              timestamptz NOT NULL,
    PRIMARY KEY (site_id, merge_id)
);
CREATE INDEX conversation_merges_by_target ON conversation_merges (site_id, target_conversation_id);

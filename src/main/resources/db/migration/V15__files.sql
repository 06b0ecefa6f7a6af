-- Files attached to messages, from every channel (docs/files.md). The bytes are in the row (PostgreSQL keeps them
-- out of line), or, when the installation keeps files in a directory, in <directory>/<site>/<file>: the row names
-- the directory it was written to, so files stay readable when the setting changes.
CREATE TABLE files (
    site_id      uuid        NOT NULL,
    file_id      uuid        NOT NULL,
    filename     text,
    content_type text        NOT NULL,
    size         bigint      NOT NULL,
    width        integer,
    height       integer,
    created_at   timestamptz NOT NULL,
    attached_at  timestamptz,            -- when a message first held it; files never sent are deleted after a day
    bytes        bytea,
    directory    text,
    PRIMARY KEY (site_id, file_id),
    CHECK ((bytes IS NULL) <> (directory IS NULL))
);
-- Most files are already compressed (images, archives, office documents): no second try.
ALTER TABLE files ALTER COLUMN bytes SET STORAGE EXTERNAL;
CREATE INDEX files_unsent ON files (created_at) WHERE attached_at IS NULL;

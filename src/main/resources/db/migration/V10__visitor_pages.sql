-- The pages a visitor opened the chat widget on, for the dashboard's contact panel (docs/dashboard-and-widget.md,
-- "The contact panel"): one row per address, the newest view's time and title, at most 20 per visitor.
CREATE TABLE visitor_pages (
    site_id    uuid        NOT NULL REFERENCES sites,
    visitor_id uuid        NOT NULL,
    url        text        NOT NULL,
    title      text,
    viewed_at  timestamptz NOT NULL,
    PRIMARY KEY (site_id, visitor_id, url)
);
CREATE INDEX visitor_pages_by_time ON visitor_pages (site_id, visitor_id, viewed_at DESC);

-- The optional `originatedFrom` of a domain event (wix-compatibility 5.1): the action that caused it, e.g. "merge"
-- on the contact_deleted of a contact merged away.
ALTER TABLE events ADD COLUMN originated_from text;

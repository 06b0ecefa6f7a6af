-- Contact created, updated and deleted are entity events (wix-compatibility 5.3): the stored body becomes the contact
-- itself, which the webhook puts in createdEvent.entity, updatedEvent.currentEntity or
-- deletedEvent.deletedEntity. Events stored before kept the contact under "contact", and a deletion only
-- its id.
UPDATE events SET body = body -> 'contact'
WHERE slug IN ('created', 'updated') AND body ? 'contact';
UPDATE events SET body = jsonb_build_object('id', body ->> 'contactId')
WHERE slug = 'deleted' AND body ? 'contactId';

package parley.identity;

import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import parley.contacts.Contact;
import parley.contacts.Contacts;
import parley.conversations.Participant;
import parley.conversations.ParticipantResolver;
import parley.errors.NotFound;
import parley.sites.SiteId;

/**
 * Resolves a participant id to the person's current identity (wix-compatibility D-4): visitor → linked contact, merged
 * contact → survivor, contact → member when the contact registered. Contacts and members must exist;
 * visitor ids are cookie ids and are taken as they come.
 */
public final class IdentityResolver implements ParticipantResolver {
    private final Contacts contacts;

    public IdentityResolver(Contacts contacts) {
        this.contacts = contacts;
    }

    @Override
    public Resolved resolve(Handle handle, SiteId site, Participant requested) {
        return switch (requested.kind()) {
            case MEMBER -> {
                UUID contactId = memberContact(handle, site, requested.id()).orElseThrow(IdentityResolver::memberNotFound);
                yield new Resolved(requested, contactId);
            }
            case CONTACT -> ofContact(handle, site, requested.id());
            case ANONYMOUS_VISITOR -> linkedContact(handle, site, requested.id())
                    .map(contactId -> ofContact(handle, site, contactId))
                    .orElse(new Resolved(requested, null));
        };
    }

    @Override
    public boolean signedOut(Handle handle, SiteId site, UUID anonymousVisitorId) {
        return handle.createQuery("""
                        SELECT EXISTS (SELECT 1 FROM visitor_links
                                       WHERE site_id = :site AND visitor_id = :visitor AND signed_out_at IS NOT NULL)
                        """)
                .bind("site", site.value())
                .bind("visitor", anonymousVisitorId)
                .mapTo(Boolean.class)
                .one();
    }

    /** The contact's current identity: its member if it registered, else the (surviving) contact. */
    Resolved ofContact(Handle handle, SiteId site, UUID contactId) {
        Contact contact = contacts.share(handle, site, contactId).orElseThrow(Contacts::notFound);
        return memberOf(handle, site, contact.id())
                .map(memberId -> new Resolved(new Participant(Participant.Kind.MEMBER, memberId), contact.id()))
                .orElse(new Resolved(new Participant(Participant.Kind.CONTACT, contact.id()), contact.id()));
    }

    static Optional<UUID> memberContact(Handle handle, SiteId site, UUID memberId) {
        return handle.createQuery("SELECT contact_id FROM members WHERE site_id = :site AND member_id = :member")
                .bind("site", site.value())
                .bind("member", memberId)
                .mapTo(UUID.class)
                .findOne();
    }

    static Optional<UUID> memberOf(Handle handle, SiteId site, UUID contactId) {
        return handle.createQuery("SELECT member_id FROM members WHERE site_id = :site AND contact_id = :contact")
                .bind("site", site.value())
                .bind("contact", contactId)
                .mapTo(UUID.class)
                .findOne();
    }

    static Optional<UUID> linkedContact(Handle handle, SiteId site, UUID visitorId) {
        return handle.createQuery("SELECT contact_id FROM visitor_links WHERE site_id = :site AND visitor_id = :visitor")
                .bind("site", site.value())
                .bind("visitor", visitorId)
                .mapTo(UUID.class)
                .findOne();
    }

    static NotFound memberNotFound() {
        return new NotFound("MEMBER_NOT_FOUND", "member not found");
    }
}

package parley.identity;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import parley.auth.Caller;
import parley.contacts.Contact;
import parley.contacts.Contacts;
import parley.conversations.Conversation;
import parley.conversations.ConversationId;
import parley.conversations.Conversations;
import parley.conversations.MergeConversations.Reason;
import parley.conversations.Participant;
import parley.conversations.ParticipantResolver.Resolved;
import parley.errors.Conflict;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;
import parley.sites.SiteId;
import parley.storage.Deferred;
import parley.storage.Database;
import parley.storage.Transactions;

/**
 * The participant lifecycle (wix-compatibility 1.3–1.5, D-26): a visitor becomes a contact, a contact becomes a member,
 * contacts merge. Each step finds or creates the person's current conversation and folds the earlier ones
 * into it. Steps run through the group commit, the writer that also stores messages, so a message sent to
 * an old conversation during a step lands in the target exactly once.
 */
public final class Lifecycle {
    static final int MAX_MERGE_SOURCES = 100;

    private final Database database;
    private final Transactions writes;
    private final Contacts contacts;
    private final Conversations conversations;
    private final IdentityResolver resolver;
    private final Clock clock;

    public Lifecycle(Database database, Transactions writes, Contacts contacts, Conversations conversations,
                     IdentityResolver resolver, Clock clock) {
        this.database = database;
        this.writes = writes;
        this.contacts = contacts;
        this.conversations = conversations;
        this.resolver = resolver;
        this.clock = clock;
    }

    public record Member(UUID memberId, UUID contactId, Instant createdDate) {
    }

    /** What a link left: the person's conversation now, if they have one. */
    public record Linked(Optional<Conversation> conversation) {
    }

    /** Links an anonymous visitor to the contact they turned out to be. Linking again to the same contact is a no-op. */
    public Linked linkVisitor(Caller caller, UUID visitorId, UUID contactId) {
        return writes.inTransaction(handle -> {
            SiteId site = caller.site();
            Contact contact = contacts.lock(handle, site, contactId).orElseThrow(Contacts::notFound);
            Optional<UUID> linked = IdentityResolver.linkedContact(handle, site, visitorId);
            if (linked.isPresent() && !linked.get().equals(contact.id())) {
                throw new Conflict("VISITOR_ALREADY_LINKED", "this visitor is already linked to another contact");
            }
            if (linked.isEmpty()) {
                handle.createUpdate("""
                                INSERT INTO visitor_links (site_id, visitor_id, contact_id, linked_at)
                                VALUES (:site, :visitor, :contact, :at)
                                """)
                        .bind("site", site.value())
                        .bind("visitor", visitorId)
                        .bind("contact", contact.id())
                        .bind("at", now())
                        .execute();
            }
            return new Linked(fold(handle, caller,
                    List.of(new Participant(Participant.Kind.ANONYMOUS_VISITOR, visitorId)),
                    resolver.ofContact(handle, site, contact.id()), Reason.VISITOR_LINKED_TO_CONTACT));
        });
    }

    /**
     * The member a visitor stood for signed out of it (the page stopped naming the member): from now on the
     * visitor's tokens reach no conversation. Its messages stay the member's.
     */
    public void signOutVisitor(SiteId site, UUID visitorId) {
        writes.inTransaction(handle -> handle.createUpdate("""
                        UPDATE visitor_links SET signed_out_at = :at
                        WHERE site_id = :site AND visitor_id = :visitor AND signed_out_at IS NULL
                        """)
                .bind("at", now())
                .bind("site", site.value())
                .bind("visitor", visitorId)
                .execute());
    }

    /**
     * Registers a member for a contact (the contact → member step). {@code memberId} may be null: Parley
     * then chooses one. The contact's conversation folds into the member's.
     */
    public Member registerMember(Caller caller, UUID requestedMemberId, UUID contactId) {
        UUID memberId = requestedMemberId != null ? requestedMemberId : UUID.randomUUID();
        return writes.inTransaction(handle -> {
            SiteId site = caller.site();
            Contact contact = contacts.lock(handle, site, contactId).orElseThrow(Contacts::notFound);
            if (memberId.equals(contact.id())) {
                throw InvalidArgument.of(new FieldViolation("memberId", "must differ from the contact id (wix-compatibility 1.3)",
                        FieldViolation.Rule.VALIDATION));
            }
            Optional<UUID> existing = IdentityResolver.memberOf(handle, site, contact.id());
            if (existing.isPresent()) {
                throw new Conflict("CONTACT_ALREADY_MEMBER", "this contact is already member " + existing.get());
            }
            if (IdentityResolver.memberContact(handle, site, memberId).isPresent()) {
                throw new Conflict("MEMBER_EXISTS", "a member with this id already exists");
            }
            Instant now = now();
            handle.createUpdate("""
                            INSERT INTO members (site_id, member_id, contact_id, created_at)
                            VALUES (:site, :member, :contact, :at)
                            """)
                    .bind("site", site.value())
                    .bind("member", memberId)
                    .bind("contact", contact.id())
                    .bind("at", now)
                    .execute();
            Deferred touch = new Deferred();
            contacts.touch(touch, site, contact.id(), now, Contact.MEMBER_REGISTER);
            touch.write(handle);
            fold(handle, caller, List.of(new Participant(Participant.Kind.CONTACT, contact.id())),
                    new Resolved(new Participant(Participant.Kind.MEMBER, memberId), contact.id()),
                    Reason.CONTACT_BECAME_MEMBER);
            return new Member(memberId, contact.id(), now);
        });
    }

    public Member member(SiteId site, UUID memberId) {
        return database.read(handle -> handle.createQuery("""
                        SELECT member_id, contact_id, created_at FROM members
                        WHERE site_id = :site AND member_id = :member
                        """)
                .bind("site", site.value())
                .bind("member", memberId)
                .map((rs, ctx) -> new Member(rs.getObject("member_id", UUID.class),
                        rs.getObject("contact_id", UUID.class), rs.getTimestamp("created_at").toInstant()))
                .findOne()
                .orElseThrow(IdentityResolver::memberNotFound));
    }

    /**
     * Merge Contacts (wix-compatibility 7.3b): folds the sources into the target contact, re-points the sources'
     * visitor links, and folds the sources' conversations into the target's. A source that is a member cannot be merged
     * away (its member would lose its contact).
     */
    public Contact mergeContacts(Caller caller, UUID targetId, int targetRevision, List<UUID> sourceIds) {
        if (sourceIds.isEmpty() || sourceIds.size() > MAX_MERGE_SOURCES) {
            throw InvalidArgument.of(new FieldViolation("sourceContactIds", "must name 1 to " + MAX_MERGE_SOURCES
                    + " contacts", FieldViolation.Rule.VALIDATION));
        }
        return writes.inTransaction(handle -> {
            SiteId site = caller.site();
            Contact target = contacts.lock(handle, site, targetId).orElseThrow(Contacts::notFound);
            if (target.revision() != targetRevision) {
                throw Contacts.staleRevision(target);
            }
            Set<UUID> seen = new LinkedHashSet<>();
            List<Contact> sources = new ArrayList<>();
            for (UUID sourceId : sourceIds) {
                Contact source = contacts.lock(handle, site, sourceId).orElseThrow(Contacts::notFound);
                if (source.id().equals(target.id())) {
                    throw InvalidArgument.of(new FieldViolation("sourceContactIds", "must not include the target "
                            + "contact (" + sourceId + " is or was merged into it)", FieldViolation.Rule.VALIDATION));
                }
                if (IdentityResolver.memberOf(handle, site, source.id()).isPresent()) {
                    throw new Conflict("SOURCE_CONTACT_IS_MEMBER", "contact " + source.id()
                            + " belongs to a member and cannot be merged into another contact");
                }
                if (seen.add(source.id())) {
                    sources.add(source);
                }
            }
            Contact merged = contacts.absorb(handle, caller, target, sources);
            List<UUID> folded = sources.stream().map(Contact::id).toList();
            handle.createUpdate("UPDATE visitor_links SET contact_id = :target WHERE site_id = :site AND contact_id IN (<sources>)")
                    .bind("site", site.value())
                    .bind("target", target.id())
                    .bindList("sources", folded)
                    .execute();
            fold(handle, caller, folded.stream().map(id -> new Participant(Participant.Kind.CONTACT, id)).toList(),
                    resolver.ofContact(handle, site, target.id()), Reason.CONTACTS_MERGED);
            return merged;
        });
    }

    /**
     * Folds the conversations these participants have into the person's current conversation, which is
     * found or created; when they have none, nothing is created. Returns the current conversation if any.
     */
    private Optional<Conversation> fold(Handle handle, Caller caller, List<Participant> old, Resolved current,
                                        Reason reason) {
        SiteId site = caller.site();
        List<Conversation> olds = new ArrayList<>();
        for (Participant participant : old) {
            conversations.find(handle, site, participant).ifPresent(olds::add);
        }
        Optional<Conversation> existing = conversations.find(handle, site, current.participant());
        if (olds.isEmpty()) {
            return existing;
        }
        Conversation target = existing.orElseGet(() -> conversations.getOrCreate()
                .getOrCreate(handle, site, current.participant(), current.contactId()).conversation());
        List<ConversationId> ids = olds.stream().map(Conversation::id).filter(id -> !id.equals(target.id()))
                .distinct().toList();
        if (!ids.isEmpty()) {
            conversations.merge().merge(handle, caller, ids, target.id(), reason);
        }
        return Optional.of(target);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}

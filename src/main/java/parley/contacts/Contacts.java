package parley.contacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import parley.auth.Caller;
import parley.errors.Conflict;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;
import parley.errors.NotFound;
import parley.events.EventLog;
import parley.events.EventType;
import parley.sites.SiteId;
import parley.storage.Deferred;
import parley.storage.Database;
import parley.storage.Transactions;
import parley.web.Json;
import parley.web.Requests;

/**
 * The contacts of a site (wix-compatibility 7): create with the duplicate rule, get (a merged-away id answers with
 * its survivor), update guarded by revision, delete, and the query language. Each change writes its
 * contact event in the same transaction.
 */
public final class Contacts {
    static final int DEFAULT_LIMIT = 50;
    static final int MAX_LIMIT = 1000;
    static final int MAX_SEARCH = 100;

    private final Database database;
    private final Transactions writes;
    private final EventLog events;
    private final Clock clock;
    private final ContactRepository repository = new ContactRepository();

    /**
     * Changes run through {@code writes}: the group commit, the one writer per node that merges and sends
     * also use, so a merge and an edit of one contact never wait on each other's locks within a node.
     */
    public Contacts(Database database, Transactions writes, EventLog events, Clock clock) {
        this.database = database;
        this.writes = writes;
        this.events = events;
        this.clock = clock;
    }

    /** A page of a query, with the numbers of {@code pagingMetadata}. Nullable: {@code total}. */
    record Page(List<ObjectNode> contacts, int offset, Integer total, boolean tooManyToCount) {
    }

    Contact create(Caller caller, ContactInfo requested, boolean allowDuplicates) {
        ContactChecks.check(requested);
        ContactInfo info = requested.normalized();
        Instant now = now();
        Contact contact = new Contact(UUID.randomUUID(), 1, new Contact.Source("THIRD_PARTY", caller.appId()), info,
                now, now, new Contact.LastActivity(now, Contact.CONTACT_CREATED));
        return writes.inTransaction(handle -> {
            if (!allowDuplicates) {
                refuseDuplicates(handle, caller.site(), info, Optional.empty(), contact.id());
            }
            repository.insert(handle, caller.site(), contact);
            event(handle, caller, EventType.CONTACT_CREATED, contact);
            return contact;
        });
    }

    /** The contact with this email (case aside), the first created if several share it, inside the caller's read. */
    public Optional<UUID> withEmail(Handle handle, SiteId site, String email) {
        return repository.firstWith(handle, site, "info.emails.email", ContactField.comparable(email));
    }

    /**
     * Who wrote through a channel, as the channel knows them: an email address, a phone number (E.164), the user id
     * the channel's service gives them, a display name; each nullable.
     */
    public record Sender(String email, String phone, UUID channelId, String externalUserId, ContactInfo.Name name) {
    }

    /** {@link #of} for a sender known by email alone. */
    public UUID ofEmail(Caller caller, String email, ContactInfo.Name name) {
        return of(caller, new Sender(email, null, null, null, name));
    }

    /**
     * The contact of a sender, as a channel meets them (docs/channels.md, "Who wrote"): the contact the channel's user
     * id was linked to (through merges), else of the contacts with that email (compared without case), else with
     * that phone number, the one created first; when there is none, a new contact with what the sender gave. The
     * channel's user id is linked to the contact from then on. Two senders with the same address, number or user id
     * at once wait for each other, so they make one contact.
     */
    public UUID of(Caller caller, Sender sender) {
        String address = sender.email() == null ? null : ContactField.comparable(sender.email());
        String external = sender.externalUserId() == null ? null : sender.channelId() + "/" + sender.externalUserId();
        Optional<UUID> before = database.read(handle -> known(handle, caller.site(), sender));
        if (before.isPresent()) {
            return before.get();
        }
        return writes.inTransaction(handle -> {
            repository.lockValues(handle, caller.site(), Stream.of(address, sender.phone(), external)
                    .filter(Objects::nonNull).toList());
            Optional<UUID> known = external == null ? Optional.empty() : linked(handle, caller.site(), sender);
            if (known.isEmpty()) {
                known = known(handle, caller.site(), address, sender.phone());
            }
            UUID contact = known.orElseGet(() -> create(handle, caller, sender));
            if (external != null) {
                handle.createUpdate("""
                                INSERT INTO channel_identities (site_id, channel_id, external_user_id, contact_id)
                                VALUES (:site, :channel, :user, :contact)
                                ON CONFLICT (site_id, channel_id, external_user_id) DO UPDATE SET contact_id = :contact
                                """)
                        .bind("site", caller.site().value())
                        .bind("channel", sender.channelId())
                        .bind("user", sender.externalUserId())
                        .bind("contact", contact)
                        .execute();
            }
            return contact;
        });
    }

    /**
     * {@link #of}'s contact when a read alone finds it — most senders wrote before — inside the caller's read: the
     * one the user id is linked to, or, for a sender without one, the one of their email or phone.
     */
    public Optional<UUID> known(Handle handle, SiteId site, Sender sender) {
        return sender.externalUserId() != null ? linked(handle, site, sender)
                : known(handle, site, sender.email() == null ? null : ContactField.comparable(sender.email()),
                        sender.phone());
    }

    /** Of the contacts with this email, else with this phone number (either nullable), the one created first. */
    private Optional<UUID> known(Handle handle, SiteId site, String address, String phone) {
        Optional<UUID> known = address == null ? Optional.empty()
                : repository.firstWith(handle, site, "info.emails.email", address);
        return known.isPresent() || phone == null ? known
                : repository.firstWith(handle, site, "info.phones.e164Phone", ContactField.comparable(phone));
    }

    /** The contact a channel's user id was linked to, or the one it was merged into; none once it is deleted. */
    private static Optional<UUID> linked(Handle handle, SiteId site, Sender sender) {
        return handle.createQuery("""
                        SELECT c.contact_id FROM channel_identities l
                        LEFT JOIN contact_aliases a ON a.site_id = l.site_id AND a.alias_id = l.contact_id
                        JOIN contacts c ON c.site_id = l.site_id AND c.contact_id = COALESCE(a.contact_id, l.contact_id)
                        WHERE l.site_id = :site AND l.channel_id = :channel AND l.external_user_id = :user
                        """)
                .bind("site", site.value())
                .bind("channel", sender.channelId())
                .bind("user", sender.externalUserId())
                .mapTo(UUID.class)
                .findOne();
    }

    private UUID create(Handle handle, Caller caller, Sender sender) {
        Instant now = now();
        ContactInfo info = new ContactInfo(sender.name(), sender.email() == null ? null
                : new ContactInfo.Items<>(List.of(new ContactInfo.Email(null, ContactInfo.EmailTag.MAIN,
                sender.email(), true))), sender.phone() == null ? null
                : new ContactInfo.Items<>(List.of(new ContactInfo.Phone(null, ContactInfo.PhoneTag.MOBILE, null,
                sender.phone(), null, true))), null, null, null, null, null, null, null, null, null).normalized();
        Contact contact = new Contact(UUID.randomUUID(), 1, new Contact.Source("THIRD_PARTY", caller.appId()),
                info, now, now, new Contact.LastActivity(now, Contact.CONTACT_CREATED));
        repository.insert(handle, caller.site(), contact);
        event(handle, caller, EventType.CONTACT_CREATED, contact);
        return contact.id();
    }

    Contact get(SiteId site, String id) {
        UUID contactId = parse(id);
        return database.read(handle -> repository.find(handle, site, contactId, ContactRepository.Lock.NONE))
                .orElseThrow(Contacts::notFound);
    }

    /**
     * Update Contact: the top-level fields of {@code infoPatch} replace the stored ones, the others stay.
     * A revision other than the stored one is a 409: someone else changed the contact in between.
     */
    Contact update(Caller caller, String id, int revision, JsonNode infoPatch, boolean allowDuplicates) {
        UUID contactId = parse(id);
        return writes.inTransaction(handle -> {
            Contact stored = lock(handle, caller.site(), contactId).orElseThrow(Contacts::notFound);
            if (stored.revision() != revision) {
                throw staleRevision(stored);
            }
            ObjectNode merged = (ObjectNode) Json.tree(stored.info());
            if (infoPatch != null) {
                infoPatch.properties().forEach(field -> merged.set(field.getKey(), field.getValue()));
            }
            ContactInfo requested = Requests.bind(merged, ContactInfo.class);
            ContactChecks.check(requested);
            ContactInfo info = requested.normalized();
            if (!allowDuplicates) {
                refuseDuplicates(handle, caller.site(), info, Optional.of(stored.info()), stored.id());
            }
            Contact updated = new Contact(stored.id(), stored.revision() + 1, stored.source(), info,
                    stored.createdDate(), now(), stored.lastActivity());
            repository.update(handle, caller.site(), updated);
            event(handle, caller, EventType.CONTACT_UPDATED, updated);
            return updated;
        });
    }

    void delete(Caller caller, String id) {
        UUID contactId = parse(id);
        writes.inTransaction(handle -> {
            Contact stored = lock(handle, caller.site(), contactId).orElseThrow(Contacts::notFound);
            boolean member = handle.createQuery("SELECT EXISTS (SELECT 1 FROM members WHERE site_id = :site AND contact_id = :id)")
                    .bind("site", caller.site().value())
                    .bind("id", stored.id())
                    .mapTo(Boolean.class)
                    .one();
            if (member) {
                throw new Conflict("CONTACT_IS_MEMBER", "the contact belongs to a member and cannot be deleted");
            }
            handle.createUpdate("DELETE FROM visitor_links WHERE site_id = :site AND contact_id = :id")
                    .bind("site", caller.site().value())
                    .bind("id", stored.id())
                    .execute();
            repository.delete(handle, caller.site(), stored.id());
            event(handle, caller, EventType.CONTACT_DELETED, stored);
            return null;
        });
    }

    /** Query Contacts (wix-compatibility 7.2, 7.4). */
    Page query(SiteId site, ContactJson.QueryRequest request) {
        ContactJson.QueryJson query = request.query() != null ? request.query()
                : new ContactJson.QueryJson(null, null, null, null, null);
        if (request.search() != null && request.search().length() > MAX_SEARCH) {
            throw InvalidArgument.of(new FieldViolation("search", "must be at most " + MAX_SEARCH + " characters",
                    FieldViolation.Rule.MAX_LENGTH));
        }
        ContactFilter filter = ContactFilter.of(query.filter(), request.search());
        if (query.sort() != null && query.sort().size() > 1) {
            throw InvalidArgument.of(new FieldViolation("query.sort", "contacts sort by at most one field",
                    FieldViolation.Rule.MAX_SIZE));
        }
        ContactOrder order = ContactOrder.of(query.sort() == null || query.sort().isEmpty() ? null
                : query.sort().getFirst(), "query.sort[0]");
        return page(site, filter, order, query.paging(), "query.paging",
                ContactJson.projection(query.fields(), query.fieldsets(), "query"));
    }

    /** List Contacts: the query without a filter. */
    Page list(SiteId site, ContactJson.ListRequest request) {
        return page(site, ContactFilter.of(null, null), ContactOrder.of(request.sort(), "sort"), request.paging(), "paging",
                ContactJson.projection(request.fields(), request.fieldsets(), "query"));
    }

    private Page page(SiteId site, ContactFilter filter, ContactOrder order, ContactJson.PagingJson paging, String at,
                      Set<String> projection) {
        int limit = paging == null || paging.limit() == null || paging.limit() == 0 ? DEFAULT_LIMIT : paging.limit();
        int offset = paging == null || paging.offset() == null ? 0 : paging.offset();
        if (limit < 0 || limit > MAX_LIMIT) {
            throw InvalidArgument.of(new FieldViolation(at + ".limit", "must be between 1 and " + MAX_LIMIT,
                    FieldViolation.Rule.MAX));
        }
        if (offset < 0) {
            throw InvalidArgument.of(new FieldViolation(at + ".offset", "must not be negative",
                    FieldViolation.Rule.MIN));
        }
        return database.read(handle -> {
            // In an order an index keeps, the count comes first: it chooses how the page is read.
            Integer counted = order.indexed() ? repository.count(handle, site, filter) : null;
            List<Contact> found = repository.page(handle, site, filter, order, limit, offset, counted);
            List<ObjectNode> contacts = new ArrayList<>();
            for (Contact contact : found) {
                contacts.add(ContactJson.project(ContactJson.view(contact), projection));
            }
            // A short page that is not past the end tells the total without counting: nothing matches after it.
            boolean lastPage = found.size() < limit && (offset == 0 || !found.isEmpty());
            int count = counted != null ? counted
                    : lastPage ? offset + found.size() : repository.count(handle, site, filter);
            boolean tooMany = count > ContactRepository.COUNT_LIMIT;
            return new Page(contacts, offset, tooMany ? null : count, tooMany);
        });
    }

    // --- for the identity feature, inside its transaction ---

    /** The contact (following merged-away ids), locked for a change until the transaction ends. */
    public Optional<Contact> lock(Handle handle, SiteId site, UUID id) {
        return repository.find(handle, site, id, ContactRepository.Lock.UPDATE);
    }

    /**
     * The contact (following merged-away ids), kept from changing until the transaction ends: a Get Or
     * Create that resolves a contact waits for a registration or merge of that contact in flight.
     */
    public Optional<Contact> share(Handle handle, SiteId site, UUID id) {
        return repository.find(handle, site, id, ContactRepository.Lock.SHARE);
    }

    /**
     * Merge Contacts (wix-compatibility 7.3b) on locked contacts: folds each source's info into the target, deletes the
     * sources leaving aliases, and writes the contact events. Returns the updated target.
     */
    public Contact absorb(Handle handle, Caller caller, Contact target, List<Contact> sources) {
        ContactInfo info = target.info();
        for (Contact source : sources) {
            info = info.absorbing(source.info());
        }
        Instant now = now();
        Contact merged = new Contact(target.id(), target.revision() + 1, target.source(), info, target.createdDate(),
                now, new Contact.LastActivity(now, Contact.CONTACT_MERGED));
        repository.update(handle, caller.site(), merged);
        for (Contact source : sources) {
            repository.foldInto(handle, caller.site(), source.id(), target.id());
            events.append(handle, caller.site(), EventType.CONTACT_DELETED, source.id().toString(), null,
                    ContactJson.view(source), caller, "merge");
        }
        events.append(handle, caller.site(), EventType.CONTACT_MERGED, merged.id().toString(), null, Map.of(
                "sourceContactIds", sources.stream().map(s -> s.id().toString()).toList(),
                "targetContactId", merged.id().toString(), "targetContact", ContactJson.view(merged)), caller);
        return merged;
    }

    /** A contact's last activity follows inbox traffic (wix-compatibility D-28); inside the sender's transaction. */
    public void touch(Deferred deferred, SiteId site, UUID contactId, Instant at, String activityType) {
        repository.touch(deferred, site, contactId, at, activityType);
    }

    /** The contact as the API shows it. */
    public static ObjectNode view(Contact contact) {
        return ContactJson.view(contact);
    }

    public static Conflict staleRevision(Contact stored) {
        return new Conflict("CONTACT_REVISION_MISMATCH", "the contact has changed since the revision you sent; "
                + "read it again", Map.of("currentRevision", stored.revision()));
    }

    public static NotFound notFound() {
        return new NotFound("CONTACT_NOT_FOUND", "contact not found");
    }

    /** A contact id from a path or body; anything but a GUID names no contact. */
    public static UUID parse(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw notFound();
        }
    }

    /**
     * The duplicate rule of wix-compatibility 7.3: a used email, or (without emails) a used phone, is a 409. An update
     * ({@code held} is what the contact had) answers only for the emails and phones it adds or changes: a
     * contact that shares an email by {@code allowDuplicates} can still have its name changed.
     */
    private void refuseDuplicates(Handle handle, SiteId site, ContactInfo info, Optional<ContactInfo> held, UUID self) {
        List<String> heldEmails = held.map(Contacts::emails).orElse(List.of());
        List<String> heldPhones = held.map(Contacts::phones).orElse(List.of());
        List<String> emails = emails(info).stream().filter(e -> !heldEmails.contains(e)).toList();
        List<String> phones = phones(info).stream().filter(p -> !heldPhones.contains(p)).toList();
        boolean byEmail = !info.emailList().isEmpty();
        List<String> claimed = byEmail ? emails : phones;
        repository.lockValues(handle, site, claimed);
        String field = byEmail ? "info.emails.email" : "info.phones.phone";
        Optional<UUID> holder = repository.holderOf(handle, site, field, claimed, self);
        if (holder.isPresent()) {
            throw new Conflict("DUPLICATE_CONTACT_EXISTS", "a contact with this " + (byEmail ? "email" : "phone")
                    + " already exists; send allowDuplicates to create another",
                    Map.of("duplicateContactId", holder.get().toString()));
        }
    }

    private static List<String> emails(ContactInfo info) {
        return info.emailList().stream().map(e -> ContactField.comparable(e.email())).toList();
    }

    private static List<String> phones(ContactInfo info) {
        return info.phoneList().stream().map(p -> ContactField.comparable(p.phone())).toList();
    }

    /** Created, updated and deleted are entity events: the body is the contact itself (wix-compatibility 5.3). */
    private void event(Handle handle, Caller caller, EventType type, Contact contact) {
        events.append(handle, caller.site(), type, contact.id().toString(), null, ContactJson.view(contact), caller);
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }
}

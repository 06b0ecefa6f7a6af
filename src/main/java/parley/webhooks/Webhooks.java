package parley.webhooks;

import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import java.util.function.IntSupplier;
import java.util.stream.Collectors;
import parley.auth.Caller;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;
import parley.errors.NotFound;
import parley.events.EventLog;
import parley.events.EventType;
import parley.outbound.OutboundHttp;
import parley.storage.Database;

/** Webhook subscriptions, their delivery log, redelivery and replay. */
public final class Webhooks {
    static final int MAX_URL = 2048;

    private final Database database;
    private final WebhookRepository repository = new WebhookRepository();
    private final DeliveryQueue queue = new DeliveryQueue();
    private final Clock clock;
    private final IntSupplier ownPort;
    private final OutboundHttp http;

    /**
     * {@code ownPort}: this server's HTTP port, so a subscription cannot point back at it; {@code http}: the
     * client deliveries go out with, whose rules about private targets a new URL is checked against.
     */
    public Webhooks(Database database, Clock clock, IntSupplier ownPort, OutboundHttp http) {
        this.database = database;
        this.clock = clock;
        this.ownPort = ownPort;
        this.http = http;
    }

    /** A change to a subscription; null fields stay as they are. */
    record Changes(String url, List<String> eventTypes, Boolean enabled) {
    }

    Subscription create(Caller caller, Changes request) {
        if (request.url() == null) {
            throw InvalidArgument.of(FieldViolation.required("url"));
        }
        Instant now = now();
        Subscription subscription = new Subscription(UUID.randomUUID(), checkedUrl(request.url()),
                checkedTypes(request.eventTypes()), request.enabled() == null || request.enabled(),
                Envelope.newSecret(), null, null, now, now);
        return database.inTransaction(handle -> {
            // From now on: earlier events are a replay away.
            repository.insert(handle, caller.site(), subscription, EventLog.head(handle, caller.site()));
            return subscription;
        });
    }

    List<Subscription> list(Caller caller) {
        return database.read(handle -> repository.list(handle, caller.site()));
    }

    Subscription get(Caller caller, String id) {
        return database.read(handle -> repository.find(handle, caller.site(), uuid(id))).orElseThrow(Webhooks::notFound);
    }

    /** Turning a subscription on (again) clears its failures; it then delivers what it missed. */
    Subscription update(Caller caller, String id, Changes changes) {
        String url = changes.url() == null ? null : checkedUrl(changes.url());
        List<EventType> types = changes.eventTypes() == null ? null : checkedTypes(changes.eventTypes());
        return database.inTransaction(handle -> {
            Subscription s = repository.find(handle, caller.site(), uuid(id)).orElseThrow(Webhooks::notFound);
            boolean enabled = changes.enabled() == null ? s.enabled() : changes.enabled();
            boolean turnedOn = enabled && !s.enabled();
            Subscription updated = new Subscription(s.id(), url == null ? s.url() : url,
                    types == null ? s.eventTypes() : types, enabled, s.secret(),
                    turnedOn ? null : s.failingSince(), turnedOn ? null : s.disabledReason(), s.createdAt(), now());
            repository.update(handle, caller.site(), updated);
            return updated;
        });
    }

    void delete(Caller caller, String id) {
        if (!database.inTransaction(handle -> repository.delete(handle, caller.site(), uuid(id)))) {
            throw notFound();
        }
    }

    /** The newest deliveries first, those before {@code before}. */
    List<Delivery> deliveries(Caller caller, String id, long before, int limit) {
        Subscription s = get(caller, id);
        return database.read(handle -> repository.deliveries(handle, caller.site(), s.id(), before, limit));
    }

    Delivery delivery(Caller caller, String id, long position) {
        Subscription s = get(caller, id);
        return database.read(handle -> repository.delivery(handle, caller.site(), s.id(), position))
                .orElseThrow(Webhooks::deliveryNotFound);
    }

    /** Sends one event (of any type) again, now, whatever became of it before. */
    Delivery redeliver(Caller caller, String id, long position) {
        Subscription s = get(caller, id);
        if (database.inTransaction(handle -> lock(handle, caller, s) ? queue.queue(handle, caller.site(), s.id(),
                position, position, null, now(), true) : 0) == 0) {
            throw deliveryNotFound();
        }
        return delivery(caller, id, position);
    }

    /** Delivers again every event of the subscription's types in [from, to]; returns how many. */
    int replay(Caller caller, String id, Long from, Long to) {
        if (from == null || from < 1) {
            throw InvalidArgument.of(new FieldViolation("fromPosition", "must be a log position (1 or more)",
                    FieldViolation.Rule.MIN));
        }
        if (to != null && to < from) {
            throw InvalidArgument.of(new FieldViolation("toPosition", "must not be before fromPosition",
                    FieldViolation.Rule.MIN));
        }
        Subscription s = get(caller, id);
        return database.inTransaction(handle -> {
            if (!lock(handle, caller, s)) {
                throw notFound();
            }
            long last = to == null ? EventLog.head(handle, caller.site()) : to;
            return queue.queue(handle, caller.site(), s.id(), from, last, slugs(s.eventTypes()), now(), true);
        });
    }

    /**
     * Locks the subscription's row before its deliveries', the order DELETE and the outcome recorder take them, so
     * that two replays (or a replay and a delete) of one subscription wait for each other instead of deadlocking
     * on their delivery rows. False when it was deleted meanwhile.
     */
    private boolean lock(org.jdbi.v3.core.Handle handle, Caller caller, Subscription s) {
        return queue.lockSubscription(handle, caller.site(), s.id());
    }

    /** The event slugs of these event types, or null for "every type". */
    static String[] slugs(List<EventType> eventTypes) {
        return eventTypes.isEmpty() ? null : eventTypes.stream().map(EventType::slug).toArray(String[]::new);
    }

    /** The named types; a former name (wix-compatibility 5.2's correction) is taken as the type it named. */
    private static List<EventType> checkedTypes(List<String> names) {
        if (names == null) {
            return List.of();
        }
        List<EventType> types = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            int at = i;
            types.add(EventType.ofWebhookEventType(names.get(i)).orElseThrow(() -> InvalidArgument.of(
                    new FieldViolation("eventTypes[" + at + "]", "unknown event type; known: " + Arrays.stream(
                            EventType.values()).map(EventType::webhookEventType).sorted().collect(Collectors.joining(", ")),
                            FieldViolation.Rule.VALIDATION))));
        }
        return types.stream().distinct().toList();
    }

    /**
     * An absolute http(s) URL without credentials that is not this server itself, nor (unless the
     * installation allows it) a private address. A name that does not resolve now is taken: each delivery
     * checks the address it connects to.
     */
    private String checkedUrl(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw invalidUrl("must be an absolute http(s) URL");
        }
        if (url.length() > MAX_URL || uri.getHost() == null || uri.getScheme() == null
                || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))) {
            throw invalidUrl("must be an absolute http(s) URL of at most " + MAX_URL + " characters");
        }
        if (uri.getUserInfo() != null) {
            throw invalidUrl("must not carry credentials; verify the signature instead");
        }
        int port = uri.getPort() != -1 ? uri.getPort() : uri.getScheme().equals("https") ? 443 : 80;
        if (port == ownPort.getAsInt() && isThisMachine(uri.getHost())) {
            throw invalidUrl("must not point at this Parley server");
        }
        if (http.refuses(uri.getHost().replaceAll("^\\[|]$", ""))) {
            throw invalidUrl("must not point at a private, loopback or link-local address (an operator can allow "
                    + "them with --allow-private-targets)");
        }
        return url;
    }

    private static boolean isThisMachine(String host) {
        try {
            InetAddress address = InetAddress.getByName(host.replaceAll("^\\[|]$", ""));
            return address.isLoopbackAddress() || address.isAnyLocalAddress()
                    || java.net.NetworkInterface.getByInetAddress(address) != null;
        } catch (UnknownHostException | java.net.SocketException e) {
            return false; // not resolvable here, so not us
        }
    }

    private static InvalidArgument invalidUrl(String why) {
        return InvalidArgument.of(new FieldViolation("url", why, FieldViolation.Rule.FORMAT));
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw notFound();
        }
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MILLIS);
    }

    static NotFound notFound() {
        return new NotFound("WEBHOOK_NOT_FOUND", "webhook not found");
    }

    static NotFound deliveryNotFound() {
        return new NotFound("DELIVERY_NOT_FOUND", "no such event for this webhook");
    }
}

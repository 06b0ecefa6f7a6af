package parley.live;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import parley.events.Event;
import parley.events.EventLog;
import parley.sites.SiteId;

/**
 * The events of one site as this node's streams follow them: read from the database once per growth and
 * shown to every subscription, which wakes its stream when one concerns it.
 */
final class SiteFeed {
    private static final int PAGE = 500;

    private final SiteId site;
    private final EventLog log;
    private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();
    private long read;

    SiteFeed(SiteId site, EventLog log) {
        this.site = site;
        this.log = log;
        this.read = log.head(site);
    }

    void add(Subscription subscription) {
        subscriptions.add(subscription);
    }

    /** Removes it; true when no subscription is left. */
    boolean remove(Subscription subscription) {
        subscriptions.remove(subscription);
        return subscriptions.isEmpty();
    }

    void offer(Typing.Signal signal) {
        subscriptions.forEach(subscription -> subscription.offer(signal));
    }

    /** Reads what was added to the log since the last call and shows it to the subscriptions, in log order. */
    synchronized void refresh() {
        List<Event> added;
        do {
            added = log.readAfter(site, read, PAGE);
            for (Event event : added) {
                read = event.position();
                subscriptions.forEach(subscription -> subscription.offer(event));
            }
        } while (added.size() == PAGE);
    }
}

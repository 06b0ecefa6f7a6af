package parley.live;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.events.Event;
import parley.events.EventLog;
import parley.sites.SiteId;

/** This node's feeds: one per site that has a stream connected here. */
public final class LiveFeeds {
    private static final Logger log = LoggerFactory.getLogger(LiveFeeds.class);

    private final EventLog events;
    private final ConcurrentHashMap<SiteId, SiteFeed> feeds = new ConcurrentHashMap<>();

    public LiveFeeds(EventLog events) {
        this.events = events;
    }

    /** The log of {@code site} grew; null: any site's may have (see {@link LogListener}). */
    public void grew(SiteId site) {
        try {
            if (site == null) {
                feeds.values().forEach(SiteFeed::refresh);
            } else {
                SiteFeed feed = feeds.get(site);
                if (feed != null) {
                    feed.refresh();
                }
            }
        } catch (RuntimeException e) {
            // the streams are not lost: the next growth reads from where this one stopped
            log.warn("could not read new events of {}", site == null ? "the sites" : site, e);
        }
    }

    /** A typing signal (a {@link Typing} notification's payload) for the streams of its site on this node. */
    public void typing(String payload) {
        try {
            Typing.Signal signal = Typing.parse(payload);
            SiteFeed feed = feeds.get(new SiteId(signal.siteId()));
            if (feed != null) {
                feed.offer(signal);
            }
        } catch (RuntimeException e) {
            log.warn("could not read a typing signal", e);
        }
    }

    Subscription subscribe(SiteId site, Predicate<Event> wakesFor, Predicate<Typing.Signal> showsTyping) {
        Subscription subscription = new Subscription(wakesFor, showsTyping);
        feeds.compute(site, (key, feed) -> {
            SiteFeed live = feed == null ? new SiteFeed(site, events) : feed;
            live.add(subscription);
            return live;
        });
        return subscription;
    }

    void unsubscribe(SiteId site, Subscription subscription) {
        feeds.computeIfPresent(site, (key, feed) -> feed.remove(subscription) ? null : feed);
    }
}

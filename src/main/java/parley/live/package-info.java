/**
 * Live streams of the event log (Server-Sent Events). A stream is a cursor over a site's log: it sends
 * what its query finds after the position the client last saw, then sleeps until the site's {@link
 * parley.live.SiteFeed} wakes it and queries again. Feeds learn that a log grew from PostgreSQL
 * notifications ({@link parley.live.LogListener}), so an event written on any node reaches streams held
 * by every node.
 */
package parley.live;

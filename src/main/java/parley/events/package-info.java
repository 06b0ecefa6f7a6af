/**
 * The transactional outbox: one log of events per site, in order, each written by an action in the
 * same transaction as the change it reports (DESIGN.md section 3). Start at {@link parley.events.EventLog}.
 * Readers (pull API, webhooks, live streams) read it by position and never write to it.
 *
 * <p>Event types are an enum rather than one record per type so that this package depends on no
 * feature: each feature builds its own Wix {@code actionEvent.body} (messages know the message JSON).
 */
package parley.events;

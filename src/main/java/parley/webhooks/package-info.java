/**
 * Webhooks (wix-compatibility 5, D-23): subscriptions per site, signed deliveries in Wix's JWT envelope with Standard
 * Webhooks HMAC headers, retried with back-off, ordered per conversation, logged, and replayable. All
 * coordination lives in the database, so several nodes can share one.
 */
package parley.webhooks;

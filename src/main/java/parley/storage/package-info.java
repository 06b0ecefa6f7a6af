/**
 * Where data lives: the PostgreSQL connection (embedded under the data directory, or external),
 * the Flyway migrations, and the one {@link parley.storage.Database#inTransaction} every action
 * writes through. Nothing here knows about any feature.
 */
package parley.storage;

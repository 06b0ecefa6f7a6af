/**
 * Tenants and their API keys. Start at {@link parley.sites.CreateSite}. A site is the boundary of
 * everything: no other package may read or write across two sites.
 */
package parley.sites;

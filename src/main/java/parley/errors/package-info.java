/**
 * The domain exceptions every feature throws when a request cannot be served. Each carries the
 * application error code the client sees (wix-compatibility D-5); {@code web.WixErrors} alone turns them into
 * HTTP statuses and the Wix error envelope.
 */
package parley.errors;

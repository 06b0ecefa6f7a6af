/**
 * {@code Idempotency-Key} support for create calls (DESIGN.md section 3): a retry with the same key and
 * body returns the first result; the same key with another body is a 409. The key is recorded in the
 * same transaction as the work, so a crash can never leave one without the other.
 */
package parley.idempotency;

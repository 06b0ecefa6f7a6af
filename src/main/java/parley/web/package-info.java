/**
 * The wire plumbing every feature shares: the one Jackson setup, reading bodies and GET parameters
 * (snake_case and the SDK's {@code .r} encoding accepted), opaque cursors, and {@link parley.web.WixErrors},
 * the only place that writes the Wix error envelope. Features keep their own {@code …Json} records.
 */
package parley.web;

/**
 * Files: what people attach to messages, in every channel, stored once (docs/files.md). Bytes live in PostgreSQL, or
 * in a directory; each file belongs to one site; its type is read from its bytes; it is served only through signed
 * links that expire.
 */
package parley.files;

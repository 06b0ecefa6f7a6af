/**
 * Requests Parley makes to addresses its users configure: webhooks now, mail relays and channel providers
 * later. They all go through {@link parley.outbound.OutboundHttp}, which refuses private, loopback,
 * link-local and cloud-metadata addresses ({@link parley.outbound.PrivateAddresses}) unless the
 * installation allows them, on the address it actually connects to (a name that resolves to a public
 * address when checked and to a private one when connected cannot slip through), bounds each exchange's
 * whole duration and reads at most a small excerpt of any answer.
 */
package parley.outbound;

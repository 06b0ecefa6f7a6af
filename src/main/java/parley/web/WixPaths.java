package parley.web;

import java.util.List;

/**
 * The path prefixes the Inbox API answers on. The official SDK calls {@code /crm/inbox/v2/…} when its
 * host is not www.wixapis.com, and the REST reference uses {@code /inbox/v2/…} (spec 11): both work.
 */
public final class WixPaths {
    public static final List<String> INBOX = List.of("/inbox/v2", "/crm/inbox/v2");

    private WixPaths() {
    }
}

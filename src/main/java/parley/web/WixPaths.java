package parley.web;

import java.util.List;

/**
 * The path prefixes the Wix APIs answer on. The official SDK calls {@code /crm/inbox/v2/…} when its
 * host is not www.wixapis.com, and the REST reference uses {@code /inbox/v2/…} (wix-compatibility 11): both work.
 */
public final class WixPaths {
    public static final List<String> INBOX = List.of("/inbox/v2", "/crm/inbox/v2");
    /** The SDK calls {@code /_api/contacts/v4/…} off www.wixapis.com (wix-compatibility 11). */
    public static final List<String> CONTACTS = List.of("/contacts/v4", "/_api/contacts/v4");

    private WixPaths() {
    }
}

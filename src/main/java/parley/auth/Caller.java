package parley.auth;

import java.util.UUID;
import parley.sites.SiteId;

/** The authenticated party of a request: the site it acts in and who it is there. */
public record Caller(SiteId site, Identity identity) {
    /** Who the caller is within its site (spec 1.2). */
    public sealed interface Identity {
    }

    /** An app, or an API key acting as one: its key id is its app id (spec 4.3). */
    public record App(UUID appId) implements Identity {
    }

    /** The app what this caller writes is attributed to: always the caller's, never taken from input (G-9). */
    public String appId() {
        return switch (identity) {
            case App app -> app.appId().toString();
        };
    }
}

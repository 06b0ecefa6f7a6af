package parley.auth;

import java.util.UUID;
import parley.sites.SiteId;

/** The authenticated party of a request: the site it acts in and who it is there. */
public record Caller(SiteId site, Identity identity) {
    /**
     * The app id of what a visitor writes through the chat widget (wix-compatibility 4.3: every message names the app
     * that sent it). Parley's own widget is that app; the id is fixed so that apps can recognise it.
     */
    public static final UUID CHAT_WIDGET_APP_ID = UUID.fromString("5eb1c2a4-7a53-4b53-9a0c-7d2f0c6b1e01");
    /** The app id of what a dashboard user writes, fixed for the same reason. */
    public static final UUID DASHBOARD_APP_ID = UUID.fromString("5eb1c2a4-7a53-4b53-9a0c-7d2f0c6b1e02");
    /** The app id of what Parley does by itself (a snooze waking up), fixed for the same reason. */
    public static final UUID PARLEY_APP_ID = UUID.fromString("5eb1c2a4-7a53-4b53-9a0c-7d2f0c6b1e03");

    /** Who the caller is within its site (wix-compatibility 1.2). */
    public sealed interface Identity {
    }

    /** An app, or an API key acting as one: its key id is its app id (wix-compatibility 4.3). */
    public record App(UUID appId) implements Identity {
    }

    /**
     * An anonymous visitor in the chat widget, holding the participant token issued to it: it acts only as
     * the participant of its own conversation (see {@link ParticipantTokens}).
     */
    public record Visitor(UUID anonymousVisitorId) implements Identity {
    }

    /**
     * Someone signed in to the site's dashboard (an owner or an agent): acts as the business, like an
     * app, and is named as a business user ({@code WIX_USER}) in senders and event identities.
     */
    public record Agent(UUID userId) implements Identity {
    }

    /**
     * Who calls, as one stable name, for what is kept or counted per caller (idempotency keys, open streams):
     * an API key, a dashboard user or a widget visitor.
     */
    public String principal() {
        return switch (identity) {
            case App app -> "app:" + app.appId();
            case Visitor visitor -> "visitor:" + visitor.anonymousVisitorId();
            case Agent agent -> "agent:" + agent.userId();
        };
    }

    /**
     * The app what this caller writes is attributed to: always the caller's, never taken from input (wix-compatibility
     * D-9).
     */
    public String appId() {
        return switch (identity) {
            case App app -> app.appId().toString();
            case Visitor ignored -> CHAT_WIDGET_APP_ID.toString();
            case Agent ignored -> DASHBOARD_APP_ID.toString();
        };
    }
}

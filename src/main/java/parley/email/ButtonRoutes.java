package parley.email;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpStatus;
import java.time.Clock;
import java.util.Optional;
import parley.auth.Caller;
import parley.errors.ApiException;
import parley.messages.Message;
import parley.messages.MessageContent;
import parley.messages.Messages;
import parley.messages.PressButton;
import parley.storage.Database;

/**
 * The page a postback button's link in a mail opens (docs/email.md, "Buttons"). Opening it only shows the choice;
 * the customer's click on "Send" presses the button, once: mail scanners (Outlook's Safe Links, Gmail's prefetch,
 * virus checkers) open every link in a mail, and a link that pressed the button would choose for the customer. A
 * press is recorded with its {@code button_interacted} event in one transaction, so a double click or a resent
 * form fires it once. Everything on the page is escaped; the page loads nothing and can be framed by nobody.
 */
public final class ButtonRoutes {
    private static final String CONTENT_SECURITY_POLICY =
            "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'";

    private final ButtonLinks links;
    private final Messages messages;
    private final Database database;
    private final Clock clock;

    public ButtonRoutes(ButtonLinks links, Messages messages, Database database, Clock clock) {
        this.links = links;
        this.messages = messages;
        this.database = database;
        this.clock = clock;
    }

    /** What the link's page shows. Nullable: {@code label} when the message or its button is gone. */
    private record Choice(String siteName, String title, String label, boolean pressed) {
    }

    public void register(JavalinConfig config) {
        config.routes.get(ButtonLinks.PATH + "{token}", this::show);
        config.routes.post(ButtonLinks.PATH + "{token}", this::press);
    }

    private void show(Context ctx) {
        Optional<Choice> choice = links.read(ctx.pathParam("token")).flatMap(button -> database.read(handle -> {
            String siteName = handle.createQuery("SELECT display_name FROM sites WHERE site_id = :site")
                    .bind("site", button.site().value())
                    .mapTo(String.class)
                    .one();
            boolean pressed = handle.createQuery("""
                            SELECT EXISTS (SELECT 1 FROM email_button_presses
                                            WHERE site_id = :site AND sequence = :sequence AND interaction_id = :id)
                            """)
                    .bind("site", button.site().value())
                    .bind("sequence", button.sequence())
                    .bind("id", button.interactionId())
                    .mapTo(Boolean.class)
                    .one();
            Optional<Message> message = messages.find(handle, button.site(), button.sequence())
                    .filter(m -> m.visibility() == Message.Visibility.BUSINESS_AND_PARTICIPANT);
            String title = message.map(m -> m.content().payload() instanceof MessageContent.Template card
                    ? card.title() : null).orElse(null);
            String label = message.flatMap(m -> m.content().postbackButton(button.interactionId()))
                    .map(MessageContent.Button::label).orElse(null);
            return Optional.of(new Choice(siteName, title, label, pressed));
        }));
        if (choice.isEmpty()) {
            page(ctx.status(404), "Parley", "<p>This link is not valid. Answer by replying to the mail.</p>");
            return;
        }
        Choice c = choice.get();
        String heading = c.title() == null ? "" : "<h1>" + OutgoingMail.escape(c.title()) + "</h1>\n";
        if (c.label() == null) {
            page(ctx.status(404), c.siteName(), heading + "<p>This choice is no longer available. Answer by replying to "
                    + "the mail.</p>");
        } else if (c.pressed()) {
            page(ctx, c.siteName(), heading + "<p>Your answer <strong>" + OutgoingMail.escape(c.label())
                    + "</strong> was sent to " + OutgoingMail.escape(c.siteName()) + ". You can close this page.</p>");
        } else {
            page(ctx, c.siteName(), heading + "<p>Send your answer to " + OutgoingMail.escape(c.siteName())
                    + ":</p>\n<form method=\"post\"><button type=\"submit\">" + OutgoingMail.escape(c.label())
                    + "</button></form>");
        }
    }

    private void press(Context ctx) {
        links.read(ctx.pathParam("token")).ifPresent(button -> {
            try {
                database.inTransaction(handle -> {
                    int first = handle.createUpdate("""
                                    INSERT INTO email_button_presses (site_id, sequence, interaction_id, pressed_at)
                                    VALUES (:site, :sequence, :id, :at)
                                    ON CONFLICT DO NOTHING
                                    """)
                            .bind("site", button.site().value())
                            .bind("sequence", button.sequence())
                            .bind("id", button.interactionId())
                            .bind("at", clock.instant())
                            .execute();
                    if (first == 1) {
                        Message message = messages.find(handle, button.site(), button.sequence())
                                .orElseThrow(PressButton::messageNotFound);
                        messages.press().press(handle, new Caller(button.site(), new Caller.App(Caller.PARLEY_APP_ID)),
                                message.conversationId(), button.sequence(), button.interactionId());
                    }
                    return null;
                });
            } catch (ApiException e) {
                // the message or its button is gone: the page says so
            }
        });
        ctx.redirect(ctx.path(), HttpStatus.SEE_OTHER); // back to the page, which shows the outcome
    }

    private static void page(Context ctx, String siteName, String body) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("Referrer-Policy", "no-referrer") // the link is the credential
                .header("Cache-Control", "no-store")
                .contentType("text/html; charset=utf-8")
                .result("""
                        <!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
                        <meta name="viewport" content="width=device-width, initial-scale=1">
                        <title>%s</title>
                        <style>body{font-family:sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem;line-height:1.5;
                        color:#1d2433;overflow-wrap:anywhere}button{font:inherit;padding:.6rem 1.2rem;border-radius:.5rem;
                        border:1px solid #1d3fb8;background:#1d3fb8;color:#fff;cursor:pointer}</style></head>
                        <body><main>
                        %s
                        </main></body></html>
                        """.formatted(OutgoingMail.escape(siteName), body));
    }
}

package parley.live;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.UUID;
import java.util.function.Consumer;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.events.EventLog;
import parley.sites.SiteId;
import parley.storage.Database;

/**
 * Holds a {@code LISTEN} on {@link EventLog#CHANNEL} (and {@link Typing#CHANNEL}) on a connection of its own and
 * tells {@code grew}
 * which site's log grew, whichever node wrote it. After (re)connecting it reports every site as grown
 * ({@code null}): notifications sent while it was not listening are lost, the logs are not.
 */
public final class LogListener implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LogListener.class);
    private static final Duration RECONNECT = Duration.ofSeconds(1);

    private final Database database;
    private final Consumer<SiteId> grew;
    private final Consumer<String> typing;
    private final Thread thread;
    private volatile boolean closed;

    /**
     * {@code grew} receives a site, or null for "any site may have grown"; {@code typing} the payload of each
     * {@link Typing} signal.
     */
    public LogListener(Database database, Consumer<SiteId> grew, Consumer<String> typing) {
        this.database = database;
        this.grew = grew;
        this.typing = typing;
        this.thread = Thread.ofPlatform().name("parley-log-listener").daemon().start(this::listen);
    }

    private void listen() {
        while (!closed) {
            try (Connection connection = database.dedicatedConnection()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("LISTEN " + EventLog.CHANNEL);
                    statement.execute("LISTEN " + Typing.CHANNEL);
                }
                grew.accept(null);
                PGConnection listening = connection.unwrap(PGConnection.class);
                while (!closed) {
                    PGNotification[] notifications = listening.getNotifications(1000);
                    if (notifications != null) {
                        for (PGNotification notification : notifications) {
                            if (Typing.CHANNEL.equals(notification.getName())) {
                                typing.accept(notification.getParameter());
                            } else {
                                grew.accept(new SiteId(UUID.fromString(notification.getParameter())));
                            }
                        }
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (!closed) {
                    log.warn("lost the event-log notifications; listening again in {}", RECONNECT, e);
                    pause();
                }
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(RECONNECT);
        } catch (InterruptedException e) {
            closed = true;
        }
    }

    @Override
    public void close() {
        closed = true;
        thread.interrupt();
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

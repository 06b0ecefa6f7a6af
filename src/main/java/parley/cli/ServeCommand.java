package parley.cli;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import parley.Config;
import parley.Parley;
import parley.email.Relay;
import parley.files.FileSettings;
import parley.webhooks.WebhookSettings;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code parley serve}: runs until Ctrl-C or SIGTERM, then shuts down cleanly. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Start the Parley server.")
final class ServeCommand implements Runnable {
    @Mixin
    StorageOptions storage;

    @Option(names = "--port", defaultValue = "${env:PARLEY_PORT:-8080}",
            description = "HTTP port (env PARLEY_PORT; default 8080).")
    int port;

    @Option(names = "--max-body-bytes", defaultValue = "${env:PARLEY_MAX_BODY_BYTES:-1048576}",
            description = "Largest request body accepted; larger ones get 413 (env PARLEY_MAX_BODY_BYTES).")
    long maxBodyBytes;

    @Option(names = "--database-pool-size", defaultValue = "${env:PARLEY_DATABASE_POOL_SIZE:-16}",
            description = "Database connections (env PARLEY_DATABASE_POOL_SIZE; default 16).")
    int poolSize;

    @Option(names = "--webhook-timeout", defaultValue = "${env:PARLEY_WEBHOOK_TIMEOUT:-10s}",
            converter = DurationConverter.class,
            description = "How long one webhook attempt may take (env PARLEY_WEBHOOK_TIMEOUT; default 10s).")
    Duration webhookTimeout;

    @Option(names = "--webhook-first-retry", defaultValue = "${env:PARLEY_WEBHOOK_FIRST_RETRY:-5s}",
            converter = DurationConverter.class,
            description = "The first retry's wait; each later one doubles, up to 1h, with jitter "
                    + "(env PARLEY_WEBHOOK_FIRST_RETRY; default 5s).")
    Duration webhookFirstRetry;

    @Option(names = "--webhook-retry-for", defaultValue = "${env:PARLEY_WEBHOOK_RETRY_FOR:-48h}",
            converter = DurationConverter.class,
            description = "How long a delivery is retried (env PARLEY_WEBHOOK_RETRY_FOR; default 48h).")
    Duration webhookRetryFor;

    @Option(names = "--webhook-disable-after", defaultValue = "${env:PARLEY_WEBHOOK_DISABLE_AFTER:-5d}",
            converter = DurationConverter.class,
            description = "A webhook failing this long without a success is turned off "
                    + "(env PARLEY_WEBHOOK_DISABLE_AFTER; default 5d).")
    Duration webhookDisableAfter;

    @Option(names = "--allow-private-targets", defaultValue = "${env:PARLEY_ALLOW_PRIVATE_TARGETS:-false}",
            description = "Let webhooks go to private, loopback and link-local addresses, refused by default "
                    + "(env PARLEY_ALLOW_PRIVATE_TARGETS): for development and receivers on this host or network.")
    boolean allowPrivateTargets;

    @Option(names = "--limit-sign-ins", defaultValue = "${env:PARLEY_LIMIT_SIGN_INS:-10}",
            description = "Dashboard sign-in attempts per client address and minute (env PARLEY_LIMIT_SIGN_INS; "
                    + "default 10).")
    int signInsPerMinute;

    @Option(names = "--limit-widget-sessions", defaultValue = "${env:PARLEY_LIMIT_WIDGET_SESSIONS:-30}",
            description = "New chat-widget visitors per client address and minute (env PARLEY_LIMIT_WIDGET_SESSIONS; "
                    + "default 30).")
    int widgetSessionsPerMinute;

    @Option(names = "--limit-uploads", defaultValue = "${env:PARLEY_LIMIT_UPLOADS:-20}",
            description = "Files uploaded by chat-widget visitors per client address and minute (env "
                    + "PARLEY_LIMIT_UPLOADS; default 20).")
    int uploadsPerMinute;

    @Option(names = "--limit-streams", defaultValue = "${env:PARLEY_LIMIT_STREAMS:-5,50}",
            split = ",", description = "Live streams open at once per widget visitor and per API key or dashboard "
                    + "user (env PARLEY_LIMIT_STREAMS; default 5,50).")
    int[] streams;

    @Option(names = "--smtp-port", defaultValue = "${env:PARLEY_SMTP_PORT}",
            description = "Receive mail over SMTP on this port, for a domain's MX or a relay (env PARLEY_SMTP_PORT; "
                    + "off unless set). See docs/email.md.")
    Integer smtpPort;

    @Option(names = "--smtp-relay", defaultValue = "${env:PARLEY_SMTP_RELAY}", converter = RelayConverter.class,
            description = "Email business messages through this server: smtp://user:password@host:587 (STARTTLS) or "
                    + "smtps://…:465 (TLS) (env PARLEY_SMTP_RELAY; no mail is sent unless set). See docs/email.md.")
    Relay relay;

    @Option(names = "--public-url", defaultValue = "${env:PARLEY_PUBLIC_URL}", converter = PublicUrlConverter.class,
            description = "Where people reach Parley, for links in mail and links to files: "
                    + "https://inbox.example.com (env PARLEY_PUBLIC_URL; default http://localhost:<port>).")
    String publicUrl;

    @Option(names = "--files-dir", defaultValue = "${env:PARLEY_FILES_DIR}",
            description = "Keep the bytes of attached files in this directory, shared by every node, instead of in "
                    + "PostgreSQL (env PARLEY_FILES_DIR). See docs/files.md.")
    Path filesDir;

    @Option(names = "--max-file-bytes", defaultValue = "${env:PARLEY_MAX_FILE_BYTES:-10485760}",
            description = "The largest file anyone may attach, in any channel (env PARLEY_MAX_FILE_BYTES; "
                    + "default 10 MiB).")
    long maxFileBytes;

    /** An absolute http(s) URL, kept without its trailing slash. */
    static final class PublicUrlConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            URI uri = URI.create(value.strip());
            if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null
                    || uri.getQuery() != null || uri.getFragment() != null) {
                throw new IllegalArgumentException("not an http(s) URL without query: " + value);
            }
            return uri.toString().replaceAll("/+$", "");
        }
    }

    /** A refused relay URL is reported without itself: it may hold the relay's password. */
    static final class RelayConverter implements ITypeConverter<Relay> {
        @Override
        public Relay convert(String value) {
            try {
                return Relay.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** {@code 250ms}, {@code 10s}, {@code 30m}, {@code 48h}, {@code 5d}, or ISO-8601 ({@code PT10S}). */
    static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Matcher m = Pattern.compile("(\\d+)(ms|s|m|h|d)").matcher(value.strip());
            if (!m.matches()) {
                return Duration.parse(value.strip());
            }
            long n = Long.parseLong(m.group(1));
            return switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                case "h" -> Duration.ofHours(n);
                default -> Duration.ofDays(n);
            };
        }
    }

    @Override
    public void run() {
        Config config = new Config(port, storage.dataDir, storage.databaseUrl, System.getenv("PARLEY_ADMIN_TOKEN"),
                maxBodyBytes, poolSize, new WebhookSettings(webhookTimeout, webhookFirstRetry, webhookRetryFor,
                webhookDisableAfter, WebhookSettings.DEFAULTS.poll()), Config.DEFAULT_HEARTBEAT,
                allowPrivateTargets, new Config.Limits(signInsPerMinute, widgetSessionsPerMinute, streams[0],
                streams[streams.length - 1], uploadsPerMinute), smtpPort, relay, publicUrl,
                System.getenv("PARLEY_SECRET_KEY"), new FileSettings(filesDir, maxFileBytes));
        // The hook is in place before anything starts: the HTTP server answers /health/ready before start()
        // returns, and a SIGTERM in between (a service manager, the benchmark) ended the JVM with nobody to
        // stop the embedded PostgreSQL, which the next start then found running. The JVM keeps this thread
        // running while the hook waits for it to finish starting.
        CompletableFuture<Parley> started = new CompletableFuture<>();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                started.join().close();
            } catch (CompletionException failedToStart) {
                // nothing is running
            }
            stopped.countDown();
        }, "parley-shutdown"));
        Parley parley;
        try {
            parley = Parley.start(config, Clock.systemUTC());
        } catch (RuntimeException | Error e) {
            started.completeExceptionally(e);
            throw e;
        }
        started.complete(parley);
        System.out.printf("Parley is listening on http://localhost:%d%n", parley.port());
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

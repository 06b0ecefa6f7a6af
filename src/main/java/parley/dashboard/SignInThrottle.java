package parley.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import parley.errors.TooManyRequests;
import parley.web.RateLimit;

/**
 * Bounds password guessing and the CPU it costs (a check is ~140 ms of a core: PBKDF2, see
 * {@link Passwords}). An attempt passes three limits, in this order:
 * <ol>
 * <li>its client address may start {@code perMinute} attempts a minute, whatever the email;</li>
 * <li>an email, from one client address, may fail {@link #MAX_FAILURES} times within {@link #WINDOW}; then
 * that pair is refused until the oldest failure leaves the window, and a success clears it. An attempt
 * takes its place before its password is checked, so fifty guesses sent at once check at most ten. A
 * stranger's wrong guesses count against the stranger's address: the owner, signing in from elsewhere,
 * is not locked out;</li>
 * <li>at most {@code checks} passwords are checked at once, so that sign-ins never take every core from the
 * API; an attempt that waits {@code maxWait} for its turn is refused.</li>
 * </ol>
 * Per node and in memory: with several nodes an attacker gets that many tries per node, still few against a
 * PBKDF2 hash of a 12-character password.
 */
final class SignInThrottle {
    static final int MAX_FAILURES = 10;
    static final Duration WINDOW = Duration.ofMinutes(15);
    static final Duration MAX_WAIT = Duration.ofSeconds(5);
    private static final int SWEEP_AT = 10_000;

    private final Clock clock;
    private final RateLimit perClient;
    private final Semaphore checks;
    private final Duration maxWait;
    private final Map<String, Failures> failures = new ConcurrentHashMap<>();

    SignInThrottle(Clock clock, int perMinute, int checks, Duration maxWait) {
        this.clock = clock;
        this.maxWait = maxWait;
        this.perClient = new RateLimit(perMinute, Duration.ofMinutes(1), "TOO_MANY_SIGN_IN_ATTEMPTS",
                "too many sign-in attempts from this address: try again shortly");
        this.checks = new Semaphore(checks, true);
    }

    /** One email's recent failures from one address, and the attempts of it being checked now. */
    private static final class Failures {
        final Deque<Instant> times = new ArrayDeque<>();
        int checking;
    }

    /** One sign-in in progress: say how it ended, then close it (in a try-with-resources). */
    final class Attempt implements AutoCloseable {
        private final Failures failures;
        private Boolean succeeded;

        private Attempt(Failures failures) {
            this.failures = failures;
        }

        void failed() {
            succeeded = false;
        }

        void succeeded() {
            succeeded = true;
        }

        /** An attempt that ended without an answer (a database failure) counts neither way. */
        @Override
        public void close() {
            checks.release();
            synchronized (failures) {
                failures.checking--;
                if (Boolean.FALSE.equals(succeeded)) {
                    failures.times.addLast(clock.instant());
                } else if (Boolean.TRUE.equals(succeeded)) {
                    failures.times.clear();
                }
            }
        }
    }

    /** Starts an attempt for {@code email} from {@code client}, or refuses it with 429. */
    Attempt begin(String email, String client) {
        perClient.take(client);
        if (failures.size() > SWEEP_AT) {
            failures.values().removeIf(f -> {
                synchronized (f) {
                    return f.checking == 0 && f.times.isEmpty();
                }
            });
        }
        Failures recent = failures.computeIfAbsent(key(email) + " " + client, k -> new Failures());
        synchronized (recent) {
            Instant cutoff = clock.instant().minus(WINDOW);
            while (!recent.times.isEmpty() && recent.times.peekFirst().isBefore(cutoff)) {
                recent.times.pollFirst();
            }
            if (recent.times.size() + recent.checking >= MAX_FAILURES) {
                Instant freed = recent.times.isEmpty() ? clock.instant() : recent.times.peekFirst().plus(WINDOW);
                throw new TooManyRequests("TOO_MANY_SIGN_IN_ATTEMPTS",
                        "too many wrong passwords for this email: try again in a few minutes",
                        Duration.between(clock.instant(), freed));
            }
            recent.checking++;
        }
        try {
            if (checks.tryAcquire(maxWait.toMillis(), TimeUnit.MILLISECONDS)) {
                return new Attempt(recent);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        synchronized (recent) {
            recent.checking--;
        }
        throw new TooManyRequests("SIGN_IN_BUSY", "too many sign-ins at once: try again shortly", maxWait);
    }

    /** The email as it signs in (no address is longer than 254 characters: the rest names nobody). */
    private static String key(String email) {
        String normalized = email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
        return normalized.substring(0, Math.min(normalized.length(), 254));
    }
}

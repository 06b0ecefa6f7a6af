package parley.dashboard;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import parley.errors.TooManyRequests;

/**
 * Slows password guessing: after {@link #MAX_FAILURES} wrong passwords for one email within
 * {@link #WINDOW}, that email's sign-ins are refused (429) until the oldest failure leaves the window;
 * a success clears its count. Per node and in memory: with several nodes an attacker gets that many
 * tries per node, still few against a PBKDF2 hash of a 12-character password.
 */
final class SignInThrottle {
    static final int MAX_FAILURES = 10;
    static final Duration WINDOW = Duration.ofMinutes(15);

    private final Clock clock;
    private final ConcurrentHashMap<String, Deque<Instant>> failures = new ConcurrentHashMap<>();

    SignInThrottle(Clock clock) {
        this.clock = clock;
    }

    void check(String email) {
        Deque<Instant> recent = failures.get(key(email));
        if (recent == null) {
            return;
        }
        synchronized (recent) {
            Instant cutoff = clock.instant().minus(WINDOW);
            while (!recent.isEmpty() && recent.peekFirst().isBefore(cutoff)) {
                recent.pollFirst();
            }
            if (recent.size() >= MAX_FAILURES) {
                throw new TooManyRequests("TOO_MANY_SIGN_IN_ATTEMPTS",
                        "too many wrong passwords for this email: try again in a few minutes");
            }
        }
    }

    void failed(String email) {
        Deque<Instant> recent = failures.computeIfAbsent(key(email), k -> new ArrayDeque<>());
        synchronized (recent) {
            recent.addLast(clock.instant());
        }
    }

    void succeeded(String email) {
        failures.remove(key(email));
    }

    private static String key(String email) {
        return email == null ? "" : email.strip().toLowerCase(Locale.ROOT);
    }
}

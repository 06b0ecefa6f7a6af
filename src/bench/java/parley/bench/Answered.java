package parley.bench;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sends messages and notes, once measuring, when each Send Message answer came back, by message id: one end
 * of a delivery latency, the other being when the message arrived where it was going (a stream, a webhook).
 */
final class Answered implements Load.Requests {
    static final Pattern MESSAGE_ID = Pattern.compile("\"message\":\\{\"id\":\"(\\d+)\"");

    final Map<String, Long> at = new ConcurrentHashMap<>();
    private final IntFunction<HttpConnection.Request> next;
    private volatile boolean measuring;

    Answered(IntFunction<HttpConnection.Request> next) {
        this.next = next;
    }

    /** From now on, answers are noted. */
    void measure() {
        measuring = true;
    }

    @Override
    public HttpConnection.Request next(int client) {
        return next.apply(client);
    }

    @Override
    public void answered(int client, String body) {
        Matcher id = MESSAGE_ID.matcher(body);
        if (measuring && id.find()) {
            at.put(id.group(1), System.nanoTime());
        }
    }
}

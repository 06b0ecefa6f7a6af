package parley.outbound;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The HTTP client for every request Parley sends to an address a user configured. It refuses private
 * targets ({@link PrivateAddresses}) unless {@code allowPrivateTargets}: the check runs in the resolver,
 * on the very addresses the connection is then made to, so DNS cannot answer one address to a check and
 * another to the connection. Redirects are not followed. An exchange — connect, request, answer headers
 * and body — ends within its time-out however slowly the other side answers, and at most
 * {@link #EXCERPT_BYTES} of an answer's body are read: past that the exchange is cut.
 */
public final class OutboundHttp implements AutoCloseable {
    /** How much of an answer's body is read (and kept, for an operator to see why a receiver refused). */
    public static final int EXCERPT_BYTES = 256;

    private final boolean allowPrivateTargets;
    private final HttpClient client = new HttpClient();

    /** What came back: the status code and the first bytes of the body, as text without control characters. */
    public record Answer(int status, String excerpt) {
    }

    /** No answer came: the reason, in words an operator can act on (never the request's content). */
    public static final class NoAnswer extends Exception {
        NoAnswer(String reason) {
            super(reason, null, false, false);
        }
    }

    public OutboundHttp(boolean allowPrivateTargets) {
        this.allowPrivateTargets = allowPrivateTargets;
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("parley-outbound");
        threads.setDaemon(true);
        client.setExecutor(threads);
        client.setFollowRedirects(false);
        client.setSocketAddressResolver(resolver());
        try {
            client.start();
        } catch (Exception e) {
            throw new IllegalStateException("the outbound HTTP client did not start", e);
        }
    }

    /** POSTs {@code body}; the answer, whatever its status, or why none came within {@code timeout}. */
    public Answer post(URI url, Map<String, String> headers, String contentType, String body, Duration timeout)
            throws NoAnswer, InterruptedException {
        ByteArrayOutputStream excerpt = new ByteArrayOutputStream();
        CompletableFuture<Answer> answered = new CompletableFuture<>();
        Request request = client.newRequest(url).method(HttpMethod.POST)
                .timeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .headers(fields -> headers.forEach(fields::put))
                .body(new StringRequestContent(contentType, body, StandardCharsets.UTF_8))
                .onResponseContent((response, content) -> {
                    if (keep(excerpt, content)) {
                        response.abort(new Enough());
                    }
                });
        request.send(result -> {
            Throwable failure = result.getFailure();
            if (failure == null || failure instanceof Enough) {
                answered.complete(new Answer(result.getResponse().getStatus(),
                        excerpt.toString(StandardCharsets.UTF_8).replaceAll("\\p{Cntrl}", " ")));
            } else {
                answered.completeExceptionally(failure);
            }
        });
        try {
            return answered.get(); // the request's own time-out completes it
        } catch (ExecutionException e) {
            throw new NoAnswer(reason(e.getCause(), timeout));
        } catch (InterruptedException e) {
            request.abort(e);
            throw e;
        }
    }

    /**
     * Whether every address {@code host} resolves to is one this client refuses. False when it does not
     * resolve now: it may later, and each connection is checked anyway.
     */
    public boolean refuses(String host) {
        try {
            return allowed(InetAddress.getAllByName(host)).isEmpty();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Copies what fits of {@code content} into {@code excerpt}; true when the body goes on past it. */
    private static boolean keep(ByteArrayOutputStream excerpt, ByteBuffer content) {
        int room = EXCERPT_BYTES - excerpt.size();
        int taken = Math.min(room, content.remaining());
        byte[] bytes = new byte[taken];
        content.get(bytes);
        excerpt.writeBytes(bytes);
        return content.hasRemaining();
    }

    private List<InetAddress> allowed(InetAddress[] addresses) {
        return Arrays.stream(addresses).filter(a -> allowPrivateTargets || !PrivateAddresses.isPrivate(a)).toList();
    }

    /** Resolves off the client's threads and passes on only the addresses this client may connect to. */
    private SocketAddressResolver resolver() {
        return (host, port, context, promise) -> Thread.startVirtualThread(() -> {
            try {
                List<InetAddress> allowed = allowed(InetAddress.getAllByName(host));
                if (allowed.isEmpty()) {
                    promise.failed(new PrivateTarget(host));
                } else {
                    promise.succeeded(allowed.stream().map(a -> new InetSocketAddress(a, port)).toList());
                }
            } catch (UnknownHostException e) {
                promise.failed(e);
            }
        });
    }

    private static String reason(Throwable failure, Duration timeout) {
        return switch (failure) {
            case TimeoutException ignored -> "no complete answer within " + timeout.toMillis() + " ms";
            case PrivateTarget refused -> refused.getMessage();
            case UnknownHostException unknown -> "unknown host " + unknown.getMessage();
            default -> failure.getClass().getSimpleName()
                    + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
        };
    }

    /** The answer's body went on past the excerpt: cut, but answered. */
    private static final class Enough extends Exception {
        Enough() {
            super(null, null, false, false);
        }
    }

    private static final class PrivateTarget extends Exception {
        PrivateTarget(String host) {
            super("refused: " + host + " is a private, loopback or link-local address (allow such targets with "
                    + "--allow-private-targets)", null, false, false);
        }
    }

    @Override
    public void close() {
        try {
            client.stop();
        } catch (Exception e) {
            throw new IllegalStateException("the outbound HTTP client did not stop", e);
        }
    }
}

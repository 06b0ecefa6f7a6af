package parley.web;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import parley.errors.ApiException;
import parley.errors.Conflict;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;
import parley.errors.NotFound;
import parley.errors.PayloadTooLarge;
import parley.errors.PermissionDenied;
import parley.errors.TooManyRequests;
import parley.errors.Unauthenticated;

/**
 * The only writer of error responses (wix-compatibility 3.7): {@code {"message", "details": {"applicationError" |
 * "validationError"}}}. Domain exceptions, the framework's own failures (unknown route, wrong method,
 * oversized body) and, last, anything unexpected (logged, 500, no internals) all end here.
 */
public final class WixErrors {
    private static final Logger log = LoggerFactory.getLogger(WixErrors.class);

    private WixErrors() {
    }

    public static void register(JavalinConfig config) {
        // Jetty answers some requests itself, before any route: a request line or headers it cannot parse, a
        // URI it refuses, 414, 431. Those answers are the envelope too, not Jetty's HTML page.
        config.jetty.modifyServer(server -> server.setErrorHandler(new JettyErrors()));
        config.jetty.modifyServletContextHandler(context -> context.setErrorHandler(new JettyErrors()));
        config.routes.exception(ApiException.class, (e, ctx) -> {
            if (e instanceof TooManyRequests tooMany) {
                ctx.header("Retry-After", Long.toString(tooMany.retryAfterSeconds()));
            }
            write(ctx, status(e), e.getMessage(), details(e));
        });
        config.routes.exception(HttpResponseException.class, (e, ctx) -> {
            String message = e.getStatus() == 413 ? "the request body is over the size limit" : e.getMessage();
            write(ctx, e.getStatus(), message, applicationError(codeOf(e.getStatus()), message, Map.of()));
        });
        config.routes.exception(Exception.class, (e, ctx) -> {
            if (ended(ctx)) {
                log.debug("a failure after the exchange had ended (a stream cut by the server stopping)", e);
                return;
            }
            log.error("unexpected failure on {} {}", ctx.method(), ctx.path(), e);
            write(ctx, 500, "internal error", applicationError("INTERNAL", "internal error", Map.of()));
        });
    }

    private static int status(ApiException e) {
        return switch (e) {
            case InvalidArgument ignored -> 400;
            case Unauthenticated ignored -> 401;
            case PermissionDenied ignored -> 403;
            case NotFound ignored -> 404;
            case Conflict ignored -> 409;
            case PayloadTooLarge ignored -> 413;
            case TooManyRequests ignored -> 429;
        };
    }

    /**
     * Whether Jetty has already recycled the exchange: a live stream cut by its node stopping ends after it.
     * Javalin then still runs its error path, and a handler that touches the request or the response there
     * throws; Javalin queues the handling of that throw as a new task, which throws again: a virtual thread
     * that spun at full speed for the rest of the JVM's life, logging each round (gigabytes in the test suite;
     * {@code StreamTest.aStreamCutByItsNodeStoppingEndsWithoutAnErrorLoop}).
     */
    private static boolean ended(Context ctx) {
        try {
            ctx.req().getRequestURI();
            ctx.res().getStatus();
            return false;
        } catch (IllegalStateException | NullPointerException recycled) {
            return true;
        }
    }

    private static Map<String, Object> details(ApiException e) {
        if (e instanceof InvalidArgument invalid && !invalid.violations().isEmpty()) {
            List<FieldViolation> violations = invalid.violations();
            return Map.of("validationError", Map.of("fieldViolations", violations));
        }
        return applicationError(e.code(), e.getMessage(), e.data());
    }

    private static Map<String, Object> applicationError(String code, String description, Map<String, Object> data) {
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", code);
        error.put("description", description);
        error.put("data", data);
        return Map.of("applicationError", error);
    }

    private static void write(Context ctx, int status, String message, Map<String, Object> details) {
        ctx.status(status).contentType("application/json").result(envelope(message, details));
    }

    private static String envelope(String message, Map<String, Object> details) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        body.put("details", details);
        return Json.write(body);
    }

    /** The application error code of a failure the framework or Jetty answered, by its status. */
    private static String codeOf(int status) {
        return switch (status) {
            case 400 -> "BAD_REQUEST";
            case 404 -> "NOT_FOUND";
            case 405 -> "METHOD_NOT_ALLOWED";
            case 413 -> "PAYLOAD_TOO_LARGE";
            case 414 -> "URI_TOO_LONG";
            case 431 -> "HEADERS_TOO_LARGE";
            default -> "HTTP_" + status;
        };
    }

    /** The envelope of an answer Jetty gives by itself. */
    private static byte[] jettyEnvelope(int status, String message) {
        return envelope(message, applicationError(codeOf(status), message, Map.of())).getBytes(StandardCharsets.UTF_8);
    }

    /** Jetty's error answers as the envelope, for every method (Jetty's own write a body only for GET and POST). */
    private static final class JettyErrors extends ErrorHandler {
        @Override
        public boolean errorPageForMethod(String method) {
            return true;
        }

        @Override
        protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                        Callback callback) {
            // Jetty's reasons ("Ambiguous URI empty segment") help; an exception's text might not be for clients.
            String said = cause == null || cause instanceof HttpException ? message : HttpStatus.getMessage(code);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
            response.write(true, ByteBuffer.wrap(jettyEnvelope(code, said)), callback);
        }

        @Override
        public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
            fields.put(HttpHeader.CONTENT_TYPE, "application/json");
            return ByteBuffer.wrap(jettyEnvelope(status, reason == null ? HttpStatus.getMessage(status) : reason));
        }
    }
}

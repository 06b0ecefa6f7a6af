package parley.files;

import io.javalin.config.JavalinConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Semaphore;
import parley.auth.Authentication;
import parley.auth.Caller;
import parley.errors.NotFound;
import parley.errors.PayloadTooLarge;
import parley.errors.TooManyRequests;
import parley.web.Clients;
import parley.web.RateLimit;
import parley.web.Responses;

/**
 * {@code POST /parley/v1/files}, an upload for a message to come, by the business or the chat widget's visitor; and
 * {@code GET /parley/v1/files/<site>/<file>?expires=…&signature=…}, a file through its signed link, for anyone who
 * holds the link (docs/files.md). What is served can never run: no sniffing, a sandbox, and everything that is not
 * an image, audio, video or plain text as a download.
 */
public final class FileRoutes {
    /** Uploads a node holds in memory at once, the largest {@link FileSettings#maxBytes()} each. */
    static final int UPLOADS_AT_ONCE = 16;

    private final Authentication authentication;
    private final Files files;
    private final FileLinks links;
    private final Clock clock;
    private final RateLimit visitorUploads; // per client address: anyone on the web can be a widget visitor
    private final Semaphore uploading = new Semaphore(UPLOADS_AT_ONCE);

    public FileRoutes(Authentication authentication, Files files, FileLinks links, Clock clock, int uploadsPerMinute) {
        this.visitorUploads = new RateLimit(uploadsPerMinute, Duration.ofMinutes(1), "TOO_MANY_UPLOADS",
                "too many uploads from this address; try again later");
        this.authentication = authentication;
        this.files = files;
        this.links = links;
        this.clock = clock;
    }

    public void register(JavalinConfig config) {
        config.routes.post("/parley/v1/files", this::upload);
        config.routes.get(FileLinks.PATH + "{site}/{file}", this::download);
    }

    /** What an upload answers: the file, and the item that puts it in a basic message. */
    record Uploaded(Map<String, Object> file, Map<String, Object> item) {
    }

    private void upload(Context ctx) {
        Caller caller = authentication.appOrVisitor(ctx);
        if (caller.identity() instanceof Caller.Visitor) {
            visitorUploads.take(Clients.of(ctx));
        }
        long declared = ctx.req().getContentLengthLong();
        if (declared > files.maxBytes()) {
            throw tooLarge();
        }
        if (!uploading.tryAcquire()) {
            throw new TooManyRequests("TOO_MANY_UPLOADS", "this server is taking in many files; try again shortly",
                    Duration.ofSeconds(1));
        }
        Files.Stored file;
        try {
            byte[] bytes;
            try {
                // Read past the server's body limit, up to the file limit; the stream is the server's to close.
                bytes = ctx.req().getInputStream().readNBytes((int) files.maxBytes() + 1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            if (bytes.length > files.maxBytes()) {
                throw tooLarge();
            }
            file = files.upload(caller.site(), ctx.queryParam("filename"), ctx.contentType(), bytes);
        } finally {
            uploading.release();
        }
        Map<String, Object> shown = new LinkedHashMap<>();
        shown.put("id", file.id().toString());
        shown.put("url", links.signed(file.path()));
        shown.put("filename", file.filename());
        shown.put("mimeType", file.contentType());
        shown.put("fileSize", Long.toString(file.size()));
        shown.put("width", file.width());
        shown.put("height", file.height());
        Map<String, Object> item = new LinkedHashMap<>(shown);
        item.remove(file.image() ? "mimeType" : "width");
        item.remove(file.image() ? "mimeType" : "height");
        Responses.json(ctx, new Uploaded(shown, Map.of(file.image() ? "image" : "file", item)));
    }

    private void download(Context ctx) {
        FileLinks.Named named = links.read(ctx.pathParam("site"), ctx.pathParam("file"), ctx.queryParam("expires"),
                ctx.queryParam("signature")).orElseThrow(FileRoutes::noFile);
        String etag = "\"" + named.file() + "\""; // a file never changes
        long maxAge = Math.max(0, Long.parseLong(ctx.queryParam("expires")) - clock.instant().getEpochSecond());
        ctx.header("Cache-Control", "private, max-age=" + maxAge + ", immutable");
        ctx.header("ETag", etag);
        if (etag.equals(ctx.header("If-None-Match"))) {
            ctx.status(304);
            return;
        }
        Files.Content content = files.read(named.site(), named.file()).orElseThrow(FileRoutes::noFile);
        Files.Stored file = content.file();
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Content-Security-Policy", "default-src 'none'; sandbox");
        ctx.header("Content-Disposition", disposition(file.shown() ? "inline" : "attachment", file.filename()));
        // Shown text was read as UTF-8 to be called text at all (FileTypes).
        ctx.contentType(file.contentType().equals("text/plain") ? "text/plain; charset=utf-8" : file.contentType())
                .result(content.bytes());
    }

    /** RFC 6266: a plain-ASCII name for old clients, the exact one for the rest. */
    static String disposition(String type, String filename) {
        if (filename == null) {
            return type;
        }
        String ascii = filename.replaceAll("[^\\x20-\\x7e]|[\"\\\\%]", "_");
        return type + "; filename=\"" + ascii + "\"; filename*=UTF-8''"
                + URLEncoder.encode(filename, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private static NotFound noFile() {
        return new NotFound("FILE_NOT_FOUND", "no such file, or the link has expired: show the message again for a "
                + "fresh link");
    }

    private PayloadTooLarge tooLarge() {
        return new PayloadTooLarge("FILE_TOO_LARGE", "a file may have at most " + files.maxBytes() + " bytes",
                Map.of("maxBytes", files.maxBytes()));
    }
}

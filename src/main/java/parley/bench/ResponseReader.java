package parley.bench;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * HTTP/1.1 responses read from one connection's bytes as they arrive: the status, and the body by its
 * Content-Length or its chunks (no trailers). Both load generators' connections read through it, the
 * blocking {@link HttpConnection} and the open loop's non-blocking ones. Not thread-safe.
 */
final class ResponseReader {
    private byte[] buffer = new byte[16 * 1024];
    private int size;

    /** Adds {@code length} bytes read from the connection. */
    void add(byte[] bytes, int offset, int length) {
        if (size + length > buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.max(buffer.length * 2, size + length));
        }
        System.arraycopy(bytes, offset, buffer, size, length);
        size += length;
    }

    /** The first whole response among the bytes added, which it then forgets; null until one is whole. */
    HttpConnection.Response next() {
        int headEnd = indexOf("\r\n\r\n", 0);
        if (headEnd < 0) {
            return null;
        }
        String[] head = new String(buffer, 0, headEnd, StandardCharsets.US_ASCII).split("\r\n");
        int status = Integer.parseInt(head[0].substring(9, 12));
        int length = 0;
        boolean chunked = false;
        for (int i = 1; i < head.length; i++) {
            String lower = head[i].toLowerCase(Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(head[i].substring(15).strip());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        int at = headEnd + 4;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (chunked) {
            while (true) {
                int lineEnd = indexOf("\r\n", at);
                if (lineEnd < 0) {
                    return null;
                }
                int chunk = Integer.parseInt(new String(buffer, at, lineEnd - at, StandardCharsets.US_ASCII).strip(), 16);
                at = lineEnd + 2 + chunk + 2; // the chunk and the line end after it; after the last, the empty line
                if (at > size) {
                    return null;
                }
                if (chunk == 0) {
                    break;
                }
                body.write(buffer, lineEnd + 2, chunk);
            }
        } else {
            if (at + length > size) {
                return null;
            }
            body.write(buffer, at, length);
            at += length;
        }
        System.arraycopy(buffer, at, buffer, 0, size - at);
        size -= at;
        return new HttpConnection.Response(status, body.toString(StandardCharsets.UTF_8));
    }

    private int indexOf(String ascii, int from) {
        outer:
        for (int i = from; i <= size - ascii.length(); i++) {
            for (int j = 0; j < ascii.length(); j++) {
                if (buffer[i + j] != ascii.charAt(j)) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}

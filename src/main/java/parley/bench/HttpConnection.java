package parley.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * One keep-alive HTTP/1.1 connection of one benchmark client: a request written as bytes, the answer read
 * by a {@link ResponseReader}. It does only what the benchmark needs, so that the load generator
 * spends little of the CPU it shares with the server under test (the JDK's HttpClient costs more CPU per
 * request than PostgreSQL does per transaction). Not thread-safe: each client owns one.
 */
final class HttpConnection implements AutoCloseable {
    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final ResponseReader reader = new ResponseReader();
    private final byte[] chunk = new byte[16 * 1024];

    HttpConnection(int port) throws IOException {
        socket = new Socket();
        socket.setTcpNoDelay(true);
        socket.connect(new InetSocketAddress("127.0.0.1", port));
        out = socket.getOutputStream();
        in = socket.getInputStream();
    }

    /** A request: method, path with query, extra header lines ("Name: value\r\n" each), body or null. */
    record Request(String method, String path, String headers, String body) {
        byte[] bytes() {
            byte[] content = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers
                    + (body == null ? ""
                            : "Content-Type: application/json\r\nContent-Length: " + content.length + "\r\n")
                    + "\r\n";
            byte[] start = head.getBytes(StandardCharsets.US_ASCII);
            byte[] all = new byte[start.length + content.length];
            System.arraycopy(start, 0, all, 0, start.length);
            System.arraycopy(content, 0, all, start.length, content.length);
            return all;
        }
    }

    record Response(int status, String body) {
    }

    Response send(Request request) throws IOException {
        out.write(request.bytes());
        out.flush();
        for (Response response = reader.next(); ; response = reader.next()) {
            if (response != null) {
                return response;
            }
            int read = in.read(chunk);
            if (read < 0) {
                throw new IOException("connection closed by the server");
            }
            reader.add(chunk, 0, read);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

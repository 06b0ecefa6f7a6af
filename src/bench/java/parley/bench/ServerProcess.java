package parley.bench;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A {@code parley serve} started exactly as a user starts it: through the {@code ./parley} launcher. */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Duration startedIn;

    private ServerProcess(Process process, int port, Duration startedIn) {
        this.process = process;
        this.port = port;
        this.startedIn = startedIn;
    }

    /** Starts {@code serve} with {@code args} and returns once {@code /health/ready} answers 200. */
    static ServerProcess start(Path log, String... args) throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        String launcher = System.getProperty("parley.launcher");
        if (launcher == null) {
            throw new IllegalStateException("run the benchmark with ./parley bench");
        }
        List<String> command = new ArrayList<>(List.of(launcher, "serve", "--port", Integer.toString(port)));
        command.addAll(List.of(args));
        Files.createDirectories(log.getParent());
        long start = System.nanoTime();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        HttpClient http = HttpClient.newHttpClient();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health/ready")).build();
        while (true) {
            if (!process.isAlive()) {
                throw new IllegalStateException("parley serve exited; see " + log);
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    break;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(5);
        }
        return new ServerProcess(process, port, Duration.ofNanos(System.nanoTime() - start));
    }

    int port() {
        return port;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + port;
    }

    Duration startedIn() {
        return startedIn;
    }

    long pid() {
        return process.pid();
    }

    /** The server JVM's resident memory in MiB (VmRSS; the PostgreSQL processes are not counted). */
    double residentMiB() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", "")) / 1024.0;
            }
        }
        throw new IllegalStateException("no VmRSS for pid " + process.pid());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}

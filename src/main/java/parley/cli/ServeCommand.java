package parley.cli;

import java.time.Clock;
import java.util.concurrent.CountDownLatch;
import parley.Config;
import parley.Parley;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

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

    @Override
    public void run() {
        Config config = new Config(port, storage.dataDir, storage.databaseUrl, System.getenv("PARLEY_ADMIN_TOKEN"),
                maxBodyBytes, poolSize);
        Parley parley = Parley.start(config, Clock.systemUTC());
        System.out.printf("Parley is listening on http://localhost:%d%n", parley.port());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            parley.close();
            stopped.countDown();
        }, "parley-shutdown"));
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

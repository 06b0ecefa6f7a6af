package parley;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** The npm packages of {@code compat/} (pinned by its package-lock.json), installed once when one is missing. */
public final class NodePackages {
    public static final Path COMPAT = Path.of("compat").toAbsolutePath();
    private static final List<String> NEEDED = List.of("@wix/inbox", "@wix/crm", "@wix/sdk", "axe-core", "mailauth");

    private NodePackages() {
    }

    public static synchronized Path install() {
        if (NEEDED.stream().allMatch(name -> Files.isDirectory(COMPAT.resolve("node_modules").resolve(name)))) {
            return COMPAT;
        }
        try {
            Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(COMPAT.toFile())
                    .redirectErrorStream(true).start();
            String output = new String(npm.getInputStream().readAllBytes());
            assertThat(npm.waitFor(300, TimeUnit.SECONDS)).as(output).isTrue();
            assertThat(npm.exitValue()).as("npm ci in compat/: " + output).isZero();
            return COMPAT;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

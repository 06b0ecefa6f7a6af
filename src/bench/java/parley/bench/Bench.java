package parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/** Runs every section in one run and writes the report to {@code <out>/<timestamp>/} and {@code <out>/latest.*}. */
public final class Bench {
    private Bench() {
    }

    /** The sections, in the order a run measures them. */
    private static final List<Section> SECTIONS = List.of(new StartupAndMemory(), new SendThroughput(),
            new HotConversation(), new ListReads(), new ContactQueries(), new WorkspaceReads(), new LiveDelivery(), new WebhookDelivery(),
            new EmailThroughput(), new ChannelThroughput());

    /** What {@code --section} accepts. */
    public static List<String> sectionKeys() {
        return SECTIONS.stream().map(Section::key).toList();
    }

    /**
     * Runs the sections whose keys are in {@code only} (every section when it is empty); the database is
     * deleted afterwards unless {@code keepData}.
     */
    public static String run(boolean quick, Set<String> only, Path out, boolean keepData) throws Exception {
        PgBench.requireInstalled();
        BenchSettings settings = quick ? BenchSettings.quickRun() : BenchSettings.fullRun();
        String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        Path runDir = out.toAbsolutePath().resolve(stamp);
        Path dataDir = runDir.resolve("data");
        Report report = new Report("Parley benchmark" + (quick ? " (--quick)" : ""), machine());
        List<Section> sections = SECTIONS.stream().filter(s -> only.isEmpty() || only.contains(s.key())).toList();
        try (BenchContext context = new BenchContext(settings, dataDir, runDir)) {
            // Ctrl-C must not leave the server and the embedded PostgreSQL running without their benchmark.
            Thread stop = new Thread(() -> {
                try {
                    context.close();
                } catch (Exception e) {
                    System.err.println("could not stop the benchmark's server: " + e);
                }
            });
            Runtime.getRuntime().addShutdownHook(stop);
            try {
                for (Section section : sections) {
                    System.err.println(section.title());
                    section.run(context, report.part(section.title()));
                }
            } finally {
                Runtime.getRuntime().removeShutdownHook(stop);
            }
        } finally {
            if (keepData) {
                System.err.println("the database stays in " + dataDir);
            } else {
                deleteRecursively(dataDir); // gigabytes after a full run; the report is what we keep
            }
        }
        report.write(runDir, "report");
        report.write(out.toAbsolutePath(), "latest");
        return report.markdown();
    }

    private static Map<String, Object> machine() throws IOException {
        Map<String, Object> machine = new LinkedHashMap<>();
        machine.put("date", LocalDateTime.now().withNano(0).toString());
        machine.put("cores", Runtime.getRuntime().availableProcessors());
        machine.put("memory", String.format("%.1f GiB", memoryKiB() / 1024.0 / 1024.0));
        machine.put("cpu", cpuModel());
        machine.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        machine.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version"));
        return machine;
    }

    private static long memoryKiB() throws IOException {
        return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                .map(l -> Long.parseLong(l.replaceAll("\\D", ""))).findFirst().orElse(0L);
    }

    private static String cpuModel() throws IOException {
        return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).findFirst().orElse("unknown");
    }

    private static void deleteRecursively(Path directory) throws IOException {
        if (!Files.exists(directory)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}

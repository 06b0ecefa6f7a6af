package parley.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import parley.web.Json;

/** The benchmark's report: Markdown for people and JSON for tools, one part per section. */
final class Report {
    private final StringBuilder markdown = new StringBuilder();
    private final Map<String, Object> json = new LinkedHashMap<>();

    Report(String heading, Map<String, Object> machine) {
        markdown.append("# ").append(heading).append("\n\n");
        machine.forEach((k, v) -> markdown.append("- ").append(k).append(": ").append(v).append('\n'));
        markdown.append('\n');
        json.put("machine", machine);
    }

    Part part(String title) {
        markdown.append("## ").append(title).append("\n\n");
        Map<String, Object> figures = new LinkedHashMap<>();
        json.put(title, figures);
        return new Part(figures);
    }

    String markdown() {
        return markdown.toString();
    }

    void write(Path directory, String name) throws IOException {
        Files.createDirectories(directory);
        Files.writeString(directory.resolve(name + ".md"), markdown);
        Files.writeString(directory.resolve(name + ".json"), Json.write(json));
    }

    /** One section's share of the report. */
    final class Part {
        private final Map<String, Object> figures;

        private Part(Map<String, Object> figures) {
            this.figures = figures;
        }

        void table(String... headers) {
            markdown.append("| ").append(String.join(" | ", headers)).append(" |\n|");
            markdown.append("---|".repeat(headers.length)).append('\n');
        }

        void row(Object... cells) {
            List<String> text = new ArrayList<>();
            for (Object cell : cells) {
                text.add(format(cell));
            }
            markdown.append("| ").append(String.join(" | ", text)).append(" |\n");
        }

        void endTable() {
            markdown.append('\n');
        }

        void note(String text) {
            markdown.append(text).append("\n\n");
        }

        void figure(String key, Object value) {
            figures.put(key, value);
        }
    }

    /** The mark a target gets in the report. */
    static String verdict(boolean met) {
        return met ? "✅" : "❌";
    }

    static String format(Object value) {
        if (value instanceof Double d) {
            return Double.isNaN(d) ? "–" : d >= 100 ? String.format("%,.0f", d) : String.format("%.2f", d);
        }
        if (value instanceof Long || value instanceof Integer) {
            return String.format("%,d", ((Number) value).longValue());
        }
        return String.valueOf(value);
    }
}

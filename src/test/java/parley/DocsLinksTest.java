package parley;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository's Markdown explains the project to someone who has only the repository: every relative
 * link and {@code #anchor} in it resolves, and every document in {@code docs/} is reachable from the
 * README. Anchors are GitHub's: a heading in lower case, without punctuation, spaces as hyphens.
 */
class DocsLinksTest {
    private static final Pattern LINK = Pattern.compile("!?\\[(?:[^\\]\\[]|\\[[^\\]]*\\])*\\]\\(([^)\\s]+)\\)");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} (.+)$");

    @Test
    void everyRelativeLinkAndAnchorInTheDocsResolves() {
        List<String> broken = new ArrayList<>();
        for (Path document : documents()) {
            for (String target : links(document)) {
                if (target.matches("^[a-z]+:.*")) { // http(s), mailto: outside the repository
                    continue;
                }
                String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                Path resolved = file.isEmpty() ? document : document.getParent().resolve(file).normalize();
                if (!Files.exists(resolved)) {
                    broken.add(document + ": " + target + " (no such file)");
                } else if (target.contains("#") && !anchors(resolved).contains(target.substring(target.indexOf('#') + 1))) {
                    broken.add(document + ": " + target + " (no such heading)");
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    @Test
    void everyDocumentIsReachableFromTheReadme() {
        Set<Path> reached = new HashSet<>();
        List<Path> next = new ArrayList<>(List.of(Path.of("README.md").toAbsolutePath().normalize()));
        while (!next.isEmpty()) {
            Path document = next.removeLast();
            if (Files.exists(document) && reached.add(document)) {
                links(document).stream().filter(t -> !t.matches("^[a-z]+:.*"))
                        .map(t -> t.contains("#") ? t.substring(0, t.indexOf('#')) : t)
                        .filter(t -> t.endsWith(".md"))
                        .map(t -> document.getParent().resolve(t).normalize())
                        .forEach(next::add);
            }
        }
        assertThat(documents()).allMatch(reached::contains);
    }

    private static List<Path> documents() {
        try (Stream<Path> docs = Files.list(Path.of("docs"))) {
            List<Path> all = new ArrayList<>(List.of(Path.of("README.md"), Path.of("ARCHITECTURE.md")));
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(all::add);
            return all.stream().map(p -> p.toAbsolutePath().normalize()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The link targets of a document, outside its code blocks and code spans. */
    private static List<String> links(Path document) {
        List<String> targets = new ArrayList<>();
        boolean code = false;
        for (String line : lines(document)) {
            if (line.strip().startsWith("```")) {
                code = !code;
            } else if (!code) {
                Matcher link = LINK.matcher(line.replaceAll("`[^`]*`", ""));
                while (link.find()) {
                    targets.add(link.group(1));
                }
            }
        }
        return targets;
    }

    /** GitHub's anchors of a document's headings (a repeated one gets -1, -2 …). */
    private static Set<String> anchors(Path document) {
        Set<String> anchors = new HashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        boolean code = false;
        for (String line : lines(document)) {
            if (line.strip().startsWith("```")) {
                code = !code;
                continue;
            }
            Matcher heading = HEADING.matcher(line);
            if (!code && heading.matches()) {
                String slug = heading.group(1).replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1").strip()
                        .toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
                int times = seen.merge(slug, 1, Integer::sum);
                anchors.add(times == 1 ? slug : slug + "-" + (times - 1));
            }
        }
        return anchors;
    }

    private static List<String> lines(Path document) {
        try {
            return Files.readAllLines(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

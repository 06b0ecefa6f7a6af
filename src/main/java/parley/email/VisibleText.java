package parley.email;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.jsoup.nodes.Node;
import org.jsoup.nodes.TextNode;
import org.jsoup.select.Elements;
import org.jsoup.select.NodeTraversor;
import org.jsoup.select.NodeVisitor;

/**
 * The part of a mail its writer wrote this time: the quoted history and the signature cut off, an HTML body turned
 * into text with its paragraphs and links kept (never rendered as HTML). docs/email.md says what is cut.
 */
final class VisibleText {
    /** "On Tue, 3 Dec 2026 at 10:00, Ana <ana@example.com> wrote:" and its kin in the mail clients' languages. */
    private static final Pattern ATTRIBUTION = Pattern.compile(
            "(?i)^(on\\s.+\\swrote|le\\s.+\\sa écrit|am\\s.+\\sschrieb.*|el\\s.+\\sescribió|il\\s.+\\sha scritto"
                    + "|op\\s.+\\sschreef.*)\\s?:$");
    private static final Pattern OUTLOOK_SEPARATOR = Pattern.compile("^(-{3,}\\s*original message\\s*-{3,}|_{10,})$",
            Pattern.CASE_INSENSITIVE);
    /** What the mail clients mark as quoted history. */
    private static final String QUOTED = "blockquote, .gmail_quote, #divRplyFwdMsg, #appendonsend, .moz-cite-prefix";
    private static final Set<String> BLOCKS = Set.of("p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6",
            "table", "ul", "ol", "pre", "address", "section", "article", "header", "footer");

    private VisibleText() {
    }

    /** The new text of a plain-text body. */
    static String ofPlain(String text) {
        List<String> lines = List.of(text.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1));
        int end = lines.size();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            String withNext = i + 1 < lines.size() ? line + " " + lines.get(i + 1).strip() : line;
            if (lines.get(i).equals("-- ") || OUTLOOK_SEPARATOR.matcher(line).matches()
                    || ATTRIBUTION.matcher(line).matches() || ATTRIBUTION.matcher(withNext).matches()
                    || line.startsWith(">") && quotedToTheEnd(lines, i)) {
                end = i;
                break;
            }
        }
        String visible = String.join("\n", lines.subList(0, end)).strip();
        return visible.isEmpty() ? text.strip() : visible; // all quoted: an inline answer, keep it whole
    }

    /** Whether every non-blank line from {@code from} on is quoted: a quote answered inline is kept. */
    private static boolean quotedToTheEnd(List<String> lines, int from) {
        return lines.subList(from, lines.size()).stream().map(String::strip)
                .allMatch(line -> line.isEmpty() || line.startsWith(">"));
    }

    /**
     * The inline images ({@code cid:} ids) an HTML body shows only in its quoted history: copies of earlier mails'
     * images, which some mail clients attach to every reply.
     */
    static Set<String> quotedImages(String html) {
        Document document = Jsoup.parse(html);
        Elements quoted = document.select(QUOTED);
        Set<String> onlyQuoted = cids(quoted.select("img[src]"));
        quoted.remove();
        onlyQuoted.removeAll(cids(document.select("img[src]")));
        return onlyQuoted;
    }

    private static Set<String> cids(Elements images) {
        Set<String> cids = new HashSet<>();
        for (Element image : images) {
            String src = image.attr("src").strip();
            if (src.regionMatches(true, 0, "cid:", 0, 4)) {
                cids.add(src.substring(4));
            }
        }
        return cids;
    }

    /** The new text of an HTML body: the quoted history the mail clients mark is removed before it is read. */
    static String ofHtml(String html) {
        Document document = Jsoup.parse(html);
        document.select(QUOTED + ", script, style, head").remove();
        StringBuilder text = new StringBuilder();
        NodeTraversor.traverse(new NodeVisitor() {
            @Override
            public void head(Node node, int depth) {
                if (node instanceof TextNode textNode) {
                    text.append(textNode.text());
                } else if (node instanceof Element element && (element.nameIs("br") || BLOCKS.contains(element.normalName()))) {
                    text.append('\n');
                }
            }

            @Override
            public void tail(Node node, int depth) {
                if (node instanceof Element element) {
                    if (BLOCKS.contains(element.normalName())) {
                        text.append('\n');
                    } else if (element.nameIs("a")) {
                        String href = element.attr("href");
                        if ((href.startsWith("http://") || href.startsWith("https://")) && !element.text().equals(href)) {
                            text.append(" (").append(href).append(')');
                        }
                    }
                }
            }
        }, document.body());
        List<String> lines = new ArrayList<>();
        for (String line : text.toString().split("\n")) {
            lines.add(line.strip().replaceAll(" {2,}", " ")); // as a browser shows HTML's spaces
        }
        return ofPlain(String.join("\n", lines).replaceAll("\n{3,}", "\n\n"));
    }
}

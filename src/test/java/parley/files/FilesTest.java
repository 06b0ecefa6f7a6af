package parley.files;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import parley.Api;
import parley.Config;
import parley.Fixtures;
import parley.Fixtures.TestSite;
import parley.Parley;
import parley.TestFiles;
import parley.TestParley;
import parley.storage.Database;

/**
 * Files through the API (docs/files.md): an upload is typed by its bytes, attached to a message by its id, and served
 * through a signed link that runs nothing; what is refused changes nothing.
 */
class FilesTest {
    private final TestSite acme = Fixtures.site("Files");

    private Api.Response upload(String filename, String type, byte[] bytes) {
        return TestFiles.upload(TestParley.baseUrl(), acme.apiKey(), acme.id(), filename, type, bytes);
    }

    private JsonNode send(String conversation, String item) {
        Api.Response sent = acme.api().post("/inbox/v2/messages", """
                {"conversationId": "%s", "message": {"direction": "BUSINESS_TO_PARTICIPANT",
                 "visibility": "BUSINESS_AND_PARTICIPANT", "content": {"basic": {"items": [%s]}}}}
                """.formatted(conversation, item));
        assertThat(sent.status()).as(sent.raw()).isEqualTo(200);
        return sent.body().at("/message/content/basic/items/0");
    }

    @Test
    void anImageIsTypedByItsBytesAttachedByItsIdAndShownThroughASignedLink() {
        byte[] image = TestFiles.png(40, 30);
        Api.Response uploaded = upload("../../photo of us.png", "application/octet-stream", image);
        assertThat(uploaded.status()).as(uploaded.raw()).isEqualTo(200);
        String id = uploaded.text("/file/id");
        assertThat(uploaded.text("/file/mimeType")).isEqualTo("image/png");
        assertThat(uploaded.text("/file/filename")).isEqualTo("photo of us.png");
        assertThat(uploaded.body().at("/item/image/width").asInt()).isEqualTo(40);
        assertThat(uploaded.body().at("/item/image/height").asInt()).isEqualTo(30);

        String conversation = acme.visitorConversation();
        JsonNode item = send(conversation, "{\"image\": {\"id\": \"" + id + "\"}}");
        assertThat(item.at("/image/id").asText()).isEqualTo(id);
        assertThat(item.at("/image/fileSize").asText()).isEqualTo(Integer.toString(image.length));
        assertThat(item.at("/image/filename").asText()).isEqualTo("photo of us.png");
        String url = item.at("/image/url").asText();
        assertThat(url).startsWith("http://localhost:" + TestParley.get().port() + "/parley/v1/files/" + acme.id() + "/"
                + id + "?expires=");

        TestFiles.Download shown = TestFiles.download(url);
        assertThat(shown.status()).isEqualTo(200);
        assertThat(shown.bytes()).isEqualTo(image);
        assertThat(shown.header("Content-Type")).isEqualTo("image/png");
        assertThat(shown.header("Content-Disposition")).startsWith("inline; filename=\"photo of us.png\"");
        assertThat(shown.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(shown.header("Content-Security-Policy")).contains("sandbox");

        // The listing shows the same link (the message keeps the file, not a link); its event carried one too.
        JsonNode listed = acme.listAll(conversation, "BUSINESS").get(0).at("/content/basic/items/0/image");
        assertThat(listed.get("url").asText()).isEqualTo(url);
        assertThat(acme.events()).anySatisfy(event -> assertThat(event.body().toString()).contains(id));
    }

    @Test
    void aLinkWhoseSignatureOrExpiryWasChangedOpensNothing() {
        String id = upload("a.txt", "text/plain", "hello".getBytes(StandardCharsets.UTF_8)).text("/file/id");
        String url = send(acme.visitorConversation(), "{\"file\": {\"id\": \"" + id + "\"}}").at("/file/url").asText();
        assertThat(TestFiles.download(url).status()).isEqualTo(200);

        long expires = Long.parseLong(url.replaceAll(".*expires=(\\d+).*", "$1"));
        assertThat(TestFiles.download(url.replace("expires=" + expires, "expires=" + (expires + 86_400))).status()).isEqualTo(404);
        assertThat(TestFiles.download(url.substring(0, url.length() - 2) + "AA").status()).isEqualTo(404);
        assertThat(TestFiles.download(url.replace(id, UUID.randomUUID().toString())).status()).isEqualTo(404);
        assertThat(TestFiles.download(url.substring(0, url.indexOf('?'))).status()).isEqualTo(404);
    }

    @Test
    void anExpiredLinkOpensNothing() {
        String id = upload("a.txt", "text/plain", "hello".getBytes(StandardCharsets.UTF_8)).text("/file/id");
        try (Database database = Database.open(TestParley.get().databaseUrl(), null, 1)) {
            parley.MutableClock clock = new parley.MutableClock();
            FileLinks links = new FileLinks(new parley.auth.ParticipantTokens(database, clock), TestParley::baseUrl,
                    clock);
            String url = links.signed(FileLinks.path(acme.siteId(), UUID.fromString(id)));
            assertThat(TestFiles.download(url).status()).isEqualTo(200);
            clock.advance(FileLinks.LIFETIME.plusDays(1).plusSeconds(1)); // the longest a link lives
            assertThat(links.read(acme.id(), id, url.replaceAll(".*expires=(\\d+).*", "$1"),
                    url.replaceAll(".*signature=", ""))).isEmpty();
        }
    }

    @Test
    void anUploadNeverSentIsDeletedAfterADayAndASentOneIsKept() {
        byte[] bytes = "x".getBytes(StandardCharsets.UTF_8);
        String unsent = upload("unsent.txt", null, bytes).text("/file/id");
        String sentId = upload("sent.txt", null, bytes).text("/file/id");
        String url = send(acme.visitorConversation(), "{\"file\": {\"id\": \"" + sentId + "\"}}").at("/file/url").asText();
        try (Database database = Database.open(TestParley.get().databaseUrl(), null, 1)) {
            parley.MutableClock clock = new parley.MutableClock();
            Files files = new Files(database, FileSettings.DEFAULTS, clock);
            files.sweep();
            assertThat(files.read(acme.siteId(), UUID.fromString(unsent))).isPresent();
            clock.advance(Files.UNSENT_KEPT.plusMinutes(1));
            assertThat(files.sweep()).isPositive();
            assertThat(files.read(acme.siteId(), UUID.fromString(unsent))).isEmpty();
            assertThat(files.read(acme.siteId(), UUID.fromString(sentId))).isPresent();
        }
        assertThat(TestFiles.download(url).status()).isEqualTo(200);
    }

    @Test
    void whatCouldRunInABrowserIsADownloadWhateverItClaims() {
        Api.Response html = upload("cat.png", "image/png",
                "<!DOCTYPE html><script>alert(1)</script>".getBytes(StandardCharsets.UTF_8));
        assertThat(html.text("/file/mimeType")).isEqualTo("text/html");
        assertThat(html.body().at("/item/file").isObject()).isTrue(); // not an image item
        String url = send(acme.visitorConversation(), html.body().get("item").toString()).at("/file/url").asText();
        TestFiles.Download served = TestFiles.download(url);
        assertThat(served.header("Content-Disposition")).startsWith("attachment; filename=\"cat.png\"");
        assertThat(served.header("X-Content-Type-Options")).isEqualTo("nosniff");

        Api.Response svg = upload("logo.svg", "image/svg+xml",
                "<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"><script>1</script></svg>"
                        .getBytes(StandardCharsets.UTF_8));
        assertThat(svg.text("/file/mimeType")).isEqualTo("image/svg+xml");
        assertThat(svg.body().at("/item/file").isObject()).isTrue();

        // A claim is kept only to name bytes that prove nothing more precise, and never to be shown in place.
        Api.Response docx = upload("report.docx",
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
                new byte[] {'P', 'K', 3, 4, 0, 0, 0, 0});
        assertThat(docx.text("/file/mimeType"))
                .isEqualTo("application/vnd.openxmlformats-officedocument.wordprocessingml.document");
        Api.Response claimedImage = upload("x.png", "image/png", new byte[] {0, 1, 2, 3, (byte) 0xFE});
        assertThat(claimedImage.text("/file/mimeType")).isEqualTo("application/octet-stream");
        // What curl and forms claim by default says how the request was sent, not what the file is.
        Api.Response curled = upload("notes.txt", "application/x-www-form-urlencoded",
                "plain notes".getBytes(StandardCharsets.UTF_8));
        assertThat(curled.text("/file/mimeType")).isEqualTo("text/plain");
    }

    @Test
    void aMessageNamesOnlyItsOwnSitesFiles() {
        TestSite other = Fixtures.site("Elsewhere");
        String theirs = TestFiles.upload(TestParley.baseUrl(), other.apiKey(), other.id(), "secret.txt", "text/plain",
                "theirs".getBytes(StandardCharsets.UTF_8)).text("/file/id");
        String conversation = acme.visitorConversation();
        Api.Response refused = acme.api().post("/inbox/v2/messages", """
                {"conversationId": "%s", "message": {"direction": "BUSINESS_TO_PARTICIPANT",
                 "visibility": "BUSINESS_AND_PARTICIPANT", "content": {"basic": {"items": [
                   {"text": "see"}, {"file": {"id": "%s"}}]}}}}
                """.formatted(conversation, theirs));
        assertThat(refused.status()).as(refused.raw()).isEqualTo(400);
        assertThat(refused.raw()).contains("message.content.basic.items[1].file.id");
        assertThat(acme.listAll(conversation, "BUSINESS")).isEmpty();

        // With a URL of its own, an id is another media store's: kept as sent, nothing of Parley's put in its place.
        JsonNode external = send(conversation,
                "{\"file\": {\"id\": \"" + theirs + "\", \"url\": \"https://cdn.example.com/x.pdf\"}}");
        assertThat(external.at("/file/url").asText()).isEqualTo("https://cdn.example.com/x.pdf");
    }

    @Test
    void aVisitorUploadsAndSendsInTheirOwnConversation() {
        Api.Response session = Api.anonymous(TestParley.baseUrl()).post("/parley/v1/widget/session",
                "{\"siteId\": \"" + acme.id() + "\"}");
        String token = session.text("/token");
        Api.Response uploaded = TestFiles.upload(TestParley.baseUrl(), token, null, "receipt.png", "image/png", TestFiles.png(8, 8));
        assertThat(uploaded.status()).as(uploaded.raw()).isEqualTo(200);
        Api.Response sent = Api.anonymous(TestParley.baseUrl()).withHeader("Authorization", token)
                .post("/inbox/v2/messages", """
                        {"conversationId": "%s", "message": {"direction": "PARTICIPANT_TO_BUSINESS",
                         "visibility": "BUSINESS_AND_PARTICIPANT", "content": {"basic": {"items": [%s]}}}}
                        """.formatted(session.text("/conversationId"), uploaded.body().get("item")));
        assertThat(sent.status()).as(sent.raw()).isEqualTo(200);
        assertThat(TestFiles.download(sent.body().at("/message/content/basic/items/0/image/url").asText()).status())
                .isEqualTo(200);
        assertThat(TestFiles.upload(TestParley.baseUrl(), "", null, "x.txt", "text/plain", new byte[] {'x'}).status())
                .isEqualTo(401);
    }

    @Test
    void aNodeKeepsFilesInItsDirectoryUpToItsSizeAndRate(@org.junit.jupiter.api.io.TempDir Path directory) {
        Config config = TestParley.anotherNode(0).withFiles(new FileSettings(directory, 1000))
                .withLimits(new Config.Limits(100, 100, 10, 10, 3));
        try (Parley node = Parley.start(config, Clock.systemUTC())) {
            String base = "http://localhost:" + node.port();
            Api.Response tooLarge = TestFiles.upload(base, acme.apiKey(), acme.id(), "big.bin", null, new byte[1001]);
            assertThat(tooLarge.status()).as(tooLarge.raw()).isEqualTo(413);
            assertThat(tooLarge.text("/details/applicationError/code")).isEqualTo("FILE_TOO_LARGE");

            byte[] bytes = "kept in a directory".getBytes(StandardCharsets.UTF_8);
            String id = TestFiles.upload(base, acme.apiKey(), acme.id(), "d.txt", null, bytes).text("/file/id");
            assertThat(directory.resolve(acme.id()).resolve(id)).hasBinaryContent(bytes);
            Api.Response sent = Api.of(base, acme.id(), acme.apiKey()).post("/inbox/v2/messages", """
                    {"conversationId": "%s", "message": {"direction": "BUSINESS_TO_PARTICIPANT",
                     "visibility": "BUSINESS_AND_PARTICIPANT", "content": {"basic": {"items": [{"file": {"id": "%s"}}]}}}}
                    """.formatted(acme.visitorConversation(), id));
            assertThat(TestFiles.download(sent.body().at("/message/content/basic/items/0/file/url").asText()).bytes())
                    .isEqualTo(bytes);

            String token = Api.anonymous(base).post("/parley/v1/widget/session", "{\"siteId\": \"" + acme.id() + "\"}")
                    .text("/token");
            for (int i = 0; i < 3; i++) {
                assertThat(TestFiles.upload(base, token, null, "v.txt", null, bytes).status()).isEqualTo(200);
            }
            Api.Response limited = TestFiles.upload(base, token, null, "v.txt", null, bytes);
            assertThat(limited.status()).isEqualTo(429);
            assertThat(limited.header("Retry-After")).isNotNull();
        }
    }
}

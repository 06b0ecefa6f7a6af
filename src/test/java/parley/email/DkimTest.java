package parley.email;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.mail.internet.MimeMessage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import parley.Api;
import parley.Fixtures;
import parley.Fixtures.TestSite;
import parley.NodePackages;
import parley.TestMail;
import parley.TestParley;
import parley.storage.Database;
import parley.web.Json;

/**
 * A channel with a DKIM key signs what it sends, and a verifier nobody here wrote (mailauth, in {@code compat/})
 * finds the signature good with the DNS record the channel says to publish, and bad once a byte changed.
 */
class DkimTest {
    @Test
    void aChannelsMailIsSignedSoThatMailauthVerifiesItWithThePublishedRecord() throws Exception {
        TestSite site = Fixtures.site("Signed Bakery");
        String domain = UUID.randomUUID() + ".example";
        Api.Response channel = site.api().post("/parley/v1/channels", """
                {"kind": "EMAIL", "settings": {"address": "support@%s", "dkim": {"selector": "parley"}}}
                """.formatted(domain));
        assertThat(channel.status()).as(channel.raw()).isEqualTo(201);
        JsonNode record = channel.body().at("/settings/dkim/dnsRecord");
        assertThat(record.get("name").asText()).isEqualTo("parley._domainkey." + domain);
        assertThat(record.get("type").asText()).isEqualTo("TXT");
        assertThat(record.get("value").asText()).startsWith("v=DKIM1; k=rsa; p=MIIBIjAN");
        assertThat(channel.body().at("/settings/dkim/privateKey").isMissingNode()).isTrue();
        assertThat(site.api().get("/parley/v1/channels").raw()).doesNotContain("privateKey");
        try (Database database = Database.open(TestParley.get().databaseUrl(), null, 1)) {
            String stored = database.read(handle -> handle.createQuery(
                            "SELECT settings -> 'dkim' ->> 'privateKey' FROM channels WHERE channel_id = CAST(:id AS uuid)")
                    .bind("id", channel.text("/id"))
                    .mapTo(String.class)
                    .one());
            assertThat(stored).startsWith("v1:").doesNotContain("MII"); // sealed: no PKCS#8 header in sight
        }

        String customer = "ida." + UUID.randomUUID() + "@client.example";
        TestMail.toParley(TestMail.mail("<dkim." + customer + ">", customer, "support@" + domain, "Signed?",
                "Is this signed?"));
        String conversation = site.api().get("/parley/v1/conversations").text("/conversations/0/id");
        site.sendText(conversation, "Yes   it is \\t signed.", "BUSINESS_TO_PARTICIPANT", "BUSINESS_AND_PARTICIPANT");
        MimeMessage mail = TestMail.await(customer, 1).getFirst();
        ByteArrayOutputStream raw = new ByteArrayOutputStream();
        mail.writeTo(raw);

        JsonNode verified = verify(raw.toByteArray(), record);
        assertThat(verified).hasSize(1);
        assertThat(verified.get(0).get("domain").asText()).isEqualTo(domain);
        assertThat(verified.get(0).get("selector").asText()).isEqualTo("parley");
        assertThat(verified.get(0).get("result").asText()).as(verified.toString()).isEqualTo("pass");

        String sent = new String(raw.toByteArray(), StandardCharsets.ISO_8859_1);
        JsonNode body = verify(sent.replace("signed.", "signet.").getBytes(StandardCharsets.ISO_8859_1), record);
        assertThat(body.get(0).get("result").asText()).isEqualTo("neutral"); // mailauth's word for a wrong body hash
        assertThat(body.get(0).get("comment").asText()).isEqualTo("body hash did not verify");
        JsonNode header = verify(sent.replace("Subject: Re: Signed?", "Subject: Re: Signed!")
                .getBytes(StandardCharsets.ISO_8859_1), record);
        assertThat(header.get(0).get("result").asText()).isEqualTo("fail");
    }

    private static JsonNode verify(byte[] mail, JsonNode record) throws Exception {
        Path file = Files.createTempFile("parley-dkim", ".eml");
        try {
            Files.write(file, mail);
            ProcessBuilder node = new ProcessBuilder("node", "dkim-verify.mjs", file.toString())
                    .directory(NodePackages.install().toFile()).redirectErrorStream(true);
            node.environment().put("DKIM_TXT_NAME", record.get("name").asText());
            node.environment().put("DKIM_TXT_VALUE", record.get("value").asText());
            Process process = node.start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(process.exitValue()).as(output).isZero();
            return Json.MAPPER.readTree(output.lines().reduce((first, last) -> last).orElseThrow());
        } finally {
            Files.delete(file);
        }
    }
}

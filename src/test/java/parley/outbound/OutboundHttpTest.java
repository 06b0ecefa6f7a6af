package parley.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import parley.webhooks.Receiver;

/** Outbound requests reach public addresses only, unless the installation allows private ones. */
class OutboundHttpTest {
    @Test
    void privateLoopbackLinkLocalAndMetadataAddressesAreRecognised() throws Exception {
        for (String address : List.of("127.0.0.1", "127.8.9.10", "0.0.0.0", "10.1.2.3", "172.16.0.1", "172.31.255.255",
                "192.168.1.1", "169.254.169.254", "100.64.0.1", "100.100.100.200", "192.0.0.192", "198.18.0.1",
                "224.0.0.1", "255.255.255.255", "::1", "::", "fe80::1", "fd00:ec2::254", "fc00::1", "::ffff:127.0.0.1",
                "::ffff:169.254.169.254", "::10.0.0.1", "64:ff9b::a9fe:a9fe", "2002:7f00:1::1", "ff02::1")) {
            assertThat(PrivateAddresses.isPrivate(InetAddress.getByName(address))).as(address).isTrue();
        }
        for (String address : List.of("1.1.1.1", "8.8.8.8", "172.32.0.1", "100.128.0.1", "192.169.0.1",
                "2606:4700:4700::1111", "64:ff9b::808:808", "2002:808:808::1")) {
            assertThat(PrivateAddresses.isPrivate(InetAddress.getByName(address))).as(address).isFalse();
        }
    }

    @Test
    void aNameThatResolvesToLoopbackIsRefusedWhereTheConnectionIsMade() throws Exception {
        try (Receiver receiver = new Receiver();
             OutboundHttp strict = new OutboundHttp(false);
             OutboundHttp allowing = new OutboundHttp(true)) {
            URI byName = URI.create(receiver.url().replace("127.0.0.1", "localhost"));

            assertThatThrownBy(() -> post(strict, byName)).isInstanceOf(OutboundHttp.NoAnswer.class)
                    .hasMessageStartingWith("refused: localhost is a private, loopback or link-local address");
            assertThatThrownBy(() -> post(strict, URI.create(receiver.url()))).isInstanceOf(OutboundHttp.NoAnswer.class);
            assertThat(receiver.attempts()).isZero();
            assertThat(post(allowing, byName).status()).isEqualTo(200);
            assertThat(receiver.attempts()).isEqualTo(1);
        }
    }

    @Test
    void aHostIsRefusedUpFrontOnlyWhenEveryAddressItHasIsPrivate() {
        try (OutboundHttp strict = new OutboundHttp(false); OutboundHttp allowing = new OutboundHttp(true)) {
            assertThat(strict.refuses("localhost")).isTrue();
            assertThat(strict.refuses("169.254.169.254")).isTrue();
            assertThat(strict.refuses("1.1.1.1")).isFalse();
            assertThat(strict.refuses("no-such-host.invalid")).isFalse(); // each connection is checked anyway
            assertThat(allowing.refuses("localhost")).isFalse();
        }
    }

    private static OutboundHttp.Answer post(OutboundHttp http, URI url) throws Exception {
        return http.post(url, Map.of(), "text/plain", "hello", Duration.ofSeconds(5));
    }
}

package parley.email;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * The mail server Parley sends through (docs/email.md, "Sending"): {@code smtp://user:password@host:port} upgrades
 * with STARTTLS whenever the server offers it, {@code smtps://…} speaks TLS from the first byte. User and password
 * are optional (a relay that trusts this host); {@link #toString} never shows the password.
 */
public record Relay(String host, int port, boolean implicitTls, String user, String password) {
    public Relay {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("the relay needs a host, as in smtp://user:password@host:587");
        }
    }

    public static Relay parse(String url) {
        URI uri;
        try {
            uri = new URI(url.strip());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a relay URL such as smtp://user:password@host:587");
        }
        boolean tls = "smtps".equalsIgnoreCase(uri.getScheme());
        if (!tls && !"smtp".equalsIgnoreCase(uri.getScheme())) {
            throw new IllegalArgumentException("a relay URL starts with smtp:// (STARTTLS) or smtps:// (TLS)");
        }
        String user = null;
        String password = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            user = decode(parts[0]);
            password = parts.length > 1 ? decode(parts[1]) : null;
        }
        return new Relay(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : tls ? 465 : 587, tls, user, password);
    }

    private static String decode(String part) {
        return URLDecoder.decode(part.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return (implicitTls ? "smtps://" : "smtp://") + (user == null ? "" : user + (password == null ? "" : ":***") + "@")
                + host + ":" + port;
    }
}

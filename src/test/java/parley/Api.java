package parley;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import parley.web.Json;

/** A small HTTP client that talks to Parley the way an SDK does: JSON over HTTP, site and key headers. */
public final class Api {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final String baseUrl;
    private final List<String> headers;

    private Api(String baseUrl, List<String> headers) {
        this.baseUrl = baseUrl;
        this.headers = List.copyOf(headers);
    }

    public static Api anonymous(String baseUrl) {
        return new Api(baseUrl, List.of());
    }

    /** An API-key caller of {@code site}, as the official SDK authenticates (wix-compatibility 11). */
    public static Api of(String baseUrl, String siteId, String apiKey) {
        return new Api(baseUrl, List.of("Authorization", apiKey, "wix-site-id", siteId));
    }

    public Api withHeader(String name, String value) {
        List<String> more = new ArrayList<>(headers);
        more.add(name);
        more.add(value);
        return new Api(baseUrl, more);
    }

    public record Response(int status, JsonNode body, String raw, java.net.http.HttpHeaders headers) {
        public String text(String jsonPointer) {
            return body.at(jsonPointer).asText();
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public Response post(String path, String json) {
        return send(request(path).POST(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json"));
    }

    public Response patch(String path, String json) {
        return send(request(path).method("PATCH", HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json"));
    }

    public Response put(String path, String json) {
        return send(request(path).PUT(HttpRequest.BodyPublishers.ofString(json))
                .header("Content-Type", "application/json"));
    }

    public Response options(String path) {
        return send(request(path).method("OPTIONS", HttpRequest.BodyPublishers.noBody()));
    }

    public Response delete(String path) {
        return send(request(path).DELETE());
    }

    public Response get(String path) {
        return send(request(path).GET());
    }

    /** A GET carrying its parameters as the SDK does: one base64url JSON object in {@code .r}. */
    public Response getWithR(String path, String json) {
        String r = Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
        return get(path + "?.r=" + r);
    }

    public static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(baseUrl + path));
        for (int i = 0; i < headers.size(); i += 2) {
            builder.header(headers.get(i), headers.get(i + 1));
        }
        return builder;
    }

    private static Response send(HttpRequest.Builder request) {
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            String raw = response.body();
            boolean json = response.headers().firstValue("Content-Type").map(type -> type.contains("json"))
                    .orElse(true);
            JsonNode body = raw.isEmpty() || !json ? Json.MAPPER.nullNode() : Json.MAPPER.readTree(raw);
            return new Response(response.statusCode(), body, raw, response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

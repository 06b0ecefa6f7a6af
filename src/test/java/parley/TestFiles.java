package parley;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import javax.imageio.ImageIO;
import parley.web.Json;

/** Files as clients upload and download them (docs/files.md), and images to upload. */
public final class TestFiles {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private TestFiles() {
    }

    public record Download(int status, byte[] bytes, HttpResponse<byte[]> response) {
        public String header(String name) {
            return response.headers().firstValue(name).orElse(null);
        }
    }

    /** An upload by {@code authorization} (an API key with its site, or a visitor's token without). */
    public static Api.Response upload(String baseUrl, String authorization, String siteId, String filename,
                                      String type, byte[] bytes) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(baseUrl + "/parley/v1/files"
                        + (filename == null ? "" : "?filename=" + Api.encode(filename))))
                .header("Authorization", authorization)
                .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
        if (siteId != null) {
            request.header("wix-site-id", siteId);
        }
        if (type != null) {
            request.header("Content-Type", type);
        }
        try {
            HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Api.Response(response.statusCode(), Json.MAPPER.readTree(response.body()), response.body(),
                    response.headers());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static Download download(String url) {
        try {
            HttpResponse<byte[]> response = HTTP.send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            return new Download(response.statusCode(), response.body(), response);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static byte[] png(int width, int height) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            ImageIO.write(new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB), "png", bytes);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

}

package parley.messages;

import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * What a message says: exactly one payload, plus the optional preview text the inbox list shows and a
 * title (wix-compatibility 2.5). Nullable fields are optional on the wire.
 */
public record MessageContent(Payload payload, String previewText, String title) {

    public enum ContentType { UNKNOWN_CONTENT, BASIC, TEMPLATE, MINIMAL, FORM, SYSTEM, UNSUPPORTED }

    public enum Orientation { UNKNOWN_ORIENTATION, PORTRAIT, LANDSCAPE }

    public sealed interface Payload permits Basic, Template, Minimal, Form, SystemNotice {
    }

    /** Text, images and files; each item renders as its own bubble. */
    public record Basic(List<Item> items) implements Payload {
    }

    public sealed interface Item permits Text, Media {
    }

    public record Text(String text) implements Item {
    }

    /** An image or a file: a basic item, or a form's trailing media. */
    public sealed interface Media extends Item permits Image, File {
        /** A Parley file's id (docs/files.md), or whatever id the sender's media store gave it; nullable. */
        String id();

        /** Nullable only in a request that names a Parley file by its id. */
        String url();

        String filename();

        Media withUrl(String url);
    }

    public record Image(String id, String url, String filename, Integer width, Integer height, String fileSize)
            implements Media {
        @Override
        public Image withUrl(String changed) {
            return new Image(id, changed, filename, width, height, fileSize);
        }
    }

    public record File(String id, String url, String filename, String mimeType, String fileSize) implements Media {
        @Override
        public File withUrl(String changed) {
            return new File(id, changed, filename, mimeType, fileSize);
        }
    }

    /** A card with an image, a title, text lines and buttons. */
    public record Template(String title, String imageUrl, List<String> textLines, List<Button> buttons,
                           Orientation orientation) implements Payload {
    }

    /**
     * A button opens {@code launchUrl}, fires Button Interacted through {@code postback}, or both (wix-compatibility
     * D-7).
     */
    public record Button(String label, String launchUrl, Postback postback) {
    }

    /** {@code appId} is set by the server to the sending app (wix-compatibility 2.6); null for other senders (D-8). */
    public record Postback(String interactionId, String appId) {
    }

    /** A one-line activity note. */
    public record Minimal(String text, String iconUrl, String url) implements Payload {
    }

    public record Form(String title, String description, List<Field> fields, List<Media> media) implements Payload {
    }

    public record Field(String name, String value) {
    }

    /** A platform notice; never accepted from the API, only produced by Parley itself. */
    public record SystemNotice(String text, List<Button> buttons, String imageUrl) implements Payload {
    }

    public ContentType contentType() {
        return switch (payload) {
            case Basic ignored -> ContentType.BASIC;
            case Template ignored -> ContentType.TEMPLATE;
            case Minimal ignored -> ContentType.MINIMAL;
            case Form ignored -> ContentType.FORM;
            case SystemNotice ignored -> ContentType.SYSTEM;
        };
    }

    /** The line the inbox list shows for this message: its preview text, else one derived from the payload. */
    public String summaryText() {
        if (previewText != null && !previewText.isBlank()) {
            return previewText;
        }
        return switch (payload) {
            case Basic basic -> switch (basic.items().getFirst()) {
                case Text text -> text.text();
                case Image ignored -> "Image";
                case File file -> file.filename() != null ? file.filename() : "File";
            };
            case Template template -> template.title() != null ? template.title()
                    : template.textLines().isEmpty() ? "Card" : template.textLines().getFirst();
            case Minimal minimal -> minimal.text();
            case Form form -> form.title() != null ? form.title() : "Form";
            case SystemNotice notice -> notice.text();
        };
    }

    /** The same content with every postback button owned by {@code appId} (wix-compatibility 2.6: server-filled). */
    public MessageContent withPostbackOwner(String appId) {
        if (!(payload instanceof Template template)) {
            return this;
        }
        List<Button> buttons = template.buttons().stream()
                .map(b -> b.postback() == null ? b
                        : new Button(b.label(), b.launchUrl(), new Postback(b.postback().interactionId(), appId)))
                .toList();
        return new MessageContent(new Template(template.title(), template.imageUrl(), template.textLines(), buttons,
                template.orientation()), previewText, title);
    }

    /** The images and files of a basic message or a form, in order. */
    public List<Media> media() {
        return switch (payload) {
            case Basic basic -> basic.items().stream().filter(Media.class::isInstance).map(Media.class::cast).toList();
            case Form form -> form.media();
            default -> List.of();
        };
    }

    /** The same content with every image and file of a basic message or a form changed by {@code change}. */
    public MessageContent withMedia(UnaryOperator<Media> change) {
        MessageContent.Payload changed = switch (payload) {
            case Basic basic -> new Basic(basic.items().stream()
                    .map(item -> item instanceof Media media ? change.apply(media) : item).toList());
            case Form form -> new Form(form.title(), form.description(), form.fields(),
                    form.media().stream().map(change).toList());
            default -> payload;
        };
        return changed == payload ? this : new MessageContent(changed, previewText, title);
    }

    /** The postback button with this interaction id, of a template or a system notice. */
    public Optional<Button> postbackButton(String interactionId) {
        List<Button> buttons = switch (payload) {
            case Template template -> template.buttons();
            case SystemNotice notice -> notice.buttons() == null ? List.of() : notice.buttons();
            default -> List.of();
        };
        return buttons.stream()
                .filter(b -> b.postback() != null && interactionId.equals(b.postback().interactionId()))
                .findFirst();
    }
}

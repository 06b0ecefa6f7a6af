package parley.messages;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.jdbi.v3.core.Handle;
import parley.errors.FieldViolation;
import parley.errors.InvalidArgument;
import parley.files.FileLinks;
import parley.files.Files;
import parley.sites.SiteId;

/**
 * The Parley files in messages (docs/files.md, "In messages"). A message names an uploaded file by its id; it is
 * stored with the file's path and what Parley knows of the file, and shown with a signed link in place of the path.
 */
public final class MessageFiles {
    private final Files files;
    private final FileLinks links;

    public MessageFiles(Files files, FileLinks links) {
        this.files = files;
        this.links = links;
    }

    /** An image item for an image every browser shows, else a file item. */
    public static MessageContent.Media item(Files.Stored file) {
        return item(file, file.filename(), true);
    }

    private static MessageContent.Media item(Files.Stored file, String filename, boolean mayBeImage) {
        String size = Long.toString(file.size());
        return mayBeImage && file.image()
                ? new MessageContent.Image(file.id().toString(), file.path(), filename, file.width(), file.height(), size)
                : new MessageContent.File(file.id().toString(), file.path(), filename, file.contentType(), size);
    }

    /**
     * {@code content} as it is stored: each image or file whose id is one of the site's files becomes that file
     * (the sender's filename kept; an "image" that is not one becomes a file), and the files are kept from then on.
     * An id of no file of the site is someone else's media id, and its item needs its own URL.
     */
    MessageContent stored(Handle handle, SiteId site, MessageContent content) {
        List<UUID> named = content.media().stream().filter(media -> !FileLinks.isPath(media.url()))
                .map(media -> uuid(media.id())).flatMap(Optional::stream).toList();
        Map<UUID, Files.Stored> found = files.find(handle, site, named);
        List<FieldViolation> violations = new ArrayList<>();
        List<MessageContent.Media> media = content.media();
        for (int i = 0; i < media.size(); i++) {
            if (media.get(i).url() == null && uuid(media.get(i).id()).map(found::get).isEmpty()) {
                violations.add(new FieldViolation(field(content, i, media.get(i)), "names no file uploaded to this "
                        + "site (POST /parley/v1/files); give a url for media stored elsewhere", FieldViolation.Rule.VALIDATION));
            }
        }
        if (!violations.isEmpty()) {
            throw new InvalidArgument("INVALID_MESSAGE_CONTENT", violations);
        }
        if (found.isEmpty()) {
            return content;
        }
        files.attach(handle, site, found.keySet());
        return content.withMedia(m -> FileLinks.isPath(m.url()) ? m : uuid(m.id()).map(found::get)
                .map(file -> item(file, m.filename() != null ? m.filename() : file.filename(),
                        m instanceof MessageContent.Image))
                .orElse(m));
    }

    /** {@code content} as it is shown: each file's path a signed link. */
    MessageContent shown(MessageContent content) {
        if (content.media().stream().noneMatch(media -> FileLinks.isPath(media.url()))) {
            return content; // most messages: nothing to sign, nothing to copy
        }
        return content.withMedia(m -> FileLinks.isPath(m.url()) ? m.withUrl(links.signed(m.url())) : m);
    }

    /** The ids of the site's files in {@code content}. */
    public static List<UUID> ids(MessageContent content) {
        return content.media().stream().filter(media -> FileLinks.isPath(media.url()))
                .map(media -> UUID.fromString(media.id())).toList();
    }

    /** Where the {@code i}th image or file of {@code content} is in a request. */
    private static String field(MessageContent content, int i, MessageContent.Media media) {
        String kind = media instanceof MessageContent.Image ? "image" : "file";
        if (content.payload() instanceof MessageContent.Form) {
            return "message.content.form.media[" + i + "]." + kind + ".id";
        }
        List<MessageContent.Item> items = ((MessageContent.Basic) content.payload()).items();
        int seen = -1;
        for (int item = 0; item < items.size(); item++) {
            if (items.get(item) instanceof MessageContent.Media && ++seen == i) {
                return "message.content.basic.items[" + item + "]." + kind + ".id";
            }
        }
        throw new IllegalArgumentException("no media " + i);
    }

    private static Optional<UUID> uuid(String id) {
        try {
            return id == null || id.length() != 36 ? Optional.empty() : Optional.of(UUID.fromString(id));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}

package parley.messages;

import java.util.List;
import parley.messages.Message.BadgeVisibility;
import parley.messages.Message.ChannelType;
import parley.messages.Message.Direction;
import parley.messages.Message.Visibility;
import parley.messages.MessageContent.ContentType;
import parley.messages.MessageContent.Orientation;

/**
 * The Wix JSON of messages (wix-compatibility 2.4–2.8, 3.3–3.4) and its mapping to and from the domain. Requests
 * are checked by {@link MessageChecks} before {@link #content(ContentJson)} trusts them.
 */
final class MessageJson {
    private MessageJson() {
    }

    record SendMessageRequest(String conversationId, MessageView message, Boolean sendNotifications, Boolean silent,
                              SendMessage.SendAs sendAs, String businessUserId) {
    }

    record SendMessageResponse(MessageView message) {
    }

    /** The {@code actionEvent.body} of Message Sent To Business / Participant (wix-compatibility 2.10). */
    record MessageSentBody(String conversationId, MessageView message) {
    }

    /** One entry of the chat widget's stream. */
    record SeenMessage(long position, String conversationId, MessageView message) {
    }

    record ListMessagesRequest(String conversationId, Visibility visibility, Paging paging, Sorting sorting) {
    }

    record Paging(Integer limit, String cursor) {
    }

    record Sorting(String fieldName, ListMessages.SortOrder order) {
    }

    record ListMessagesResponse(List<MessageView> messages, PagingMetadata pagingMetadata) {
    }

    record PagingMetadata(int count, Cursors cursors, boolean hasNext) {
    }

    record Cursors(String next) {
    }

    /** A message as sent and as answered; read-only fields in a request are ignored (wix-compatibility 3.3 rule 9). */
    record MessageView(String id, ContentJson content, SenderJson sender, List<BadgeJson> badges,
                       List<ChannelType> targetChannels, ChannelType sourceChannel, String sourceChannelId,
                       List<String> targetChannelIds, String appId, Visibility visibility, String sequence,
                       Direction direction, String createdDate, Boolean silent) {
    }

    record ContentJson(BasicJson basic, TemplateJson template, MinimalJson minimal, FormJson form,
                       SystemJson system, String previewText, String title, ContentType contentType) {
    }

    record BasicJson(List<ItemJson> items) {
    }

    record ItemJson(String text, ImageJson image, FileJson file) {
    }

    record ImageJson(String id, String url, String filename, Integer width, Integer height, String fileSize) {
    }

    record FileJson(String id, String url, String filename, String mimeType, String fileSize) {
    }

    record TemplateJson(String title, String imageUrl, List<String> textLines, List<ButtonJson> buttons,
                        Orientation orientation) {
    }

    record ButtonJson(String label, String launchUrl, PostbackJson postbackProperties) {
    }

    record PostbackJson(String interactionId, String appId) {
    }

    record MinimalJson(String text, String iconUrl, String url) {
    }

    record FormJson(String title, String description, List<FieldJson> fields, List<MediaJson> media) {
    }

    record FieldJson(String name, String value) {
    }

    record MediaJson(ImageJson image, FileJson file) {
    }

    record SystemJson(String text, List<ButtonJson> buttons, String imageUrl) {
    }

    record BadgeJson(String text, String iconUrl, BadgeVisibility badgeVisibility) {
    }

    record SenderJson(String anonymousVisitorId, String memberId, String wixUserId, String appId, String contactId) {
    }

    // ---- domain → wire

    /** {@code m} as it is shown: its files as signed links. */
    static MessageView view(Message m, MessageFiles files) {
        String id = Long.toString(m.sequence());
        return new MessageView(id, content(files.shown(m.content())), sender(m.sender()), badges(m.badges()), m.targetChannels(),
                m.sourceChannel(), m.sourceChannelId(), m.targetChannelIds(), m.appId(), m.visibility(), id,
                m.direction(), m.createdAt().toString(), m.silent());
    }

    static ContentJson content(MessageContent c) {
        BasicJson basic = null;
        TemplateJson template = null;
        MinimalJson minimal = null;
        FormJson form = null;
        SystemJson system = null;
        switch (c.payload()) {
            case MessageContent.Basic b -> basic = new BasicJson(b.items().stream().map(MessageJson::item).toList());
            case MessageContent.Template t -> template = new TemplateJson(t.title(), t.imageUrl(), t.textLines(),
                    t.buttons().stream().map(MessageJson::button).toList(), t.orientation());
            case MessageContent.Minimal mi -> minimal = new MinimalJson(mi.text(), mi.iconUrl(), mi.url());
            case MessageContent.Form f -> form = new FormJson(f.title(), f.description(),
                    f.fields().stream().map(x -> new FieldJson(x.name(), x.value())).toList(),
                    f.media().stream().map(MessageJson::media).toList());
            case MessageContent.SystemNotice s -> system = new SystemJson(s.text(),
                    s.buttons().stream().map(MessageJson::button).toList(), s.imageUrl());
        }
        return new ContentJson(basic, template, minimal, form, system, c.previewText(), c.title(), c.contentType());
    }

    private static ItemJson item(MessageContent.Item item) {
        return switch (item) {
            case MessageContent.Text t -> new ItemJson(t.text(), null, null);
            case MessageContent.Media m -> {
                MediaJson media = media(m);
                yield new ItemJson(null, media.image(), media.file());
            }
        };
    }

    private static MediaJson media(MessageContent.Media media) {
        return switch (media) {
            case MessageContent.Image i -> new MediaJson(
                    new ImageJson(i.id(), i.url(), i.filename(), i.width(), i.height(), i.fileSize()), null);
            case MessageContent.File f -> new MediaJson(null,
                    new FileJson(f.id(), f.url(), f.filename(), f.mimeType(), f.fileSize()));
        };
    }

    private static ButtonJson button(MessageContent.Button b) {
        return new ButtonJson(b.label(), b.launchUrl(),
                b.postback() == null ? null : new PostbackJson(b.postback().interactionId(), b.postback().appId()));
    }

    static List<BadgeJson> badges(List<Message.Badge> badges) {
        return badges.stream().map(b -> new BadgeJson(b.text(), b.iconUrl(), b.badgeVisibility())).toList();
    }

    static SenderJson sender(Message.Sender s) {
        return switch (s.kind()) {
            case ANONYMOUS_VISITOR -> new SenderJson(s.id(), null, null, null, s.contactId());
            case CONTACT -> new SenderJson(null, null, null, null, s.id());
            case MEMBER -> new SenderJson(null, s.id(), null, null, s.contactId());
            case WIX_USER -> new SenderJson(null, null, s.id(), null, s.contactId());
            case APP -> new SenderJson(null, null, null, s.id(), null);
        };
    }

    // ---- wire → domain (checked requests and stored rows)

    static MessageContent content(ContentJson c) {
        MessageContent.Payload payload;
        if (c.basic() != null) {
            payload = new MessageContent.Basic(c.basic().items().stream().map(MessageJson::item).toList());
        } else if (c.template() != null) {
            TemplateJson t = c.template();
            payload = new MessageContent.Template(t.title(), t.imageUrl(), orEmpty(t.textLines()),
                    buttons(t.buttons()),
                    t.orientation() == null || t.orientation() == Orientation.UNKNOWN_ORIENTATION
                            ? Orientation.PORTRAIT : t.orientation());
        } else if (c.minimal() != null) {
            payload = new MessageContent.Minimal(c.minimal().text(), c.minimal().iconUrl(), c.minimal().url());
        } else if (c.form() != null) {
            FormJson f = c.form();
            payload = new MessageContent.Form(f.title(), f.description(),
                    orEmpty(f.fields()).stream().map(x -> new MessageContent.Field(x.name(), x.value())).toList(),
                    orEmpty(f.media()).stream().map(m -> media(m.image(), m.file())).toList());
        } else {
            SystemJson s = c.system();
            payload = new MessageContent.SystemNotice(s.text(), buttons(s.buttons()), s.imageUrl());
        }
        return new MessageContent(payload, c.previewText(), c.title());
    }

    private static MessageContent.Item item(ItemJson item) {
        return item.text() != null ? new MessageContent.Text(item.text()) : media(item.image(), item.file());
    }

    private static MessageContent.Media media(ImageJson image, FileJson file) {
        return image != null
                ? new MessageContent.Image(image.id(), image.url(), image.filename(), image.width(), image.height(),
                        image.fileSize())
                : new MessageContent.File(file.id(), file.url(), file.filename(), file.mimeType(), file.fileSize());
    }

    private static List<MessageContent.Button> buttons(List<ButtonJson> buttons) {
        return orEmpty(buttons).stream().map(b -> new MessageContent.Button(b.label(), b.launchUrl(),
                b.postbackProperties() == null ? null
                        : new MessageContent.Postback(b.postbackProperties().interactionId(),
                                b.postbackProperties().appId()))).toList();
    }

    static List<Message.Badge> badgesOf(List<BadgeJson> badges) {
        return orEmpty(badges).stream().map(b -> new Message.Badge(b.text(), b.iconUrl(),
                b.badgeVisibility() == null || b.badgeVisibility() == BadgeVisibility.UNKNOWN_BADGE_VISIBILITY
                        ? BadgeVisibility.BUSINESS_AND_PARTICIPANT : b.badgeVisibility())).toList();
    }

    static Message.Sender sender(SenderJson s) {
        if (s.appId() != null) {
            return new Message.Sender(Message.Sender.Kind.APP, s.appId(), null);
        }
        if (s.wixUserId() != null) {
            return new Message.Sender(Message.Sender.Kind.WIX_USER, s.wixUserId(), s.contactId());
        }
        if (s.memberId() != null) {
            return new Message.Sender(Message.Sender.Kind.MEMBER, s.memberId(), s.contactId());
        }
        if (s.anonymousVisitorId() != null) {
            return new Message.Sender(Message.Sender.Kind.ANONYMOUS_VISITOR, s.anonymousVisitorId(), s.contactId());
        }
        return new Message.Sender(Message.Sender.Kind.CONTACT, s.contactId(), null);
    }

    static <T> List<T> orEmpty(List<T> list) {
        return list == null ? List.of() : list;
    }
}

package parley.messages;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import parley.errors.FieldViolation;
import parley.errors.FieldViolation.Rule;
import parley.errors.InvalidArgument;
import parley.messages.Message.Direction;
import parley.messages.Message.Visibility;
import parley.messages.MessageJson.BadgeJson;
import parley.messages.MessageJson.ButtonJson;
import parley.messages.MessageJson.ContentJson;
import parley.messages.MessageJson.FileJson;
import parley.messages.MessageJson.ImageJson;
import parley.messages.MessageJson.MessageView;
import parley.messages.MessageJson.SendMessageRequest;

/**
 * Every rule a Send Message request must meet (wix-compatibility 3.3, 9, D-6, D-7, D-13), checked before anything is
 * written. All violations are gathered and reported at once, each with the path the client sent.
 * The limits Wix leaves undocumented are wix-compatibility D-13's defaults.
 */
final class MessageChecks {
    static final int MAX_TEXT = 20_000;
    static final int MAX_PREVIEW_TEXT = 500;
    static final int MAX_TITLE = 256;
    static final int MAX_MINIMAL_TEXT = 500;
    static final int MAX_LABEL = 100;
    static final int MAX_INTERACTION_ID = 256;
    static final int MAX_BASIC_ITEMS = 50;
    static final int MAX_FORM_FIELDS = 100;
    static final int MAX_FIELD_NAME = 256;
    static final int MAX_FIELD_VALUE = 5_000;
    static final int MAX_MEDIA = 10;
    static final int MAX_URL = 2_048;
    static final int MAX_BUTTONS = 10;
    static final int MAX_TEXT_LINES = 10;
    static final int MAX_TEXT_LINE = 512;
    static final int MAX_BADGES = 1;
    static final int MAX_BADGE_TEXT = 100;
    static final int MAX_TARGET_CHANNELS = 1;
    static final int MAX_TARGET_CHANNEL_IDS = 100;
    static final int MAX_CHANNEL_ID = 100;

    private final List<FieldViolation> violations = new ArrayList<>();

    private MessageChecks() {
    }

    /** The command the request asks for, or a 400 listing every bad field. */
    static SendMessage.Command check(SendMessageRequest request) {
        MessageChecks checks = new MessageChecks();
        checks.request(request);
        if (!checks.violations.isEmpty()) {
            throw new InvalidArgument("INVALID_MESSAGE_CONTENT", checks.violations);
        }
        MessageView m = request.message();
        boolean silent = request.silent() != null ? request.silent() : Boolean.TRUE.equals(m.silent());
        return new SendMessage.Command(request.conversationId(), MessageJson.content(m.content()), m.direction(),
                m.visibility(), MessageJson.badgesOf(m.badges()),
                m.sourceChannel() == null ? Message.ChannelType.UNKNOWN_CHANNEL_TYPE : m.sourceChannel(),
                m.sourceChannelId(), MessageJson.orEmpty(m.targetChannels()), MessageJson.orEmpty(m.targetChannelIds()),
                silent, Boolean.TRUE.equals(request.sendNotifications()),
                request.sendAs() == null ? SendMessage.SendAs.CALLER : request.sendAs());
    }

    private void request(SendMessageRequest r) {
        if (r.conversationId() == null || r.conversationId().isBlank()) {
            violations.add(FieldViolation.required("conversationId"));
        }
        if (r.sendAs() == SendMessage.SendAs.BUSINESS_USER) {
            violations.add(new FieldViolation("sendAs", "BUSINESS_USER is internal; use CALLER or PARTICIPANT",
                    Rule.VALIDATION));
        }
        MessageView m = r.message();
        if (m == null) {
            violations.add(FieldViolation.required("message"));
            return;
        }
        if (m.direction() == null || m.direction() == Direction.UNKNOWN_DIRECTION) {
            violations.add(new FieldViolation("message.direction",
                    "must be BUSINESS_TO_PARTICIPANT or PARTICIPANT_TO_BUSINESS", Rule.REQUIRED_FIELD));
        }
        if (m.visibility() == null || m.visibility() == Visibility.UNKNOWN_VISIBILITY) {
            violations.add(new FieldViolation("message.visibility", "must be BUSINESS_AND_PARTICIPANT or BUSINESS",
                    Rule.REQUIRED_FIELD));
        }
        maxItems("message.badges", m.badges(), MAX_BADGES);
        List<BadgeJson> badges = MessageJson.orEmpty(m.badges());
        for (int i = 0; i < badges.size(); i++) {
            badge("message.badges[" + i + "]", badges.get(i));
        }
        maxItems("message.targetChannels", m.targetChannels(), MAX_TARGET_CHANNELS);
        maxLength("message.sourceChannelId", m.sourceChannelId(), MAX_CHANNEL_ID);
        maxItems("message.targetChannelIds", m.targetChannelIds(), MAX_TARGET_CHANNEL_IDS);
        List<String> channelIds = MessageJson.orEmpty(m.targetChannelIds());
        for (int i = 0; i < channelIds.size(); i++) {
            requiredText("message.targetChannelIds[" + i + "]", channelIds.get(i), MAX_CHANNEL_ID);
        }
        content("message.content", m.content());
    }

    private void badge(String field, BadgeJson badge) {
        requiredText(field + ".text", badge.text(), MAX_BADGE_TEXT);
        url(field + ".iconUrl", badge.iconUrl());
    }

    private void content(String field, ContentJson c) {
        if (c == null) {
            violations.add(FieldViolation.required(field));
            return;
        }
        maxLength(field + ".previewText", c.previewText(), MAX_PREVIEW_TEXT);
        maxLength(field + ".title", c.title(), MAX_TITLE);
        if (c.system() != null) {
            violations.add(new FieldViolation(field + ".system", "system messages cannot be sent through the API",
                    Rule.VALIDATION));
        }
        int payloads = count(c.basic(), c.template(), c.minimal(), c.form(), c.system());
        if (payloads == 0) {
            violations.add(new FieldViolation(field, "must have one of basic, template, minimal, form",
                    Rule.REQUIRED_FIELD));
        } else if (payloads > 1) {
            violations.add(new FieldViolation(field, "must have exactly one of basic, template, minimal, form",
                    Rule.VALIDATION));
        } else if (c.basic() != null) {
            basic(field + ".basic", c.basic());
        } else if (c.template() != null) {
            template(field + ".template", c.template());
        } else if (c.minimal() != null) {
            requiredText(field + ".minimal.text", c.minimal().text(), MAX_MINIMAL_TEXT);
            url(field + ".minimal.iconUrl", c.minimal().iconUrl());
            url(field + ".minimal.url", c.minimal().url());
        } else if (c.form() != null) {
            form(field + ".form", c.form());
        }
    }

    private void basic(String field, MessageJson.BasicJson basic) {
        List<MessageJson.ItemJson> items = MessageJson.orEmpty(basic.items());
        if (items.isEmpty()) {
            violations.add(new FieldViolation(field + ".items", "must have at least one item", Rule.MIN_SIZE));
        }
        maxItems(field + ".items", items, MAX_BASIC_ITEMS);
        for (int i = 0; i < items.size(); i++) {
            String itemField = field + ".items[" + i + "]";
            MessageJson.ItemJson item = items.get(i);
            if (count(item.text(), item.image(), item.file()) != 1) {
                violations.add(new FieldViolation(itemField, "must have exactly one of text, image, file",
                        Rule.VALIDATION));
            } else if (item.text() != null) {
                requiredText(itemField + ".text", item.text(), MAX_TEXT);
            } else {
                media(itemField, item.image(), item.file());
            }
        }
    }

    private void media(String field, ImageJson image, FileJson file) {
        // A Parley file is named by its id alone (docs/files.md); whether it is one is known when it is stored.
        if (image != null) {
            urlUnlessId(field + ".image", image.id(), image.url());
            maxLength(field + ".image.filename", image.filename(), MAX_TITLE);
            if (image.width() != null && image.width() < 0) {
                violations.add(new FieldViolation(field + ".image.width", "must not be negative", Rule.MIN));
            }
            if (image.height() != null && image.height() < 0) {
                violations.add(new FieldViolation(field + ".image.height", "must not be negative", Rule.MIN));
            }
        } else {
            urlUnlessId(field + ".file", file.id(), file.url());
            maxLength(field + ".file.filename", file.filename(), MAX_TITLE);
            maxLength(field + ".file.mimeType", file.mimeType(), MAX_TITLE);
        }
    }

    private void template(String field, MessageJson.TemplateJson t) {
        maxLength(field + ".title", t.title(), MAX_TITLE);
        url(field + ".imageUrl", t.imageUrl());
        maxItems(field + ".textLines", t.textLines(), MAX_TEXT_LINES);
        List<String> lines = MessageJson.orEmpty(t.textLines());
        for (int i = 0; i < lines.size(); i++) {
            maxLength(field + ".textLines[" + i + "]", lines.get(i), MAX_TEXT_LINE);
        }
        maxItems(field + ".buttons", t.buttons(), MAX_BUTTONS);
        List<ButtonJson> buttons = MessageJson.orEmpty(t.buttons());
        for (int i = 0; i < buttons.size(); i++) {
            button(field + ".buttons[" + i + "]", buttons.get(i));
        }
    }

    private void button(String field, ButtonJson button) {
        requiredText(field + ".label", button.label(), MAX_LABEL);
        url(field + ".launchUrl", button.launchUrl());
        if (button.launchUrl() == null && button.postbackProperties() == null) {
            violations.add(new FieldViolation(field, "must have a launchUrl, postbackProperties, or both",
                    Rule.VALIDATION));
        }
        if (button.postbackProperties() != null) {
            requiredText(field + ".postbackProperties.interactionId", button.postbackProperties().interactionId(),
                    MAX_INTERACTION_ID);
        }
    }

    private void form(String field, MessageJson.FormJson form) {
        maxLength(field + ".title", form.title(), MAX_TITLE);
        maxLength(field + ".description", form.description(), MAX_FIELD_VALUE);
        maxItems(field + ".fields", form.fields(), MAX_FORM_FIELDS);
        List<MessageJson.FieldJson> fields = MessageJson.orEmpty(form.fields());
        for (int i = 0; i < fields.size(); i++) {
            String f = field + ".fields[" + i + "]";
            requiredText(f + ".name", fields.get(i).name(), MAX_FIELD_NAME);
            if (fields.get(i).value() == null) {
                violations.add(FieldViolation.required(f + ".value"));
            }
            maxLength(f + ".value", fields.get(i).value(), MAX_FIELD_VALUE);
        }
        maxItems(field + ".media", form.media(), MAX_MEDIA);
        List<MessageJson.MediaJson> media = MessageJson.orEmpty(form.media());
        for (int i = 0; i < media.size(); i++) {
            String f = field + ".media[" + i + "]";
            if (count(media.get(i).image(), media.get(i).file()) != 1) {
                violations.add(new FieldViolation(f, "must have exactly one of image, file", Rule.VALIDATION));
            } else {
                media(f, media.get(i).image(), media.get(i).file());
            }
        }
    }

    // ---- the rules themselves

    private void requiredText(String field, String value, int max) {
        if (value == null || value.isEmpty()) {
            violations.add(FieldViolation.required(field));
        } else {
            maxLength(field, value, max);
        }
    }

    private void maxLength(String field, String value, int max) {
        if (value != null && value.codePointCount(0, value.length()) > max) {
            violations.add(new FieldViolation(field, "must be at most " + max + " characters", Rule.MAX_LENGTH));
        }
    }

    private void maxItems(String field, List<?> list, int max) {
        if (list != null && list.size() > max) {
            violations.add(new FieldViolation(field, "must have at most " + max + (max == 1 ? " item" : " items"),
                    Rule.MAX_SIZE));
        }
    }

    private void urlUnlessId(String field, String id, String url) {
        maxLength(field + ".id", id, MAX_TITLE);
        if ((url == null || url.isEmpty()) && (id == null || id.isEmpty())) {
            violations.add(new FieldViolation(field + ".url", "is required, unless id names a file uploaded to Parley",
                    Rule.REQUIRED_FIELD));
        } else {
            url(field + ".url", url);
        }
    }

    /** Only absolute http(s) URLs are stored, so no client ever follows a javascript: or data: link. */
    private void url(String field, String value) {
        if (value == null) {
            return;
        }
        if (value.length() > MAX_URL) {
            violations.add(new FieldViolation(field, "must be at most " + MAX_URL + " characters", Rule.MAX_LENGTH));
        } else if (!isHttpUrl(value)) {
            violations.add(new FieldViolation(field, "must be an absolute http or https URL", Rule.FORMAT));
        }
    }

    static boolean isHttpUrl(String value) {
        try {
            URI uri = new URI(value);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(java.util.Locale.ROOT);
            return (scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static int count(Object... values) {
        int n = 0;
        for (Object value : values) {
            if (value != null) {
                n++;
            }
        }
        return n;
    }
}

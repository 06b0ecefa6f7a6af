package parley.contacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import parley.errors.FieldViolation;
import parley.errors.FieldViolation.Rule;
import parley.errors.InvalidArgument;

/** Checks a contact's {@code info} (wix-compatibility 7.1, 7.3); every problem is reported, each naming its field. */
final class ContactChecks {
    static final int MAX_ITEMS = 50;
    static final int MAX_NAME = 100;
    static final int MAX_TEXT = 255;
    static final int MAX_EMAIL = 254;
    static final int MAX_PHONE = 50;
    static final int MAX_EXTENDED_VALUE = 1000;
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final Pattern LOCALE = Pattern.compile("[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*");
    private static final Pattern EXTENDED_KEY = Pattern.compile("[A-Za-z0-9_.-]{1,100}");

    private final List<FieldViolation> violations = new ArrayList<>();

    private ContactChecks() {
    }

    /** Throws a 400 listing every problem of {@code info}. */
    static void check(ContactInfo info) {
        ContactChecks checks = new ContactChecks();
        checks.info(info);
        if (!checks.violations.isEmpty()) {
            throw new InvalidArgument("INVALID_CONTACT", checks.violations);
        }
    }

    private void info(ContactInfo info) {
        if (info == null) {
            violations.add(FieldViolation.required("info"));
            return;
        }
        boolean named = info.name() != null && (notBlank(info.name().first()) || notBlank(info.name().last()));
        if (!named && info.emailList().isEmpty() && info.phoneList().isEmpty()) {
            violations.add(new FieldViolation("info", "must have a name, an email or a phone", Rule.REQUIRED_FIELD));
        }
        if (info.name() != null) {
            length("info.name.first", info.name().first(), MAX_NAME);
            length("info.name.last", info.name().last(), MAX_NAME);
        }
        items("info.emails.items", info.emailList().size());
        for (int i = 0; i < info.emailList().size(); i++) {
            String email = info.emailList().get(i).email();
            String at = "info.emails.items[" + i + "].email";
            if (email == null || email.isBlank()) {
                violations.add(FieldViolation.required(at));
            } else if (email.length() > MAX_EMAIL || !EMAIL.matcher(email.strip()).matches()) {
                violations.add(new FieldViolation(at, "must be an email address", Rule.FORMAT));
            }
        }
        items("info.phones.items", info.phoneList().size());
        for (int i = 0; i < info.phoneList().size(); i++) {
            ContactInfo.Phone phone = info.phoneList().get(i);
            String at = "info.phones.items[" + i + "]";
            if (phone.phone() == null || phone.phone().isBlank()) {
                violations.add(FieldViolation.required(at + ".phone"));
            } else if (phone.phone().length() > MAX_PHONE || !phone.phone().matches(".*\\d.*")) {
                violations.add(new FieldViolation(at + ".phone", "must be a phone number", Rule.FORMAT));
            }
            if (phone.countryCode() != null && !PhoneNumberUtil.getInstance().getSupportedRegions()
                    .contains(phone.countryCode().strip().toUpperCase(Locale.ROOT))) {
                violations.add(new FieldViolation(at + ".countryCode", "must be an ISO 3166 alpha-2 country code",
                        Rule.FORMAT));
            }
        }
        items("info.addresses.items", info.addressList().size());
        for (int i = 0; i < info.addressList().size(); i++) {
            if (info.addressList().get(i).address() == null) {
                violations.add(FieldViolation.required("info.addresses.items[" + i + "].address"));
            }
        }
        length("info.company", info.company(), MAX_TEXT);
        length("info.jobTitle", info.jobTitle(), MAX_TEXT);
        if (info.birthdate() != null) {
            try {
                LocalDate.parse(info.birthdate());
            } catch (DateTimeParseException e) {
                violations.add(new FieldViolation("info.birthdate", "must be a date as YYYY-MM-DD", Rule.FORMAT));
            }
        }
        if (info.locale() != null && !LOCALE.matcher(info.locale()).matches()) {
            violations.add(new FieldViolation("info.locale", "must be a BCP 47 language tag", Rule.FORMAT));
        }
        strings("info.labelKeys.items", info.labelKeyList());
        strings("info.locations.items", info.locationList());
        items("info.extendedFields.items", info.extendedFieldMap().size());
        for (Map.Entry<String, JsonNode> field : info.extendedFieldMap().entrySet()) {
            String at = "info.extendedFields.items." + field.getKey();
            JsonNode value = field.getValue();
            if (!EXTENDED_KEY.matcher(field.getKey()).matches()) {
                violations.add(new FieldViolation(at, "keys are letters, digits, '_', '-' and '.'", Rule.FORMAT));
            } else if (!(value.isTextual() || value.isNumber() || value.isNull())
                    || value.asText().length() > MAX_EXTENDED_VALUE) {
                violations.add(new FieldViolation(at, "must be a string of at most " + MAX_EXTENDED_VALUE
                        + " characters or a number", Rule.VALIDATION));
            }
        }
    }

    private void items(String at, int count) {
        if (count > MAX_ITEMS) {
            violations.add(new FieldViolation(at, "must have at most " + MAX_ITEMS + " items", Rule.MAX_SIZE));
        }
    }

    private void strings(String at, List<String> values) {
        items(at, values.size());
        for (int i = 0; i < values.size(); i++) {
            length(at + "[" + i + "]", values.get(i), MAX_TEXT);
        }
    }

    private void length(String at, String value, int max) {
        if (value != null && value.length() > max) {
            violations.add(new FieldViolation(at, "must be at most " + max + " characters", Rule.MAX_LENGTH));
        }
    }

    private static boolean notBlank(String value) {
        return value != null && !value.isBlank();
    }
}

package parley.contacts;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * A contact's {@code info} in its Wix shape (wix-compatibility 7.1), with the {@code items} wrappers. Nullable: every
 * component; a null wrapper and an empty one mean the same.
 */
public record ContactInfo(Name name, Items<Email> emails, Items<Phone> phones, Items<AddressItem> addresses,
                          String company, String jobTitle, String birthdate, String locale, Items<String> labelKeys,
                          Items<String> locations, ExtendedFields extendedFields, JsonNode picture) {

    public record Name(String first, String last) {
        /** A display name as first and last name: its last word is the last name. Null for none. */
        public static Name of(String displayName) {
            if (displayName == null || displayName.isBlank()) {
                return null;
            }
            String name = displayName.strip();
            int space = name.lastIndexOf(' ');
            return space < 0 ? new Name(name, null)
                    : new Name(name.substring(0, space).strip(), name.substring(space + 1));
        }
    }

    public record Items<T>(List<T> items) {
        public Items {
            items = items == null ? List.of() : List.copyOf(items);
        }
    }

    public enum EmailTag { UNTAGGED, MAIN, HOME, WORK }

    public enum PhoneTag { UNTAGGED, MAIN, HOME, MOBILE, WORK, FAX }

    public enum AddressTag { UNTAGGED, HOME, WORK, BILLING, SHIPPING }

    public record Email(String id, EmailTag tag, String email, Boolean primary) {
    }

    /** {@code countryCode} is an ISO 3166 alpha-2 code; {@code e164Phone} is derived, never taken from input. */
    public record Phone(String id, PhoneTag tag, String countryCode, String phone, String e164Phone, Boolean primary) {
    }

    public record AddressItem(String id, AddressTag tag, Address address) {
    }

    public record Address(StreetAddress streetAddress, String addressLine, String addressLine1, String addressLine2,
                          String city, String subdivision, String country, String postalCode) {
        /** The street as one string, from whichever of the street fields the client used. */
        String street() {
            if (streetAddress != null && (streetAddress.number() != null || streetAddress.name() != null)) {
                return Stream.of(streetAddress.number(), streetAddress.name()).filter(Objects::nonNull)
                        .reduce((a, b) -> a + " " + b).orElse(null);
            }
            return addressLine != null ? addressLine : addressLine1;
        }
    }

    public record StreetAddress(String number, String name) {
    }

    /** Extended and custom fields by key ({@code custom.shoeSize}); values are strings or numbers. */
    public record ExtendedFields(Map<String, JsonNode> items) {
        public ExtendedFields {
            items = items == null ? Map.of() : new LinkedHashMap<>(items);
        }
    }

    List<Email> emailList() {
        return emails == null ? List.of() : emails.items();
    }

    List<Phone> phoneList() {
        return phones == null ? List.of() : phones.items();
    }

    List<AddressItem> addressList() {
        return addresses == null ? List.of() : addresses.items();
    }

    List<String> labelKeyList() {
        return labelKeys == null ? List.of() : labelKeys.items();
    }

    List<String> locationList() {
        return locations == null ? List.of() : locations.items();
    }

    Map<String, JsonNode> extendedFieldMap() {
        return extendedFields == null ? Map.of() : extendedFields.items();
    }

    /** The primary email address, or null. */
    String primaryEmail() {
        return emailList().stream().filter(e -> Boolean.TRUE.equals(e.primary())).map(Email::email).findFirst()
                .orElse(null);
    }

    String primaryPhone() {
        return phoneList().stream().filter(p -> Boolean.TRUE.equals(p.primary())).map(Phone::phone).findFirst()
                .orElse(null);
    }

    /**
     * The info as stored: item ids given where missing, tags defaulted, exactly one primary email and
     * phone when there are any (the first marked primary, else the first), and {@code e164Phone} derived.
     */
    ContactInfo normalized() {
        List<Email> normalizedEmails = primaries(emailList(), Email::primary, (e, primary) ->
                new Email(idOr(e.id()), e.tag() == null ? EmailTag.UNTAGGED : e.tag(), e.email().strip(), primary));
        List<Phone> normalizedPhones = primaries(phoneList(), Phone::primary, (p, primary) ->
                new Phone(idOr(p.id()), p.tag() == null ? PhoneTag.UNTAGGED : p.tag(), upper(p.countryCode()),
                        p.phone().strip(), e164(p.countryCode(), p.phone()), primary));
        List<AddressItem> normalizedAddresses = addressList().stream()
                .map(a -> new AddressItem(idOr(a.id()), a.tag() == null ? AddressTag.UNTAGGED : a.tag(), a.address()))
                .toList();
        return new ContactInfo(name, new Items<>(normalizedEmails), new Items<>(normalizedPhones),
                new Items<>(normalizedAddresses), company, jobTitle, birthdate, locale, labelKeys, locations,
                extendedFields, picture);
    }

    /**
     * This info with what {@code source} has and this lacks (a contact merge, wix-compatibility 7.3b): emails, phones
     * and addresses not already present are added, labels joined, and empty single fields filled.
     */
    ContactInfo absorbing(ContactInfo source) {
        List<Email> allEmails = new ArrayList<>(emailList());
        source.emailList().stream()
                .filter(e -> allEmails.stream().noneMatch(mine -> mine.email().equalsIgnoreCase(e.email())))
                .forEach(e -> allEmails.add(new Email(null, e.tag(), e.email(), false)));
        List<Phone> allPhones = new ArrayList<>(phoneList());
        source.phoneList().stream()
                .filter(p -> allPhones.stream().noneMatch(mine -> sameNumber(mine, p)))
                .forEach(p -> allPhones.add(new Phone(null, p.tag(), p.countryCode(), p.phone(), null, false)));
        List<AddressItem> allAddresses = new ArrayList<>(addressList());
        source.addressList().stream().filter(a -> !allAddresses.stream().map(AddressItem::address).toList()
                .contains(a.address())).forEach(a -> allAddresses.add(new AddressItem(null, a.tag(), a.address())));
        Map<String, JsonNode> allExtended = new LinkedHashMap<>(source.extendedFieldMap());
        allExtended.putAll(extendedFieldMap());
        Name mergedName = name == null || (name.first() == null && name.last() == null) ? source.name() : name;
        return new ContactInfo(mergedName, new Items<>(allEmails), new Items<>(allPhones), new Items<>(allAddresses),
                or(company, source.company()), or(jobTitle, source.jobTitle()), or(birthdate, source.birthdate()),
                or(locale, source.locale()), new Items<>(union(labelKeyList(), source.labelKeyList())),
                new Items<>(union(locationList(), source.locationList())), new ExtendedFields(allExtended),
                picture != null ? picture : source.picture()).normalized();
    }

    /** Every value the query language can filter on, by field path (lower-cased, see contact_values). */
    List<ContactField.Value> searchValues() {
        List<ContactField.Value> values = new ArrayList<>();
        if (name != null) {
            add(values, "info.name.first", name.first());
            add(values, "info.name.last", name.last());
        }
        emailList().forEach(e -> add(values, "info.emails.email", e.email()));
        for (Phone phone : phoneList()) {
            add(values, "info.phones.phone", phone.phone());
            add(values, "info.phones.e164Phone", phone.e164Phone());
        }
        for (AddressItem item : addressList()) {
            if (item.address() != null) {
                add(values, "info.addresses.street", item.address().street());
                add(values, "info.addresses.city", item.address().city());
                add(values, "info.addresses.subdivision", item.address().subdivision());
                add(values, "info.addresses.country", item.address().country());
            }
        }
        add(values, "primaryInfo.email", primaryEmail());
        add(values, "primaryInfo.phone", primaryPhone());
        add(values, "info.company", company);
        add(values, "info.jobTitle", jobTitle);
        add(values, "info.birthdate", birthdate);
        add(values, "info.locale", locale);
        labelKeyList().forEach(label -> add(values, "info.labelKeys", label));
        locationList().forEach(location -> add(values, "info.locations", location));
        extendedFieldMap().forEach((key, value) -> {
            if (value.isNumber()) {
                values.add(new ContactField.Value("info.extendedFields." + key, value.asText(), value.asDouble()));
            } else if (value.isTextual()) {
                add(values, "info.extendedFields." + key, value.asText());
            }
        });
        return values;
    }

    private static void add(List<ContactField.Value> values, String field, String value) {
        if (value != null && !value.isBlank()) {
            values.add(new ContactField.Value(field, ContactField.comparable(value), null));
        }
    }

    private interface WithPrimary<T> {
        T apply(T item, boolean primary);
    }

    private static <T> List<T> primaries(List<T> items, Function<T, Boolean> primary, WithPrimary<T> with) {
        int chosen = 0;
        for (int i = 0; i < items.size(); i++) {
            if (Boolean.TRUE.equals(primary.apply(items.get(i)))) {
                chosen = i;
                break;
            }
        }
        List<T> result = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            result.add(with.apply(items.get(i), i == chosen));
        }
        return result;
    }

    private static String idOr(String id) {
        return id != null ? id : UUID.randomUUID().toString();
    }

    private static String upper(String countryCode) {
        return countryCode == null ? null : countryCode.strip().toUpperCase(Locale.ROOT);
    }

    /** The number in E.164 form, or null when it cannot be read as a valid number. */
    public static String e164(String countryCode, String phone) {
        PhoneNumberUtil util = PhoneNumberUtil.getInstance();
        try {
            var number = util.parse(phone, countryCode == null ? "ZZ" : countryCode.strip().toUpperCase(Locale.ROOT));
            return util.isPossibleNumber(number) ? util.format(number, PhoneNumberUtil.PhoneNumberFormat.E164) : null;
        } catch (NumberParseException e) {
            return null;
        }
    }

    private static boolean sameNumber(Phone a, Phone b) {
        String ea = a.e164Phone() != null ? a.e164Phone() : e164(a.countryCode(), a.phone());
        String eb = b.e164Phone() != null ? b.e164Phone() : e164(b.countryCode(), b.phone());
        return ea != null ? ea.equals(eb) : a.phone().strip().equals(b.phone().strip());
    }

    private static String or(String mine, String theirs) {
        return mine != null && !mine.isBlank() ? mine : theirs;
    }

    private static List<String> union(List<String> mine, List<String> theirs) {
        return Stream.concat(mine.stream(), theirs.stream()).distinct().toList();
    }
}

package org.pasarela.fraud;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The home numbering plan the toll-fraud guard classifies dialled numbers with: which leading digits make a number
 * international, which make it premium-rate. Immutable.
 *
 * <p>A number has up to two forms: the <em>national</em> form as dialled (e.g. {@code 0909...} in the UK,
 * {@code 806...} in Spain) and the <em>international</em> form, the E.164 digits without any prefix ({@code 44909...}).
 * A number dialled with an international prefix ({@code +}, {@code 00}) has the international form; it also has a
 * national form when it is in the home country ({@code countryCode}): the national prefix and the rest. A number
 * dialled without one has the national form; it also has the international form when the home country is known.
 * Premium prefixes written with a leading {@code +} are matched against the international form, the others against
 * the national form, so one list can hold both {@code +449} and {@code 09}.
 *
 * @param countryCode           the home country's calling code (ITU-T E.164), e.g. {@code 34}; empty = unknown, so
 *                              every number dialled with an international prefix counts as international
 * @param nationalPrefix        the home country's trunk prefix ({@code 0} in most of Europe, {@code 1} in NANP,
 *                              empty in Spain), dropped when a national number is put in international form
 * @param internationalPrefixes what starts a number in international form ({@code +}, {@code 00}, {@code 011})
 * @param premiumPrefixes       premium-rate (and similar costly) ranges, in either form
 */
public record NumberPlan(Optional<String> countryCode, String nationalPrefix, List<String> internationalPrefixes,
                         List<String> premiumPrefixes) {
    /** No classes: nothing is international or premium (tests and tools built without a configuration). */
    public static final NumberPlan NONE = new NumberPlan(Optional.empty(), "", List.of(), List.of());

    public NumberPlan {
        Objects.requireNonNull(countryCode, "countryCode");
        Objects.requireNonNull(nationalPrefix, "nationalPrefix");
        countryCode.ifPresent(cc -> requireDigits(cc, "country code", false));
        requireDigits(nationalPrefix, "national prefix", true);
        internationalPrefixes = List.copyOf(internationalPrefixes);
        premiumPrefixes = List.copyOf(premiumPrefixes);
        for (String prefix : internationalPrefixes) {
            if (!prefix.equals("+")) {
                requireDigits(prefix, "international prefix", false);
            }
        }
        for (String prefix : premiumPrefixes) {
            if (!isDigits(prefix.startsWith("+") ? prefix.substring(1) : prefix, false)) {
                throw new IllegalArgumentException("premium-rate prefix '" + prefix + "' must be 1 to 16 digits, "
                        + "optionally after a +");
            }
        }
    }

    /** What the plan says about one number (canonical, see {@link DialledNumber}). */
    public record Classification(boolean international, Optional<String> premiumPrefix) {
    }

    public Classification classify(String number) {
        String international = null;
        String national = null;
        boolean abroad = false;
        Optional<String> prefix = internationalPrefixes.stream().filter(number::startsWith)
                .max(java.util.Comparator.comparingInt(String::length));
        if (prefix.isPresent()) {
            international = number.substring(prefix.get().length());
            if (countryCode.isPresent() && international.startsWith(countryCode.get())) {
                national = nationalPrefix + international.substring(countryCode.get().length());
            } else {
                abroad = true;
            }
        } else {
            national = number;
            if (countryCode.isPresent() && number.startsWith(nationalPrefix)) {
                international = countryCode.get() + number.substring(nationalPrefix.length());
            }
        }
        for (String premium : premiumPrefixes) {
            boolean matches = premium.startsWith("+")
                    ? international != null && international.startsWith(premium.substring(1))
                    : national != null && national.startsWith(premium);
            if (matches) {
                return new Classification(abroad, Optional.of(premium));
            }
        }
        return new Classification(abroad, Optional.empty());
    }

    private static boolean isDigits(String value, boolean emptyAllowed) {
        return (emptyAllowed || !value.isEmpty()) && value.length() <= 16
                && value.chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static void requireDigits(String value, String what, boolean emptyAllowed) {
        if (!isDigits(value, emptyAllowed)) {
            throw new IllegalArgumentException(what + " '" + value + "' must be " + (emptyAllowed ? "up to" : "1 to")
                    + " 16 digits");
        }
    }
}

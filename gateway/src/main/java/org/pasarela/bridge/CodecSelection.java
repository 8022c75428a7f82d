package org.pasarela.bridge;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.pasarela.sdp.RtpMap;

/**
 * Picks the codecs of a SIP offer: those the browser offers and the profile allows, in the profile's order, with
 * the browser's payload type numbers. Profile entries are encoding names, case-insensitive, optionally with a clock
 * rate ({@code G722}, {@code telephone-event/8000}) for when one name comes at several rates. telephone-event
 * (RFC 4733) is kept once per clock rate of a chosen voice codec, because its clock must match the codec's
 * (RFC 4733 §2.1). Pure; stateless.
 */
public final class CodecSelection {
    static final String TELEPHONE_EVENT = "telephone-event";

    /** Encodings that carry no voice on their own, so they never make a codec "in common". */
    private static final Set<String> NOT_VOICE = Set.of(TELEPHONE_EVENT, "cn", "red", "rtx", "ulpfec", "flexfec-03");

    private CodecSelection() {
    }

    /**
     * The codecs for the SIP offer, in profile order.
     *
     * @throws BridgeException when no voice codec is in common, naming both sides' codecs
     */
    public static List<RtpMap> select(List<RtpMap> browserCodecs, List<String> profileCodecs) {
        return select(browserCodecs, profileCodecs, "browser");
    }

    /** As {@link #select(List, List)}, naming the side that made the offer in the error. */
    static List<RtpMap> select(List<RtpMap> browserCodecs, List<String> profileCodecs, String offerer) {
        List<ProfileEntry> profile = profileCodecs.stream().map(ProfileEntry::parse).toList();
        List<Optional<RtpMap>> voicePerEntry = new ArrayList<>();
        List<RtpMap> voice = new ArrayList<>();
        for (ProfileEntry entry : profile) {
            Optional<RtpMap> match = entry.isTelephoneEvent() ? Optional.empty() : browserCodecs.stream()
                    .filter(entry::matches).filter(c -> !voice.contains(c)).findFirst();
            match.ifPresent(voice::add);
            voicePerEntry.add(match);
        }
        if (voice.stream().noneMatch(CodecSelection::isVoice)) {
            throw new BridgeException("no codec in common: " + offerer + " offers " + voiceNames(browserCodecs)
                    + " but profile allows " + profileCodecs);
        }
        List<RtpMap> out = new ArrayList<>();
        boolean telephoneEventDone = false;
        for (int i = 0; i < profile.size(); i++) {
            ProfileEntry entry = profile.get(i);
            if (entry.isTelephoneEvent()) {
                if (!telephoneEventDone) out.addAll(telephoneEvents(browserCodecs, voice, entry));
                telephoneEventDone = true;
            } else {
                voicePerEntry.get(i).ifPresent(out::add);
            }
        }
        return out;
    }

    static boolean isTelephoneEvent(RtpMap codec) {
        return codec.isEncoding(TELEPHONE_EVENT);
    }

    static boolean isVoice(RtpMap codec) {
        return !NOT_VOICE.contains(codec.encoding().toLowerCase(Locale.ROOT));
    }

    private static List<RtpMap> telephoneEvents(List<RtpMap> browserCodecs, List<RtpMap> voice, ProfileEntry entry) {
        Set<Integer> rates = new LinkedHashSet<>();
        voice.stream().filter(CodecSelection::isVoice).forEach(c -> rates.add(c.clockRate()));
        List<RtpMap> out = new ArrayList<>();
        for (int rate : rates) {
            browserCodecs.stream().filter(entry::matches).filter(c -> c.clockRate() == rate).findFirst()
                    .ifPresent(out::add);
        }
        return out;
    }

    private static List<String> voiceNames(List<RtpMap> codecs) {
        Set<String> names = new LinkedHashSet<>();
        codecs.stream().filter(CodecSelection::isVoice).forEach(c -> names.add(c.encoding()));
        return List.copyOf(names);
    }

    /** One profile entry: an encoding name and, optionally, the clock rate it must have. */
    private record ProfileEntry(String encoding, Optional<Integer> clockRate) {
        static ProfileEntry parse(String text) {
            String t = text.strip();
            int slash = t.indexOf('/');
            String name = slash < 0 ? t : t.substring(0, slash);
            if (name.isEmpty()) throw new IllegalArgumentException("profile codec \"" + text + "\" has no name");
            if (slash < 0) return new ProfileEntry(name, Optional.empty());
            String rate = t.substring(slash + 1);
            if (!rate.matches("[0-9]{1,9}")) {
                throw new IllegalArgumentException("profile codec \"" + text + "\": clock rate is not a number");
            }
            return new ProfileEntry(name, Optional.of(Integer.parseInt(rate)));
        }

        boolean isTelephoneEvent() {
            return encoding.equalsIgnoreCase(TELEPHONE_EVENT);
        }

        boolean matches(RtpMap codec) {
            return codec.isEncoding(encoding) && clockRate.map(r -> r == codec.clockRate()).orElse(true);
        }
    }
}

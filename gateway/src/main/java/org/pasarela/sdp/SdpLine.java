package org.pasarela.sdp;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A line this grammar keeps but does not interpret ({@code i= u= e= p= b= z= k=}, or a type letter it does not
 * know), kept verbatim so that writing it back is lossless.
 */
public record SdpLine(char type, String value) {

    public SdpLine {
        if (type < 'a' || type > 'z') throw new IllegalArgumentException("SDP line type '" + type + "' is not a-z");
        SdpText.requireSingleLine(Objects.requireNonNull(value, "value"), type + "= value");
    }

    /** Stable sort into the slots where RFC 8866 §5 puts each type; lines of one type keep their order. */
    static List<SdpLine> sorted(List<SdpLine> lines, String slotOrder) {
        Comparator<SdpLine> bySlot = Comparator.comparingInt(l -> slot(l.type, slotOrder));
        return lines.stream().sorted(bySlot).toList();
    }

    static int slot(char type, String slotOrder) {
        int i = slotOrder.indexOf(type);
        return i < 0 ? slotOrder.length() : i;
    }

    @Override
    public String toString() {
        return type + "=" + value;
    }
}

package org.pasarela.sdp;

/** Checks shared by the SDP value records, so no value can smuggle a line break into written SDP. */
final class SdpText {
    private SdpText() {
    }

    static void requireSingleLine(String s, String what) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\r' || c == '\n') throw new IllegalArgumentException(what + " contains a line break");
        }
    }

    static void requireToken(String s, String what) {
        if (s.isEmpty()) throw new IllegalArgumentException(what + " is empty");
        for (int i = 0; i < s.length(); i++) {
            if (s.charAt(i) <= ' ') throw new IllegalArgumentException(what + " \"" + s + "\" contains whitespace");
        }
    }
}

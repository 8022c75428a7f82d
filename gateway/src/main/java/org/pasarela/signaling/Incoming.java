package org.pasarela.signaling;

/**
 * {@code {"type":"incoming","call":"c7","from":"sip:1000@example.org","fromName":"Alice",
 * "to":"sip:alice@example.org","profile":"pbx","jsep":{"type":"offer","sdp":"..."}}}: a SIP call for the
 * logged-in user rings on this session (and on every other session of the user). Answer with {@code accept} or
 * {@code reject}; the call ends, like every call, with one {@code hangup}.
 *
 * @param from     the caller's SIP URI (From header)
 * @param fromName the caller's display name, or null when the From header has none
 * @param to       the called SIP URI (To header)
 * @param profile  the SIP profile the call came in through
 * @param jsep     the gateway's ICE-lite offer for the browser
 */
public record Incoming(String call, String from, String fromName, String to, String profile, Jsep jsep)
        implements ServerMessage {
    public static final String TYPE = "incoming";
    /** Longest URI or display name passed on; longer ones are cut by the SIP edge, never sent whole. */
    public static final int MAX_PARTY_LENGTH = 1024;

    public Incoming {
        FieldRules.token(call, "call");
        FieldRules.text(from, "from", MAX_PARTY_LENGTH);
        if (fromName != null) FieldRules.bounded(fromName, "fromName", MAX_PARTY_LENGTH);
        FieldRules.text(to, "to", MAX_PARTY_LENGTH);
        FieldRules.required(profile, "profile");
        FieldRules.optionalProfile(profile);
        FieldRules.required(jsep, "jsep").requireType(Jsep.OFFER);
    }

    @Override public String type() { return TYPE; }
}

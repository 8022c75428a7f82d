package org.pasarela.signaling;

/**
 * {@code {"type":"register","id":"3","profile":"pbx"}}: makes the logged-in user reachable from SIP through the
 * profile's registrar. Acknowledged at once; the outcome comes later as {@code registered} or
 * {@code registration-failed}. One registration per user and profile, shared by all the user's sessions.
 *
 * @param profile the SIP profile to register with, or null for the gateway's default
 */
public record RegisterRequest(String id, String profile) implements ClientMessage {
    public static final String TYPE = "register";

    public RegisterRequest {
        FieldRules.token(id, "id");
        FieldRules.optionalProfile(profile);
    }

    @Override public String type() { return TYPE; }
}

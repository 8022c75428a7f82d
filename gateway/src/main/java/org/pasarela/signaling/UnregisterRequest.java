package org.pasarela.signaling;

/**
 * {@code {"type":"unregister","id":"4","profile":"pbx"}}: this session no longer needs the registration; the
 * gateway removes it from the registrar once no session of the user needs it.
 *
 * @param profile the SIP profile, or null for the gateway's default
 */
public record UnregisterRequest(String id, String profile) implements ClientMessage {
    public static final String TYPE = "unregister";

    public UnregisterRequest {
        FieldRules.token(id, "id");
        FieldRules.optionalProfile(profile);
    }

    @Override public String type() { return TYPE; }
}

package org.pasarela.signaling;

/**
 * {@code {"type":"registration-failed","profile":"pbx","code":401,"reason":"Unauthorized (credentials refused)"}}:
 * the registration does not work now. {@code code} is the registrar's SIP final response (3xx-6xx), or 408 when
 * it did not answer, 503 when it could not be reached. The gateway keeps retrying on its own (docs/protocol.md).
 */
public record RegistrationFailed(String profile, int code, String reason) implements ServerMessage {
    public static final String TYPE = "registration-failed";

    public RegistrationFailed {
        FieldRules.required(FieldRules.optionalProfile(profile), "profile");
        if (code < 300 || code > 699) {
            throw new IllegalArgumentException("code " + code + " must be 300..699");
        }
        FieldRules.required(reason, "reason");
    }

    @Override public String type() { return TYPE; }
}

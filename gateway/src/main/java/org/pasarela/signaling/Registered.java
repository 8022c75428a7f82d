package org.pasarela.signaling;

/**
 * {@code {"type":"registered","profile":"pbx","aor":"sip:alice@pbx.example.org","expires":600}}: the user is
 * registered with the profile's registrar for {@code expires} seconds (the gateway refreshes it before then).
 * Sent to every session of the user that asked for the registration, whenever the registration (re)starts
 * working or the granted expiry changes.
 */
public record Registered(String profile, String aor, int expires) implements ServerMessage {
    public static final String TYPE = "registered";

    public Registered {
        FieldRules.required(FieldRules.optionalProfile(profile), "profile");
        FieldRules.text(aor, "aor", 512);
        if (expires < 1) {
            throw new IllegalArgumentException("expires " + expires + " must be positive");
        }
    }

    @Override public String type() { return TYPE; }
}

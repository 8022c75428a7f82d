package org.pasarela.signaling;

import java.util.List;

/**
 * {@code {"type":"ack","id":"2","call":"c1"}}: the request with this id was accepted. For {@code call} it carries
 * the new gateway-assigned call id; otherwise {@code call} is the request's call, or null. The ack of
 * {@code login} also lists the profiles the user may route through ({@code profiles}, null elsewhere) and the one
 * used when a call names none ({@code defaultProfile}, null when there is none), so a client can offer a picker,
 * and, when the gateway hands out TURN credentials, the {@code iceServers} to create peer connections with (null
 * elsewhere).
 */
public record Ack(String id, String call, List<String> profiles, String defaultProfile, List<IceServer> iceServers)
        implements ServerMessage {
    public static final String TYPE = "ack";

    public Ack {
        FieldRules.token(id, "id");
        FieldRules.optionalToken(call, "call");
        if (profiles != null) {
            for (String profile : profiles) {
                if (profile == null) {
                    throw new IllegalArgumentException("field \"profiles\" must hold profile names, not null");
                }
                FieldRules.optionalProfile(profile);
            }
            profiles = List.copyOf(profiles);
        }
        FieldRules.optionalProfile(defaultProfile);
        if (iceServers != null) {
            for (IceServer server : iceServers) {
                FieldRules.required(server, "iceServers");
            }
            iceServers = List.copyOf(iceServers);
        }
    }

    /** The ack of {@code login} without TURN credentials. */
    public Ack(String id, String call, List<String> profiles, String defaultProfile) {
        this(id, call, profiles, defaultProfile, null);
    }

    /** The ack of every request but {@code login}. */
    public Ack(String id, String call) {
        this(id, call, null, null, null);
    }

    @Override public String type() { return TYPE; }
}

package org.pasarela.signaling;

import java.util.List;

/**
 * One entry of the {@code iceServers} list in the ack of {@code login}, shaped like WebRTC's {@code RTCIceServer}
 * so a client can hand the list to {@code new RTCPeerConnection({iceServers})} as it is: the server URIs
 * ({@code turn:}, {@code turns:}, {@code stun:}, RFC 7064/7065) and, for TURN, a short-lived user name and
 * credential (TURN REST API: {@code EXPIRY:USER} and base64 of HMAC-SHA1 with the TURN server's shared secret).
 * {@code toString()} hides the credential.
 */
public record IceServer(List<String> urls, String username, String credential) {
    /** Longest URI accepted; a TURN URI is a host, a port and a transport. */
    static final int MAX_URL_LENGTH = 256;
    static final int MAX_URLS = 16;
    /** A TURN REST user name is a unix time, a colon and a user; a credential is 28 characters of base64. */
    static final int MAX_CREDENTIAL_LENGTH = 256;

    public IceServer {
        FieldRules.required(urls, "iceServers.urls");
        if (urls.isEmpty() || urls.size() > MAX_URLS) {
            throw new IllegalArgumentException("field \"iceServers.urls\" must hold 1 to " + MAX_URLS
                    + " URIs, got " + urls.size());
        }
        for (String url : urls) {
            FieldRules.text(url, "iceServers.urls", MAX_URL_LENGTH);
        }
        urls = List.copyOf(urls);
        if ((username == null) != (credential == null)) {
            throw new IllegalArgumentException("fields \"iceServers.username\" and \"iceServers.credential\" "
                    + "come together or not at all");
        }
        if (username != null) {
            FieldRules.text(username, "iceServers.username", MAX_CREDENTIAL_LENGTH);
            FieldRules.text(credential, "iceServers.credential", MAX_CREDENTIAL_LENGTH);
        }
    }

    @Override
    public String toString() {
        return "IceServer[urls=" + urls + ", username=" + username + ", credential="
                + (credential == null ? "null" : "***") + "]";
    }
}

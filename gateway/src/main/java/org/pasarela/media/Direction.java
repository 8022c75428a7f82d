package org.pasarela.media;

/** Which way a packet crosses the bridge. Each direction has its own {@link RtpRewriter}. */
public enum Direction {
    BROWSER_TO_SIP, SIP_TO_BROWSER;

    /** The direction packets take back. */
    public Direction reverse() {
        return this == BROWSER_TO_SIP ? SIP_TO_BROWSER : BROWSER_TO_SIP;
    }
}

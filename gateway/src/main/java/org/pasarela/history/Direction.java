package org.pasarela.history;

/** Which way a call went: placed by a web user toward SIP, or coming from SIP toward a web user. */
public enum Direction {
    OUTBOUND,
    INBOUND
}

package org.pasarela.transport.rtp;

/** What the media plane tells its call; implementations post to the call's lane and never block. */
public interface MediaEvents {
    /** DTLS finished and SRTP keys are in place: audio can flow both ways. */
    void connected(String description);

    /** The browser side of the media is gone or failed (no ICE consent, DTLS failure, close_notify). */
    void lost(String reason);
}

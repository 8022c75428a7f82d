package org.pasarela.bridge;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.pasarela.sdp.RtpMap;
import org.pasarela.sdp.SessionDescription;

/**
 * The result of {@link WebRtcToSip#translate}: the SIP offer, plus what the WebRTC answer and the media relay need
 * from the browser's offer later.
 *
 * @param sipOffer      the SDP to send in the INVITE
 * @param bridgedIndex  index of the browser m-line that is bridged; every other m-line is refused in the answer
 * @param mids          the browser's a=mid of each m-line, in order (empty for an m-line without one)
 * @param bundleMids    the mids of the browser's a=group:BUNDLE, empty when it offered no BUNDLE (RFC 8843)
 * @param iceUfrag      the browser's ICE username fragment for the bridged m-line
 * @param icePwd        the browser's ICE password for the bridged m-line
 * @param fingerprints  the browser's a=fingerprint values (hash function and hex), at least one (RFC 8122 §5)
 * @param setup         the browser's DTLS role offer; {@code active} when it had no a=setup (RFC 4145 §4 default)
 * @param codecs        the codecs in the SIP offer, in its order; their payload types are the browser's, so the
 *                      SIP offer and the browser offer use the same number for each codec
 */
public record BridgedOffer(SessionDescription sipOffer, int bridgedIndex, List<Optional<String>> mids,
                           List<String> bundleMids, String iceUfrag, String icePwd, List<String> fingerprints,
                           DtlsSetup setup, List<RtpMap> codecs) {

    public BridgedOffer {
        Objects.requireNonNull(sipOffer, "sipOffer");
        Objects.requireNonNull(iceUfrag, "iceUfrag");
        Objects.requireNonNull(icePwd, "icePwd");
        Objects.requireNonNull(setup, "setup");
        mids = List.copyOf(mids);
        bundleMids = List.copyOf(bundleMids);
        fingerprints = List.copyOf(fingerprints);
        codecs = List.copyOf(codecs);
        if (bridgedIndex < 0 || bridgedIndex >= mids.size()) {
            throw new IllegalArgumentException("bridgedIndex " + bridgedIndex + " is not one of " + mids.size()
                    + " m-lines");
        }
        if (fingerprints.isEmpty()) throw new IllegalArgumentException("no fingerprint");
        if (codecs.isEmpty()) throw new IllegalArgumentException("no codec");
    }

    /** The browser's payload type for a codec of the SIP offer, matched by encoding name and clock rate. */
    public Optional<RtpMap> codec(String encoding, int clockRate) {
        return codecs.stream().filter(c -> c.isEncoding(encoding) && c.clockRate() == clockRate).findFirst();
    }

    /** The browser's end of the media, as the relay needs it: its ufrag, its fingerprints, our DTLS role. */
    public BrowserPeer browserPeer() {
        return new BrowserPeer(iceUfrag, fingerprints, setup.answer());
    }
}

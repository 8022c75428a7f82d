package org.pasarela.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.pasarela.bridge.BridgeFixtures.LOCAL;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LocalMediaTest {

    private static LocalMedia withAddress(String address) {
        return new LocalMedia(address, 40000, 30000, LOCAL.iceUfrag(), LOCAL.icePwd(), LOCAL.fingerprintSha256(), 1, 1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"203.0.113.10", "0.0.0.0", "::1", "2001:db8::10", "fe80::1:2:3:4", "::ffff:192.0.2.1",
        "2001:db8:0:0:0:0:0:1", "1::"})
    void acceptsIpLiterals(String address) {
        assertThat(withAddress(address).address()).isEqualTo(address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "gateway.example.com", "256.1.1.1", "1.2.3", "1.2.3.4.5", "2001:db8::1::2", ":1:2",
        "1:2:3:4:5:6:7", "12345::1", "1.2.3.4 "})
    void rejectsAnythingButAnIpLiteral(String address) {
        assertThatThrownBy(() -> withAddress(address)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not an IPv4 or IPv6 literal");
    }

    @Test
    void namesTheAddressTypeForSdp() {
        assertThat(LOCAL.addrType()).isEqualTo("IP4");
        assertThat(withAddress("2001:db8::10").addrType()).isEqualTo("IP6");
    }

    @Test
    void requiresAnEvenSipRtpPortLeavingRoomForRtcp() {
        assertThatThrownBy(() -> new LocalMedia("203.0.113.10", 40000, 30001, LOCAL.iceUfrag(), LOCAL.icePwd(),
                LOCAL.fingerprintSha256(), 1, 1)).hasMessage("sipRtpPort 30001 must be even and within 2-65534");
        assertThatThrownBy(() -> new LocalMedia("203.0.113.10", 0, 30000, LOCAL.iceUfrag(), LOCAL.icePwd(),
                LOCAL.fingerprintSha256(), 1, 1)).hasMessage("browserPort 0 is outside 1-65535");
    }

    @Test
    void requiresIceCredentialsOfRfc8839Length() {
        assertThatThrownBy(() -> new LocalMedia("203.0.113.10", 40000, 30000, "abc", LOCAL.icePwd(),
                LOCAL.fingerprintSha256(), 1, 1)).hasMessage("iceUfrag \"abc\" must be 4-256 ice-chars");
        assertThatThrownBy(() -> new LocalMedia("203.0.113.10", 40000, 30000, LOCAL.iceUfrag(), "short",
                LOCAL.fingerprintSha256(), 1, 1)).hasMessage("icePwd must be 22-256 ice-chars, got 5 chars");
    }

    @Test
    void requiresAnUpperCaseColonSeparatedSha256Fingerprint() {
        String lower = LOCAL.fingerprintSha256().toLowerCase(java.util.Locale.ROOT);
        assertThatThrownBy(() -> new LocalMedia("203.0.113.10", 40000, 30000, LOCAL.iceUfrag(), LOCAL.icePwd(), lower,
                1, 1)).hasMessageContaining("must be 32 upper-case hex bytes separated by colons");
        assertThatThrownBy(() -> new LocalMedia("203.0.113.10", 40000, 30000, LOCAL.iceUfrag(), LOCAL.icePwd(),
                "AB:CD", 1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withSessionVersionChangesOnlyTheVersion() {
        assertThat(LOCAL.withSessionVersion(2)).isEqualTo(new LocalMedia(LOCAL.address(), LOCAL.browserPort(),
                LOCAL.sipRtpPort(), LOCAL.iceUfrag(), LOCAL.icePwd(), LOCAL.fingerprintSha256(), LOCAL.sessionId(), 2));
    }
}

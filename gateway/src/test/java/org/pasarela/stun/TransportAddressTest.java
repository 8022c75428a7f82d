package org.pasarela.stun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;

import org.junit.jupiter.api.Test;

class TransportAddressTest {
    @Test
    void equalsByAddressBytesAndPort() {
        TransportAddress a = new TransportAddress(new byte[] {10, 0, 0, 1}, 5000);
        assertThat(a).isEqualTo(new TransportAddress(new byte[] {10, 0, 0, 1}, 5000)).hasSameHashCodeAs(
                new TransportAddress(new byte[] {10, 0, 0, 1}, 5000));
        assertThat(a).isNotEqualTo(new TransportAddress(new byte[] {10, 0, 0, 1}, 5001))
                .isNotEqualTo(new TransportAddress(new byte[] {10, 0, 0, 2}, 5000));
        assertThat(a.matches(new byte[] {10, 0, 0, 1}, 5000)).isTrue();
        assertThat(a.matches(new byte[] {10, 0, 0, 1}, 5001)).isFalse();
    }

    @Test
    void copiesTheAddressBytesInAndOut() {
        byte[] ip = {10, 0, 0, 1};
        TransportAddress a = new TransportAddress(ip, 1);
        ip[0] = 99;
        a.ip()[0] = 99;
        assertThat(a.ip()).containsExactly(10, 0, 0, 1);
    }

    @Test
    void refusesBadLengthsAndPorts() {
        assertThatThrownBy(() -> new TransportAddress(new byte[5], 1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("transport address: IP must be 4 or 16 bytes, got 5");
        assertThatThrownBy(() -> new TransportAddress(new byte[4], 65536))
                .hasMessage("transport address: port 65536 is outside 0..65535");
        assertThatThrownBy(() -> TransportAddress.of(InetSocketAddress.createUnresolved("example.org", 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unresolved");
    }

    @Test
    void convertsToAndFromInetSocketAddress() {
        InetSocketAddress v6 = new InetSocketAddress("2001:db8::1", 443);
        TransportAddress a = TransportAddress.of(v6);
        assertThat(a.isIpv6()).isTrue();
        assertThat(a).hasToString("[2001:db8:0:0:0:0:0:1]:443");
        assertThat(a.toInetSocketAddress()).isEqualTo(v6);
        assertThat(new TransportAddress(new byte[] {(byte) 192, 0, 2, 1}, 9)).hasToString("192.0.2.1:9");
    }
}

package org.pasarela.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ConnectionLimitsTest {
    @Test
    void refusesTheConnectionOverTheCapOfOneAddressOnly() {
        ConnectionLimits limits = new ConnectionLimits(2, 10);
        assertThat(limits.tryOpen("192.0.2.1")).isEmpty();
        assertThat(limits.tryOpen("192.0.2.1")).isEmpty();
        assertThat(limits.tryOpen("192.0.2.1")).contains(new ConnectionLimits.Refusal(true,
                "more than 2 connections from this address (http.max-connections-per-address)"));
        assertThat(limits.tryOpen("192.0.2.2")).isEmpty();
        assertThat(limits.open()).isEqualTo(3);
        assertThat(limits.open("192.0.2.1")).isEqualTo(2);
    }

    @Test
    void admitsAgainOnceAConnectionCloses() {
        ConnectionLimits limits = new ConnectionLimits(1, 10);
        assertThat(limits.tryOpen("2001:db8::1")).isEmpty();
        assertThat(limits.tryOpen("2001:db8::1")).isPresent();
        limits.close("2001:db8::1");
        assertThat(limits.open("2001:db8::1")).isZero();
        assertThat(limits.tryOpen("2001:db8::1")).isEmpty();
    }

    @Test
    void refusesEveryAddressWhenTheGatewayIsFull() {
        ConnectionLimits limits = new ConnectionLimits(2, 3);
        limits.tryOpen("192.0.2.1");
        limits.tryOpen("192.0.2.1");
        limits.tryOpen("192.0.2.2");
        assertThat(limits.tryOpen("192.0.2.3")).contains(new ConnectionLimits.Refusal(false,
                "the gateway already has 3 connections (http.max-connections)"));
        assertThat(limits.open()).isEqualTo(3);
        assertThat(limits.open("192.0.2.3")).isZero();
    }

    @Test
    void forgetsAddressesWithNoConnectionLeft() {
        ConnectionLimits limits = new ConnectionLimits(5, 5);
        for (int i = 0; i < 5; i++) {
            limits.tryOpen("192.0.2." + i);
        }
        for (int i = 0; i < 5; i++) {
            limits.close("192.0.2." + i);
        }
        assertThat(limits.open()).isZero();
        for (int i = 0; i < 5; i++) {
            assertThat(limits.tryOpen("198.51.100." + i)).isEmpty();
        }
    }
}

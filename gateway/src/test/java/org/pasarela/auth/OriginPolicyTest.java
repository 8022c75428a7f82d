package org.pasarela.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class OriginPolicyTest {
    private final OriginPolicy sameOriginOnly = OriginPolicy.DEFAULT;

    @Test
    void allowsPagesFromTheGatewaysOwnOrigin() {
        assertThat(sameOriginOnly.refusal("http://127.0.0.1:8080", "127.0.0.1:8080")).isEmpty();
        assertThat(sameOriginOnly.refusal("https://gw.example.org", "gw.example.org")).isEmpty();
        assertThat(sameOriginOnly.refusal("https://GW.example.org:443", "gw.example.org")).isEmpty();
        assertThat(sameOriginOnly.refusal("http://[::1]:8080", "[::1]:8080")).isEmpty();
    }

    @Test
    void refusesOtherSitesAndOtherPortsOfTheSameHost() {
        assertThat(sameOriginOnly.refusal("https://evil.example", "gw.example.org"))
                .contains("Origin https://evil.example is neither this gateway's (Host gw.example.org) nor in "
                        + "http.allowed-origins");
        assertThat(sameOriginOnly.refusal("http://127.0.0.1:9999", "127.0.0.1:8080")).isPresent();
        assertThat(sameOriginOnly.refusal("http://gw.example.org", "gw.example.org:8080")).isPresent();
        assertThat(sameOriginOnly.refusal("https://gw.example.org", null)).isPresent();
    }

    @Test
    void allowsConfiguredOriginsInTheirSerialisedForm() {
        OriginPolicy policy = new OriginPolicy(List.of("HTTPS://Phone.Example.org:443", "http://lab:8000"), true);
        assertThat(policy.allowedOrigins()).containsExactlyInAnyOrder("https://phone.example.org", "http://lab:8000");
        assertThat(policy.refusal("https://phone.example.org", "gw.example.org")).isEmpty();
        assertThat(policy.refusal("http://lab:8000", "gw.example.org")).isEmpty();
        assertThat(policy.refusal("http://lab:8001", "gw.example.org")).isPresent();
    }

    @Test
    void missingOriginFollowsTheSetting() {
        assertThat(sameOriginOnly.refusal(null, "gw")).isEmpty();
        assertThat(new OriginPolicy(List.of(), false).refusal(null, "gw"))
                .contains("no Origin header (http.allow-missing-origin = false)");
    }

    @Test
    void opaqueOriginsOnlyWhenListedAndStarAllowsAll() {
        assertThat(sameOriginOnly.refusal("null", "gw")).contains("Origin null (an opaque origin) is not allowed");
        assertThat(new OriginPolicy(List.of("null"), true).refusal("null", "gw")).isEmpty();
        assertThat(new OriginPolicy(List.of("*"), true).refusal("https://anything.example", "gw")).isEmpty();
    }

    @Test
    void refusesGarbageOrigins() {
        assertThat(sameOriginOnly.refusal("javascript:alert(1)", "gw")).contains("Origin is not http(s)://host[:port]");
        assertThat(sameOriginOnly.refusal("http://gw/path", "gw")).isPresent();
    }

    @Test
    void configuredOriginsMustBeBareOrigins() {
        assertThatThrownBy(() -> OriginPolicy.normalize("https://phone.example.org/app"))
                .hasMessageStartingWith("'https://phone.example.org/app' is not an origin");
        assertThatThrownBy(() -> OriginPolicy.normalize("phone.example.org")).isInstanceOf(IllegalArgumentException.class);
    }
}

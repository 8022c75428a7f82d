package org.pasarela.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class SipUriTest {

    @Test
    void parsesHostOnlyUri() {
        SipUri uri = SipUri.parse("sip:trunk.example.net");
        assertThat(uri.scheme()).isEqualTo("sip");
        assertThat(uri.user()).isNull();
        assertThat(uri.host()).isEqualTo("trunk.example.net");
        assertThat(uri.port()).isEmpty();
        assertThat(uri.params()).isEmpty();
    }

    @Test
    void parsesUserHostPortAndParameters() {
        SipUri uri = SipUri.parse("sip:echo@192.0.2.10:5060;transport=tcp;lr");
        assertThat(uri.user()).isEqualTo("echo");
        assertThat(uri.host()).isEqualTo("192.0.2.10");
        assertThat(uri.port()).isEqualTo(OptionalInt.of(5060));
        assertThat(uri.params()).containsExactly(Map.entry("transport", "tcp"), Map.entry("lr", ""));
        assertThat(uri.param("TRANSPORT")).contains("tcp");
    }

    @Test
    void keepsBracketsOfIpv6HostAndReadsItsPort() {
        SipUri uri = SipUri.parse("sips:alice@[2001:db8::1]:5061");
        assertThat(uri.host()).isEqualTo("[2001:db8::1]");
        assertThat(uri.port()).isEqualTo(OptionalInt.of(5061));
        assertThat(uri.isSecure()).isTrue();
    }

    @Test
    void lowerCasesSchemeAndParameterNames() {
        SipUri uri = SipUri.parse("SIP:bob@example.org;Transport=TCP");
        assertThat(uri.scheme()).isEqualTo("sip");
        assertThat(uri.params()).containsEntry("transport", "TCP");
    }

    @Test
    void acceptsEscapedAndUserUnreservedCharactersInUser() {
        assertThat(SipUri.parse("sip:%2B34*1;isub=2@example.org").user()).isEqualTo("%2B34*1;isub=2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sip:trunk.example.net", "sip:echo@127.0.0.1:5098", "sips:[::1]:5061;transport=tls",
            "sip:+34931234567@trunk.example.net;user=phone"})
    void writesBackWhatItParsed(String text) {
        assertThat(SipUri.parse(text).toString()).isEqualTo(text);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "http://example.org | 'http://example.org' does not start with sip: or sips:",
            "trunk.example.net | 'trunk.example.net' does not start with sip: or sips:",
            "sip: | 'sip:' has no host",
            "sip:alice@ | 'sip:alice@' has no host",
            "sip:@example.org | 'sip:@example.org' has an empty user part before '@'",
            "sip:alice:secret@example.org | contains a password; put it in auth.password instead",
            "sip:example.org:0 | has port '0', expected a number 1-65535",
            "sip:example.org:70000 | has port '70000', expected a number 1-65535",
            "sip:example.org:5o60 | has port '5o60', expected a number 1-65535",
            "sip:[::1 | has an IPv6 reference without a closing ']'",
            "sip:[::g] | is not a valid IPv6 reference",
            "sip:::1 | must be written in brackets",
            "sip:300.1.1.1 | '300.1.1.1' is not a valid IPv4 address",
            "sip:bad_host.example | is not a valid hostname (bad label 'bad_host')",
            "sip:a@example.org?subject=x | has URI headers ('?...'), which are not supported",
            "sip:example.org;transport=tcp;transport=udp | repeats parameter 'transport'",
            "sip:example.org;=x | has a malformed parameter ';=x'",
            "sip:al\"ice@example.org | user part 'al\"ice' contains '\"', which must be %-escaped",
            "sip:50%ZZ@example.org | has a bad %-escape at position 3",
    })
    void refusesMalformedUrisSayingWhatIsWrong(String text, String expectedMessage) {
        assertThatThrownBy(() -> SipUri.parse(text))
                .isInstanceOf(SipUriException.class)
                .hasMessageContaining(expectedMessage);
    }

    @Test
    void refusesSpacesWithTheirPosition() {
        assertThatThrownBy(() -> SipUri.parse("sip:ali ce@example.org"))
                .isInstanceOf(SipUriException.class)
                .hasMessage("'sip:ali ce@example.org' contains a space or control character at position 8");
    }

    @Test
    void refusesEmptyText() {
        assertThatThrownBy(() -> SipUri.parse("")).hasMessage("the SIP URI is empty");
        assertThatThrownBy(() -> SipUri.parse(null)).hasMessage("the SIP URI is empty");
    }
}

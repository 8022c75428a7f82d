package org.pasarela.dialplan;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.pasarela.config.RewriteRule;
import org.pasarela.config.SipProfile;
import org.pasarela.config.SipUri;
import org.pasarela.config.Transport;

class DestinationResolverTest {
    private static final SipProfile TRUNK = SipProfile.builder("trunk", SipUri.parse("sip:proxy.example.net:5070"))
            .domain("example.net")
            .rewrites(List.of(RewriteRule.of("0([0-9]{9})", "+34$1")))
            .build();
    private static final SipProfile ATA = SipProfile.builder("ata", SipUri.parse("sip:192.168.1.50:5062")).build();
    private static final SipProfile OPEN = SipProfile.builder("open", SipUri.parse("sip:voip.example.org"))
            .allowSipUris(true).build();

    private static String resolve(String to, SipProfile profile) {
        return DestinationResolver.resolve(to, profile).toString();
    }

    @Test
    void sendsRewrittenNumberToTheProfileDomain() {
        assertThat(resolve("0 931 234 567", TRUNK)).isEqualTo("sip:+34931234567@example.net");
    }

    @Test
    void keepsTheProxyPortWhenTheDomainIsTheProxyHost() {
        assertThat(resolve("1000", ATA)).isEqualTo("sip:1000@192.168.1.50:5062");
    }

    @Test
    void omitsThePortWhenTheDomainDiffersFromTheProxyHost() {
        assertThat(DestinationResolver.resolve("1000", TRUNK).port()).isEmpty();
    }

    @Test
    void omitsThePortWhenTheProxyHasNone() {
        assertThat(resolve("alice", OPEN)).isEqualTo("sip:alice@voip.example.org");
    }

    @Test
    void acceptsAlphanumericUserNames() {
        assertThat(resolve("echo", ATA)).isEqualTo("sip:echo@192.168.1.50:5062");
        assertThat(resolve("alice.smith", ATA)).isEqualTo("sip:alice.smith@192.168.1.50:5062");
    }

    @Test
    void escapesHashInTheUserPart() {
        assertThat(resolve("*98#", ATA)).isEqualTo("sip:*98%23@192.168.1.50:5062");
    }

    @Test
    void usesSipsSchemeWhenTheProxyIsSips() {
        SipProfile secure = SipProfile.builder("tls", SipUri.parse("sips:trunk.example.net")).build();
        assertThat(secure.transport()).isEqualTo(Transport.TLS);
        assertThat(resolve("+34931234567", secure)).isEqualTo("sips:+34931234567@trunk.example.net");
    }

    @Test
    void passesSipUriThroughOnProfilesThatAllowIt() {
        assertThat(resolve(" sip:bob@other.example.org;transport=tcp ", OPEN))
                .isEqualTo("sip:bob@other.example.org;transport=tcp");
    }

    @Test
    void refusesSipUriOnProfilesThatDoNotAllowIt() {
        assertThatThrownBy(() -> DestinationResolver.resolve("sip:bob@example.org", TRUNK))
                .isInstanceOf(DialException.class)
                .hasMessage("profile 'trunk' does not allow SIP URIs");
    }

    @Test
    void refusesSipUriWithoutUser() {
        assertThatThrownBy(() -> DestinationResolver.resolve("sip:example.org", OPEN))
                .isInstanceOf(DialException.class)
                .hasMessage("'sip:example.org' has no user part; expected sip:user@host");
    }

    @Test
    void refusesMalformedSipUri() {
        assertThatThrownBy(() -> DestinationResolver.resolve("sip:bob@", OPEN))
                .isInstanceOf(DialException.class)
                .hasMessage("not a valid SIP URI: 'sip:bob@' has no host");
    }

    @Test
    void refusesSpaceInsideSipUriUser() {
        assertThatThrownBy(() -> DestinationResolver.resolve("sip:b ob@example.org", OPEN))
                .isInstanceOf(DialException.class)
                .hasMessage("not a valid SIP URI: 'sip:b ob@example.org' contains a space or control character at "
                        + "position 6");
    }

    @Test
    void refusesEmptyDestination() {
        assertThatThrownBy(() -> DestinationResolver.resolve("", TRUNK)).hasMessage("the destination is empty");
        assertThatThrownBy(() -> DestinationResolver.resolve("   ", TRUNK)).hasMessage("the destination is empty");
        assertThatThrownBy(() -> DestinationResolver.resolve(null, TRUNK)).hasMessage("the destination is empty");
    }

    @Test
    void refusesDestinationOver256Characters() {
        assertThat(DestinationResolver.resolve("1".repeat(256), ATA).user()).hasSize(256);
        assertThatThrownBy(() -> DestinationResolver.resolve("1".repeat(257), ATA))
                .isInstanceOf(DialException.class)
                .hasMessage("the destination is 257 characters long; at most 256 are allowed");
    }

    @Test
    void refusesControlCharactersEvenAtTheEnds() {
        assertThatThrownBy(() -> DestinationResolver.resolve("1000\n", ATA))
                .isInstanceOf(DialException.class)
                .hasMessage("the destination contains a control character (U+000A) at position 5");
        assertThatThrownBy(() -> DestinationResolver.resolve("al\u0000ice", ATA))
                .hasMessage("the destination contains a control character (U+0000) at position 3");
    }

    @Test
    void refusesSpaceInAUserName() {
        assertThatThrownBy(() -> DestinationResolver.resolve("ali ce", ATA))
                .isInstanceOf(DialException.class)
                .hasMessage("'ali ce' contains a space; expected a number, a user name or a SIP URI");
    }

    @Test
    void refusesTextThatIsNeitherNumberNorUserNorSipUri() {
        assertThatThrownBy(() -> DestinationResolver.resolve("alice@example.org", ATA))
                .isInstanceOf(DialException.class)
                .hasMessage("'alice@example.org' is neither a number, a user name nor a SIP URI");
        assertThatThrownBy(() -> DestinationResolver.resolve("tel:+34931234567", ATA))
                .hasMessage("'tel:+34931234567' is neither a number, a user name nor a SIP URI");
    }

    @Test
    void refusesRewriteThatProducesAnInvalidUserPart() {
        SipProfile broken = SipProfile.builder("broken", SipUri.parse("sip:t.example"))
                .rewrites(List.of(RewriteRule.of("([0-9]+)", "$1 ext"))).build();
        assertThatThrownBy(() -> DestinationResolver.resolve("100", broken))
                .isInstanceOf(DialException.class)
                .hasMessage("profile 'broken' rewrote '100' to '100 ext', which is not a valid number or user name");
    }
}

package org.pasarela.sip;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SipFragTest {
    @Test
    void readsTheStatusLineOfAReferNotify() {
        // RFC 3515 §2.4.5 and the bodies Asterisk and SIPp scenarios send
        assertThat(SipFrag.status("SIP/2.0 200 OK\r\n")).contains(new SipFrag.Status(200, "OK"));
        assertThat(SipFrag.status("SIP/2.0 100 Trying")).contains(new SipFrag.Status(100, "Trying"));
        assertThat(SipFrag.status("SIP/2.0 603 Declined\r\nContent-Length: 0\r\n"))
                .contains(new SipFrag.Status(603, "Declined"));
    }

    @Test
    void fillsInTheStandardPhraseWhenTheLineHasNone() {
        assertThat(SipFrag.status("SIP/2.0 486\r\n")).contains(new SipFrag.Status(486, "Busy Here"));
    }

    @Test
    void findsNoStatusInBodiesThatAreNotStatusLines() {
        assertThat(SipFrag.status(null)).isEmpty();
        assertThat(SipFrag.status("")).isEmpty();
        assertThat(SipFrag.status("INVITE sip:a@b SIP/2.0\r\n")).isEmpty();
        assertThat(SipFrag.status("SIP/2.0 99 Odd")).isEmpty();
        assertThat(SipFrag.status("SIP/2.0 700 Beyond")).isEmpty();
    }

    @Test
    void keepsControlCharactersAndLongPhrasesOutOfTheReason() {
        assertThat(SipFrag.status("SIP/2.0 486 Busy\u0007Here").orElseThrow().reason()).isEqualTo("Busy Here");
        assertThat(SipFrag.status("SIP/2.0 486 " + "x".repeat(500)).orElseThrow().reason()).hasSize(120);
    }
}

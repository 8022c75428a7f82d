package org.pasarela.signaling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HistoryMessagesTest {
    private final SignalingCodec codec = new SignalingCodec();
    private static final HistoryEntry ENDED = new HistoryEntry("e1", "c3", "outbound", "sip:1001@pbx", "pbx",
            Instant.parse("2025-03-01T09:58:12.345Z"), Instant.parse("2025-03-01T09:58:15Z"),
            Instant.parse("2025-03-01T09:59:15Z"), 60000, 200, "hung up by client", "client", false);
    private static final HistoryEntry OPEN = new HistoryEntry("e2", "c4", "inbound", "sip:+34@trunk", "trunk",
            Instant.parse("2025-03-01T10:00:00Z"), null, null, 0, null, null, null, false);

    @Test
    void decodesAHistoryRequestWithDefaults() {
        HistoryRequest request = (HistoryRequest) codec.decode("{\"type\":\"history\",\"id\":\"7\"}");
        assertThat(request).isEqualTo(new HistoryRequest("7", null, null));
        assertThat(request.effectiveLimit()).isEqualTo(50);
        assertThat(request.beforeIsInstant()).isFalse();
        HistoryRequest paged = (HistoryRequest) codec.decode(
                "{\"type\":\"history\",\"id\":\"8\",\"limit\":500,\"before\":\"2025-03-01T10:00:00Z\"}");
        assertThat(paged.effectiveLimit()).isEqualTo(500);
        assertThat(paged.beforeIsInstant()).isTrue();
        assertThat(codec.decode(codec.encode(paged))).isEqualTo(paged);
    }

    @Test
    void refusesAHistoryRequestWithoutIdOrWithALimitOutOfRange() {
        assertThatThrownBy(() -> codec.decode("{\"type\":\"history\"}"))
                .isInstanceOf(ProtocolException.class).hasMessage("history: missing field \"id\"");
        assertThatThrownBy(() -> codec.decode("{\"type\":\"history\",\"id\":\"1\",\"limit\":501}"))
                .isInstanceOf(ProtocolException.class).hasMessage("history: limit 501 is outside 1..500");
        assertThatThrownBy(() -> codec.decode("{\"type\":\"history\",\"id\":\"1\",\"before\":5}"))
                .isInstanceOf(ProtocolException.class).hasMessage("history: field \"before\" must be a string");
    }

    @Test
    void writesEntriesWithOptionalFieldsLeftOutAndReadsThemBack() {
        String json = codec.encode(new HistoryReply("7", List.of(ENDED, OPEN)));
        assertThat(json).startsWith("{\"type\":\"history\",\"id\":\"7\",\"calls\":[{\"id\":\"e1\",\"call\":\"c3\","
                + "\"direction\":\"outbound\",\"peer\":\"sip:1001@pbx\",\"profile\":\"pbx\","
                + "\"start\":\"2025-03-01T09:58:12.345Z\",\"answer\":\"2025-03-01T09:58:15Z\","
                + "\"end\":\"2025-03-01T09:59:15Z\",\"durationMs\":60000,\"code\":200,"
                + "\"reason\":\"hung up by client\",\"hangupBy\":\"client\",\"missed\":false}");
        assertThat(json).endsWith("\"start\":\"2025-03-01T10:00:00Z\",\"durationMs\":0,\"missed\":false}]}");
        assertThat(codec.decodeServer(json)).isEqualTo(new HistoryReply("7", List.of(ENDED, OPEN)));
        Missed missed = new Missed(List.of(ENDED));
        assertThat(codec.decodeServer(codec.encode(missed))).isEqualTo(missed);
    }

    @Test
    void refusesEntriesThatBreakTheRulesNamingTheField() {
        assertThatThrownBy(() -> codec.decodeServer("{\"type\":\"missed\",\"calls\":[{\"id\":\"e\",\"call\":\"c\","
                + "\"direction\":\"sideways\",\"peer\":\"p\",\"profile\":\"x\",\"start\":\"2025-03-01T10:00:00Z\","
                + "\"durationMs\":0,\"missed\":false}]}"))
                .hasMessage("missed: direction \"sideways\" must be outbound or inbound");
        assertThatThrownBy(() -> codec.decodeServer("{\"type\":\"missed\",\"calls\":[{\"start\":\"yesterday\"}]}"))
                .hasMessage("missed: field \"calls[0].start\" must be an ISO-8601 instant such as "
                        + "2025-03-01T10:00:00Z");
        assertThatThrownBy(() -> codec.decodeServer("{\"type\":\"missed\",\"calls\":[]}"))
                .hasMessage("missed: calls must not be empty");
        assertThatThrownBy(() -> codec.decodeServer("{\"type\":\"history\",\"id\":\"1\",\"calls\":{}}"))
                .hasMessage("history: field \"calls\" must be an array");
    }
}

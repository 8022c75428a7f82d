package org.pasarela.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.pasarela.auth.OriginPolicy;
import org.pasarela.auth.SecurityEvent;

class OriginCheckHandlerTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2025-03-01T10:00:00Z"), ZoneOffset.UTC);
    private final List<SecurityEvent> events = new ArrayList<>();

    private EmbeddedChannel channel(OriginPolicy policy) {
        return new EmbeddedChannel(new OriginCheckHandler(policy, events::add, CLOCK));
    }

    private static FullHttpRequest upgrade(String origin, String host) {
        FullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/ws");
        request.headers().set(HttpHeaderNames.UPGRADE, "websocket");
        if (host != null) request.headers().set(HttpHeaderNames.HOST, host);
        if (origin != null) request.headers().set(HttpHeaderNames.ORIGIN, origin);
        return request;
    }

    @Test
    void passesASameOriginHandshakeOnToTheUpgrade() {
        EmbeddedChannel ch = channel(OriginPolicy.DEFAULT);
        FullHttpRequest request = upgrade("http://127.0.0.1:8080", "127.0.0.1:8080");
        ch.writeInbound(request);
        assertThat((Object) ch.readInbound()).isSameAs(request);
        assertThat((Object) ch.readOutbound()).isNull();
        assertThat(events).isEmpty();
        request.release();
    }

    @Test
    void answersAForeignOriginWith403AndClosesBeforeTheUpgrade() {
        EmbeddedChannel ch = channel(OriginPolicy.DEFAULT);
        FullHttpRequest request = upgrade("https://evil.example", "127.0.0.1:8080");
        ch.writeInbound(request);
        assertThat((Object) ch.readInbound()).isNull();
        FullHttpResponse response = ch.readOutbound();
        assertThat(response.status()).isEqualTo(HttpResponseStatus.FORBIDDEN);
        assertThat(response.content().toString(StandardCharsets.UTF_8)).startsWith("forbidden: Origin https://evil.example");
        response.release();
        assertThat(request.refCnt()).isZero();
        assertThat(ch.isOpen()).isFalse();
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.type()).isEqualTo(SecurityEvent.Type.FailedACL);
            assertThat(e.time()).isEqualTo(CLOCK.instant());
            assertThat(e.reason()).startsWith("WebSocket handshake refused: Origin https://evil.example");
        });
    }

    @Test
    void letsClientsWithoutOriginInUnlessConfiguredOtherwise() {
        EmbeddedChannel open = channel(OriginPolicy.DEFAULT);
        FullHttpRequest tool = upgrade(null, "127.0.0.1:8080");
        open.writeInbound(tool);
        assertThat((Object) open.readInbound()).isSameAs(tool);
        tool.release();
        EmbeddedChannel strict = channel(new OriginPolicy(List.of(), false));
        strict.writeInbound(upgrade(null, "127.0.0.1:8080"));
        FullHttpResponse response = strict.readOutbound();
        assertThat(response.status()).isEqualTo(HttpResponseStatus.FORBIDDEN);
        response.release();
    }

    @Test
    void refusesTwoOriginHeaders() {
        EmbeddedChannel ch = channel(new OriginPolicy(List.of("*"), true));
        FullHttpRequest request = upgrade("http://a.example", "gw");
        request.headers().add(HttpHeaderNames.ORIGIN, "http://b.example");
        ch.writeInbound(request);
        FullHttpResponse response = ch.readOutbound();
        assertThat(response.status()).isEqualTo(HttpResponseStatus.FORBIDDEN);
        response.release();
        assertThat(events).extracting(SecurityEvent::reason)
                .containsExactly("WebSocket handshake refused: more than one Origin header");
    }
}

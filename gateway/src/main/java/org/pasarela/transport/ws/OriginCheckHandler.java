package org.pasarela.transport.ws;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.pasarela.auth.OriginPolicy;
import org.pasarela.auth.SecurityEvent;
import org.pasarela.auth.SecurityEvents;

/**
 * Refuses WebSocket handshakes from pages the gateway does not trust, before the upgrade: a cross-site page could
 * otherwise drive a visitor's browser into the gateway (Cross-Site WebSocket Hijacking; RFC 6455 §10.2). Sits
 * between {@link HttpHandler}, which passes on only requests for the WebSocket path, and the handshake handler.
 * A refused handshake gets HTTP 403, the connection closes, and a {@code FailedACL} security event is reported.
 * One instance per connection; runs on its event loop.
 */
final class OriginCheckHandler extends ChannelInboundHandlerAdapter {
    private final OriginPolicy policy;
    private final SecurityEvents events;
    private final Clock clock;

    OriginCheckHandler(OriginPolicy policy, SecurityEvents events, Clock clock) {
        this.policy = policy;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) {
        if (message instanceof FullHttpRequest request) {
            List<String> origins = request.headers().getAll(HttpHeaderNames.ORIGIN);
            Optional<String> refusal = origins.size() > 1
                    ? Optional.of("more than one Origin header")
                    : policy.refusal(origins.isEmpty() ? null : origins.get(0), request.headers().get(HttpHeaderNames.HOST));
            if (refusal.isPresent()) {
                request.release();
                events.report(new SecurityEvent(SecurityEvent.Type.FailedACL, clock.instant(), null, null,
                        Peers.remote(ctx.channel()), "WebSocket handshake refused: " + refusal.get()));
                byte[] body = ("forbidden: " + refusal.get() + "\n").getBytes(StandardCharsets.UTF_8);
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.FORBIDDEN, Unpooled.wrappedBuffer(body));
                response.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/plain; charset=utf-8");
                response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
                return;
            }
        }
        ctx.fireChannelRead(message);
    }
}

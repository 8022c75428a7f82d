package org.pasarela.transport.ws;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.time.Duration;
import java.util.function.Supplier;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import java.time.Clock;
import java.util.Optional;
import org.pasarela.auth.OriginPolicy;
import org.pasarela.auth.RemoteAddress;
import org.pasarela.auth.SecurityEvent;
import org.pasarela.auth.SecurityEvents;

/** The HTTP/WebSocket pipeline of one connection, top to bottom as bytes travel in. */
final class SignalingChannelInitializer extends ChannelInitializer<SocketChannel> {
    static final String WEBSOCKET_PATH = "/ws";
    /** Requests to this server are small (upgrade, health); a large body is an attack or a mistake. */
    static final int MAX_HTTP_BYTES = 16 * 1024;
    /** A TLS handshake that has not finished by then is a stalled or hostile client. */
    static final Duration TLS_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);

    private final SignalingSessions sessions;
    private final int maxFrameBytes;
    private final Supplier<String> healthJson;
    /** Quiet time before a Ping, and again before closing: a vanished browser is noticed within twice this. */
    private final Duration keepAlive;
    private final OriginPolicy origins;
    private final SecurityEvents events;
    private final Clock clock;
    private final ConnectionLimits limits;
    /** Present on HTTPS/WSS listeners. */
    private final Optional<SslContext> tls;

    SignalingChannelInitializer(SignalingSessions sessions, int maxFrameBytes, Supplier<String> healthJson,
                                Duration keepAlive) {
        this(sessions, maxFrameBytes, healthJson, keepAlive, OriginPolicy.DEFAULT, SecurityEvents.NONE,
                Clock.systemUTC(), ConnectionLimits.UNLIMITED, Optional.empty());
    }

    SignalingChannelInitializer(SignalingSessions sessions, int maxFrameBytes, Supplier<String> healthJson,
                                Duration keepAlive, OriginPolicy origins, SecurityEvents events, Clock clock,
                                ConnectionLimits limits, Optional<SslContext> tls) {
        this.sessions = sessions;
        this.maxFrameBytes = maxFrameBytes;
        this.healthJson = healthJson;
        this.keepAlive = keepAlive;
        this.origins = origins;
        this.events = events;
        this.clock = clock;
        this.limits = limits;
        this.tls = tls;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        // Counted before a byte is read or a TLS handshake is run, so refusing costs next to nothing.
        RemoteAddress peer = Peers.remote(channel);
        Optional<ConnectionLimits.Refusal> refusal = limits.tryOpen(peer.ip());
        if (refusal.isPresent()) {
            events.report(new SecurityEvent(refusal.get().perAddress() ? SecurityEvent.Type.SessionLimit
                    : SecurityEvent.Type.GatewayBusy, clock.instant(), null, null, peer, refusal.get().reason()));
            channel.close();
            return;
        }
        channel.closeFuture().addListener(closed -> limits.close(peer.ip()));
        if (tls.isPresent()) {
            SslHandler handler = tls.get().newHandler(channel.alloc());
            handler.setHandshakeTimeoutMillis(TLS_HANDSHAKE_TIMEOUT.toMillis());
            channel.pipeline().addLast(handler);
        }
        WebSocketServerProtocolConfig webSocket = WebSocketServerProtocolConfig.newBuilder()
                .websocketPath(WEBSOCKET_PATH)
                .maxFramePayloadLength(maxFrameBytes)
                .handleCloseFrames(true)
                .allowExtensions(false)
                .build();
        channel.pipeline().addLast(
                // First in line, so they see every byte that arrives, a browser's Pong included: the WebSocket
                // handler below drops Pong frames, and idleness measured after it would cut live browsers.
                new IdleStateHandler((int) keepAlive.toMillis(), 0, 0, java.util.concurrent.TimeUnit.MILLISECONDS),
                new KeepAliveHandler(),
                new HttpServerCodec(4096, 8192, 8192),
                new HttpObjectAggregator(MAX_HTTP_BYTES),
                new HttpHandler(WEBSOCKET_PATH, healthJson),
                new OriginCheckHandler(origins, events, clock),
                new WebSocketServerProtocolHandler(webSocket),
                // A message split into continuation frames is one message (RFC 6455 §5.4), bounded like a frame.
                new WebSocketFrameAggregator(maxFrameBytes),
                new SignalingHandler(sessions));
    }
}

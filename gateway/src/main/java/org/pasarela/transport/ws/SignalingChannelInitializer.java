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
import java.time.Clock;
import org.pasarela.auth.OriginPolicy;
import org.pasarela.auth.SecurityEvents;

/** The HTTP/WebSocket pipeline of one connection, top to bottom as bytes travel in. */
final class SignalingChannelInitializer extends ChannelInitializer<SocketChannel> {
    static final String WEBSOCKET_PATH = "/ws";
    /** Requests to this server are small (upgrade, health); a large body is an attack or a mistake. */
    private static final int MAX_HTTP_BYTES = 16 * 1024;

    private final SignalingSessions sessions;
    private final int maxFrameBytes;
    private final Supplier<String> healthJson;
    /** Quiet time before a Ping, and again before closing: a vanished browser is noticed within twice this. */
    private final Duration keepAlive;
    private final OriginPolicy origins;
    private final SecurityEvents events;
    private final Clock clock;

    SignalingChannelInitializer(SignalingSessions sessions, int maxFrameBytes, Supplier<String> healthJson,
                                Duration keepAlive) {
        this(sessions, maxFrameBytes, healthJson, keepAlive, OriginPolicy.DEFAULT, SecurityEvents.NONE,
                Clock.systemUTC());
    }

    SignalingChannelInitializer(SignalingSessions sessions, int maxFrameBytes, Supplier<String> healthJson,
                                Duration keepAlive, OriginPolicy origins, SecurityEvents events, Clock clock) {
        this.sessions = sessions;
        this.maxFrameBytes = maxFrameBytes;
        this.healthJson = healthJson;
        this.keepAlive = keepAlive;
        this.origins = origins;
        this.events = events;
        this.clock = clock;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
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

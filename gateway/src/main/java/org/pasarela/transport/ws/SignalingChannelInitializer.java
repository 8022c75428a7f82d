package org.pasarela.transport.ws;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.util.function.Supplier;

/** The HTTP/WebSocket pipeline of one connection, top to bottom as bytes travel in. */
final class SignalingChannelInitializer extends ChannelInitializer<SocketChannel> {
    static final String WEBSOCKET_PATH = "/ws";
    /** Requests to this server are small (upgrade, health); a large body is an attack or a mistake. */
    private static final int MAX_HTTP_BYTES = 16 * 1024;

    private final SignalingSessions sessions;
    private final int maxFrameBytes;
    private final Supplier<String> healthJson;

    SignalingChannelInitializer(SignalingSessions sessions, int maxFrameBytes, Supplier<String> healthJson) {
        this.sessions = sessions;
        this.maxFrameBytes = maxFrameBytes;
        this.healthJson = healthJson;
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
                new HttpServerCodec(4096, 8192, 8192),
                new HttpObjectAggregator(MAX_HTTP_BYTES),
                new HttpHandler(WEBSOCKET_PATH, healthJson),
                new WebSocketServerProtocolHandler(webSocket),
                new SignalingHandler(sessions));
    }
}

package org.pasarela.transport.ws;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.TooLongFrameException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects one WebSocket to its session: text frames in, text frames out. Binary frames are refused with
 * close code 1003 (RFC 6455 §7.4.1, "cannot accept data of this type"). Text is handed over as a String so no
 * Netty buffer escapes this class.
 */
final class SignalingHandler extends SimpleChannelInboundHandler<WebSocketFrame> {
    private static final Logger log = LoggerFactory.getLogger(SignalingHandler.class);

    private final SignalingSessions sessions;
    private SignalingSessions.Connection connection;

    SignalingHandler(SignalingSessions sessions) {
        this.sessions = sessions;
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof WebSocketServerProtocolHandler.HandshakeComplete) {
            connection = sessions.open(new ChannelLink(ctx.channel()));
        }
        super.userEventTriggered(ctx, event);
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, WebSocketFrame frame) {
        if (connection == null) {
            return;
        }
        if (frame instanceof TextWebSocketFrame text) {
            connection.onText(text.text());
        } else if (frame instanceof BinaryWebSocketFrame) {
            ctx.writeAndFlush(new CloseWebSocketFrame(1003, "binary frames are not part of the protocol"))
                    .addListener(ChannelFutureListener.CLOSE);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (connection != null) {
            connection.onClosed();
            connection = null;
        }
        super.channelInactive(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // Frame too large, bad UTF-8, reset connections: close this one, never the server.
        log.debug("WebSocket {} closed after error: {}", ctx.channel().remoteAddress(), cause.toString());
        if (cause instanceof TooLongFrameException && connection != null && ctx.channel().isActive()) {
            // Continuation frames that add up to more than the limit: the same 1009 as one frame that is too big
            // (the frame decoder sends that one itself). RFC 6455 §7.4.1.
            ctx.writeAndFlush(new CloseWebSocketFrame(1009, "message too big"))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        ctx.close();
    }

    private static final class ChannelLink implements BrowserLink {
        private final Channel channel;

        ChannelLink(Channel channel) {
            this.channel = channel;
        }

        @Override
        public void send(String text) {
            if (channel.isActive()) {
                channel.writeAndFlush(new TextWebSocketFrame(text));
            }
        }

        @Override
        public void close(int statusCode, String reason) {
            if (channel.isActive()) {
                channel.writeAndFlush(new CloseWebSocketFrame(statusCode, reason))
                        .addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public String remoteAddress() {
            return String.valueOf(channel.remoteAddress());
        }

        @Override
        public org.pasarela.auth.RemoteAddress remote() {
            return Peers.remote(channel);
        }
    }
}

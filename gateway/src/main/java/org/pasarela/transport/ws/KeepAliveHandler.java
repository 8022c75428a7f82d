package org.pasarela.transport.ws;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.timeout.IdleState;
import io.netty.handler.timeout.IdleStateEvent;

/**
 * Finds WebSockets whose peer vanished without closing (a laptop lid, a dropped Wi-Fi): after a quiet period it
 * sends a Ping, which every browser answers with a Pong on its own (RFC 6455 §5.5.2); if the next quiet period
 * passes too, the connection is closed, which ends its calls. Without this a dead TCP connection would hold
 * its calls and ports for ever.
 */
final class KeepAliveHandler extends ChannelDuplexHandler {
    private boolean pinged;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object message) throws Exception {
        pinged = false;
        super.channelRead(ctx, message);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        if (event instanceof IdleStateEvent idle && idle.state() == IdleState.READER_IDLE) {
            if (pinged) {
                ctx.close();
            } else {
                pinged = true;
                // From the tail, through the WebSocket encoder the handshake put nearer the head.
                ctx.channel().writeAndFlush(new PingWebSocketFrame());
            }
            return;
        }
        super.userEventTriggered(ctx, event);
    }
}

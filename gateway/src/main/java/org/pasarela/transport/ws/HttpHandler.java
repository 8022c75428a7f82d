package org.pasarela.transport.ws;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import java.nio.charset.StandardCharsets;
import java.util.function.Supplier;

/**
 * Plain HTTP beside the WebSocket: {@code GET /health} for start-up scripts and load balancers, the web client
 * files shipped in the jar ({@link WebAssets}); anything else that is not the WebSocket upgrade gets 404.
 */
final class HttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private final String webSocketPath;
    private final Supplier<String> healthJson;

    HttpHandler(String webSocketPath, Supplier<String> healthJson) {
        super(false);
        this.webSocketPath = webSocketPath;
        this.healthJson = healthJson;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        String path = request.uri();
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        if (path.equals(webSocketPath)) {
            ctx.fireChannelRead(request); // the WebSocket handshake handler takes it from here
            return;
        }
        try {
            if (path.equals("/health") && request.method().equals(HttpMethod.GET)) {
                respond(ctx, request, HttpResponseStatus.OK, "application/json", healthJson.get());
            } else if (request.method().equals(HttpMethod.GET) && WebAssets.find(path).isPresent()) {
                WebAssets.Asset asset = WebAssets.find(path).get();
                respond(ctx, request, HttpResponseStatus.OK, asset.contentType(), asset.bytes());
            } else {
                respond(ctx, request, HttpResponseStatus.NOT_FOUND, "text/plain; charset=utf-8",
                        "not found: " + path + "\n");
            }
        } finally {
            request.release();
        }
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
                                String contentType, String body) {
        respond(ctx, request, status, contentType, body.getBytes(StandardCharsets.UTF_8));
    }

    private static void respond(ChannelHandlerContext ctx, FullHttpRequest request, HttpResponseStatus status,
                                String contentType, byte[] bytes) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.wrappedBuffer(bytes));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
        response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        if (keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
            ctx.writeAndFlush(response);
        } else {
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
        }
    }
}

package org.pasarela.transport.ws;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import org.pasarela.auth.OriginPolicy;
import org.pasarela.auth.SecurityEvents;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** The HTTP + WebSocket listener browsers connect to ({@code /ws}, {@code /health}). */
public final class SignalingServer implements AutoCloseable {
    /** Browsers answer Pings by themselves, so 30 s of silence then a Ping costs clients nothing. */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(30);

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final Channel channel;

    private SignalingServer(EventLoopGroup boss, EventLoopGroup workers, Channel channel) {
        this.boss = boss;
        this.workers = workers;
        this.channel = channel;
    }

    /**
     * Binds the listener.
     *
     * @throws IllegalStateException naming the address and port when they cannot be bound
     */
    public static SignalingServer start(String address, int port, int maxFrameBytes, SignalingSessions sessions,
                                        Supplier<String> healthJson) {
        return start(address, port, maxFrameBytes, sessions, healthJson, OriginPolicy.DEFAULT, SecurityEvents.NONE,
                Clock.systemUTC(), KEEP_ALIVE);
    }

    /** As the full form, with the default origin policy and no security log, and the given keep-alive: for tests. */
    static SignalingServer start(String address, int port, int maxFrameBytes, SignalingSessions sessions,
                                 Supplier<String> healthJson, Duration keepAlive) {
        return start(address, port, maxFrameBytes, sessions, healthJson, OriginPolicy.DEFAULT, SecurityEvents.NONE,
                Clock.systemUTC(), keepAlive);
    }

    /**
     * Binds the listener; WebSocket handshakes from origins {@code origins} refuses get 403 and a security event.
     *
     * @throws IllegalStateException naming the address and port when they cannot be bound
     */
    public static SignalingServer start(String address, int port, int maxFrameBytes, SignalingSessions sessions,
                                        Supplier<String> healthJson, OriginPolicy origins, SecurityEvents events,
                                        Clock clock) {
        return start(address, port, maxFrameBytes, sessions, healthJson, origins, events, clock, KEEP_ALIVE);
    }

    private static SignalingServer start(String address, int port, int maxFrameBytes, SignalingSessions sessions,
                                         Supplier<String> healthJson, OriginPolicy origins, SecurityEvents events,
                                         Clock clock, Duration keepAlive) {
        EventLoopGroup boss = new NioEventLoopGroup(1, new DefaultThreadFactory("http-accept", true));
        EventLoopGroup workers = new NioEventLoopGroup(2, new DefaultThreadFactory("http", true));
        try {
            Channel channel = new ServerBootstrap()
                    .group(boss, workers)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new SignalingChannelInitializer(sessions, maxFrameBytes, healthJson, keepAlive,
                            origins, events, clock))
                    .bind(new InetSocketAddress(address, port))
                    .sync()
                    .channel();
            return new SignalingServer(boss, workers, channel);
        } catch (Exception e) {
            boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("cannot listen for HTTP/WebSocket on " + address + ":" + port + ": "
                    + e.getMessage(), e);
        }
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}

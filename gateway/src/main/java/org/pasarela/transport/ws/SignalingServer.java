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
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.pasarela.auth.OriginPolicy;
import org.pasarela.auth.SecurityEvents;

/**
 * The HTTP(S) + WebSocket listeners browsers connect to ({@code /ws}, {@code /health}, the web client): one or more
 * {@link WebListener}s sharing one pair of event-loop groups and one set of {@link ConnectionLimits}.
 */
public final class SignalingServer implements AutoCloseable {
    /** Browsers answer Pings by themselves, so 30 s of silence then a Ping costs clients nothing. */
    private static final Duration KEEP_ALIVE = Duration.ofSeconds(30);

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final List<WebListener> listeners;
    private final List<Channel> channels;

    private SignalingServer(EventLoopGroup boss, EventLoopGroup workers, List<WebListener> listeners,
                            List<Channel> channels) {
        this.boss = boss;
        this.workers = workers;
        this.listeners = List.copyOf(listeners);
        this.channels = List.copyOf(channels);
    }

    /**
     * Binds one plain listener.
     *
     * @throws IllegalStateException naming the address and port when they cannot be bound
     */
    public static SignalingServer start(String address, int port, int maxFrameBytes, SignalingSessions sessions,
                                        Supplier<String> healthJson) {
        return start(List.of(WebListener.plain(address, port)), maxFrameBytes, sessions, healthJson,
                OriginPolicy.DEFAULT, SecurityEvents.NONE, Clock.systemUTC(), ConnectionLimits.UNLIMITED, KEEP_ALIVE);
    }

    /** As the full form, with the default origin policy and no security log, and the given keep-alive: for tests. */
    static SignalingServer start(String address, int port, int maxFrameBytes, SignalingSessions sessions,
                                 Supplier<String> healthJson, Duration keepAlive) {
        return start(List.of(WebListener.plain(address, port)), maxFrameBytes, sessions, healthJson,
                OriginPolicy.DEFAULT, SecurityEvents.NONE, Clock.systemUTC(), ConnectionLimits.UNLIMITED, keepAlive);
    }

    /**
     * Binds one plain listener; WebSocket handshakes from origins {@code origins} refuses get 403 and a security
     * event.
     *
     * @throws IllegalStateException naming the address and port when they cannot be bound
     */
    public static SignalingServer start(String address, int port, int maxFrameBytes, SignalingSessions sessions,
                                        Supplier<String> healthJson, OriginPolicy origins, SecurityEvents events,
                                        Clock clock) {
        return start(List.of(WebListener.plain(address, port)), maxFrameBytes, sessions, healthJson, origins, events,
                clock, ConnectionLimits.UNLIMITED, KEEP_ALIVE);
    }

    /**
     * Binds every listener, or none. Handshakes from origins {@code origins} refuses get 403, connections over
     * {@code limits} are closed at once; both are reported to {@code events}.
     *
     * @throws IllegalStateException naming the address and port that cannot be bound
     */
    public static SignalingServer start(List<WebListener> listeners, int maxFrameBytes, SignalingSessions sessions,
                                        Supplier<String> healthJson, OriginPolicy origins, SecurityEvents events,
                                        Clock clock, ConnectionLimits limits) {
        return start(listeners, maxFrameBytes, sessions, healthJson, origins, events, clock, limits, KEEP_ALIVE);
    }

    static SignalingServer start(List<WebListener> listeners, int maxFrameBytes, SignalingSessions sessions,
                                 Supplier<String> healthJson, OriginPolicy origins, SecurityEvents events,
                                 Clock clock, ConnectionLimits limits, Duration keepAlive) {
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("at least one listener is needed");
        }
        EventLoopGroup boss = new NioEventLoopGroup(1, new DefaultThreadFactory("http-accept", true));
        EventLoopGroup workers = new NioEventLoopGroup(2, new DefaultThreadFactory("http", true));
        List<Channel> channels = new ArrayList<>();
        WebListener binding = listeners.get(0);
        try {
            for (WebListener listener : listeners) {
                binding = listener;
                channels.add(new ServerBootstrap()
                        .group(boss, workers)
                        .channel(NioServerSocketChannel.class)
                        .option(ChannelOption.SO_BACKLOG, 1024)
                        .childOption(ChannelOption.TCP_NODELAY, true)
                        .childHandler(new SignalingChannelInitializer(sessions, maxFrameBytes, healthJson, keepAlive,
                                origins, events, clock, limits,
                                listener.certificate().map(HttpsCertificate::serverContext)))
                        .bind(new InetSocketAddress(listener.address(), listener.port()))
                        .sync()
                        .channel());
            }
            return new SignalingServer(boss, workers, listeners, channels);
        } catch (Exception e) {
            channels.forEach(c -> c.close().syncUninterruptibly());
            boss.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            workers.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("cannot listen for " + binding.scheme().toUpperCase(java.util.Locale.ROOT)
                    + "/WebSocket on " + binding.address() + ":" + binding.port() + ": " + e.getMessage(), e);
        }
    }

    /** The port of the first listener. */
    public int port() {
        return port(0);
    }

    /** The port of the {@code index}-th listener, in the order given to {@code start}. */
    public int port(int index) {
        return ((InetSocketAddress) channels.get(index).localAddress()).getPort();
    }

    /** The port of the first HTTPS/WSS listener, if there is one. */
    public OptionalInt securePort() {
        for (int i = 0; i < listeners.size(); i++) {
            if (listeners.get(i).isSecure()) {
                return OptionalInt.of(port(i));
            }
        }
        return OptionalInt.empty();
    }

    @Override
    public void close() {
        channels.forEach(c -> c.close().syncUninterruptibly());
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }
}

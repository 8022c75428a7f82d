package org.pasarela.echo;

import gov.nist.javax.sip.SipStackImpl;
import org.pasarela.lane.DaemonThreads;
import org.pasarela.transport.sip.SipStacks;
import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.sip.ListeningPoint;
import javax.sip.SipProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The built-in loopback echo: a SIP user agent with its own JAIN-SIP stack that answers any INVITE and sends every
 * RTP/RTCP packet back to its sender, so a fresh install can call {@code echo} and exercise the whole
 * WebRTC → SIP → RTP path without external SIP equipment. Listens on UDP and TCP at one address and port.
 * {@link #start} and {@link #close} may be called from any thread; calls are handled on the service's own lane.
 */
public final class EchoService implements AutoCloseable {

    public static final Duration DEFAULT_RINGING_DELAY = Duration.ofMillis(200);
    public static final Duration DEFAULT_MAX_CALL_DURATION = Duration.ofHours(1);
    public static final int DEFAULT_MAX_CALLS = 200;
    static final String STACK_NAME = "pasarela-echo";

    private static final Logger log = LoggerFactory.getLogger(EchoService.class);

    private final String address;
    private final int sipPort;
    private final EchoSettings settings;

    private SipStackImpl stack;
    private SipProvider provider;
    private RtpEcho rtp;
    private ScheduledThreadPoolExecutor lane;
    private EchoUserAgent agent;
    private boolean started;
    private boolean closed;

    public EchoService(String address, int sipPort) {
        this(address, sipPort, DEFAULT_RINGING_DELAY, DEFAULT_MAX_CALL_DURATION, DEFAULT_MAX_CALLS);
    }

    public EchoService(String address, int sipPort, Duration ringingDelay, Duration maxCallDuration, int maxCalls) {
        if (address == null || address.isBlank()) throw new IllegalArgumentException("echo address is blank");
        if (sipPort < 1 || sipPort > 65535) {
            throw new IllegalArgumentException("echo port " + sipPort + " is outside 1..65535");
        }
        this.address = address;
        this.sipPort = sipPort;
        this.settings = new EchoSettings(ringingDelay, maxCallDuration, maxCalls);
    }

    /**
     * Binds UDP and TCP on {@code address:sipPort} and starts answering.
     *
     * @throws EchoServiceException naming address, port and transport when a socket cannot be bound
     */
    public synchronized void start() {
        if (started) throw new IllegalStateException("echo service on " + where() + " already started");
        started = true;
        InetAddress inet;
        try {
            inet = InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new EchoServiceException("echo service: unknown address \"" + address + "\"", e);
        }
        try {
            rtp = new RtpEcho(STACK_NAME + "-rtp");
            stack = SipStacks.create(STACK_NAME, false);
            ListeningPoint udp = listen("udp");
            ListeningPoint tcp = listen("tcp");
            provider = stack.createSipProvider(udp);
            provider.addListeningPoint(tcp);
            lane = new ScheduledThreadPoolExecutor(1, DaemonThreads.named(STACK_NAME + "-lane"));
            lane.setRemoveOnCancelPolicy(true);
            agent = new EchoUserAgent(provider, new MessageFactoryImpl(), new HeaderFactoryImpl(),
                    new AddressFactoryImpl(), inet, sipPort, rtp, lane, settings);
            provider.addSipListener(agent);
            stack.start();
        } catch (EchoServiceException e) {
            close();
            throw e;
        } catch (Exception e) {
            close();
            throw new EchoServiceException("echo service: cannot start on " + where() + ": " + e.getMessage(), e);
        }
        log.info("echo service listening on {} (udp, tcp)", where());
    }

    /** Calls currently ringing, answered or in progress. */
    public int activeCalls() {
        EchoUserAgent a = agent;
        return a == null ? 0 : a.activeCalls();
    }

    /** Ends every call (BYE or 480), frees all sockets and stops the SIP stack. Idempotent; bounded in time. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (lane != null) {
            try {
                lane.submit(agent::hangUpAll).get(2, TimeUnit.SECONDS);
            } catch (Exception e) {
                log.warn("echo service: calls not ended cleanly: {}", e.toString());
            }
            lane.shutdownNow();
        }
        if (stack != null) stopStack();
        if (rtp != null) rtp.close();
        log.info("echo service on {} closed", where());
    }

    private ListeningPoint listen(String transport) {
        try {
            return stack.createListeningPoint(address, sipPort, transport);
        } catch (Exception e) {
            throw new EchoServiceException("echo service: cannot listen on " + where() + "/" + transport + ": "
                    + rootMessage(e), e);
        }
    }

    private void stopStack() {
        SipStacks.stop(stack, provider, agent, address, sipPort);
    }

    private String where() {
        return (address.contains(":") ? "[" + address + "]" : address) + ":" + sipPort;
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }
}

package org.pasarela.echo;

import gov.nist.javax.sip.EventScanner;
import gov.nist.javax.sip.EventWrapper;
import gov.nist.javax.sip.SipStackImpl;
import gov.nist.javax.sip.address.AddressFactoryImpl;
import gov.nist.javax.sip.header.HeaderFactoryImpl;
import gov.nist.javax.sip.message.MessageFactoryImpl;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import javax.sip.IOExceptionEvent;
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
    /** JAIN-SIP's stop() has been reported to hang (RestComm/jain-sip#198); close() never waits longer. */
    private static final long STOP_TIMEOUT_MS = 5000;
    static final String STACK_NAME = "pasarela-echo";
    /** The SLF4J logger (via log4j-over-slf4j) that JAIN-SIP's own log lines go to. */
    static final String STACK_LOGGER = "gov.nist.javax.sip." + STACK_NAME;

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
            stack = new SipStackImpl(stackProperties());
            ListeningPoint udp = listen("udp");
            ListeningPoint tcp = listen("tcp");
            provider = stack.createSipProvider(udp);
            provider.addListeningPoint(tcp);
            lane = new ScheduledThreadPoolExecutor(1, runnable -> {
                Thread t = Executors.defaultThreadFactory().newThread(runnable);
                t.setName(STACK_NAME + "-lane");
                t.setDaemon(true);
                return t;
            });
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

    /** Stops JAIN-SIP on a helper thread so a hanging stop() cannot hang our caller. */
    private void stopStack() {
        SipStackImpl s = stack;
        SipProvider p = provider;
        EventScanner scanner = s.getEventScanner();
        Thread stopper = new Thread(() -> {
            if (p != null) p.removeSipListener(agent);
            // stop() closes every listening point itself (and sleeps 1 s in SIPTransactionStack.stopStack).
            s.stop();
            // stop() marks the event scanner stopped but leaves its non-daemon thread blocked in take()
            // (RestComm/jain-sip#198). An IOExceptionEvent wakes it up: with no listener left its delivery is a
            // no-op, and the scanner then sees the flag and exits.
            if (scanner != null) {
                scanner.forceStop();
                scanner.addEvent(new EventWrapper(new IOExceptionEvent(s, address, sipPort, "udp"), null));
            }
        }, STACK_NAME + "-stop");
        stopper.setDaemon(true);
        stopper.start();
        try {
            stopper.join(STOP_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stopper.isAlive()) {
            log.warn("echo service: JAIN-SIP stop() did not return within {} ms; continuing", STOP_TIMEOUT_MS);
        }
    }

    /**
     * Our own stack, never shared with the gateway's: a distinct name, no message or debug log files, and
     * JAIN-SIP's logging routed to SLF4J at the level the logging configuration asks for.
     */
    private Properties stackProperties() {
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", STACK_NAME);
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "on");
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", "4");
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", "false");
        p.setProperty("gov.nist.javax.sip.LOG4J_LOGGER_NAME", STACK_LOGGER);
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", traceLevel(LoggerFactory.getLogger(STACK_LOGGER)));
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
        // Deliberately unset: gov.nist.javax.sip.DEBUG_LOG and SERVER_LOG, which would write files to the
        // working directory.
        return p;
    }

    /**
     * Maps the SLF4J level of {@link #STACK_LOGGER} to JAIN-SIP's TRACE_LEVEL. Only TRACE turns on JAIN-SIP's
     * message traces and internals (its "DEBUG"), because an unconfigured logback runs at DEBUG and would
     * otherwise print every SIP message; anything else keeps JAIN-SIP to errors and warnings.
     */
    static String traceLevel(Logger stackLogger) {
        return stackLogger.isTraceEnabled() ? "DEBUG" : "ERROR";
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

package org.pasarela.transport.sip;

import gov.nist.core.net.NetworkLayer;
import gov.nist.javax.sip.EventScanner;
import gov.nist.javax.sip.EventWrapper;
import gov.nist.javax.sip.SipStackImpl;
import java.util.Properties;
import javax.net.ssl.SSLContext;
import javax.sip.IOExceptionEvent;
import javax.sip.PeerUnavailableException;
import javax.sip.SipListener;
import javax.sip.SipProvider;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creating and stopping JAIN-SIP RI stacks the way the gateway needs them: each stack its own (not
 * SipFactory's cached one, so the gateway's stack and the echo service's never mix), logging through SLF4J
 * with no files, and a stop that always returns.
 */
public final class SipStacks {
    private static final Logger log = LoggerFactory.getLogger(SipStacks.class);
    /** JAIN-SIP's stop() has been reported to hang (RestComm/jain-sip#198); we never wait longer. */
    private static final long STOP_TIMEOUT_MS = 5000;
    /** A TLS peer that accepts TCP but never finishes the handshake must not hold a send forever. */
    static final long TLS_HANDSHAKE_TIMEOUT_MS = 10000;

    private SipStacks() {}

    /** The SLF4J logger a stack named {@code stackName} logs to; TRACE on it turns on SIP message traces. */
    public static String loggerName(String stackName) {
        return "gov.nist.javax.sip." + stackName;
    }

    /**
     * A new stack.
     *
     * @param reentrantListener true when the listener never blocks and may be called from several threads
     */
    public static SipStackImpl create(String stackName, boolean reentrantListener) throws PeerUnavailableException {
        return new SipStackImpl(properties(stackName, reentrantListener));
    }

    /**
     * A new stack whose TLS uses {@code tls} through {@code networkLayer} (see {@link SipNetworkLayer}): TLS 1.2
     * and 1.3 with the JDK's default cipher suites (JAIN-SIP's defaults are RSA key exchange and anonymous
     * suites), no client certificates asked of peers connecting to us, and a handshake that must finish within
     * {@value #TLS_HANDSHAKE_TIMEOUT_MS} ms.
     */
    static SipStackImpl create(String stackName, boolean reentrantListener, SSLContext tls,
                               NetworkLayer networkLayer) throws PeerUnavailableException {
        Properties p = properties(stackName, reentrantListener);
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_PROTOCOLS", "TLSv1.3,TLSv1.2");
        p.setProperty("gov.nist.javax.sip.ENABLED_CIPHER_SUITES",
                String.join(",", tls.getDefaultSSLParameters().getCipherSuites()));
        p.setProperty("gov.nist.javax.sip.TLS_CLIENT_AUTH_TYPE", "Disabled");
        p.setProperty("gov.nist.javax.sip.SSL_HANDSHAKE_TIMEOUT", String.valueOf(TLS_HANDSHAKE_TIMEOUT_MS));
        p.setProperty("gov.nist.javax.sip.SSL_RENEGOTIATION_ENABLED", "false");
        return new TlsStack(p, networkLayer);
    }

    /** JAIN-SIP takes a network layer only by class name; this hands it an instance instead. */
    private static final class TlsStack extends SipStackImpl {
        TlsStack(Properties properties, NetworkLayer layer) throws PeerUnavailableException {
            super(properties);
            this.networkLayer = layer; // read when listening points start, after construction
        }
    }

    private static Properties properties(String stackName, boolean reentrantListener) {
        Properties p = new Properties();
        p.setProperty("javax.sip.STACK_NAME", stackName);
        p.setProperty("javax.sip.AUTOMATIC_DIALOG_SUPPORT", "on");
        // A NOTIFY for no subscription reaches the listener, like every other request from outside our calls,
        // so that it gets the same answer (405) and passes the same flood limit; the stack would answer 481.
        p.setProperty("gov.nist.javax.sip.DELIVER_UNSOLICITED_NOTIFY", "true");
        // A call's messages must reach it in the order they arrived: a 180 handled after its 200 loses the
        // browser's "ringing", a BYE handled before its 200 left calls up for ever. One UDP reader and one
        // delivery thread keep that order; the listener only posts to lanes, so one thread is plenty.
        p.setProperty("gov.nist.javax.sip.THREAD_POOL_SIZE", reentrantListener ? "4" : "1");
        p.setProperty("gov.nist.javax.sip.REENTRANT_LISTENER", String.valueOf(reentrantListener));
        // Hostile input: no SIP message over 64 KiB.
        p.setProperty("gov.nist.javax.sip.MAX_MESSAGE_SIZE", "65536");
        // Asks the RI to deliver 2xx from every fork of an INVITE (RFC 3261 §13.2.2.4), so that each gets its ACK
        // and, if it is not the first, its BYE. RI 1.3.0-91 drops a second fork's 2xx with or without it
        // (SipEdgeCasesIT, the disabled test); kept for a stack that honours it.
        p.setProperty("gov.nist.javax.sip.MAX_FORK_TIME", "32");
        // Frees an ended call's dialog when the call ends, not 32 s later (see SipStackTimer).
        p.setProperty("gov.nist.javax.sip.TIMER_CLASS_NAME", SipStackTimer.class.getName());
        p.setProperty("gov.nist.javax.sip.LOG4J_LOGGER_NAME", loggerName(stackName));
        // Only TRACE turns on JAIN-SIP's message traces: an unconfigured logback runs at DEBUG and would
        // otherwise print every SIP message. DEBUG_LOG and SERVER_LOG stay unset: they write files.
        p.setProperty("gov.nist.javax.sip.TRACE_LEVEL", traceLevel(LoggerFactory.getLogger(loggerName(stackName))));
        p.setProperty("gov.nist.javax.sip.LOG_MESSAGE_CONTENT", "false");
        return p;
    }

    /** JAIN-SIP's TRACE_LEVEL for an SLF4J logger: its "DEBUG" (message traces) only when the logger is at TRACE. */
    static String traceLevel(Logger stackLogger) {
        return stackLogger.isTraceEnabled() ? "DEBUG" : "ERROR";
    }

    /**
     * Stops a stack on a helper thread, waiting at most {@value #STOP_TIMEOUT_MS} ms, and makes sure the
     * non-daemon EventScanner thread exits.
     */
    public static void stop(SipStackImpl stack, SipProvider provider, SipListener listener, String address, int port) {
        EventScanner scanner = stack.getEventScanner();
        Thread stopper = new Thread(() -> {
            if (provider != null && listener != null) {
                provider.removeSipListener(listener);
            }
            // stop() closes every listening point itself (and sleeps 1 s in SIPTransactionStack.stopStack).
            stack.stop();
            // stop() marks the event scanner stopped but leaves its non-daemon thread blocked in take()
            // (RestComm/jain-sip#198). An IOExceptionEvent wakes it up: with no listener left its delivery is a
            // no-op, and the scanner then sees the flag and exits.
            if (scanner != null) {
                scanner.forceStop();
                scanner.addEvent(new EventWrapper(new IOExceptionEvent(stack, address, port, "udp"), null));
            }
        }, stack.getStackName() + "-stop");
        stopper.setDaemon(true);
        stopper.start();
        try {
            stopper.join(STOP_TIMEOUT_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (stopper.isAlive()) {
            log.warn("SIP stack {}: stop() did not return within {} ms; continuing", stack.getStackName(),
                    STOP_TIMEOUT_MS);
        }
    }
}

package org.pasarela.transport.sip;

import java.text.ParseException;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.TimeUnit;
import javax.sip.Dialog;
import javax.sip.SipException;
import javax.sip.header.ContentTypeHeader;
import javax.sip.message.Request;
import org.pasarela.lane.Lane;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends one call's DTMF as SIP INFO application/dtmf-relay, one request per digit, strictly in the order asked
 * (two quick {@code dtmf} requests queue up instead of interleaving) and paced like a keypad: each digit lasts its
 * duration plus a short gap, and ',' pauses two seconds as in {@code RTCDTMFSender.insertDTMF}.
 *
 * <p>Runs on its leg's send lane; the scheduler only wakes the lane.
 */
final class SipDtmfSender {
    private static final Logger log = LoggerFactory.getLogger(SipDtmfSender.class);
    private static final int GAP_MS = 50;
    private static final int PAUSE_MS = 2000;
    /** More pending digits than this are a client bug or abuse: the excess is dropped. */
    static final int MAX_PENDING = 64;

    private record Digit(char signal, int durationMs) {}

    private final String callId;
    private final SipContext sip;
    private final Lane sends;
    private final Queue<Digit> pending = new ArrayDeque<>();
    private boolean draining;
    private boolean stopped;

    SipDtmfSender(String callId, SipContext sip, Lane sends) {
        this.callId = callId;
        this.sip = sip;
        this.sends = sends;
    }

    /** Queues the digits; must run on the send lane. */
    void enqueue(String digits, int durationMs, Dialog dialog) {
        for (char c : digits.toCharArray()) {
            if (pending.size() >= MAX_PENDING) {
                log.warn("call {}: more than {} DTMF digits pending, dropping the rest of '{}'", callId, MAX_PENDING,
                        digits);
                break;
            }
            pending.add(new Digit(c, durationMs));
        }
        if (!draining) {
            draining = true;
            next(dialog);
        }
    }

    /** The call is over: nothing more is sent. Must run on the send lane. */
    void stop() {
        stopped = true;
        pending.clear();
    }

    private void next(Dialog dialog) {
        Digit digit = pending.poll();
        if (digit == null || stopped) {
            draining = false;
            return;
        }
        long waitMs = PAUSE_MS;
        if (digit.signal() != ',') {
            send(dialog, digit);
            waitMs = digit.durationMs() + GAP_MS;
        }
        sip.scheduler.schedule(() -> sends.execute(() -> next(dialog)), waitMs, TimeUnit.MILLISECONDS);
    }

    private void send(Dialog dialog, Digit digit) {
        try {
            Request info = dialog.createRequest(Request.INFO);
            ContentTypeHeader type = sip.headers.createContentTypeHeader("application", "dtmf-relay");
            info.setContent("Signal=" + digit.signal() + "\r\nDuration=" + digit.durationMs() + "\r\n", type);
            dialog.sendRequest(sip.provider.getNewClientTransaction(info));
        } catch (SipException | ParseException e) {
            log.debug("call {}: INFO not sent: {}", callId, e.toString());
        }
    }
}

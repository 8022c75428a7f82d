package org.pasarela.app;

import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.pasarela.call.CallAction;
import org.pasarela.call.CallAction.AnswerReoffer;
import org.pasarela.call.CallAction.CancelTimer;
import org.pasarela.call.CallAction.ReleaseMedia;
import org.pasarela.call.CallAction.SendBye;
import org.pasarela.call.CallAction.SendDtmfEvents;
import org.pasarela.call.CallAction.SendDtmfInfo;
import org.pasarela.call.CallAction.StartMedia;
import org.pasarela.call.CallAction.StartTimer;
import org.pasarela.call.CallAction.UpdateMedia;
import org.pasarela.call.CallEvent;
import org.pasarela.call.CallEvent.MediaAllocated;
import org.pasarela.call.CallEvent.MediaConnected;
import org.pasarela.call.CallEvent.MediaFailed;
import org.pasarela.call.CallEvent.MediaLost;
import org.pasarela.call.CallEvent.TimerFired;
import org.pasarela.call.CallTimer;
import org.pasarela.transport.rtp.MediaEvents;
import org.pasarela.transport.rtp.MediaPorts;
import org.pasarela.transport.rtp.MediaRelay;
import org.pasarela.transport.rtp.MediaUnavailableException;
import org.pasarela.transport.sip.DialogLeg;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live resources behind one call (its sockets, media session, SIP leg and armed timers) and the actions every
 * call carries out on them the same way, whichever side placed it: media, timers and in-dialog SIP requests.
 * Lane-owned: only the lane of the call's owner touches it.
 */
final class CallResources {
    private static final Logger log = LoggerFactory.getLogger(CallResources.class);

    private final String callId;
    /** Posts an event for this call onto its owner's lane (timers and media report through it). */
    private final Consumer<CallEvent> post;
    MediaPorts ports;
    MediaRelay.Handle media;
    DialogLeg leg;
    final Map<CallTimer, ScheduledFuture<?>> timers = new EnumMap<>(CallTimer.class);

    CallResources(String callId, Consumer<CallEvent> post) {
        this.callId = callId;
        this.post = post;
    }

    /** Binds the call's media sockets; the result is the event to hand the call at once, on the lane. */
    CallEvent allocateMedia(MediaEndpoints endpoints) {
        try {
            MediaEndpoints.Allocation allocation = endpoints.allocate(callId);
            ports = allocation.ports();
            return new MediaAllocated(allocation.local());
        } catch (MediaUnavailableException e) { // no ports left, or a saturated relay (logged there): a 503
            return new MediaFailed(e.getMessage(), e.retryAfterSeconds());
        } catch (RuntimeException e) {
            log.warn("call {}: cannot set up media endpoints: {}", callId, e.toString());
            return new MediaFailed("cannot set up media endpoints: " + e.getMessage());
        }
    }

    /**
     * Carries out {@code action} if it is one every call shares; false if it is not (the owner handles it).
     */
    boolean execute(CallAction action, GatewayServices services) {
        if (action instanceof ReleaseMedia) {
            releaseMedia();
        } else if (action instanceof StartMedia start) {
            media = services.relay().open(callId, ports, start.local(), start.browser(), start.answer(), mediaEvents());
        } else if (action instanceof UpdateMedia update) {
            if (media != null) {
                media.update(update.answer());
            }
        } else if (action instanceof CallAction.HoldMedia hold) {
            if (media != null) {
                media.hold(hold.held());
            }
        } else if (action instanceof CallAction.SendReinvite reinvite) {
            leg.sendReinvite(reinvite.sdp());
        } else if (action instanceof CallAction.SendRefer refer) {
            leg.sendRefer(refer.referTo().toString());
        } else if (action instanceof SendDtmfEvents dtmf) {
            if (media != null) {
                media.sendDigits(dtmf.digits(), dtmf.durationMs());
            }
        } else if (action instanceof SendBye) {
            leg.sendBye();
        } else if (action instanceof AnswerReoffer answer) {
            leg.answerReoffer(answer.code(), answer.sdp(), answer.reason());
        } else if (action instanceof SendDtmfInfo dtmf) {
            leg.sendDtmfInfo(dtmf.digits(), dtmf.durationMs());
        } else if (action instanceof StartTimer start) {
            ScheduledFuture<?> previous = timers.put(start.timer(), services.scheduler().schedule(
                    () -> post.accept(new TimerFired(start.timer())), start.after().toMillis(), TimeUnit.MILLISECONDS));
            if (previous != null) {
                previous.cancel(false);
            }
        } else if (action instanceof CancelTimer cancel) {
            ScheduledFuture<?> timer = timers.remove(cancel.timer());
            if (timer != null) {
                timer.cancel(false);
            }
        } else {
            return false;
        }
        return true;
    }

    /** Frees everything the call holds; idempotent. */
    void release() {
        cancelTimers();
        releaseMedia();
        if (leg != null) {
            leg.forget();
        }
    }

    void releaseMedia() {
        if (media != null) {
            media.close();
        }
        if (ports != null) {
            ports.close();
        }
    }

    void cancelTimers() {
        timers.values().forEach(timer -> timer.cancel(false));
        timers.clear();
    }

    private MediaEvents mediaEvents() {
        return new MediaEvents() {
            @Override
            public void connected(String description) {
                log.info("call {}: media connected ({})", callId, description);
                post.accept(new MediaConnected(description));
            }

            @Override
            public void lost(String reason) {
                log.info("call {}: media lost: {}", callId, reason);
                post.accept(new MediaLost(reason));
            }
        };
    }
}

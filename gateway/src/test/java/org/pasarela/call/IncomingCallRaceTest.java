package org.pasarela.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.pasarela.call.CallFixtures.T0;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.pasarela.call.CallAction.Finish;
import org.pasarela.call.CallAction.ReleaseMedia;
import org.pasarela.call.CallAction.SendFinalResponse;
import org.pasarela.call.CallAction.SendToSession;
import org.pasarela.call.CallEvent.MediaLost;
import org.pasarela.call.CallEvent.SessionAccepted;
import org.pasarela.call.CallEvent.SessionHungUp;
import org.pasarela.call.CallEvent.SessionLeft;
import org.pasarela.call.CallEvent.SessionRejected;
import org.pasarela.call.CallEvent.SipAcked;
import org.pasarela.call.CallEvent.SipByeCompleted;
import org.pasarela.call.CallEvent.SipByeReceived;
import org.pasarela.call.CallEvent.SipCancelled;
import org.pasarela.call.CallEvent.TimerFired;
import org.pasarela.signaling.Hangup;

/**
 * Races between the caller, the ringing sessions, the media and the timers, as one table: from RINGING on s1, s2,
 * s3, each row's events arrive in the order given, and the call must end where the row says with its invariants
 * intact: every session that did not leave has exactly one {@code hangup} once the call is over (at most one
 * before), the caller gets at most one final response, and Finish comes exactly once, with media released.
 */
class IncomingCallRaceTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "accept s1; cancel                          | ACCEPTED  | 200",
        "cancel; accept s1                          | ENDED     | ",
        "accept s1; accept s2; ack                  | CONFIRMED | 200",
        "accept s1; reject s2; ack; bye             | ENDED     | 200",
        "reject s1; accept s2; ack; hangup s2; byeok| ENDED     | 200",
        "accept s1; left s1; ack; byeok             | ENDED     | 200",
        "accept s1; hangup s1; hangup s1; ack; byeok| ENDED     | 200",
        "accept s1; bye; ack                        | ENDED     | 200",
        "accept s1; ackguard; ack; byeguard         | ENDED     | 200",
        "accept s1; lost; ack; byeok                | ENDED     | 200",
        "accept s1; ack; lost; bye; byeok           | ENDED     | 200",
        "ringtimeout; accept s1; reject s2          | ENDED     | 480",
        "decline s2; accept s1; cancel              | ENDED     | 603",
        "left s1; left s2; left s3; accept s1       | ENDED     | 480",
        "reject s1; left s2; hangup s3              | ENDED     | 486",
        "reject s1; reject s2; reject s3; cancel    | ENDED     | 486",
        "hangup s1; cancel; ringtimeout             | ENDED     | ",
        "accept s1; ack; bye; hangup s1; lost       | ENDED     | 200",
        "accept s3; ack; hangup s3; bye; byeok      | ENDED     | 200",
        "accept s2; ringtimeout; ack; ackguard      | CONFIRMED | 200",
    })
    void keepsItsPromisesWhateverTheOrder(String script, IncomingState expected, Integer finalCode) {
        IncomingCall call = IncomingFixtures.ringing();
        List<CallAction> all = new ArrayList<>();
        Set<String> left = new HashSet<>();
        for (String step : script.split(";")) {
            String[] words = step.strip().split(" ");
            if (words[0].equals("left")) left.add(words[1]);
            all.addAll(call.handle(event(words), T0));
        }

        assertThat(call.state()).isEqualTo(expected);
        Map<String, Integer> hangups = new HashMap<>();
        for (SendToSession send : CallFixtures.ofType(all, SendToSession.class)) {
            if (send.message() instanceof Hangup) hangups.merge(send.session(), 1, Integer::sum);
        }
        boolean over = expected == IncomingState.ENDED || expected == IncomingState.ENDING;
        for (String session : IncomingFixtures.SESSIONS) {
            int told = hangups.getOrDefault(session, 0);
            assertThat(told).as("hangups to %s", session).isLessThanOrEqualTo(1);
            if (over && !left.contains(session)) assertThat(told).as("hangups to %s", session).isEqualTo(1);
            if (left.contains(session)) assertThat(told).as("hangups to %s, which left", session).isZero();
        }
        List<SendFinalResponse> finals = CallFixtures.ofType(all, SendFinalResponse.class);
        if (finalCode == null) {
            assertThat(finals).isEmpty();
        } else {
            assertThat(finals).extracting(SendFinalResponse::code).containsExactly(finalCode);
        }
        assertThat(CallFixtures.ofType(all, Finish.class)).hasSize(expected == IncomingState.ENDED ? 1 : 0);
        if (expected == IncomingState.ENDED) assertThat(all).contains(new ReleaseMedia());
    }

    private static CallEvent event(String[] words) {
        return switch (words[0]) {
            case "accept" -> new SessionAccepted(words[1], "a-" + words[1], IncomingFixtures.chromiumAnswer());
            case "reject" -> new SessionRejected(words[1], null, false);
            case "decline" -> new SessionRejected(words[1], null, true);
            case "hangup" -> new SessionHungUp(words[1], null);
            case "left" -> new SessionLeft(words[1]);
            case "cancel" -> new SipCancelled();
            case "ack" -> new SipAcked(null);
            case "bye" -> new SipByeReceived();
            case "byeok" -> new SipByeCompleted();
            case "lost" -> new MediaLost("DTLS failed");
            case "ringtimeout" -> new TimerFired(CallTimer.RING_TIMEOUT);
            case "ackguard" -> new TimerFired(CallTimer.ACK_GUARD);
            case "byeguard" -> new TimerFired(CallTimer.BYE_GUARD);
            default -> throw new IllegalArgumentException("unknown step " + String.join(" ", words));
        };
    }
}

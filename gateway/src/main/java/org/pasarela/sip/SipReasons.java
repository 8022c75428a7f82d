package org.pasarela.sip;

import java.util.Map;
import java.util.Set;

/**
 * Standard SIP reason phrases: RFC 3261 §21 plus the codes later RFCs registered that a gateway meets in practice
 * (RFC 3262, 3265, 3329, 3892, 4028, 4412, 5079, 5360, 5393, 6228, 6442, 8197, 8599, 8688). Stateless.
 */
public final class SipReasons {

    private static final Map<Integer, String> PHRASES = Map.ofEntries(
            Map.entry(100, "Trying"),
            Map.entry(180, "Ringing"),
            Map.entry(181, "Call Is Being Forwarded"),
            Map.entry(182, "Queued"),
            Map.entry(183, "Session Progress"),
            Map.entry(199, "Early Dialog Terminated"),
            Map.entry(200, "OK"),
            Map.entry(202, "Accepted"),
            Map.entry(204, "No Notification"),
            Map.entry(300, "Multiple Choices"),
            Map.entry(301, "Moved Permanently"),
            Map.entry(302, "Moved Temporarily"),
            Map.entry(305, "Use Proxy"),
            Map.entry(380, "Alternative Service"),
            Map.entry(400, "Bad Request"),
            Map.entry(401, "Unauthorized"),
            Map.entry(402, "Payment Required"),
            Map.entry(403, "Forbidden"),
            Map.entry(404, "Not Found"),
            Map.entry(405, "Method Not Allowed"),
            Map.entry(406, "Not Acceptable"),
            Map.entry(407, "Proxy Authentication Required"),
            Map.entry(408, "Request Timeout"),
            Map.entry(410, "Gone"),
            Map.entry(412, "Conditional Request Failed"),
            Map.entry(413, "Request Entity Too Large"),
            Map.entry(414, "Request-URI Too Long"),
            Map.entry(415, "Unsupported Media Type"),
            Map.entry(416, "Unsupported URI Scheme"),
            Map.entry(417, "Unknown Resource-Priority"),
            Map.entry(420, "Bad Extension"),
            Map.entry(421, "Extension Required"),
            Map.entry(422, "Session Interval Too Small"),
            Map.entry(423, "Interval Too Brief"),
            Map.entry(428, "Use Identity Header"),
            Map.entry(429, "Provide Referrer Identity"),
            Map.entry(430, "Flow Failed"),
            Map.entry(433, "Anonymity Disallowed"),
            Map.entry(436, "Bad Identity-Info"),
            Map.entry(437, "Unsupported Certificate"),
            Map.entry(438, "Invalid Identity Header"),
            Map.entry(439, "First Hop Lacks Outbound Support"),
            Map.entry(440, "Max-Breadth Exceeded"),
            Map.entry(469, "Bad Info Package"),
            Map.entry(470, "Consent Needed"),
            Map.entry(480, "Temporarily Unavailable"),
            Map.entry(481, "Call/Transaction Does Not Exist"),
            Map.entry(482, "Loop Detected"),
            Map.entry(483, "Too Many Hops"),
            Map.entry(484, "Address Incomplete"),
            Map.entry(485, "Ambiguous"),
            Map.entry(486, "Busy Here"),
            Map.entry(487, "Request Terminated"),
            Map.entry(488, "Not Acceptable Here"),
            Map.entry(489, "Bad Event"),
            Map.entry(491, "Request Pending"),
            Map.entry(493, "Undecipherable"),
            Map.entry(494, "Security Agreement Required"),
            Map.entry(500, "Server Internal Error"),
            Map.entry(501, "Not Implemented"),
            Map.entry(502, "Bad Gateway"),
            Map.entry(503, "Service Unavailable"),
            Map.entry(504, "Server Time-out"),
            Map.entry(505, "Version Not Supported"),
            Map.entry(513, "Message Too Large"),
            Map.entry(555, "Push Notification Service Not Supported"),
            Map.entry(580, "Precondition Failure"),
            Map.entry(600, "Busy Everywhere"),
            Map.entry(603, "Decline"),
            Map.entry(604, "Does Not Exist Anywhere"),
            Map.entry(606, "Not Acceptable"),
            Map.entry(607, "Unwanted"),
            Map.entry(608, "Rejected"));

    /** The final responses that may carry a Retry-After header (RFC 3261 §20.33 and Table 3). */
    private static final Set<Integer> RETRY_AFTER = Set.of(404, 413, 480, 486, 500, 503, 600, 603);

    private SipReasons() {
    }

    /** Whether a response with this status code may say when to try again (Retry-After, RFC 3261 §20.33). */
    public static boolean allowsRetryAfter(int code) {
        return RETRY_AFTER.contains(code);
    }

    /**
     * The reason phrase for a status code. A code that no RFC names falls back to its class's name from the
     * RFC 3261 §21 headings ("Provisional", "Request Failure", ...), since §8.1.3.2 treats an unknown xyz like x00.
     *
     * @throws IllegalArgumentException when {@code code} is outside 100..699 (RFC 3261 §7.2)
     */
    public static String reasonPhrase(int code) {
        String phrase = PHRASES.get(code);
        if (phrase != null) return phrase;
        switch (code / 100) {
            case 1: return "Provisional";
            case 2: return "Successful";
            case 3: return "Redirection";
            case 4: return "Request Failure";
            case 5: return "Server Failure";
            case 6: return "Global Failure";
            default: throw new IllegalArgumentException("status code " + code + " is outside 100..699");
        }
    }
}

package org.pasarela.transport.sip;

import java.text.ParseException;
import javax.sip.InvalidArgumentException;
import javax.sip.ServerTransaction;
import javax.sip.SipException;
import javax.sip.header.ContactHeader;
import javax.sip.message.Response;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers a re-INVITE inside a call's dialog as the call decided, the same way whichever side placed the call:
 * 200 with the leg's Contact and the SDP (RFC 3261 §14.2), or a failure with the reason in a Warning header
 * (RFC 3261 §20.43, code 399: miscellaneous).
 */
final class ReinviteAnswer {
    private static final Logger log = LoggerFactory.getLogger(ReinviteAnswer.class);

    /** The leg's Contact for the 200; building it may fail on a bad configured name. */
    @FunctionalInterface
    interface ContactSource {
        ContactHeader contact() throws ParseException;
    }

    private ReinviteAnswer() {
    }

    /** Sends the answer; a failure to build or send it is logged for {@code call} and otherwise dropped. */
    static void send(SipContext sip, ServerTransaction transaction, int code, String sdp, String reason,
                     ContactSource contact, String call) {
        try {
            Response response = sip.messages.createResponse(code, transaction.getRequest());
            if (code == Response.OK) {
                response.addHeader(contact.contact());
                if (sdp != null) {
                    response.setContent(sdp, sip.headers.createContentTypeHeader("application", "sdp"));
                }
            } else if (reason != null) {
                response.addHeader(sip.headers.createWarningHeader("pasarela", 399, warningText(reason)));
            }
            transaction.sendResponse(response);
        } catch (ParseException | SipException | InvalidArgumentException e) {
            log.debug("{}: cannot answer re-INVITE: {}", call, e.toString());
        }
    }

    /** A Warning's text is a quoted string: no quotes, backslashes or control characters inside. */
    static String warningText(String reason) {
        return reason.replaceAll("[\\\\\"\\p{Cntrl}]", "'");
    }
}

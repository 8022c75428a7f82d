package org.pasarela.signaling;

/**
 * A message from the gateway to the browser: an answer to a request ({@code ack}, {@code error}, {@code pong})
 * or an event of a call ({@code incoming}, {@code ringing}, {@code progress}, {@code answered}, {@code candidate},
 * {@code hangup}, {@code transfer-failed}),
 * or of the user ({@code missed}).
 */
public sealed interface ServerMessage
        permits Ack, ErrorMessage, Ringing, Progress, Answered, CandidateEvent, Hangup, Pong, HistoryReply,
                Missed, Registered, RegistrationFailed, Incoming, TransferFailed {

    /** The wire name written in the {@code "type"} field, for example {@code "answered"}. */
    String type();
}

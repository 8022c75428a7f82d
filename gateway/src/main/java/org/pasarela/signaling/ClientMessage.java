package org.pasarela.signaling;

/**
 * A request from the browser to the gateway: one JSON object in one WebSocket text frame (see docs/protocol.md).
 *
 * <p>Every implementation is an immutable record that validated its fields in its canonical constructor.
 */
public sealed interface ClientMessage
        permits LoginRequest, CallRequest, CandidateMessage, HangupRequest, DtmfRequest, PingRequest,
                HistoryRequest, RegisterRequest, UnregisterRequest, AcceptRequest, RejectRequest, HoldRequest,
                TransferRequest {

    /** The wire name written in the {@code "type"} field, for example {@code "call"}. */
    String type();

    /**
     * The client's correlation id, echoed in the {@code ack}, {@code pong} or {@code error} that answers this
     * request; {@code null} when the client sent none (allowed for {@code candidate},
     * {@code hangup}, {@code dtmf}, {@code reject}, {@code hold}, {@code unhold}, {@code transfer}).
     */
    String id();
}

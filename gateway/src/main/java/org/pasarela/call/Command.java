package org.pasarela.call;

/**
 * An action for the adapters, with the call it belongs to ({@code callId} is null for session-level replies
 * such as the answer to {@code login}).
 */
public record Command(String callId, CallAction action) {
    static Command forSession(CallAction action) {
        return new Command(null, action);
    }
}

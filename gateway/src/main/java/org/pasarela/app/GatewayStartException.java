package org.pasarela.app;

/** Some part of the gateway could not start; the message says which and why. */
public final class GatewayStartException extends Exception {
    public GatewayStartException(String message, Throwable cause) {
        super(message, cause);
    }
}

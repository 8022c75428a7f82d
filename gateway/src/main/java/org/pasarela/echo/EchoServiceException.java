package org.pasarela.echo;

/** The echo service could not start; the message names the address, port and transport involved. */
public final class EchoServiceException extends RuntimeException {
    EchoServiceException(String message, Throwable cause) {
        super(message, cause);
    }
}

package org.pasarela.transport.ws;

/** The HTTPS certificate or key cannot be read, made or kept: the message names the file and what is wrong. */
public final class HttpsCertificateException extends Exception {
    public HttpsCertificateException(String message) {
        super(message);
    }

    public HttpsCertificateException(String message, Throwable cause) {
        super(message, cause);
    }
}

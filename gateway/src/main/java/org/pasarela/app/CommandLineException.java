package org.pasarela.app;

/** Command-line arguments that cannot be understood; the message names the offending argument. */
public final class CommandLineException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public CommandLineException(String message) {
        super(message);
    }
}

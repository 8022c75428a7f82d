package org.pasarela.history;

/** A {@code before} cursor names a record that is not in this user's history. */
public final class UnknownCursorException extends HistoryException {
    public UnknownCursorException(String message) {
        super(message);
    }
}

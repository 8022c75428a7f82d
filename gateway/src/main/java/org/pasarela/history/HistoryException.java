package org.pasarela.history;

/** The call history store failed: it cannot be opened or migrated, or a read or write failed. */
public class HistoryException extends RuntimeException {
    public HistoryException(String message, Throwable cause) {
        super(message, cause);
    }

    public HistoryException(String message) {
        super(message);
    }
}

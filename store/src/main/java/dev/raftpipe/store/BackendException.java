package dev.raftpipe.store;

/** The backend file could not be read or written (SQLite or I/O trouble, not bad data). */
public final class BackendException extends RuntimeException {
    public BackendException(String message, Throwable cause) {
        super(message, cause);
    }
}

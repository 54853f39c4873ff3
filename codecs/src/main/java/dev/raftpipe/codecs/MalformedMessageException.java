package dev.raftpipe.codecs;

/** A protobuf message that does not parse; callers add where it was found. */
public final class MalformedMessageException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedMessageException(String message) {
        super(message);
    }
}

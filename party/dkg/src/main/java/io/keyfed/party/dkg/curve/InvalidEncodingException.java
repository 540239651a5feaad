package io.keyfed.party.dkg.curve;

/** A scalar or point encoding was rejected by validation. The message never contains secret material. */
public final class InvalidEncodingException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidEncodingException(String message) {
        super(message);
    }
}

package io.keyfed.party.dkg.wire;

/** Constants of the canonical message encodings (all integers big-endian). */
public final class Wire {
    /** Encoding version byte, first byte of every message. */
    public static final int VERSION = 1;
    public static final int TYPE_ROUND1 = 1;
    public static final int TYPE_ECHO = 2;
    public static final int TYPE_ROUND2 = 3;
    /** Largest n (and therefore t) the engine accepts. */
    public static final int MAX_PARTICIPANTS = 255;
    /** Hard bound on any encoded DKG message; decoders reject longer input before parsing. */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024;

    private Wire() {
    }
}

package io.keyfed.party.dkg.wire;

/** Constants of the canonical message encodings (all integers big-endian). */
public final class Wire {
    /** Encoding version byte, first byte of every message. */
    public static final int VERSION = 1;
    public static final int TYPE_ROUND1 = 1;
    public static final int TYPE_ECHO = 2;
    public static final int TYPE_ROUND2 = 3;
    /** A round-1 package with its sender's signature over the package's echo digest (type 4 is PublicKeyPackage). */
    public static final int TYPE_SIGNED_ROUND1 = 5;
    /** Largest n (and therefore t) the engine accepts. */
    public static final int MAX_PARTICIPANTS = 255;
    /** Largest signature a signed round-1 package or an echo entry may carry (64 = secp256k1 R||S, Ed25519). */
    public static final int MAX_SIGNATURE_BYTES = 64;
    /**
     * Hard bound on any encoded DKG message; decoders reject longer input before parsing. The largest message is
     * the echo: 41 + n × (32 + 2 + signature) bytes, 25 031 for n = 255 with 64-byte signatures.
     */
    public static final int MAX_MESSAGE_BYTES = 32 * 1024;

    private Wire() {
    }
}

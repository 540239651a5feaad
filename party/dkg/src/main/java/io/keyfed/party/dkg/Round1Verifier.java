package io.keyfed.party.dkg;

/**
 * Checks round-1 signatures for the engine. The caller decides the signature scheme, the sign bytes and which
 * key belongs to which participant (in the party service: ECDSA secp256k1 under the identity key named in the
 * request snapshot); the engine only decides, from what the verifier says, whom the evidence blames.
 *
 * <p>Must be a pure function: the same answer for the same arguments, no I/O.
 */
@FunctionalInterface
public interface Round1Verifier {
    /**
     * Whether {@code signature} is {@code participant}'s valid signature over {@code digest}, the echo digest of
     * a round-1 package of this session ({@link Dkg#round1Digest}, which binds the session id and the
     * participant identifier).
     */
    boolean verify(int participant, byte[] digest, byte[] signature);
}

package io.keyfed.party.frost;

import io.keyfed.party.dkg.curve.GroupElement;
import io.keyfed.party.dkg.curve.InvalidEncodingException;
import io.keyfed.party.dkg.curve.Scalar;
import io.keyfed.party.dkg.curve.Secp256k1Curve;
import java.util.Arrays;

/**
 * FROST for BIP-340 signatures, as ZcashFoundation/frost's frost-secp256k1-tr: H1, H3, H4, H5 as
 * FROST(secp256k1, SHA-256) under "FROST-secp256k1-SHA256-TR-v1"; H2 is the BIP-340 challenge
 * TaggedHash("BIP0340/challenge", x(R) || x(Y) || m) mod n; signatures are x(R) || z (64 bytes).
 *
 * <p>Keys: if the DKG's key P has odd y, shares, verification shares and P are negated. The key-path suite
 * ({@link #KEY_PATH}, BIP-86) then adds τ = TaggedHash("TapTweak", x(P)) to every share (τ·G to every
 * verification share), and negates again if Q = P + τ·G has odd y. All of it is one {@link KeyAdjustment}
 * applied to in-memory copies. If the group commitment R has odd y, each signer negates its nonces and the
 * aggregator its commitment shares, so that the signature's R is the even lift of x(R).
 */
final class Secp256k1Tr extends Secp256k1Suite {
    static final Secp256k1Tr BIP340 = new Secp256k1Tr(false);
    static final Secp256k1Tr KEY_PATH = new Secp256k1Tr(true);
    private static final String CONTEXT = "FROST-secp256k1-SHA256-TR-v1";
    private final boolean tweak;

    private Secp256k1Tr(boolean tweak) {
        super(CONTEXT);
        this.tweak = tweak;
    }

    @Override
    public Scalar challenge(GroupElement r, GroupElement groupKey, byte[] message) {
        return CURVE.scalarReduce(Hashes.tagged("BIP0340/challenge", x(r), x(groupKey), message));
    }

    @Override
    public byte[] encodeSignature(GroupElement r, Scalar z) {
        return Signature.concat(x(r), CURVE.encodeScalar(z));
    }

    /** BIP-340 verification with the even-y lift of R and of the key: z·G − c·Y has even y and x(R). */
    @Override
    public boolean verify(GroupElement r, Scalar z, GroupElement groupKey, byte[] message) {
        GroupElement y = oddY(groupKey) ? negate(groupKey) : groupKey;
        GroupElement rr = CURVE.mulBaseAddPublic(z, y, CURVE.scalarNegate(challenge(r, y, message)));
        return !CURVE.isIdentity(rr) && !oddY(rr) && Arrays.equals(x(rr), x(r));
    }

    @Override
    public KeyAdjustment adjustment(GroupElement p) throws FrostAbort {
        boolean negateP = oddY(p);
        if (!tweak) {
            return negateP ? KeyAdjustment.negation(CURVE) : KeyAdjustment.NONE;
        }
        Scalar tau;
        try {
            tau = CURVE.decodeScalar(Hashes.tagged("TapTweak", x(p)));
        } catch (InvalidEncodingException e) {
            throw new FrostAbort(new FrostError.InvalidTweak(FrostError.UNATTRIBUTABLE));
        }
        GroupElement even = negateP ? negate(p) : p;
        boolean negateQ = oddY(CURVE.add(even, CURVE.mulBase(tau)));
        Scalar one = CURVE.scalarOf(1);
        return new KeyAdjustment(negateP != negateQ ? CURVE.scalarNegate(one) : one,
                negateQ ? CURVE.scalarNegate(tau) : tau);
    }

    @Override
    public boolean evenR() {
        return true;
    }

    @Override
    public boolean negatesR(GroupElement r) {
        return oddY(r);
    }

    /** −P: the same x with the other y, by flipping the compressed encoding's parity byte. */
    @Override
    public GroupElement negate(GroupElement p) {
        if (CURVE.isIdentity(p)) {
            return p;
        }
        byte[] e = CURVE.encodePoint(p);
        e[0] = (byte) (e[0] == 0x02 ? 0x03 : 0x02);
        try {
            return CURVE.decodePoint(e);
        } catch (InvalidEncodingException ex) {
            throw new IllegalStateException("negation of a valid point", ex);
        }
    }

    @Override
    public int rLength() {
        return 32;
    }

    /** lift_x: the point with this x and even y. */
    @Override
    public GroupElement decodeR(byte[] x) throws InvalidEncodingException {
        if (x.length != 32) {
            throw new InvalidEncodingException("x(R) must be 32 bytes");
        }
        byte[] e = new byte[33];
        e[0] = 0x02;
        System.arraycopy(x, 0, e, 1, 32);
        return CURVE.decodePoint(e);
    }

    /** The 32-byte x-only key of BIP-340. */
    @Override
    public byte[] encodeVerifyingKey(GroupElement adjustedGroupKey) {
        return x(adjustedGroupKey);
    }

    static boolean oddY(GroupElement p) {
        return CURVE.encodePoint(p)[0] == 0x03;
    }

    static byte[] x(GroupElement p) {
        return Arrays.copyOfRange(CURVE.encodePoint(p), 1, 33);
    }
}

package io.keyfed.party.dkls;

import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.GroupElement;
import io.keyfed.party.dkg.curve.InvalidEncodingException;
import io.keyfed.party.dkg.curve.Scalar;
import java.util.HexFormat;
import java.util.List;

/** secp256k1 ECDSA arithmetic on the DKG's {@code Scalar}s: inverses, Lagrange coefficients, r, low-S, verify. */
final class EcdsaMath {
    static final Curve C = Vsot.CURVE;
    /** n − 2, big-endian: the exponent of Fermat inversion (public). */
    private static final byte[] N_MINUS_2 =
            HexFormat.of().parseHex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd036413f");
    /** ⌊n / 2⌋, big-endian: the largest low-S value (BIP-146, EIP-2). */
    private static final byte[] HALF_N =
            HexFormat.of().parseHex("7fffffffffffffffffffffffffffffff5d576e7357a4501ddfe92f46681b20a0");

    private EcdsaMath() {}

    /** a^(n−2) = a^(−1) for a ≠ 0, by square-and-multiply over the public exponent with constant-time ops. */
    static Scalar invert(Scalar a) {
        Scalar acc = C.scalarOf(1);
        for (byte by : N_MINUS_2) {
            for (int bit = 7; bit >= 0; bit--) {
                Scalar sq = C.scalarMul(acc, acc);
                acc.destroy();
                acc = sq;
                if (((by >>> bit) & 1) == 1) {
                    Scalar m = C.scalarMul(acc, a);
                    acc.destroy();
                    acc = m;
                }
            }
        }
        return acc;
    }

    /** λ_i = Π_{j ∈ signers, j ≠ i} j / (j − i): the signer set's Lagrange coefficient at 0 (public). */
    static Scalar lagrange(int i, List<Integer> signers) {
        Scalar num = C.scalarOf(1);
        Scalar den = C.scalarOf(1);
        for (int j : signers) {
            if (j == i) {
                continue;
            }
            num = C.scalarMul(num, C.scalarOf(j));
            den = C.scalarMul(den, C.scalarAdd(C.scalarOf(j), C.scalarNegate(C.scalarOf(i))));
        }
        return C.scalarMul(num, invert(den));
    }

    /** r = x(R) mod n, from the compressed encoding of R. */
    static Scalar rOf(GroupElement bigR) {
        byte[] enc = C.encodePoint(bigR);
        return C.scalarReduce(java.util.Arrays.copyOfRange(enc, 1, 33));
    }

    /** Whether x(R) ≥ n (then r = x − n and the recovery id carries bit 1). */
    static boolean xOverflows(GroupElement bigR) {
        byte[] x = java.util.Arrays.copyOfRange(C.encodePoint(bigR), 1, 33);
        return !java.util.Arrays.equals(x, C.encodeScalar(rOf(bigR)));
    }

    static boolean yOdd(GroupElement bigR) {
        return C.encodePoint(bigR)[0] == 0x03;
    }

    /** s &gt; n/2 (public s), comparing big-endian encodings. */
    static boolean isHigh(Scalar s) {
        byte[] e = C.encodeScalar(s);
        for (int k = 0; k < 32; k++) {
            int a = e[k] & 0xff;
            int b = HALF_N[k] & 0xff;
            if (a != b) {
                return a > b;
            }
        }
        return false;
    }

    /** ECDSA verification of (r, s) over the 32-byte digest m under {@code pub} (all public). */
    static boolean verify(GroupElement pub, byte[] digest, Scalar r, Scalar s) {
        Scalar zero = C.scalarOf(0);
        if (r.equals(zero) || s.equals(zero)) {
            return false;
        }
        Scalar m = C.scalarReduce(digest);
        Scalar sInv = invert(s);
        GroupElement p = C.mulBaseAddPublic(C.scalarMul(m, sInv), pub, C.scalarMul(r, sInv));
        if (C.isIdentity(p)) {
            return false;
        }
        return rOf(p).equals(r);
    }

    static GroupElement decodePoint(byte[] enc, int culprit, String what) throws DklsAbort {
        try {
            return C.decodePoint(enc);
        } catch (InvalidEncodingException e) {
            throw new DklsAbort(new DklsError.MalformedMessage(culprit, what + " is not a valid point"));
        }
    }
}

package io.keyfed.party.dkg.curve;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;

/**
 * secp256k1 (SEC 2) via BouncyCastle's custom GLV curve.
 *
 * <ul>
 *   <li>Scalars: 32-byte big-endian, decode rejects values &gt;= n.</li>
 *   <li>Points: 33-byte SEC1 compressed (02/03 || x); decode rejects x &gt;= p, x not on the curve,
 *       any other prefix and the identity. Cofactor is 1, so on-curve means in the prime-order group.</li>
 *   <li>Hash to scalar: expand_message_xmd(SHA-256) (RFC 9380) to 48 bytes with
 *       DST = "KEYFED-DKG-v1-secp256k1-" || domain, interpreted big-endian and reduced mod n
 *       (the hash_to_field construction RFC 9591 uses for FROST(secp256k1, SHA-256)).</li>
 * </ul>
 */
public final class Secp256k1Curve implements Curve {
    public static final Secp256k1Curve INSTANCE = new Secp256k1Curve();

    private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");
    private static final ECCurve CURVE = PARAMS.getCurve();
    private static final ECPoint G = PARAMS.getG().normalize();
    private static final BigInteger N = PARAMS.getN();
    private static final FixedPointCombMultiplier COMB = new FixedPointCombMultiplier();
    private static final String CONTEXT = "KEYFED-DKG-v1-secp256k1-";

    private Secp256k1Curve() {
    }

    @Override
    public CurveId id() {
        return CurveId.SECP256K1;
    }

    @Override
    public BigInteger order() {
        return N;
    }

    @Override
    public int scalarLength() {
        return 32;
    }

    @Override
    public int pointLength() {
        return 33;
    }

    @Override
    public String contextString() {
        return CONTEXT;
    }

    @Override
    public byte[] encodeScalar(BigInteger s) {
        if (s.signum() < 0 || s.compareTo(N) >= 0) {
            throw new IllegalArgumentException("scalar out of range");
        }
        return BigIntegers.asUnsignedByteArray(32, s);
    }

    @Override
    public BigInteger decodeScalar(byte[] encoded) throws InvalidEncodingException {
        if (encoded == null || encoded.length != 32) {
            throw new InvalidEncodingException("scalar must be 32 bytes");
        }
        BigInteger s = new BigInteger(1, encoded);
        if (s.compareTo(N) >= 0) {
            throw new InvalidEncodingException("scalar not below the group order");
        }
        return s;
    }

    @Override
    public GroupElement identity() {
        return new Pt(CURVE.getInfinity());
    }

    @Override
    public GroupElement generator() {
        return new Pt(G);
    }

    @Override
    public GroupElement mulBase(BigInteger k) {
        return new Pt(COMB.multiply(G, k.mod(N)).normalize());
    }

    @Override
    public GroupElement add(GroupElement a, GroupElement b) {
        return new Pt(p(a).add(p(b)).normalize());
    }

    /** k·P with BouncyCastle's default (GLV, wNAF) multiplier: variable time, public k only. */
    @Override
    public GroupElement mul(GroupElement p, BigInteger k) {
        return new Pt(p(p).multiply(k.mod(N)).normalize());
    }

    /**
     * a·G + b·P by {@link ECAlgorithms#sumOfTwoMultiplies} (interleaved wNAF with the GLV endomorphism:
     * one pass of doublings for both terms, one normalisation); variable time, public a, b and P only.
     */
    @Override
    public GroupElement mulBaseAddPublic(BigInteger a, GroupElement p, BigInteger b) {
        return new Pt(ECAlgorithms.sumOfTwoMultiplies(G, a.mod(N), p(p), b.mod(N)).normalize());
    }

    @Override
    public boolean isIdentity(GroupElement p) {
        return p(p).isInfinity();
    }

    @Override
    public byte[] encodePoint(GroupElement p) {
        ECPoint q = p(p);
        if (q.isInfinity()) {
            throw new IllegalArgumentException("the identity has no encoding");
        }
        return q.getEncoded(true);
    }

    @Override
    public GroupElement decodePoint(byte[] encoded) throws InvalidEncodingException {
        if (encoded == null || encoded.length != 33) {
            throw new InvalidEncodingException("point must be 33 bytes");
        }
        if (encoded[0] != 0x02 && encoded[0] != 0x03) {
            throw new InvalidEncodingException("point must be SEC1 compressed");
        }
        ECPoint q;
        try {
            // BouncyCastle rejects x >= p and x without a square root (not on the curve).
            q = CURVE.decodePoint(encoded).normalize();
        } catch (RuntimeException e) {
            throw new InvalidEncodingException("point not on the curve");
        }
        if (q.isInfinity() || !q.isValid()) {
            throw new InvalidEncodingException("point not a valid non-identity group element");
        }
        if (!Arrays.equals(q.getEncoded(true), encoded)) {
            throw new InvalidEncodingException("non-canonical point encoding");
        }
        return new Pt(q);
    }

    @Override
    public BigInteger hashToScalar(String domain, byte[] message) {
        return hashToField(message, (CONTEXT + domain).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * hash_to_field for the secp256k1 scalar field (RFC 9380 section 5.2, m = 1, L = 48,
     * expand_message_xmd with SHA-256), with an explicit DST.
     */
    public static BigInteger hashToField(byte[] message, byte[] dst) {
        byte[] uniform = ExpandMessageXmd.sha256(message, dst, 48);
        return new BigInteger(1, uniform).mod(N);
    }

    @Override
    public byte[] encodePublicKey(GroupElement p) {
        return encodePoint(p);
    }

    private static ECPoint p(GroupElement e) {
        if (!(e instanceof Pt pt)) {
            throw new IllegalArgumentException("not a secp256k1 group element");
        }
        return pt.point;
    }

    private static final class Pt implements GroupElement {
        private final ECPoint point;

        Pt(ECPoint point) {
            this.point = point;
        }

        @Override
        public CurveId curveId() {
            return CurveId.SECP256K1;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Pt other && point.equals(other.point);
        }

        @Override
        public int hashCode() {
            return point.isInfinity() ? 0 : Arrays.hashCode(point.getEncoded(true));
        }

        @Override
        public String toString() {
            return point.isInfinity() ? "secp256k1(identity)"
                    : "secp256k1(" + org.bouncycastle.util.encoders.Hex.toHexString(point.getEncoded(true)) + ")";
        }
    }
}

package io.keyfed.party.dkg.curve;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.ECLookupTable;
import org.bouncycastle.math.ec.FixedPointPreCompInfo;
import org.bouncycastle.math.ec.FixedPointUtil;
import org.bouncycastle.util.Pack;

/**
 * secp256k1 (SEC 2) via BouncyCastle's custom GLV curve; where libsecp256k1 loads, k·G and k·P run there
 * ({@link Secp256k1NativeOps}, constant time for both), and the BouncyCastle paths below are the fallback.
 *
 * <ul>
 *   <li>Scalars: 32-byte big-endian, decode rejects values &gt;= n. Arithmetic mod n runs in constant time
 *       on fixed-width limbs ({@link Secp256k1Scalars}); k·G is BouncyCastle's comb fed with those limbs,
 *       k·P for a secret k a fixed-window ladder over them ({@link #mulSecret}). Only {@link #mul} and {@link #mulBaseAddPublic}, for public scalars, hand a scalar to BouncyCastle
 *       as a {@code BigInteger}.</li>
 *   <li>Points: 33-byte SEC1 compressed (02/03 || x); decode rejects x &gt;= p, x not on the curve,
 *       any other prefix and the identity. Cofactor is 1, so on-curve means in the prime-order group.</li>
 *   <li>Hash to scalar: expand_message_xmd(SHA-256) (RFC 9380) to 48 bytes with
 *       DST = "KEYFED-DKG-v1-secp256k1-" || domain, interpreted big-endian and reduced mod n
 *       (the hash_to_field construction RFC 9591 uses for FROST(secp256k1, SHA-256)).</li>
 * </ul>
 */
public final class Secp256k1Curve implements Curve {
    private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256k1");
    private static final ECCurve CURVE = PARAMS.getCurve();
    private static final ECPoint G = PARAMS.getG().normalize();
    private static final BigInteger N = PARAMS.getN();
    /** Bits of the comb, as {@code FixedPointUtil.getCombSize}: the bit length of n. */
    private static final int COMB_SIZE = FixedPointUtil.getCombSize(CURVE);
    private static final String CONTEXT = "KEYFED-DKG-v1-secp256k1-";
    /** On libsecp256k1 where it loads ({@link Secp256k1NativeOps#library()}), else on BouncyCastle. */
    public static final Secp256k1Curve INSTANCE = new Secp256k1Curve(Secp256k1NativeOps.library());
    private static final Secp256k1Curve BOUNCY_CASTLE = new Secp256k1Curve(null);

    /** The multiplications on libsecp256k1, or null for BouncyCastle's and this class's own. */
    private final Secp256k1NativeOps nativeOps;

    private Secp256k1Curve(fr.acinq.secp256k1.Secp256k1 lib) {
        this.nativeOps = lib == null ? null : new Secp256k1NativeOps(lib, CURVE);
    }

    /** The curve on BouncyCastle alone, whatever this JVM loaded (for tests that compare the two). */
    static Secp256k1Curve bouncyCastle() {
        return BOUNCY_CASTLE;
    }

    /** {@code libsecp256k1} or {@code bouncycastle}: what this instance multiplies with. */
    public String backend() {
        return nativeOps != null ? "libsecp256k1" : "bouncycastle";
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
    public Scalar randomScalar(SecureRandom rng) {
        byte[] b = new byte[32];
        while (true) {
            rng.nextBytes(b);
            int[] x = Secp256k1Scalars.fromBytes(b, 0);
            int ok = Secp256k1Scalars.lessThanN(x) & (Secp256k1Scalars.isZero(x) ^ 1);
            Arrays.fill(x, 0);
            if (ok == 1) {
                return new Scalar(CurveId.SECP256K1, b);
            }
        }
    }

    @Override
    public Scalar scalarOf(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("negative scalar");
        }
        byte[] b = new byte[32];
        Pack.intToBigEndian(v, b, 28);
        return new Scalar(CurveId.SECP256K1, b);
    }

    @Override
    public byte[] encodeScalar(Scalar s) {
        return s.bytes(CurveId.SECP256K1).clone();
    }

    @Override
    public Scalar decodeScalar(byte[] encoded) throws InvalidEncodingException {
        if (encoded == null || encoded.length != 32) {
            throw new InvalidEncodingException("scalar must be 32 bytes");
        }
        int[] x = Secp256k1Scalars.fromBytes(encoded, 0);
        int ok = Secp256k1Scalars.lessThanN(x);
        Arrays.fill(x, 0);
        if (ok != 1) {
            throw new InvalidEncodingException("scalar not below the group order");
        }
        return new Scalar(CurveId.SECP256K1, encoded.clone());
    }

    @Override
    public Scalar scalarAdd(Scalar a, Scalar b) {
        int[] x = limbs(a);
        int[] y = limbs(b);
        Secp256k1Scalars.add(x, y, x);
        return result(x, y);
    }

    @Override
    public Scalar scalarMul(Scalar a, Scalar b) {
        int[] x = limbs(a);
        int[] y = limbs(b);
        Secp256k1Scalars.mul(x, y, x);
        return result(x, y);
    }

    @Override
    public Scalar scalarMulAdd(Scalar a, Scalar b, Scalar c) {
        int[] x = limbs(a);
        int[] y = limbs(b);
        int[] w = limbs(c);
        Secp256k1Scalars.mulAdd(x, y, w, x);
        Arrays.fill(w, 0);
        return result(x, y);
    }

    @Override
    public Scalar scalarNegate(Scalar a) {
        int[] x = limbs(a);
        Secp256k1Scalars.negate(x, x);
        return result(x, new int[0]);
    }

    /** Big-endian, at most 64 bytes, zero-extended on the left to 512 bits and reduced mod n. */
    @Override
    public Scalar scalarReduce(byte[] wide) {
        if (wide.length > 64) {
            throw new IllegalArgumentException("at most 64 bytes");
        }
        byte[] be = new byte[64];
        System.arraycopy(wide, 0, be, 64 - wide.length, wide.length);
        int[] xx = new int[16];
        for (int i = 0; i < 16; i++) {
            xx[i] = Pack.bigEndianToInt(be, 60 - 4 * i);
        }
        int[] z = new int[8];
        Secp256k1Scalars.reduce512(xx, z);
        Arrays.fill(be, (byte) 0);
        return result(z, xx);
    }

    private static int[] limbs(Scalar s) {
        return Secp256k1Scalars.fromBytes(s.bytes(CurveId.SECP256K1), 0);
    }

    /** A scalar from the limbs of {@code z}; zeroes {@code z} and the temporary {@code other}. */
    private static Scalar result(int[] z, int[] other) {
        Scalar r = new Scalar(CurveId.SECP256K1, Secp256k1Scalars.toBytes(z));
        Arrays.fill(z, 0);
        Arrays.fill(other, 0);
        return r;
    }

    @Override
    public GroupElement identity() {
        return new Pt(CURVE.getInfinity());
    }

    @Override
    public GroupElement generator() {
        return new Pt(G);
    }

    /**
     * k·G by BouncyCastle's fixed-point comb ({@code FixedPointCombMultiplier.multiplyPositive}, repeated
     * here line for line), fed with k's fixed-width limbs directly: BouncyCastle's entry point takes a
     * {@code BigInteger}, which a secret scalar must not become. Every comb column is read with the table's
     * constant-time {@code lookup}, and the loop count is fixed.
     */
    @Override
    public GroupElement mulBase(Scalar k) {
        if (nativeOps != null) {
            return new Pt(nativeOps.mulBase(k.bytes(CurveId.SECP256K1)));
        }
        FixedPointPreCompInfo info = FixedPointUtil.precompute(G);
        ECLookupTable table = info.getLookupTable();
        int width = info.getWidth();
        int d = (COMB_SIZE + width - 1) / width;
        int fullComb = d * width;
        int[] kk = new int[(fullComb + 31) >>> 5];
        int[] limbs = limbs(k);
        System.arraycopy(limbs, 0, kk, 0, 8);
        Arrays.fill(limbs, 0);
        ECPoint r = CURVE.getInfinity();
        int top = fullComb - 1;
        for (int i = 0; i < d; ++i) {
            int secretIndex = 0;
            for (int j = top - i; j >= 0; j -= d) {
                int secretBit = kk[j >>> 5] >>> (j & 0x1F);
                secretIndex ^= secretBit >>> 1;
                secretIndex <<= 1;
                secretIndex ^= secretBit;
            }
            r = r.twicePlus(table.lookup(secretIndex));
        }
        Arrays.fill(kk, 0);
        return new Pt(r.add(info.getOffset()).normalize());
    }

    @Override
    public GroupElement add(GroupElement a, GroupElement b) {
        return new Pt(p(a).add(p(b)).normalize());
    }

    /** k·P with BouncyCastle's default (GLV, wNAF) multiplier: variable time, public k only. */
    @Override
    public GroupElement mul(GroupElement p, Scalar k) {
        if (nativeOps != null) {
            return new Pt(nativeOps.mul(p(p), k.bytes(CurveId.SECP256K1)));
        }
        return new Pt(p(p).multiply(publicInteger(k)).normalize());
    }

    /**
     * k·P for a secret k: a fixed 4-bit window over k's limbs with complete projective formulas and a masked
     * table lookup ({@link Secp256k1Projective}, whose Javadoc states its invariants and residual leaks).
     * k never becomes a {@code BigInteger}.
     */
    @Override
    public GroupElement mulSecret(GroupElement p, Scalar k) {
        ECPoint base = p(p);
        if (base.isInfinity()) {
            return identity(); // P is public
        }
        if (nativeOps != null) {
            return new Pt(nativeOps.mul(base, k.bytes(CurveId.SECP256K1)));
        }
        int[] limbs = limbs(k);
        try {
            return new Pt(Secp256k1Projective.mul(CURVE, base, limbs));
        } finally {
            Arrays.fill(limbs, 0);
        }
    }

    /**
     * a·G + b·P for public a, b and P (the DKG's proof-of-knowledge checks, the DKLs23 verifications): on
     * libsecp256k1 two multiplications and one addition (the in-memory DKG 10% faster for it in JMH, see
     * bench/README.md); BouncyCastle's {@link ECAlgorithms#sumOfTwoMultiplies} (interleaved wNAF with the GLV
     * endomorphism, variable time) is the fallback.
     */
    @Override
    public GroupElement mulBaseAddPublic(Scalar a, GroupElement p, Scalar b) {
        if (nativeOps != null) {
            return new Pt(nativeOps.mulBaseAddPublic(a.bytes(CurveId.SECP256K1), p(p), b.bytes(CurveId.SECP256K1)));
        }
        return new Pt(ECAlgorithms.sumOfTwoMultiplies(G, publicInteger(a), p(p), publicInteger(b)).normalize());
    }

    /**
     * A PUBLIC scalar (challenge, participant index, broadcast μ) as the {@code BigInteger} BouncyCastle's
     * variable-time multipliers take. Never called with a secret.
     */
    private static BigInteger publicInteger(Scalar k) {
        return new BigInteger(1, k.bytes(CurveId.SECP256K1));
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
    public Scalar hashToScalar(String domain, byte[] message) {
        return hashToField(message, (CONTEXT + domain).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * hash_to_field for the secp256k1 scalar field (RFC 9380 section 5.2, m = 1, L = 48,
     * expand_message_xmd with SHA-256), with an explicit DST.
     */
    public static Scalar hashToField(byte[] message, byte[] dst) {
        byte[] uniform = ExpandMessageXmd.sha256(message, dst, 48);
        try {
            return INSTANCE.scalarReduce(uniform);
        } finally {
            Arrays.fill(uniform, (byte) 0);
        }
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

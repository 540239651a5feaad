package io.keyfed.party.dkg.curve;

import cafe.cryptography.curve25519.CompressedEdwardsY;
import cafe.cryptography.curve25519.Constants;
import cafe.cryptography.curve25519.EdwardsPoint;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

/**
 * edwards25519 (RFC 8032) via curve25519-elisabeth.
 *
 * <ul>
 *   <li>Scalars: 32-byte little-endian, decode rejects values &gt;= l. Arithmetic mod l is the library's
 *       constant-time {@code Scalar} code ({@link Ed25519Scalars}); no scalar becomes a
 *       {@code BigInteger}.</li>
 *   <li>Points: 32-byte compressed Edwards y with the sign of x in the top bit. Decode rejects
 *       non-canonical encodings (y &gt;= p, or "negative zero": x = 0 with the sign bit set; checked on
 *       the bytes), encodings that do not decompress (not on the curve), small-order points (the eight
 *       canonical encodings of E[8], including the identity) and points with a torsion component
 *       (l·P != identity), so every accepted point lies in the prime-order subgroup.</li>
 *   <li>Timing: decoding and validation run in <em>variable time</em>, and so do {@link #mul} and
 *       {@link #mulBaseAddPublic}. They only ever see public data (received points, challenges,
 *       participant indices). Secret scalars go through {@link #mulBase}, which uses the
 *       constant-time basepoint table, and {@link #mulSecret}, the library's constant-time fixed
 *       window.</li>
 *   <li>Encodings are cached: a decoded point keeps the bytes it came from, and a computed point is
 *       compressed (one field inversion) at most once, the first time its encoding, equality, hash or
 *       identity test is needed. Two points are equal iff their canonical encodings are equal.</li>
 *   <li>Hash to scalar: SHA-512(len(DST) as one byte || DST || message) read little-endian, mod l, where
 *       DST = "KEYFED-DKG-v1-ed25519-" || domain (like RFC 9591's FROST(Ed25519, SHA-512) H functions,
 *       plus an explicit DST length).</li>
 * </ul>
 */
public final class Ed25519Curve implements Curve {
    public static final Ed25519Curve INSTANCE = new Ed25519Curve();

    /** l = 2^252 + 27742317777372353535851937790883648493. */
    private static final BigInteger L = BigInteger.ONE.shiftLeft(252)
            .add(new BigInteger("27742317777372353535851937790883648493"));
    private static final String CONTEXT = "KEYFED-DKG-v1-ed25519-";
    /** p = 2^255 − 19, the field prime, little-endian. */
    private static final byte[] P = hex("edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
    /** p − 1, little-endian. */
    private static final byte[] P_MINUS_ONE = hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f");
    /** 1, little-endian. */
    private static final byte[] ONE = hex("0100000000000000000000000000000000000000000000000000000000000000");
    /** Canonical encoding of the identity (x = 0, y = 1). */
    private static final byte[] IDENTITY_ENCODING = EdwardsPoint.IDENTITY.compress().toByteArray();
    /**
     * The canonical encodings of the eight points of E[8] (orders 1, 2, 4, 4, 8, 8, 8, 8), as in
     * curve25519-dalek's EIGHT_TORSION; a canonical encoding names exactly one point, so a point that
     * passed the canonical check has small order iff its encoding is one of these.
     */
    private static final List<byte[]> SMALL_ORDER_ENCODINGS = List.of(
            hex("0100000000000000000000000000000000000000000000000000000000000000"),
            hex("ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f"),
            hex("0000000000000000000000000000000000000000000000000000000000000000"),
            hex("0000000000000000000000000000000000000000000000000000000000000080"),
            hex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a"),
            hex("c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac03fa"),
            hex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05"),
            hex("26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc85"));

    private Ed25519Curve() {
    }

    @Override
    public CurveId id() {
        return CurveId.ED25519;
    }

    @Override
    public BigInteger order() {
        return L;
    }

    @Override
    public int scalarLength() {
        return 32;
    }

    @Override
    public int pointLength() {
        return 32;
    }

    @Override
    public String contextString() {
        return CONTEXT;
    }

    /** As {@code new BigInteger(253, rng)} read, then rejected unless in [1, l): 32 bytes, top 3 bits cleared. */
    @Override
    public Scalar randomScalar(SecureRandom rng) {
        byte[] be = new byte[32];
        byte[] le = new byte[32];
        while (true) {
            rng.nextBytes(be);
            be[0] &= 0x1F;
            for (int i = 0; i < 32; i++) {
                le[i] = be[31 - i];
            }
            cafe.cryptography.curve25519.Scalar k = Ed25519Scalars.canonicalOrNull(le);
            if (k != null && k.ctEquals(cafe.cryptography.curve25519.Scalar.ZERO) == 0) {
                Arrays.fill(be, (byte) 0);
                return new Scalar(CurveId.ED25519, le);
            }
        }
    }

    @Override
    public Scalar scalarOf(int v) {
        if (v < 0) {
            throw new IllegalArgumentException("negative scalar");
        }
        byte[] le = new byte[32];
        for (int i = 0; i < 4; i++) {
            le[i] = (byte) (v >>> (8 * i));
        }
        return new Scalar(CurveId.ED25519, le);
    }

    @Override
    public byte[] encodeScalar(Scalar s) {
        return s.bytes(CurveId.ED25519).clone();
    }

    @Override
    public Scalar decodeScalar(byte[] encoded) throws InvalidEncodingException {
        if (encoded == null || encoded.length != 32) {
            throw new InvalidEncodingException("scalar must be 32 bytes");
        }
        byte[] le = encoded.clone();
        if (Ed25519Scalars.canonicalOrNull(le) == null) {
            Arrays.fill(le, (byte) 0);
            throw new InvalidEncodingException("scalar not below the group order");
        }
        return new Scalar(CurveId.ED25519, le);
    }

    @Override
    public Scalar scalarAdd(Scalar a, Scalar b) {
        return Ed25519Scalars.wrap(Ed25519Scalars.of(a).add(Ed25519Scalars.of(b)));
    }

    @Override
    public Scalar scalarMul(Scalar a, Scalar b) {
        return Ed25519Scalars.wrap(Ed25519Scalars.of(a).multiply(Ed25519Scalars.of(b)));
    }

    @Override
    public Scalar scalarMulAdd(Scalar a, Scalar b, Scalar c) {
        return Ed25519Scalars.wrap(Ed25519Scalars.of(a).multiplyAndAdd(Ed25519Scalars.of(b), Ed25519Scalars.of(c)));
    }

    @Override
    public Scalar scalarNegate(Scalar a) {
        return Ed25519Scalars.wrap(cafe.cryptography.curve25519.Scalar.ZERO.subtract(Ed25519Scalars.of(a)));
    }

    /** Little-endian, at most 64 bytes, zero-extended to 512 bits and reduced mod l. */
    @Override
    public Scalar scalarReduce(byte[] wide) {
        if (wide.length > 64) {
            throw new IllegalArgumentException("at most 64 bytes");
        }
        byte[] le = Arrays.copyOf(wide, 64);
        try {
            return Ed25519Scalars.wrap(cafe.cryptography.curve25519.Scalar.fromBytesModOrderWide(le));
        } finally {
            Arrays.fill(le, (byte) 0);
        }
    }

    @Override
    public GroupElement identity() {
        return new Pt(EdwardsPoint.IDENTITY);
    }

    @Override
    public GroupElement generator() {
        return new Pt(Constants.ED25519_BASEPOINT);
    }

    @Override
    public GroupElement mulBase(Scalar k) {
        return new Pt(Constants.ED25519_BASEPOINT_TABLE.multiply(Ed25519Scalars.of(k)));
    }

    @Override
    public GroupElement add(GroupElement a, GroupElement b) {
        return new Pt(p(a).add(p(b)));
    }

    /**
     * k·P in variable time (sliding-window NAF), for public k only: challenges and participant indices.
     * With a small k (a participant index) this costs a handful of group operations instead of a full
     * 253-bit constant-time ladder.
     */
    @Override
    public GroupElement mul(GroupElement p, Scalar k) {
        return new Pt(EdwardsPoint.vartimeDoubleScalarMultiplyBasepoint(Ed25519Scalars.of(k), p(p),
                cafe.cryptography.curve25519.Scalar.ZERO));
    }

    /**
     * k·P for a secret k: curve25519-elisabeth's {@code EdwardsPoint.multiply}, a constant-time fixed window
     * (k in signed radix 16, 64 digits, 4 doublings and one addition per digit, each digit's multiple of P
     * picked from an 8-entry table by {@code LookupTable.select}, which reads every entry and keeps one with
     * {@code ctSelect}, then conditionally negates it with {@code ctSelect}). Read in the 0.1.0 jar's bytecode.
     */
    @Override
    public GroupElement mulSecret(GroupElement p, Scalar k) {
        return new Pt(p(p).multiply(Ed25519Scalars.of(k)));
    }

    /** a·G + b·P in variable time (one interleaved double-scalar multiply); public a, b and P only. */
    @Override
    public GroupElement mulBaseAddPublic(Scalar a, GroupElement p, Scalar b) {
        return new Pt(EdwardsPoint.vartimeDoubleScalarMultiplyBasepoint(Ed25519Scalars.of(b), p(p),
                Ed25519Scalars.of(a)));
    }

    @Override
    public boolean isIdentity(GroupElement p) {
        return Arrays.equals(pt(p).encoding(), IDENTITY_ENCODING);
    }

    @Override
    public byte[] encodePoint(GroupElement p) {
        byte[] enc = pt(p).encoding();
        if (Arrays.equals(enc, IDENTITY_ENCODING)) {
            throw new IllegalArgumentException("the identity has no encoding here");
        }
        return enc.clone();
    }

    /**
     * Decodes and validates a received (public) point, in variable time. In order:
     * <ol>
     *   <li>32 bytes;</li>
     *   <li>canonical, on the bytes: y &lt; p, and not "negative zero" (x = 0, which on the curve means
     *       y = ±1, with the sign bit set);</li>
     *   <li>on the curve: the library decompresses it (one square root);</li>
     *   <li>not small order: not one of the eight canonical encodings of E[8] (the identity included);</li>
     *   <li>torsion-free: l·P = identity, by BouncyCastle's {@code Ed25519.validatePublicKeyFull}, which
     *       decodes the point again and multiplies it by l in variable time. It also repeats checks 2–4,
     *       so a point it accepts is canonical, on the curve, of order l.</li>
     * </ol>
     */
    @Override
    public GroupElement decodePoint(byte[] encoded) throws InvalidEncodingException {
        if (encoded == null || encoded.length != 32) {
            throw new InvalidEncodingException("point must be 32 bytes");
        }
        byte[] enc = encoded.clone();
        boolean xNegative = (enc[31] & 0x80) != 0;
        byte[] y = enc.clone();
        y[31] &= 0x7F;
        if (compareLe(y, P) >= 0) {
            throw new InvalidEncodingException("non-canonical point encoding (y >= p)");
        }
        if (xNegative && (Arrays.equals(y, ONE) || Arrays.equals(y, P_MINUS_ONE))) {
            throw new InvalidEncodingException("non-canonical point encoding (x = 0 with the sign bit set)");
        }
        EdwardsPoint q;
        try {
            q = new CompressedEdwardsY(enc.clone()).decompress();
        } catch (cafe.cryptography.curve25519.InvalidEncodingException | RuntimeException e) {
            throw new InvalidEncodingException("point not on the curve");
        }
        for (byte[] small : SMALL_ORDER_ENCODINGS) {
            if (Arrays.equals(small, enc)) {
                throw new InvalidEncodingException("small-order point");
            }
        }
        // l·P == identity: no component in the torsion subgroup of order 8.
        if (!org.bouncycastle.math.ec.rfc8032.Ed25519.validatePublicKeyFull(enc, 0)) {
            throw new InvalidEncodingException("point has a torsion component");
        }
        return new Pt(q, enc);
    }

    @Override
    public Scalar hashToScalar(String domain, byte[] message) {
        byte[] dst = (CONTEXT + domain).getBytes(StandardCharsets.US_ASCII);
        if (dst.length > 255) {
            throw new IllegalArgumentException("domain too long");
        }
        MessageDigest h;
        try {
            h = MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        h.update((byte) dst.length);
        h.update(dst);
        h.update(message);
        return scalarReduce(h.digest());
    }

    @Override
    public byte[] encodePublicKey(GroupElement p) {
        return encodePoint(p);
    }

    /** Compares two little-endian unsigned integers of equal length (public data: variable time). */
    private static int compareLe(byte[] a, byte[] b) {
        for (int i = a.length - 1; i >= 0; i--) {
            int d = Integer.compare(a[i] & 0xFF, b[i] & 0xFF);
            if (d != 0) {
                return d;
            }
        }
        return 0;
    }

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    private static Pt pt(GroupElement e) {
        if (!(e instanceof Pt pt)) {
            throw new IllegalArgumentException("not an ed25519 group element");
        }
        return pt;
    }

    private static EdwardsPoint p(GroupElement e) {
        return pt(e).point;
    }

    /**
     * A point with its canonical encoding, computed at most once. Equality, hash code and the identity
     * test use the encoding, so comparing two points costs at most one compression (field inversion)
     * per point over the point's lifetime, and none for a decoded point.
     */
    private static final class Pt implements GroupElement {
        private final EdwardsPoint point;
        /** Canonical encoding once known; never mutated or handed out (callers get a copy). */
        private volatile byte[] encoding;

        Pt(EdwardsPoint point) {
            this.point = point;
        }

        /** A decoded point: {@code encoding} is its validated canonical encoding. */
        Pt(EdwardsPoint point, byte[] encoding) {
            this.point = point;
            this.encoding = encoding;
        }

        byte[] encoding() {
            byte[] e = encoding;
            if (e == null) {
                e = point.compress().toByteArray();
                encoding = e; // benign race: every thread computes the same bytes
            }
            return e;
        }

        @Override
        public CurveId curveId() {
            return CurveId.ED25519;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Pt other && (other == this || MessageDigest.isEqual(encoding(), other.encoding()));
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(encoding());
        }

        @Override
        public String toString() {
            return "ed25519(" + org.bouncycastle.util.encoders.Hex.toHexString(encoding()) + ")";
        }
    }
}

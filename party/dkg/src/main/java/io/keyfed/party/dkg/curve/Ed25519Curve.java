package io.keyfed.party.dkg.curve;

import cafe.cryptography.curve25519.CompressedEdwardsY;
import cafe.cryptography.curve25519.Constants;
import cafe.cryptography.curve25519.EdwardsPoint;
import cafe.cryptography.curve25519.Scalar;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * edwards25519 (RFC 8032) via curve25519-elisabeth.
 *
 * <ul>
 *   <li>Scalars: 32-byte little-endian, decode rejects values &gt;= l.</li>
 *   <li>Points: 32-byte compressed Edwards y with the sign of x in the top bit. Decode rejects encodings
 *       that do not decompress, non-canonical encodings (y &gt;= p, or "negative zero" x; checked by
 *       re-compressing), small-order points (including the identity) and points with a torsion
 *       component (l·P != identity), so every accepted point lies in the prime-order subgroup.</li>
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

    @Override
    public byte[] encodeScalar(BigInteger s) {
        if (s.signum() < 0 || s.compareTo(L) >= 0) {
            throw new IllegalArgumentException("scalar out of range");
        }
        return toLe32(s);
    }

    @Override
    public BigInteger decodeScalar(byte[] encoded) throws InvalidEncodingException {
        if (encoded == null || encoded.length != 32) {
            throw new InvalidEncodingException("scalar must be 32 bytes");
        }
        BigInteger s = fromLe(encoded);
        if (s.compareTo(L) >= 0) {
            throw new InvalidEncodingException("scalar not below the group order");
        }
        return s;
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
    public GroupElement mulBase(BigInteger k) {
        return new Pt(Constants.ED25519_BASEPOINT_TABLE.multiply(sc(k)));
    }

    @Override
    public GroupElement add(GroupElement a, GroupElement b) {
        return new Pt(p(a).add(p(b)));
    }

    @Override
    public GroupElement mul(GroupElement p, BigInteger k) {
        return new Pt(p(p).multiply(sc(k)));
    }

    @Override
    public boolean isIdentity(GroupElement p) {
        return p(p).isIdentity();
    }

    @Override
    public byte[] encodePoint(GroupElement p) {
        EdwardsPoint q = p(p);
        if (q.isIdentity()) {
            throw new IllegalArgumentException("the identity has no encoding here");
        }
        return q.compress().toByteArray();
    }

    @Override
    public GroupElement decodePoint(byte[] encoded) throws InvalidEncodingException {
        if (encoded == null || encoded.length != 32) {
            throw new InvalidEncodingException("point must be 32 bytes");
        }
        EdwardsPoint q;
        try {
            q = new CompressedEdwardsY(encoded.clone()).decompress();
        } catch (cafe.cryptography.curve25519.InvalidEncodingException | RuntimeException e) {
            throw new InvalidEncodingException("point not on the curve");
        }
        if (!Arrays.equals(q.compress().toByteArray(), encoded)) {
            throw new InvalidEncodingException("non-canonical point encoding");
        }
        if (q.isSmallOrder()) {
            throw new InvalidEncodingException("small-order point");
        }
        // l·P == identity: no component in the torsion subgroup of order 8.
        if (!q.isTorsionFree()) {
            throw new InvalidEncodingException("point has a torsion component");
        }
        return new Pt(q);
    }

    @Override
    public BigInteger hashToScalar(String domain, byte[] message) {
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
        return fromLe(h.digest()).mod(L);
    }

    @Override
    public byte[] encodePublicKey(GroupElement p) {
        return encodePoint(p);
    }

    /** Little-endian bytes to a non-negative integer. */
    public static BigInteger fromLe(byte[] le) {
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        BigInteger r = new BigInteger(1, be);
        Arrays.fill(be, (byte) 0);
        return r;
    }

    /** s (0 <= s < 2^256) as 32 little-endian bytes. */
    private static byte[] toLe32(BigInteger s) {
        byte[] be = s.toByteArray(); // big-endian, possibly with a leading sign byte
        byte[] le = new byte[32];
        for (int i = 0; i < 32 && i < be.length; i++) {
            le[i] = be[be.length - 1 - i];
        }
        Arrays.fill(be, (byte) 0);
        return le;
    }

    private static Scalar sc(BigInteger k) {
        byte[] le = toLe32(k.mod(L));
        try {
            return Scalar.fromCanonicalBytes(le);
        } finally {
            Arrays.fill(le, (byte) 0);
        }
    }

    private static EdwardsPoint p(GroupElement e) {
        if (!(e instanceof Pt pt)) {
            throw new IllegalArgumentException("not an ed25519 group element");
        }
        return pt.point;
    }

    private static final class Pt implements GroupElement {
        private final EdwardsPoint point;

        Pt(EdwardsPoint point) {
            this.point = point;
        }

        @Override
        public CurveId curveId() {
            return CurveId.ED25519;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Pt other && point.equals(other.point);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(point.compress().toByteArray());
        }

        @Override
        public String toString() {
            return "ed25519(" + org.bouncycastle.util.encoders.Hex.toHexString(point.compress().toByteArray()) + ")";
        }
    }
}

package io.keyfed.party.dkg;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.keyfed.party.dkg.curve.Curve;
import io.keyfed.party.dkg.curve.CurveId;
import io.keyfed.party.dkg.curve.GroupElement;
import io.keyfed.party.dkg.curve.InvalidEncodingException;
import io.keyfed.party.dkg.curve.Scalar;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Test-only helpers: hex, fixed-width encodings, JSON vectors, Lagrange interpolation at 0, and the bridge
 * between {@link Scalar} and {@link BigInteger}, which tests use as the reference arithmetic.
 */
public final class TestSupport {
    private TestSupport() {
    }

    public static byte[] hex(String s) {
        return HexFormat.of().parseHex(s);
    }

    public static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }

    /** 32-byte big-endian encoding (secp256k1 scalars and coordinates). */
    public static byte[] be32(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(b.length, 32);
        System.arraycopy(b, b.length - n, out, 32 - n, n);
        return out;
    }

    /** 32-byte little-endian encoding (ed25519 scalars and y coordinates). */
    public static byte[] le32(BigInteger v) {
        byte[] be = be32(v);
        byte[] le = new byte[32];
        for (int i = 0; i < 32; i++) {
            le[i] = be[31 - i];
        }
        return le;
    }

    /** Little-endian bytes to a non-negative integer. */
    public static BigInteger fromLe(byte[] le) {
        byte[] be = new byte[le.length];
        for (int i = 0; i < le.length; i++) {
            be[i] = le[le.length - 1 - i];
        }
        return new BigInteger(1, be);
    }

    /** The integer value of a scalar (reference arithmetic in tests). */
    public static BigInteger big(Curve curve, Scalar s) {
        byte[] enc = curve.encodeScalar(s);
        return curve.id() == CurveId.SECP256K1 ? new BigInteger(1, enc) : fromLe(enc);
    }

    /** The scalar v mod q. */
    public static Scalar scalar(Curve curve, BigInteger v) {
        BigInteger r = v.mod(curve.order());
        try {
            return curve.decodeScalar(curve.id() == CurveId.SECP256K1 ? be32(r) : le32(r));
        } catch (InvalidEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The scalar v mod q. */
    public static Scalar scalar(Curve curve, long v) {
        return scalar(curve, BigInteger.valueOf(v));
    }

    /** v·G for an integer v (reduced mod q). */
    public static GroupElement mulBase(Curve curve, BigInteger v) {
        return curve.mulBase(scalar(curve, v));
    }

    public static JsonNode vectors(String name) {
        try (InputStream in = TestSupport.class.getResourceAsStream("/vectors/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing vector file " + name);
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** λ_i = Π_{j≠i} j / (j − i) mod q over the given identifiers. */
    public static BigInteger lagrangeAtZero(Curve curve, List<Integer> ids, int i) {
        BigInteger q = curve.order();
        BigInteger num = BigInteger.ONE;
        BigInteger den = BigInteger.ONE;
        for (int j : ids) {
            if (j == i) {
                continue;
            }
            num = num.multiply(BigInteger.valueOf(j)).mod(q);
            den = den.multiply(BigInteger.valueOf(j - i)).mod(q);
        }
        return num.multiply(den.modInverse(q)).mod(q);
    }

    /** x = Σ λ_i·s_i over the given (id, share) pairs. */
    public static BigInteger interpolate(Curve curve, List<Integer> ids, List<BigInteger> shares) {
        BigInteger acc = BigInteger.ZERO;
        for (int k = 0; k < ids.size(); k++) {
            acc = acc.add(lagrangeAtZero(curve, ids, ids.get(k)).multiply(shares.get(k)));
        }
        return acc.mod(curve.order());
    }

    /** Σ λ_i·Y_i in the exponent. */
    public static GroupElement interpolateInExponent(Curve curve, List<Integer> ids, List<GroupElement> points) {
        GroupElement acc = curve.identity();
        for (int k = 0; k < ids.size(); k++) {
            acc = curve.add(acc, curve.mul(points.get(k), scalar(curve, lagrangeAtZero(curve, ids, ids.get(k)))));
        }
        return acc;
    }

    /** All k-subsets of 1..n. */
    public static List<List<Integer>> subsets(int n, int k) {
        List<List<Integer>> out = new ArrayList<>();
        build(1, n, k, new ArrayList<>(), out);
        return out;
    }

    private static void build(int start, int n, int k, List<Integer> cur, List<List<Integer>> out) {
        if (cur.size() == k) {
            out.add(List.copyOf(cur));
            return;
        }
        for (int i = start; i <= n; i++) {
            cur.add(i);
            build(i + 1, n, k, cur, out);
            cur.remove(cur.size() - 1);
        }
    }
}

package io.keyfed.party.dkg.curve;

import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECPoint;

/**
 * The multiplications of {@link Secp256k1Curve} on libsecp256k1 through JNI ({@code fr.acinq.secp256k1}):
 * k·G by its constant-time generator multiplication ({@code pubkeyCreate}) and k·P by its constant-time
 * variable-base ladder ({@code pubKeyTweakMul}, {@code secp256k1_ecmult_const}), so both serve secret scalars.
 * Invariants: the scalar goes to the library as the {@link Scalar}'s own 32-byte big-endian encoding (never a
 * {@code BigInteger}); points cross as 65-byte uncompressed encodings of normalised (affine) points, and the
 * library's output is decoded without a square root (and checked to be on the curve); k = 0 and P = identity
 * give the identity here, since the library refuses both (whether k is zero is the one fact about k these
 * methods branch on). JNI copies the scalar into native memory for the call; that copy is not wiped here.
 */
final class Secp256k1NativeOps {
    /** Set to {@code false} (system property, or the environment variable below) to stay on BouncyCastle. */
    static final String PROPERTY = "keyfed.secp256k1.native";
    static final String ENV = "KEYFED_SECP256K1_NATIVE";
    private final fr.acinq.secp256k1.Secp256k1 lib;
    private final ECCurve curve;

    Secp256k1NativeOps(fr.acinq.secp256k1.Secp256k1 lib, ECCurve curve) {
        this.lib = lib;
        this.curve = curve;
    }

    /** k·G. */
    ECPoint mulBase(byte[] k) {
        if (isZero(k)) {
            return curve.getInfinity();
        }
        return point(lib.pubkeyCreate(k));
    }

    /** k·P for an affine P. */
    ECPoint mul(ECPoint p, byte[] k) {
        if (p.isInfinity() || isZero(k)) {
            return curve.getInfinity();
        }
        return point(lib.pubKeyTweakMul(p.getEncoded(false), k));
    }

    /**
     * a·G + b·P for public a, b and an affine P: each product on the library, their sum in BouncyCastle (one
     * affine addition, which also covers a sum at infinity, a case the library's point combination refuses).
     */
    ECPoint mulBaseAddPublic(byte[] a, ECPoint p, byte[] b) {
        return mulBase(a).add(mul(p, b)).normalize();
    }

    private ECPoint point(byte[] uncompressed) {
        if (uncompressed.length != 65 || uncompressed[0] != 4) {
            throw new IllegalStateException("libsecp256k1 returned a point of " + uncompressed.length + " bytes");
        }
        return curve.decodePoint(uncompressed); // checks that it is on the curve (a few field operations)
    }

    /**
     * The library, loaded once by its own loader, or null when {@value #PROPERTY} / {@value #ENV} is
     * {@code false} or it cannot load here. The same switch as the ledger's signature checks
     * ({@code io.keyfed.api.crypto.Secp256k1}), which this pure engine does not depend on. The engine does
     * not log: the party logs {@link Secp256k1Curve#backend()} at start-up.
     */
    static fr.acinq.secp256k1.Secp256k1 library() {
        String setting = System.getProperty(PROPERTY, System.getenv(ENV));
        if (setting != null && setting.strip().equalsIgnoreCase("false")) {
            return null;
        }
        try {
            return fr.acinq.secp256k1.Secp256k1.Companion.get();
        } catch (Throwable e) { // UnsatisfiedLinkError, NoClassDefFoundError, an extraction IOException...
            return null;
        }
    }

    /** Whether all 32 bytes are zero, read without an early exit. */
    private static boolean isZero(byte[] k) {
        int acc = 0;
        for (byte b : k) {
            acc |= b;
        }
        return acc == 0;
    }
}

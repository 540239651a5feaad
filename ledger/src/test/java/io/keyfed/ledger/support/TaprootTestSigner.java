package io.keyfed.ledger.support;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.bouncycastle.math.ec.ECPoint;

import io.keyfed.api.crypto.Hashes;
import io.keyfed.api.crypto.Secp256k1;

/**
 * A taproot key held by a test: the parties report P (33 bytes compressed) and the test signs BIP-340 under
 * x(Q), Q = P' + t·G the BIP-86 output key (P' is P with even y, t = TaggedHash("TapTweak", x(P))). The secret is
 * tweaked as a wallet does it: negate d if P has odd y, add t, negate again if Q has odd y. Written here from
 * BIP-340's signing algorithm, independently of the ledger's verifier. Never use it anywhere else.
 */
final class TaprootTestSigner implements TestSigner {
    private static final BigInteger N = Secp256k1.N;
    private final byte[] publicKey;
    private final BigInteger tweaked;
    private final byte[] xQ;

    TaprootTestSigner(String seedLabel) {
        BigInteger d = new BigInteger(1, Hashes.sha256(("keyfed-ledger-test-taproot-" + seedLabel)
                .getBytes(StandardCharsets.UTF_8))).mod(N.subtract(BigInteger.ONE)).add(BigInteger.ONE);
        ECPoint p = Secp256k1.PARAMS.getG().multiply(d).normalize();
        publicKey = p.getEncoded(true);
        if (p.getAffineYCoord().testBitZero()) {
            d = N.subtract(d);
        }
        BigInteger t = new BigInteger(1, tagged("TapTweak", x(p)));
        BigInteger q = d.add(t).mod(N);
        ECPoint qPoint = Secp256k1.PARAMS.getG().multiply(q).normalize();
        if (qPoint.getAffineYCoord().testBitZero()) {
            q = N.subtract(q);
        }
        tweaked = q;
        xQ = x(qPoint);
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /** x(Q), the key the signatures verify under. */
    @Override
    public byte[] verifyingKey() {
        return xQ.clone();
    }

    /** BIP-340 Sign(d', m) with aux_rand = SHA-256(m) (deterministic, so tests can compare signatures). */
    @Override
    public byte[] sign(byte[] message) {
        byte[] aux = Hashes.sha256(message);
        byte[] masked = xor(be32(tweaked), tagged("BIP0340/aux", aux));
        BigInteger k0 = new BigInteger(1, tagged("BIP0340/nonce", masked, xQ, message)).mod(N);
        if (k0.signum() == 0) {
            throw new IllegalStateException("nonce is zero");
        }
        ECPoint r = Secp256k1.PARAMS.getG().multiply(k0).normalize();
        BigInteger k = r.getAffineYCoord().testBitZero() ? N.subtract(k0) : k0;
        BigInteger e = new BigInteger(1, tagged("BIP0340/challenge", x(r), xQ, message)).mod(N);
        byte[] sig = new byte[64];
        System.arraycopy(x(r), 0, sig, 0, 32);
        System.arraycopy(be32(k.add(e.multiply(tweaked)).mod(N)), 0, sig, 32, 32);
        return sig;
    }

    private static byte[] tagged(String tag, byte[]... parts) {
        byte[] h = Hashes.sha256(tag.getBytes(StandardCharsets.US_ASCII));
        byte[][] all = new byte[parts.length + 2][];
        all[0] = h;
        all[1] = h;
        System.arraycopy(parts, 0, all, 2, parts.length);
        return Hashes.sha256(all);
    }

    private static byte[] x(ECPoint p) {
        return be32(p.getAffineXCoord().toBigInteger());
    }

    private static byte[] be32(BigInteger v) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[32];
        int n = Math.min(b.length, 32);
        System.arraycopy(b, b.length - n, out, 32 - n, n);
        return out;
    }

    private static byte[] xor(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length);
        for (int i = 0; i < out.length; i++) {
            out[i] ^= b[i];
        }
        return out;
    }

    @Override
    public String toString() {
        return "TestSigner[taproot]";
    }
}

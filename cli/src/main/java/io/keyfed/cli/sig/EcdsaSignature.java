package io.keyfed.cli.sig;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.Arrays;

import org.bouncycastle.math.ec.ECAlgorithms;
import org.bouncycastle.math.ec.ECPoint;

import io.keyfed.api.crypto.Secp256k1;
import io.keyfed.api.wallet.Eip55;

/**
 * One secp256k1 ECDSA signature as the ledger returns it (64 bytes {@code r || s} and a recovery id 0..3), in
 * the forms chains take: r and s, Ethereum's v = 27 + recovery id, the 65-byte {@code r || s || v}, strict DER
 * (BIP-66) for Bitcoin, and the key and EVM address the signature recovers to over its digest. All inputs are
 * public. The recovery is done here, from the digest and the signature alone, so that the client checks the
 * ledger's recovery id instead of trusting it.
 */
public final class EcdsaSignature {
    private static final BigInteger N = Secp256k1.N;
    private static final BigInteger P = Secp256k1.PARAMS.getCurve().getField().getCharacteristic();
    /** Ethereum's v for recovery id 0 (yellow paper, pre-EIP-155). */
    public static final int ETHEREUM_V_OFFSET = 27;

    private final BigInteger r;
    private final BigInteger s;
    private final int recoveryId;

    private EcdsaSignature(BigInteger r, BigInteger s, int recoveryId) {
        this.r = r;
        this.s = s;
        this.recoveryId = recoveryId;
    }

    /**
     * @param signature64 {@code r || s}, 32 bytes each, big-endian
     * @param recoveryId  0..3
     * @throws IllegalArgumentException if the signature is not 64 bytes, r or s is not in 1..n−1, or the
     *                                  recovery id is not 0..3, naming the problem
     */
    public static EcdsaSignature of(byte[] signature64, long recoveryId) {
        if (signature64 == null || signature64.length != 64) {
            throw new IllegalArgumentException("an ECDSA signature is 64 bytes r || s, got "
                    + (signature64 == null ? "none" : signature64.length + " bytes"));
        }
        if (recoveryId < 0 || recoveryId > 3) {
            throw new IllegalArgumentException("recovery id must be 0..3, got " + recoveryId);
        }
        BigInteger r = new BigInteger(1, Arrays.copyOfRange(signature64, 0, 32));
        BigInteger s = new BigInteger(1, Arrays.copyOfRange(signature64, 32, 64));
        if (r.signum() == 0 || r.compareTo(N) >= 0) {
            throw new IllegalArgumentException("r is not in 1..n-1");
        }
        if (s.signum() == 0 || s.compareTo(N) >= 0) {
            throw new IllegalArgumentException("s is not in 1..n-1");
        }
        return new EcdsaSignature(r, s, (int) recoveryId);
    }

    public BigInteger r() {
        return r;
    }

    public BigInteger s() {
        return s;
    }

    public int recoveryId() {
        return recoveryId;
    }

    /** s ≤ n/2: the one of (r, s), (r, n − s) that Bitcoin (BIP-146) and Ethereum (EIP-2) accept. */
    public boolean isLowS() {
        return s.compareTo(N.shiftRight(1)) <= 0;
    }

    /** Ethereum's v: 27 + recovery id (recovery ids 2 and 3, which need r ≥ n − p, give 29 and 30). */
    public int ethereumV() {
        return ETHEREUM_V_OFFSET + recoveryId;
    }

    /** The 65-byte form of {@code eth_sign} and {@code ecrecover} callers: {@code r || s || v}, v = 27 + id. */
    public byte[] ethereum65() {
        byte[] out = new byte[65];
        put32(r, out, 0);
        put32(s, out, 32);
        out[64] = (byte) ethereumV();
        return out;
    }

    /**
     * Strict DER as BIP-66 requires: {@code 30 len 02 lenR R 02 lenS S}, each integer big-endian in the fewest
     * bytes, with one leading zero byte only when its top bit would otherwise be set. Bitcoin's script
     * signature is this followed by one sighash-type byte.
     */
    public byte[] der() {
        byte[] rb = derInteger(r);
        byte[] sb = derInteger(s);
        ByteArrayOutputStream out = new ByteArrayOutputStream(6 + rb.length + sb.length);
        out.write(0x30);
        out.write(4 + rb.length + sb.length);
        out.write(0x02);
        out.write(rb.length);
        out.writeBytes(rb);
        out.write(0x02);
        out.write(sb.length);
        out.writeBytes(sb);
        return out.toByteArray();
    }

    /**
     * The public key the signature recovers to over {@code digest32} with its recovery id: R is the point with
     * x = r (+ n for ids 2 and 3) and y odd for odd ids, and Q = r⁻¹·(s·R − e·G), e the digest as an integer.
     *
     * @throws IllegalArgumentException if no such R exists or Q is the point at infinity
     */
    public ECPoint recoverPublicKey(byte[] digest32) {
        if (digest32 == null || digest32.length != 32) {
            throw new IllegalArgumentException("the digest must be 32 bytes");
        }
        BigInteger x = recoveryId < 2 ? r : r.add(N);
        if (x.compareTo(P) >= 0) {
            throw new IllegalArgumentException("recovery id " + recoveryId + " needs r + n below the field size");
        }
        byte[] encoded = new byte[33];
        encoded[0] = (byte) ((recoveryId & 1) == 1 ? 3 : 2);
        put32(x, encoded, 1);
        ECPoint bigR;
        try {
            bigR = Secp256k1.PARAMS.getCurve().decodePoint(encoded);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("no curve point has x = r for recovery id " + recoveryId);
        }
        BigInteger rInv = r.modInverse(N);
        BigInteger e = new BigInteger(1, digest32);
        ECPoint q = ECAlgorithms.sumOfTwoMultiplies(bigR, s.multiply(rInv).mod(N), Secp256k1.PARAMS.getG(),
                e.negate().multiply(rInv).mod(N)).normalize();
        if (q.isInfinity()) {
            throw new IllegalArgumentException("the signature recovers to the point at infinity");
        }
        return q;
    }

    /** The EIP-55 checksummed EVM address of {@link #recoverPublicKey}: Keccak-256 of x || y, last 20 bytes. */
    public String recoverEvmAddress(byte[] digest32) {
        return Eip55.address(recoverPublicKey(digest32));
    }

    private static byte[] derInteger(BigInteger v) {
        return v.toByteArray(); // two's complement, minimal: a leading 0 only when the top bit is set
    }

    private static void put32(BigInteger v, byte[] out, int off) {
        byte[] b = v.toByteArray();
        int len = Math.min(b.length, 32);
        System.arraycopy(b, b.length - len, out, off + 32 - len, len);
    }
}

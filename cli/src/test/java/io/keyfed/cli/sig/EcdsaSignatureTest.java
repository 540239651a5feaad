package io.keyfed.cli.sig;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.StandardDSAEncoding;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The forms of an ECDSA signature against values the test derives on its own: a published Ethereum example
 * (EIP-155), signatures made here with BouncyCastle from a chosen nonce (so the recovery id follows from R), and
 * DER checked by BouncyCastle's encoder and ASN.1 decoder and by BIP-66's rules.
 */
class EcdsaSignatureTest {
    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE.getCurve(), CURVE.getG(),
            CURVE.getN(), CURVE.getH());
    private static final BigInteger N = CURVE.getN();
    private static final HexFormat HEX = HexFormat.of();
    private final SecureRandom random = new SecureRandom();

    /** A signature made with nonce k, low-S normalised, and the recovery id that R implies. */
    private record Made(byte[] sig64, int recoveryId, ECPoint publicKey, byte[] digest) {
    }

    private Made sign(BigInteger d, BigInteger k, byte[] digest) {
        ECPoint bigR = CURVE.getG().multiply(k).normalize();
        BigInteger rx = bigR.getAffineXCoord().toBigInteger();
        BigInteger r = rx.mod(N);
        BigInteger e = new BigInteger(1, digest);
        BigInteger s = k.modInverse(N).multiply(e.add(r.multiply(d))).mod(N);
        boolean odd = bigR.getAffineYCoord().toBigInteger().testBit(0);
        if (s.compareTo(N.shiftRight(1)) > 0) {
            s = N.subtract(s); // the signature of -k: R's y flips
            odd = !odd;
        }
        int id = (odd ? 1 : 0) + (rx.compareTo(N) >= 0 ? 2 : 0);
        ECPoint q = CURVE.getG().multiply(d).normalize();
        ECDSASigner verifier = new ECDSASigner();
        verifier.init(false, new ECPublicKeyParameters(q, DOMAIN));
        assertTrue(verifier.verifySignature(digest, r, s), "BouncyCastle accepts the test's signature");
        byte[] sig = new byte[64];
        put32(r, sig, 0);
        put32(s, sig, 32);
        return new Made(sig, id, q, digest);
    }

    private BigInteger scalar() {
        BigInteger v;
        do {
            v = new BigInteger(256, random);
        } while (v.signum() == 0 || v.compareTo(N) >= 0);
        return v;
    }

    private byte[] digest() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return b;
    }

    /** Keccak-256 of x || y, last 20 bytes, lowercase hex with 0x. */
    private static String evmAddress(ECPoint q) {
        byte[] xy = Arrays.copyOfRange(q.getEncoded(false), 1, 65);
        KeccakDigest k = new KeccakDigest(256);
        k.update(xy, 0, xy.length);
        byte[] h = new byte[32];
        k.doFinal(h, 0);
        return "0x" + HEX.formatHex(Arrays.copyOfRange(h, 12, 32));
    }

    private static void put32(BigInteger v, byte[] out, int off) {
        byte[] b = v.toByteArray();
        int len = Math.min(b.length, 32);
        System.arraycopy(b, b.length - len, out, off + 32 - len, len);
    }

    @Test
    void theEip155ExampleRecoversToItsAddressWithEthereumV27() throws Exception {
        JsonNode v;
        try (InputStream in = getClass().getResourceAsStream("/vectors/ecdsa-eip155-example.json")) {
            v = new ObjectMapper().readTree(in);
        }
        int recoveryId = v.get("eip155_v").asInt() - 35 - 2 * v.get("chain_id").asInt();
        assertEquals(0, recoveryId);
        byte[] sig = HEX.parseHex(v.get("r").asText() + v.get("s").asText());
        EcdsaSignature e = EcdsaSignature.of(sig, recoveryId);
        byte[] hash = HEX.parseHex(v.get("signing_hash").asText());
        assertEquals(v.get("address").asText(), e.recoverEvmAddress(hash), "EIP-55 checksummed, as published");
        assertEquals(27, e.ethereumV());
        assertEquals(v.get("r").asText() + v.get("s").asText() + "1b", HEX.formatHex(e.ethereum65()));
        assertTrue(e.isLowS());
        ECPoint fromPrivate = CURVE.getG().multiply(new BigInteger(v.get("private_key").asText(), 16)).normalize();
        assertEquals(fromPrivate, e.recoverPublicKey(hash));
    }

    @Test
    void randomSignaturesRecoverToTheSignersKeyAndAddress() {
        int[] seen = new int[2];
        for (int i = 0; i < 64; i++) {
            Made m = sign(scalar(), scalar(), digest());
            EcdsaSignature e = EcdsaSignature.of(m.sig64(), m.recoveryId());
            assertEquals(m.publicKey(), e.recoverPublicKey(m.digest()));
            assertEquals(evmAddress(m.publicKey()), e.recoverEvmAddress(m.digest()).toLowerCase());
            assertEquals(27 + m.recoveryId(), e.ethereumV());
            assertEquals(27 + m.recoveryId(), e.ethereum65()[64]);
            assertArrayEquals(m.sig64(), Arrays.copyOf(e.ethereum65(), 64));
            assertTrue(e.isLowS());
            seen[m.recoveryId() & 1]++;
        }
        assertTrue(seen[0] > 0 && seen[1] > 0, "both parities of R occurred");
    }

    @Test
    void theWrongRecoveryIdOrDigestRecoversElsewhere() {
        Made m = sign(scalar(), scalar(), digest());
        EcdsaSignature flipped = EcdsaSignature.of(m.sig64(), m.recoveryId() ^ 1);
        assertNotEquals(m.publicKey(), flipped.recoverPublicKey(m.digest()));
        EcdsaSignature right = EcdsaSignature.of(m.sig64(), m.recoveryId());
        assertNotEquals(evmAddress(m.publicKey()), right.recoverEvmAddress(digest()).toLowerCase());
    }

    @Test
    void derMatchesBouncyCastlesEncodingAndBip66() throws Exception {
        for (int i = 0; i < 64; i++) {
            Made m = sign(scalar(), scalar(), digest());
            EcdsaSignature e = EcdsaSignature.of(m.sig64(), m.recoveryId());
            byte[] der = e.der();
            assertArrayEquals(StandardDSAEncoding.INSTANCE.encode(N, e.r(), e.s()), der);
            assertBip66(der);
            ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
            assertEquals(e.r(), ASN1Integer.getInstance(seq.getObjectAt(0)).getValue());
            assertEquals(e.s(), ASN1Integer.getInstance(seq.getObjectAt(1)).getValue());
        }
    }

    @Test
    void derPadsAHighBitAndShortensSmallIntegers() {
        byte[] sig = new byte[64];
        sig[0] = (byte) 0x80; // r = 0x80 00..00: top bit set, one leading zero
        sig[63] = 1; // s = 1: one byte
        byte[] der = EcdsaSignature.of(sig, 0).der();
        assertEquals("3026" + "022100" + "80" + "00".repeat(31) + "020101", HEX.formatHex(der));
        assertBip66(der);
        byte[] small = new byte[64];
        small[31] = 0x7f;
        small[62] = 0x01; // s = 0x0100: two bytes
        assertEquals("30070201" + "7f" + "02020100", HEX.formatHex(EcdsaSignature.of(small, 1).der()));
    }

    @Test
    void highSIsReportedAndBadInputsAreRefusedNamingTheProblem() {
        byte[] high = new byte[64];
        high[31] = 1;
        put32(N.subtract(BigInteger.ONE), high, 32);
        assertFalse(EcdsaSignature.of(high, 0).isLowS());
        assertEquals("an ECDSA signature is 64 bytes r || s, got 63 bytes",
                assertThrows(IllegalArgumentException.class, () -> EcdsaSignature.of(new byte[63], 0)).getMessage());
        assertEquals("recovery id must be 0..3, got 4",
                assertThrows(IllegalArgumentException.class, () -> EcdsaSignature.of(high, 4)).getMessage());
        byte[] zeroR = high.clone();
        zeroR[31] = 0;
        assertEquals("r is not in 1..n-1",
                assertThrows(IllegalArgumentException.class, () -> EcdsaSignature.of(zeroR, 0)).getMessage());
        byte[] bigS = high.clone();
        put32(N, bigS, 32);
        assertEquals("s is not in 1..n-1",
                assertThrows(IllegalArgumentException.class, () -> EcdsaSignature.of(bigS, 0)).getMessage());
        assertEquals("the digest must be 32 bytes", assertThrows(IllegalArgumentException.class,
                () -> EcdsaSignature.of(high, 0).recoverPublicKey(new byte[31])).getMessage());
    }

    /** BIP-66's strict DER rules, written out from the BIP's text. */
    private static void assertBip66(byte[] sig) {
        int len = sig.length;
        assertTrue(len >= 8 && len <= 72, "length 8..72");
        assertEquals(0x30, sig[0] & 0xff, "a compound structure");
        assertEquals(len - 2, sig[1] & 0xff, "the length covers the rest");
        int lenR = sig[3] & 0xff;
        assertTrue(5 + lenR < len, "S fits after R");
        int lenS = sig[5 + lenR] & 0xff;
        assertEquals(len, lenR + lenS + 6, "nothing after S");
        assertEquals(0x02, sig[2] & 0xff, "R is an integer");
        assertTrue(lenR > 0, "R not empty");
        assertEquals(0, sig[4] & 0x80, "R not negative");
        assertFalse(lenR > 1 && sig[4] == 0 && (sig[5] & 0x80) == 0, "R has no needless leading zero");
        assertEquals(0x02, sig[lenR + 4] & 0xff, "S is an integer");
        assertTrue(lenS > 0, "S not empty");
        assertEquals(0, sig[lenR + 6] & 0x80, "S not negative");
        assertFalse(lenS > 1 && sig[lenR + 6] == 0 && (sig[lenR + 7] & 0x80) == 0, "S has no needless leading zero");
    }
}

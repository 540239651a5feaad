package io.keyfed.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;

import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPrivateKeyParameters;
import org.bouncycastle.crypto.signers.DSAKCalculator;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The independent ECDSA check (tools/verify-node/recover.js, {@code ethers}) on signatures BouncyCastle makes here
 * over random keys and digests, with a nonce the test picks so that it knows R and hence the recovery id; and on
 * EIP-155's published example. Valid ones must check out against the address, the key, or both; a corrupted s,
 * the other recovery id, another digest, another address or key, and the high-s twin must each fail, so that
 * "recovers to the key's address" in the end-to-end tests means something.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EthersVerifierTest {
    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
    private static final ECDomainParameters DOMAIN = new ECDomainParameters(CURVE.getCurve(), CURVE.getG(),
            CURVE.getN(), CURVE.getH());
    private static final BigInteger N = CURVE.getN();
    private static final HexFormat HEX = HexFormat.of();
    private final Path root = Path.of(System.getProperty("keyfed.root", "..")).toAbsolutePath().normalize();
    private final SecureRandom random = new SecureRandom();
    private EthersVerifier ethers;

    /** A low-S signature by a random key over a random digest, with its recovery id, key and EVM address. */
    private record Signed(byte[] digest, byte[] signature, int recoveryId, byte[] key, String address) {
    }

    @BeforeAll
    void install() throws Exception {
        ethers = EthersVerifier.install(root);
    }

    private BigInteger scalar() {
        BigInteger v;
        do {
            v = new BigInteger(256, random);
        } while (v.signum() == 0 || v.compareTo(N) >= 0);
        return v;
    }

    private Signed signed() {
        BigInteger d = scalar();
        BigInteger k = scalar();
        byte[] digest = new byte[32];
        random.nextBytes(digest);
        ECDSASigner signer = new ECDSASigner(new FixedK(k));
        signer.init(true, new ECPrivateKeyParameters(d, DOMAIN));
        BigInteger[] rs = signer.generateSignature(digest);
        ECPoint bigR = CURVE.getG().multiply(k).normalize();
        boolean odd = bigR.getAffineYCoord().toBigInteger().testBit(0);
        BigInteger s = rs[1];
        if (s.compareTo(N.shiftRight(1)) > 0) {
            s = N.subtract(s); // the signature with nonce -k: R's y flips
            odd = !odd;
        }
        int id = (odd ? 1 : 0) + (bigR.getAffineXCoord().toBigInteger().compareTo(N) >= 0 ? 2 : 0);
        ECPoint q = CURVE.getG().multiply(d).normalize();
        byte[] sig = new byte[64];
        put32(rs[0], sig, 0);
        put32(s, sig, 32);
        return new Signed(digest, sig, id, q.getEncoded(true), evmAddress(q));
    }

    /** BouncyCastle's signer with the nonce the test chose. */
    private record FixedK(BigInteger k) implements DSAKCalculator {
        @Override
        public boolean isDeterministic() {
            return true;
        }

        @Override
        public void init(BigInteger n, SecureRandom random) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void init(BigInteger n, BigInteger d, byte[] message) {
        }

        @Override
        public BigInteger nextK() {
            return k;
        }
    }

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

    private static EthersVerifier.Item item(String id, Signed s, String address, byte[] key) {
        return new EthersVerifier.Item(id, s.digest(), s.signature(), s.recoveryId(), address, key);
    }

    @Test
    void signaturesByRandomKeysRecoverToTheirAddressAndKey() throws Exception {
        List<EthersVerifier.Item> items = new ArrayList<>();
        List<Signed> made = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            Signed s = signed();
            made.add(s);
            items.add(switch (i % 3) {
                case 0 -> item("addr-" + i, s, s.address(), null);
                case 1 -> item("key-" + i, s, null, s.key());
                default -> item("both-" + i, s, s.address(), s.key());
            });
        }
        assertTrue(made.stream().anyMatch(s -> s.recoveryId() == 0) && made.stream().anyMatch(s -> s.recoveryId() == 1),
                "both recovery ids occur");
        EthersVerifier.Run run = ethers.check(items);
        assertEquals(0, run.exit(), run.output());
        assertEquals(items.size(), run.verdicts().size(), run.output());
        for (int i = 0; i < items.size(); i++) {
            EthersVerifier.Verdict v = run.verdicts().get(i);
            assertEquals(items.get(i).id(), v.id());
            assertTrue(v.valid(), v.toString());
            assertEquals(made.get(i).address(), v.recoveredAddress().toLowerCase(), v.toString());
        }
        assertTrue(run.allValid());
    }

    @Test
    void theEip155ExampleRecoversToItsPublishedAddress() throws Exception {
        JsonNode v = new ObjectMapper().readTree(
                root.resolve("cli/src/test/resources/vectors/ecdsa-eip155-example.json").toFile());
        assertTrue(v.path("source").asText().startsWith("ethereum/EIPs EIPS/eip-155.md"));
        int id = v.path("eip155_v").asInt() - 35 - 2 * v.path("chain_id").asInt();
        EthersVerifier.Run run = ethers.check(List.of(new EthersVerifier.Item("eip155",
                HEX.parseHex(v.path("signing_hash").asText()),
                HEX.parseHex(v.path("r").asText() + v.path("s").asText()), id, v.path("address").asText(), null)));
        assertTrue(run.allValid(), run.output());
        assertEquals(v.path("address").asText(), run.verdicts().get(0).recoveredAddress());
    }

    @Test
    void aCorruptedSWrongVOtherDigestOtherAddressOrKeyAndHighSEachFail() throws Exception {
        Signed s = signed();
        Signed other = signed();
        byte[] badS = s.signature().clone();
        badS[50] ^= 0x01;
        byte[] high = s.signature().clone();
        put32(N.subtract(new BigInteger(1, Arrays.copyOfRange(s.signature(), 32, 64))), high, 32);
        List<EthersVerifier.Item> bad = List.of(
                new EthersVerifier.Item("s", s.digest(), badS, s.recoveryId(), s.address(), s.key()),
                new EthersVerifier.Item("v", s.digest(), s.signature(), s.recoveryId() ^ 1, s.address(), s.key()),
                new EthersVerifier.Item("digest", other.digest(), s.signature(), s.recoveryId(), s.address(), s.key()),
                item("address", s, other.address(), null),
                item("key", s, null, other.key()),
                // The high-s twin with the other recovery id is valid ECDSA for the same key: only low-S may pass.
                new EthersVerifier.Item("high-s", s.digest(), high, s.recoveryId() ^ 1, s.address(), s.key()));
        EthersVerifier.Run run = ethers.check(bad);
        assertEquals(1, run.exit(), run.output());
        assertEquals(bad.size(), run.verdicts().size(), run.output());
        run.verdicts().forEach(v -> assertFalse(v.valid(), v.toString()));
        for (int i = 0; i < 4; i++) {
            assertTrue(run.verdicts().get(i).error().startsWith("recovers to 0x"), run.verdicts().get(i).toString());
        }
        assertTrue(run.verdicts().get(4).error().startsWith("recovers to key "), run.output());
        assertEquals("s is high (above n/2)", run.verdicts().get(5).error(), run.output());

        List<EthersVerifier.Item> mixed = new ArrayList<>(List.of(item("good", s, s.address(), s.key())));
        mixed.add(bad.get(0));
        assertFalse(ethers.check(mixed).allValid());
    }

    @Test
    void malformedItemsAreReportedAndNeverPass() throws Exception {
        Signed s = signed();
        String base = "\"digest\":\"" + HEX.formatHex(s.digest()) + "\",\"r\":\""
                + HEX.formatHex(s.signature(), 0, 32) + "\",\"s\":\"" + HEX.formatHex(s.signature(), 32, 64) + "\"";
        // The EIP-55 form with the case of one letter flipped: a checksum error, never a valid address.
        char[] chars = io.keyfed.api.wallet.Eip55.checksum(s.address()).toCharArray();
        int letter = 2;
        while (!Character.isLetter(chars[letter])) {
            letter++;
        }
        chars[letter] = Character.isUpperCase(chars[letter]) ? Character.toLowerCase(chars[letter])
                : Character.toUpperCase(chars[letter]);
        String mixedCase = new String(chars);
        EthersVerifier.Run run = ethers.checkText(String.join("\n",
                "{\"id\":\"a\"," + base + ",\"recovery_id\":2,\"address\":\"" + s.address() + "\"}",
                "{\"id\":\"b\"," + base + ",\"recovery_id\":" + s.recoveryId() + "}",
                "{\"id\":\"c\",\"digest\":\"00\",\"r\":\"01\",\"s\":\"01\",\"recovery_id\":0,\"address\":\""
                        + s.address() + "\"}",
                "{\"id\":\"d\"," + base + ",\"recovery_id\":" + s.recoveryId() + ",\"address\":\"" + mixedCase
                        + "\"}"));
        assertEquals(1, run.exit(), run.output());
        assertEquals(List.of("a", "b", "c", "d"), run.verdicts().stream().map(EthersVerifier.Verdict::id).toList());
        run.verdicts().forEach(v -> assertFalse(v.valid(), v.toString()));
        assertEquals("recovery_id must be 0 or 1, not 2", run.verdicts().get(0).error());
        assertEquals("give the expected address, key, or both", run.verdicts().get(1).error());
        assertEquals("digest must be 32 bytes, not 1", run.verdicts().get(2).error());
        assertTrue(run.verdicts().get(3).error().contains("checksum"), run.output());

        EthersVerifier.Run empty = ethers.checkText("\n");
        assertEquals(2, empty.exit(), empty.output());
        assertTrue(empty.output().contains("no items to check"), empty.output());
    }
}

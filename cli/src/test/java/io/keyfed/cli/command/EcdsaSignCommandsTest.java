package io.keyfed.cli.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.KeccakDigest;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECPoint;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.keyfed.cli.testing.Cli;
import io.keyfed.cli.testing.FakeLedger;

/**
 * {@code sign --wait} and {@code sign show} for ecdsa and bitcoin keys: r, s, v, the Ethereum form, DER for
 * bitcoin, and the EVM address the signature recovers to, checked against the key the ledger gives. The
 * signatures are made in the test from a chosen nonce, so r, s and the recovery id are known here.
 */
class EcdsaSignCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final X9ECParameters CURVE = CustomNamedCurves.getByName("secp256k1");
    private static final BigInteger N = CURVE.getN();
    private static final HexFormat HEX = HexFormat.of();
    private static final String PARAMS = """
            {"chain_id":"keyfed-test","address_prefix":"zen","denom":"urock","genesis_supply":"1000000",
             "escrow_address":"zen1escrow","default_timeout_seconds":600}""";
    private static final String TX_RESULT = """
            {"height":5,"hash":"%s","outcome":"sign request 4 created","created_address":"","key_request_id":0,
             "sign_request_id":4}""".formatted("ee".repeat(32));

    @TempDir
    Path home;
    FakeLedger ledger;
    Cli cli;
    final SecureRandom random = new SecureRandom();
    BigInteger d;
    ECPoint q;
    byte[] digest;
    String r;
    String s;
    int recoveryId;

    @BeforeEach
    void start() throws Exception {
        ledger = new FakeLedger();
        ledger.json("GET", "/v1/params", PARAMS);
        cli = new Cli(home, ledger.url());
        assertEquals(0, cli.run("keys", "add", "alice", "--quiet").exit());
        d = scalar();
        q = CURVE.getG().multiply(d).normalize();
        digest = new byte[32];
        random.nextBytes(digest);
        BigInteger k = scalar();
        ECPoint bigR = CURVE.getG().multiply(k).normalize();
        BigInteger rv = bigR.getAffineXCoord().toBigInteger().mod(N);
        BigInteger sv = k.modInverse(N).multiply(new BigInteger(1, digest).add(rv.multiply(d))).mod(N);
        boolean odd = bigR.getAffineYCoord().toBigInteger().testBit(0);
        if (sv.compareTo(N.shiftRight(1)) > 0) {
            sv = N.subtract(sv);
            odd = !odd;
        }
        recoveryId = (odd ? 1 : 0) + (bigR.getAffineXCoord().toBigInteger().compareTo(N) >= 0 ? 2 : 0);
        r = hex32(rv);
        s = hex32(sv);
    }

    @AfterEach
    void stop() {
        ledger.close();
    }

    private BigInteger scalar() {
        BigInteger v;
        do {
            v = new BigInteger(256, random);
        } while (v.signum() == 0 || v.compareTo(N) >= 0);
        return v;
    }

    private static String hex32(BigInteger v) {
        String h = v.toString(16);
        return "0".repeat(64 - h.length()) + h;
    }

    private static String evmAddress(ECPoint p) {
        byte[] xy = Arrays.copyOfRange(p.getEncoded(false), 1, 65);
        KeccakDigest k = new KeccakDigest(256);
        k.update(xy, 0, xy.length);
        byte[] h = new byte[32];
        k.doFinal(h, 0);
        return "0x" + HEX.formatHex(Arrays.copyOfRange(h, 12, 32));
    }

    /** The ledger's key and FULFILLED sign request; {@code evm} is the EVM wallet the key query lists, or none. */
    private void stub(String keyType, ECPoint key, String evm) {
        String pub = HEX.formatHex(key.getEncoded(true));
        String wallets = evm == null ? "[{\"type\":\"WALLET_TYPE_BTC_MAINNET\",\"address\":\"bc1qx\"}]"
                : "[{\"type\":\"WALLET_TYPE_NATIVE\",\"address\":\"zen1x\"},"
                        + "{\"type\":\"WALLET_TYPE_EVM\",\"address\":\"" + evm + "\"}]";
        ledger.json("GET", "/v1/treasury/keys/12", "{\"key\":{\"id\":12,\"type\":\"" + keyType
                + "\",\"public_key\":\"" + pub + "\",\"verifying_key\":\"" + pub + "\"},\"wallets\":" + wallets + "}");
        ledger.json("GET", "/v1/treasury/sign-requests/4", "{\"id\":4,\"key_id\":12,\"key_type\":\"" + keyType
                + "\",\"status\":\"SIGN_REQUEST_STATUS_FULFILLED\",\"party_threshold\":2,\"fee\":\"10\","
                + "\"scheme\":\"SIGNATURE_SCHEME_ECDSA_SECP256K1\",\"verifying_key\":\"" + pub + "\",\"messages\":[\""
                + HEX.formatHex(digest) + "\"],\"signatures\":[\"" + r + s + "\"],\"recovery_ids\":[" + recoveryId
                + "],\"keyring_party_sigs\":[{\"creator\":\"zen1p\"}]}");
        ledger.json("POST", "/v1/txs", TX_RESULT);
    }

    private Cli.Result sign(String... extra) {
        String[] base = {"sign", "--from", "alice", "--key", "12", "--message", HEX.formatHex(digest), "--wait"};
        String[] all = Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, all, base.length, extra.length);
        return cli.run(all);
    }

    private static String field(String out, String name) {
        for (String line : out.split("\n")) {
            if (line.startsWith("  " + name + ":")) {
                return line.substring(line.indexOf(':') + 1).strip();
            }
        }
        throw new AssertionError("no " + name + " line in\n" + out);
    }

    @Test
    void anEcdsaSignaturePrintsRsVTheEthereumFormAndTheKeysEvmAddress() {
        String address = evmAddress(q);
        stub("KEY_TYPE_ECDSA_SECP256K1", q, address);
        Cli.Result res = sign();
        assertEquals(0, res.exit(), res::toString);
        String out = res.out();
        assertTrue(out.contains("signature 1: " + r + s + " (recovery id " + recoveryId + ")\n"), out);
        assertEquals(r, field(out, "r"));
        assertEquals(s, field(out, "s"));
        assertEquals(recoveryId + " (Ethereum v " + (27 + recoveryId) + ")", field(out, "v"));
        assertEquals(r + s + HEX.toHexDigits((byte) (27 + recoveryId)), field(out, "ethereum"));
        String recovers = field(out, "recovers_to");
        assertTrue(recovers.toLowerCase().equals(address + " (the key's evm address)"), out);
        assertTrue(!out.contains("  der:"), "no DER for an ecdsa key");
    }

    @Test
    void aBitcoinSignatureAlsoPrintsStrictDer() throws Exception {
        stub("KEY_TYPE_BITCOIN_SECP256K1", q, null);
        Cli.Result res = sign();
        assertEquals(0, res.exit(), res::toString);
        byte[] der = HEX.parseHex(field(res.out(), "der"));
        ASN1Sequence seq = ASN1Sequence.getInstance(ASN1Primitive.fromByteArray(der));
        assertEquals(new BigInteger(r, 16), ASN1Integer.getInstance(seq.getObjectAt(0)).getValue());
        assertEquals(new BigInteger(s, 16), ASN1Integer.getInstance(seq.getObjectAt(1)).getValue());
        assertEquals(der.length, 2 + (der[1] & 0xff), "no trailing bytes");
        assertTrue(field(res.out(), "recovers_to").toLowerCase()
                .equals(evmAddress(q) + " (the key's public key and its evm address)"), res::toString);
    }

    @Test
    void jsonCarriesTheFormsInTheRequestAndSignShowPrintsThemToo() throws Exception {
        stub("KEY_TYPE_BITCOIN_SECP256K1", q, null);
        Cli.Result res = sign("--json");
        assertEquals(0, res.exit(), res::toString);
        JsonNode e = JSON.readTree(res.out()).get("request").get("ecdsa").get(0);
        assertEquals(r, e.get("r").asText());
        assertEquals(s, e.get("s").asText());
        assertEquals(recoveryId, e.get("recovery_id").asInt());
        assertEquals(27 + recoveryId, e.get("v").asInt());
        assertEquals(evmAddress(q), e.get("recovered_evm_address").asText().toLowerCase());
        assertEquals(HEX.formatHex(q.getEncoded(true)), e.get("recovered_public_key").asText());
        assertTrue(e.get("matches_key").asBoolean());
        assertTrue(e.get("der").asText().startsWith("30"));

        Cli.Result show = cli.run("sign", "show", "4");
        assertEquals(0, show.exit(), show::toString);
        assertTrue(show.out().contains("ecdsa signature 1:\n"), show::toString);
        assertEquals(r, field(show.out(), "r"));
        JsonNode shown = JSON.readTree(cli.run("sign", "show", "4", "--json").out());
        assertEquals(r + s, shown.get("signatures").get(0).asText(), "the ledger's fields are kept");
        assertEquals(e, shown.get("ecdsa").get(0));
    }

    @Test
    void aSignatureThatRecoversToAnotherAddressFails() {
        ECPoint other = CURVE.getG().multiply(scalar()).normalize();
        stub("KEY_TYPE_ECDSA_SECP256K1", other, evmAddress(other));
        Cli.Result res = sign();
        assertEquals(1, res.exit(), res::toString);
        assertTrue(field(res.out(), "recovers_to").contains("(NOT the key's: " + evmAddress(other)), res::toString);
        assertTrue(res.err().contains("error: BAD_SIGNATURE: sign request 4: signature 1 recovers to "), res::toString);
    }

    @Test
    void aWrongRecoveryIdFromTheLedgerIsCaught() {
        recoveryId ^= 1;
        stub("KEY_TYPE_ECDSA_SECP256K1", q, evmAddress(q));
        Cli.Result res = sign();
        assertEquals(1, res.exit(), res::toString);
        assertTrue(res.err().contains("BAD_SIGNATURE"), res::toString);
    }
}

package io.keyfed.api.wallet;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JsonNode;

import io.keyfed.api.crypto.Taproot;
import io.keyfed.api.ledger.v1.KeyType;
import io.keyfed.api.ledger.v1.Wallet;
import io.keyfed.api.ledger.v1.WalletType;

/** BIP-341 wallet vectors (scriptPubKey cases) and BIP-86 vectors against Taproot, SegwitAddress and Wallets. */
class TaprootVectorsTest {
    private static final JsonNode V = Vectors.load("taproot.json");

    static Stream<JsonNode> bip341() {
        return Vectors.list(V.get("bip341ScriptPubKey")).stream();
    }

    static Stream<JsonNode> bip86() {
        return Vectors.list(V.get("bip86")).stream();
    }

    /** An x-only key as the compressed point with even y, which is how BIP-340/341 lift it. */
    private static byte[] evenY(String xOnlyHex) {
        byte[] x = Vectors.hex(xOnlyHex);
        byte[] p = new byte[33];
        p[0] = 2;
        System.arraycopy(x, 0, p, 1, 32);
        return p;
    }

    @ParameterizedTest
    @MethodSource("bip341")
    void outputKeyScriptPubKeyAndAddressMatchBip341(JsonNode v) {
        byte[] internal = evenY(v.get("internalPubkey").asText());
        JsonNode root = v.get("merkleRoot");
        byte[] q = root == null || root.isNull() ? Taproot.outputKey(internal)
                : Taproot.outputKey(internal, Vectors.hex(root.asText()));
        assertEquals(v.get("tweakedPubkey").asText(), Vectors.hex(q));
        assertEquals(v.get("scriptPubKey").asText(),
                Vectors.hex(SegwitAddress.scriptPubKey(new SegwitAddress.Decoded(1, q))));
        String address = v.get("bip350Address").asText();
        assertEquals(address, SegwitAddress.p2tr("bc", q));
        SegwitAddress.Decoded d = SegwitAddress.decode("bc", address);
        assertEquals(1, d.version());
        assertArrayEquals(q, d.program());
    }

    @Test
    void theVectorsCoverKeyPathOnlyAndScriptTrees() {
        long withRoot = bip341().filter(v -> v.hasNonNull("merkleRoot")).count();
        assertEquals(7, bip341().count());
        assertEquals(6, withRoot);
    }

    @ParameterizedTest
    @MethodSource("bip86")
    void taprootKeysGiveTheBip86AddressOnEachNetwork(JsonNode v) {
        byte[] internal = evenY(v.get("internalKey").asText());
        byte[] q = Vectors.hex(v.get("outputKey").asText());
        assertArrayEquals(q, Taproot.outputKey(internal));
        assertArrayEquals(q, Wallets.verifyingKey(KeyType.KEY_TYPE_BITCOIN_TAPROOT, internal));
        List<Wallet> w = Wallets.derive(KeyType.KEY_TYPE_BITCOIN_TAPROOT, internal,
                WalletType.WALLET_TYPE_UNSPECIFIED, List.of(), "zen");
        assertEquals(List.of(WalletType.WALLET_TYPE_BTC_TAPROOT_MAINNET, WalletType.WALLET_TYPE_BTC_TAPROOT_TESTNET,
                WalletType.WALLET_TYPE_BTC_TAPROOT_REGNET), w.stream().map(Wallet::getType).toList());
        assertEquals(v.get("address").asText(), w.get(0).getAddress());
        String[] hrps = {"bc", "tb", "bcrt"};
        for (int i = 0; i < 3; i++) {
            String a = w.get(i).getAddress();
            assertTrue(a.startsWith(hrps[i] + "1p"), a);
            SegwitAddress.Decoded d = SegwitAddress.decode(hrps[i], a);
            assertEquals(v.get("scriptPubKey").asText(), Vectors.hex(SegwitAddress.scriptPubKey(d)));
        }
        assertEquals(List.of(w.get(1)), Wallets.derive(KeyType.KEY_TYPE_BITCOIN_TAPROOT, internal,
                WalletType.WALLET_TYPE_BTC_TAPROOT_TESTNET, List.of(), "zen"));
    }

    @Test
    void theOutputKeyDependsOnlyOnXOfTheInternalKey() {
        JsonNode v = V.get("bip86").get(0);
        byte[] odd = evenY(v.get("internalKey").asText());
        odd[0] = 3;
        assertEquals(v.get("outputKey").asText(), Vectors.hex(Taproot.outputKey(odd)));
    }

    @Test
    void otherKeyTypesVerifyUnderTheKeyItself() {
        byte[] g = Vectors.hex("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
        assertArrayEquals(g, Wallets.verifyingKey(KeyType.KEY_TYPE_ECDSA_SECP256K1, g));
        assertArrayEquals(g, Wallets.verifyingKey(KeyType.KEY_TYPE_BITCOIN_SECP256K1, g));
        assertThrows(IllegalArgumentException.class, () -> Wallets.verifyingKey(KeyType.KEY_TYPE_UNSPECIFIED, g));
    }

    @Test
    void malformedInputsAreRefused() {
        byte[] g = Vectors.hex("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Taproot.outputKey(g, new byte[31]));
        assertTrue(e.getMessage().contains("merkle root"), e.getMessage());
        byte[] offCurve = new byte[33];
        offCurve[0] = 2;
        offCurve[32] = 5;
        assertThrows(IllegalArgumentException.class, () -> Taproot.outputKey(offCurve));
        e = assertThrows(IllegalArgumentException.class,
                () -> Wallets.verifyingKey(KeyType.KEY_TYPE_BITCOIN_TAPROOT, new byte[32]));
        assertTrue(e.getMessage().contains("taproot"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SegwitAddress.p2tr("bc", new byte[33]));
        assertThrows(IllegalArgumentException.class, () -> SegwitAddress.encode("bc", 17, new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> SegwitAddress.encode("bc", 1, new byte[41]));
    }
}
